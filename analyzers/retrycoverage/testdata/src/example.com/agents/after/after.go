// Package after checks the work done after a recovery call: where its
// error may be returned, it must route too.
package after

import (
	"context"
	"errors"
	"fmt"
	"os"

	"example.com/agents/nested"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

var ErrEmpty = errors.New("empty")

type Pipe struct {
	dir string
	c   *nested.Cache
}

// Callee is unrouted: it gets a fix.
func (p *Pipe) Callee(ctx context.Context) error { // want Callee:"unrouted" `^Pipe.Callee returns an error but is not routed through runtime/recovery \(run`
	return os.Remove(p.dir)
}

// Routed is routed.
func (p *Pipe) Routed(ctx context.Context) error { // want Routed:"routed"
	return recovery.Do(ctx, nil, func(ctx context.Context) error { return os.Remove(p.dir) })
}

// Work does unrouted work after the retry whose error it returns: no fix.
func (p *Pipe) Work(ctx context.Context) error { // want Work:"nests" `^Pipe.Work returns an error but is not routed through runtime/recovery: the error returned at after.go:38 comes from os.Remove at after.go:37, which runs after the recovery call at after.go:34, outside it; -fix cannot rewrite it: the method already calls runtime/recovery, and wrapping its body would nest that retry \(move the work after the retry into the retry closure by hand, or mark the method //resilience:noretry <reason>\)$`
	if err := recovery.Do(ctx, nil, func(ctx context.Context) error { return nil }); err != nil {
		return err
	}
	if err := os.Remove(p.dir); err != nil {
		return fmt.Errorf("remove: %w", err)
	}
	return nil
}

// InReturn returns the error of the work after the retry directly.
func (p *Pipe) InReturn(ctx context.Context) error { // want InReturn:"nests" `the error returned at after.go:48 comes from os.Remove at after.go:48, which runs after the recovery call at after.go:45, outside it; -fix cannot rewrite it`
	if err := recovery.Do(ctx, nil, func(ctx context.Context) error { return nil }); err != nil {
		return err
	}
	return os.Remove(p.dir)
}

// Branch does the work on one branch only; the sentinel return after it
// counts too, as its path ran the work.
func (p *Pipe) Branch(ctx context.Context, clean bool) (int, error) { // want Branch:"nests" `the error returned at after.go:62 comes from os.ReadFile at after.go:59, which runs after the recovery call at after.go:54, outside it`
	n, err := recovery.DoValue(ctx, nil, func(ctx context.Context) (int, error) { return 1, nil })
	if err != nil {
		return 0, err
	}
	if clean {
		b, err := os.ReadFile(p.dir)
		_ = err
		if len(b) == 0 {
			return 0, ErrEmpty
		}
	}
	return n, nil
}

// Swallowed ignores the error of the work after the retry: the method
// returns nil there, so it is routed.
func (p *Pipe) Swallowed(ctx context.Context) error { // want Swallowed:"routed"
	if err := recovery.Do(ctx, nil, func(ctx context.Context) error { return nil }); err != nil {
		return err
	}
	_ = os.Remove(p.dir)
	return nil
}

// ThenRouted calls only routed functions after the retry: routed.
func (p *Pipe) ThenRouted(ctx context.Context) error { // want ThenRouted:"routed"
	if err := recovery.Do(ctx, nil, func(ctx context.Context) error { return nil }); err != nil {
		return err
	}
	return p.Routed(ctx)
}

// ThenDelegates calls, after the retry, only unrouted agent methods that
// this run's fixes route (here and, through the fact, in nested): no fix,
// it is routed by delegation once they are.
func (p *Pipe) ThenDelegates(ctx context.Context) error { // want ThenDelegates:"unrouted" `^Pipe.ThenDelegates returns an error but is not routed through runtime/recovery: it delegates to Pipe.Callee, nested.Cache.Get, which must be routed first \(no fix here`
	if err := recovery.Do(ctx, nil, func(ctx context.Context) error { return nil }); err != nil {
		return err
	}
	if err := p.Callee(ctx); err != nil {
		return err
	}
	_, err := p.c.Get("k")
	return err
}

// Before does unrouted work before the retry and none after it: it mixes
// work in a retry and outside it, and gets no fix (it would nest).
func (p *Pipe) Before(ctx context.Context) error { // want Before:"nests" `comes from work done before the recovery call at after.go:106; -fix cannot rewrite it: it mixes work inside a retry \(the recovery call at after.go:106\) with work outside it`
	if _, err := os.Stat(p.dir); err != nil {
		return err
	}
	return recovery.Do(ctx, nil, func(ctx context.Context) error { return nil })
}

// Helper is a function with work after its retry: no RoutedFunc fact.
func Helper(ctx context.Context, dir string) error { // want Helper:"nests"
	if err := recovery.Do(ctx, nil, func(ctx context.Context) error { return nil }); err != nil {
		return err
	}
	return os.Remove(dir)
}

// ViaHelper delegates to Helper, which retries in part: no fix.
func (p *Pipe) ViaHelper(ctx context.Context) error { // want ViaHelper:"nests" `^Pipe.ViaHelper returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls Helper, which already retries part of its work \(through runtime/recovery in after\.Helper\)`
	return Helper(ctx, p.dir)
}

// MixedLate calls an unrouted agent method and does other work after the
// retry: refused, and no warning about nesting (nothing is wrapped).
func (p *Pipe) MixedLate(ctx context.Context) error { // want MixedLate:"nests" `^Pipe.MixedLate returns an error but is not routed through runtime/recovery: the error returned at after.go:129 comes from Pipe.Callee at after.go:128, which runs after the recovery call at after.go:125, outside it; -fix cannot rewrite it: [^;]*$`
	if err := recovery.Do(ctx, nil, func(ctx context.Context) error { return nil }); err != nil {
		return err
	}
	if err := p.Callee(ctx); err != nil {
		return err
	}
	return os.Remove(p.dir)
}
