// Package refusals holds methods the retry rewrite refuses, and one it
// leaves alone.
package refusals

import (
	"context"
	"errors"
	"io"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

var errBad = errors.New("bad")

func work(ctx context.Context) error { return ctx.Err() }

// Agent is an agent.
type Agent struct{ calls int }

// Four returns three values besides the error.
func (a *Agent) Four(ctx context.Context) (int, int, int, error) { // want `Agent.Four returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: \(\*Agent\).Four returns 3 values besides the error; recovery.DoValue2 takes at most 2`
	return 1, 2, 3, work(ctx)
}

// Upload consumes a reader.
func (a *Agent) Upload(ctx context.Context, r io.Reader) error { // want `Agent.Upload returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: .*io.Reader`
	_, err := io.Copy(io.Discard, r)
	return err
}

// Hidden has a parameter hiding the error type.
func (a *Agent) Hidden(ctx context.Context, error string) (int, error) { // want `-fix cannot rewrite it: \(\*Agent\).Hidden: result type error would refer to another error inside the method`
	return len(error), work(ctx)
}

// Wrapped is already routed: no diagnostic, no fix.
func (a *Agent) Wrapped(ctx context.Context) error { // want Wrapped:"routed"
	return recovery.Do(ctx, recovery.Default(), func(ctx context.Context) error {
		return work(ctx)
	})
}

// Download writes to a one-shot output.
func (a *Agent) Download(ctx context.Context, w io.Writer) error { // want `-fix cannot rewrite it: it writes to w, an io.Writer that is not an io.Seeker`
	_, err := io.WriteString(w, "data")
	return err
}

// Count counts its calls in the receiver between two calls that can
// fail: a retry would count again (retrysafety), and no part of the body
// can run once outside the retry, so no fix.
func (a *Agent) Count(ctx context.Context) error { // want `-fix cannot rewrite it: it increments a.calls at refusals.go:\d+ before the call that can fail \(work at refusals.go:\d+\); a retry would repeat it`
	if err := work(ctx); err != nil {
		return err
	}
	a.calls++
	return work(ctx)
}
