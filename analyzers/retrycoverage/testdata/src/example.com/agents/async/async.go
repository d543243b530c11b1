// Package async does its work in goroutines, and returns errors carried
// in data: both are work that can fail.
package async

import (
	"context"
	"errors"
	"os"
	"sync"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
	"golang.org/x/sync/errgroup"
)

type Fleet struct{ dirs []string }

// RemoveAll removes in goroutines and joins their errors: work.
func (f *Fleet) RemoveAll() error { // want RemoveAll:"unrouted" `^Fleet.RemoveAll returns an error but is not routed through runtime/recovery \(run`
	errs := make([]error, len(f.dirs))
	var wg sync.WaitGroup
	for i, d := range f.dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = os.Remove(d)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Fire starts work whose error nobody collects: "go f()" drops it.
func (f *Fleet) Fire() error { // want Fire:"validator"
	go os.Remove(f.dirs[0])
	return nil
}

// Sync sends the goroutine's error over a channel.
func (f *Fleet) Sync() error { // want Sync:"waits" Sync:"unrouted" `^Fleet.Sync returns an error but is not routed`
	done := make(chan error, 1)
	go func() { done <- os.Remove(f.dirs[0]) }()
	return <-done
}

type result struct {
	n   int
	Err error
}

func (f *Fleet) remove(d string) result {
	return result{Err: os.Remove(d)}
}

// Carried returns the error its callee returns inside a struct: work.
func (f *Fleet) Carried() error { // want Carried:"unrouted" `^Fleet.Carried returns an error but is not routed`
	res := f.remove(f.dirs[0])
	return res.Err
}

func (f *Fleet) removeRetried(ctx context.Context, d string) result { // want removeRetried:"nests"
	return result{Err: recovery.Do(ctx, recovery.Default(), func(context.Context) error { return os.Remove(d) })}
}

// CarriedRetried returns an error that its callee's own retry carries in a
// struct: wrapping it would nest that retry, so it gets no fix.
func (f *Fleet) CarriedRetried(ctx context.Context) error { // want CarriedRetried:"nests" `^Fleet.CarriedRetried returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls Fleet.removeRetried, which already retries part of its work \(through runtime/recovery in async\.Fleet\.removeRetried\)`
	res := f.removeRetried(ctx, f.dirs[0])
	return res.Err
}

// Counted uses the struct but returns no error from it: not work.
func (f *Fleet) Counted() (int, error) { // want Counted:"validator"
	res := f.remove(f.dirs[0])
	if res.n < 0 {
		return 0, errors.New("negative")
	}
	return res.n, nil
}

// Group runs its work in an errgroup, whose Wait returns the first error.
func (f *Fleet) Group(ctx context.Context) error { // want Group:"unrouted" `^Fleet.Group returns an error but is not routed`
	g, ctx := errgroup.WithContext(ctx)
	for _, d := range f.dirs {
		g.Go(func() error { return os.Chmod(d, 0o700) }) // os.Remove would be an effect a retry repeats (retrysafety)
	}
	return g.Wait()
}
