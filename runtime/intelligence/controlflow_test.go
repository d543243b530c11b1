package intelligence_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// snoozeError and errRevoke stand for a job queue's control-flow errors
// (river's *JobSnoozeError, asynq's RevokeTask); errGiveUp for one that
// ends a job as failed (asynq's SkipRetry). The matchers
// registerTestControlFlow registers are process-wide: they match only
// these test types.
type snoozeError struct{ d time.Duration }

func (e *snoozeError) Error() string { return fmt.Sprintf("snooze %v", e.d) }

// matchPanicError makes the test's matcher panic.
type matchPanicError struct{}

func (matchPanicError) Error() string { return "the matcher panics on this one" }

var (
	errRevoke = errors.New("revoke task")
	errGiveUp = errors.New("skip retry")
)

// registerTestControlFlow registers the test's matchers, once: from the
// tests that need them and from the benchmark of Track's error path with
// matchers, not from init, so that the other benchmarks run without them.
var registerTestControlFlow = sync.OnceFunc(func() {
	intelligence.RegisterControlFlow(nil) // ignored
	intelligence.RegisterControlFlow(func(err error) bool {
		_, ok := errors.AsType[*snoozeError](err)
		return ok
	})
	intelligence.RegisterControlFlow(func(err error) bool {
		if _, ok := errors.AsType[matchPanicError](err); ok {
			panic("matcher panicked")
		}
		return errors.Is(err, errRevoke)
	})
})

func TestTrackControlFlow(t *testing.T) {
	registerTestControlFlow()
	snooze := &snoozeError{d: time.Minute}
	cases := []struct {
		name   string
		err    error
		errors uint64 // the run's failures recorded
		panics uint64 // tracking panics
	}{
		{"snooze", snooze, 0, 0},
		{"snooze wrapped", fmt.Errorf("rate limited: %w", snooze), 0, 0},
		{"revoke sentinel", errRevoke, 0, 0},
		{"revoke wrapped", fmt.Errorf("mailbox gone: %w", errRevoke), 0, 0},
		{"give up: a failure", fmt.Errorf("bad payload: %w", errGiveUp), 1, 0},
		{"plain failure", errors.New("status 503"), 1, 0},
		{"matcher panics: a failure", matchPanicError{}, 1, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr, _ := newTracker()
			for range 2 {
				_ = intelligence.TrackErr(context.Background(), tr, opA, func(context.Context) error { return nil })
			}
			err := intelligence.TrackErr(context.Background(), tr, opA, func(context.Context) error { return c.err })
			if err != c.err {
				t.Errorf("TrackErr returned %v, want the function's error %v", err, c.err)
			}
			h := tr.WorkerHealth(opA.Agent, opA.Worker)
			if h.Runs != 2+c.errors || h.Successes != 2 || h.Errors != c.errors || uint64(h.ConsecutiveFailures) != c.errors {
				t.Errorf("runs/successes/errors/consecutive = %d/%d/%d/%d, want %d/2/%d/%d",
					h.Runs, h.Successes, h.Errors, h.ConsecutiveFailures, 2+c.errors, c.errors, c.errors)
			}
			if got := uint64(len(tr.Patterns())); got != c.errors {
				t.Errorf("%d patterns, want %d", got, c.errors)
			}
			if got := tr.Snapshot().Overflow.TrackingPanics; got != c.panics {
				t.Errorf("tracking panics = %d, want %d", got, c.panics)
			}
		})
	}

	// Track and Track2 return the function's values with the error.
	tr, _ := newTracker()
	v, err := intelligence.Track(context.Background(), tr, opA, func(context.Context) (int, error) { return 7, snooze })
	a, b, err2 := intelligence.Track2(context.Background(), tr, opA, func(context.Context) (int, string, error) { return 8, "x", errRevoke })
	if v != 7 || err != snooze || a != 8 || b != "x" || err2 != errRevoke {
		t.Errorf("Track = %v, %v; Track2 = %v, %v, %v", v, err, a, b, err2)
	}
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Runs != 0 {
		t.Errorf("runs = %d, want 0", h.Runs)
	}

	// RetryObserver, recording the outcome of a call outside Track,
	// leaves it out too (its retry statistics still count the call).
	policy := recovery.MustNewPolicy(recovery.WithObserver(intelligence.RetryObserver(tr, opA)))
	if err := recovery.Do(context.Background(), policy, func(context.Context) error { return recovery.Permanent(snooze) }); !errors.Is(err, snooze) {
		t.Errorf("recovery.Do = %v, want the snooze", err)
	}
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Runs != 0 || h.Retries.Calls != 1 {
		t.Errorf("observed call: runs = %d, retry calls = %d, want 0 and 1", h.Runs, h.Retries.Calls)
	}

	// TrackError records what it is told: a failure.
	tr.TrackError(opA, snooze, time.Millisecond)
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Errors != 1 {
		t.Errorf("TrackError of a control-flow error: errors = %d, want 1", h.Errors)
	}
}

// TestRegisterControlFlowConcurrent registers matchers while Track runs
// (for -race): every registration is kept.
func TestRegisterControlFlowConcurrent(t *testing.T) {
	type localError struct{ error }
	const n = 8
	tr, _ := newTracker()
	var wg sync.WaitGroup
	for i := range n {
		mine := localError{fmt.Errorf("local %d", i)}
		wg.Go(func() {
			intelligence.RegisterControlFlow(func(err error) bool {
				le, ok := errors.AsType[localError](err)
				return ok && le.Error() == mine.Error()
			})
		})
		wg.Go(func() {
			_ = intelligence.TrackErr(context.Background(), tr, opA, func(context.Context) error { return errors.New("503") })
		})
	}
	wg.Wait()
	tr2, _ := newTracker()
	for i := range n {
		_ = intelligence.TrackErr(context.Background(), tr2, opA, func(context.Context) error {
			return localError{fmt.Errorf("local %d", i)}
		})
	}
	if h := tr2.WorkerHealth(opA.Agent, opA.Worker); h.Runs != 0 {
		t.Errorf("%d of %d registered errors recorded", h.Runs, n)
	}
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Errors != n {
		t.Errorf("errors = %d, want %d", h.Errors, n)
	}
}
