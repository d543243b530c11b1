package bench

import (
	"context"
	"errors"
	"testing"
	"time"

	retryv4 "github.com/avast/retry-go/v4"
	retryv5 "github.com/avast/retry-go/v5"
	"github.com/cenkalti/backoff/v5"
	"github.com/failsafe-go/failsafe-go"
	"github.com/failsafe-go/failsafe-go/retrypolicy"
	goretry "github.com/sethvargo/go-retry"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Every library gets the same policy where it can express it: 3 attempts
// in all, 100ms initial delay doubling up to 10s, every error retried (the
// peers' default; runtime/recovery's default retries only known transient
// failures, so it is given recovery.RetryAll). Each policy is built
// once, outside the measured loop, as a service would build it at start-up.
const (
	attempts = 3
	initial  = 100 * time.Millisecond
	maxDelay = 10 * time.Second
)

var errBoom = errors.New("boom")

// op is the operation being retried. It is called through a variable so
// that no benchmark can inline it.
var op = func(context.Context) error { return nil }

// runner runs fn under one library's retry policy (the failure path and
// the adapter test use it).
type runner struct {
	name string
	// newRun builds the policy once and returns the per-call function.
	// zeroDelay asks for no waiting between attempts (failure path).
	newRun func(ctx context.Context, zeroDelay bool) func(fn func(context.Context) error) error
}

// nopClock makes runtime/recovery skip its sleeps.
type nopClock struct{}

func (nopClock) Now() time.Time                                   { return time.Time{} }
func (nopClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// readyTimer makes avast/retry-go skip its sleeps.
type readyTimer struct{}

func (readyTimer) After(time.Duration) <-chan time.Time {
	c := make(chan time.Time, 1)
	c <- time.Time{}
	return c
}

var runners = []runner{
	{"direct", func(ctx context.Context, _ bool) func(func(context.Context) error) error {
		return func(fn func(context.Context) error) error { return fn(ctx) }
	}},
	{"recovery", func(ctx context.Context, zero bool) func(func(context.Context) error) error {
		p := recovery.MustNewPolicy(recovery.WithMaxAttempts(attempts), recovery.WithInitialDelay(initial), recovery.WithMaxDelay(maxDelay), recovery.WithClassifier(recovery.RetryAll))
		if zero {
			p = p.With(recovery.WithClock(nopClock{}))
		}
		return func(fn func(context.Context) error) error { return recovery.Do(ctx, p, fn) }
	}},
	{"failsafe-go", func(ctx context.Context, zero bool) func(func(context.Context) error) error {
		b := retrypolicy.NewBuilder[any]().WithMaxAttempts(attempts)
		if !zero {
			b = b.WithBackoff(initial, maxDelay)
		}
		exec := failsafe.With(b.ReturnLastFailure().Build()).WithContext(ctx)
		return func(fn func(context.Context) error) error {
			return exec.Run(func() error { return fn(ctx) })
		}
	}},
	{"cenkalti/backoff/v5", func(ctx context.Context, zero bool) func(func(context.Context) error) error {
		var bo backoff.BackOff = &backoff.ZeroBackOff{}
		if !zero {
			e := backoff.NewExponentialBackOff()
			e.InitialInterval, e.Multiplier, e.MaxInterval = initial, 2, maxDelay
			bo = e
		}
		opts := []backoff.RetryOption{backoff.WithBackOff(bo), backoff.WithMaxTries(attempts)}
		return func(fn func(context.Context) error) error {
			_, err := backoff.Retry(ctx, func() (struct{}, error) { return struct{}{}, fn(ctx) }, opts...)
			return err
		}
	}},
	{"avast/retry-go/v4", func(ctx context.Context, zero bool) func(func(context.Context) error) error {
		opts := []retryv4.Option{retryv4.Attempts(attempts), retryv4.Delay(initial), retryv4.MaxDelay(maxDelay),
			retryv4.Context(ctx), retryv4.LastErrorOnly(true)}
		if zero {
			opts = append(opts, retryv4.WithTimer(readyTimer{}))
		}
		return func(fn func(context.Context) error) error {
			return retryv4.Do(func() error { return fn(ctx) }, opts...)
		}
	}},
	{"avast/retry-go/v5", func(ctx context.Context, zero bool) func(func(context.Context) error) error {
		opts := []retryv5.Option{retryv5.Attempts(attempts), retryv5.Delay(initial), retryv5.MaxDelay(maxDelay),
			retryv5.Context(ctx), retryv5.LastErrorOnly(true)}
		if zero {
			opts = append(opts, retryv5.WithTimer(readyTimer{}))
		}
		r := retryv5.New(opts...)
		return func(fn func(context.Context) error) error {
			return r.Do(func() error { return fn(ctx) })
		}
	}},
	{"sethvargo/go-retry", func(ctx context.Context, zero bool) func(func(context.Context) error) error {
		// go-retry's backoffs count retries in their own state, so a
		// failing call needs a fresh one; the success path never asks it
		// for a delay and can share one built once.
		newBackoff := func() goretry.Backoff {
			if zero {
				return goretry.WithMaxRetries(attempts-1, goretry.BackoffFunc(func() (time.Duration, bool) { return 0, false }))
			}
			return goretry.WithMaxRetries(attempts-1, goretry.WithCappedDuration(maxDelay, goretry.NewExponential(initial)))
		}
		shared := newBackoff()
		return func(fn func(context.Context) error) error {
			b := shared
			if zero {
				b = newBackoff()
			}
			return goretry.Do(ctx, b, func(ctx context.Context) error {
				// go-retry retries only errors marked retryable.
				return goretry.RetryableError(fn(ctx))
			})
		}
	}},
}

// TestRunnersRetry checks that every adapter really retries: a function
// failing twice succeeds on the third attempt, and one that always fails
// runs exactly three times.
func TestRunnersRetry(t *testing.T) {
	ctx := context.Background()
	for _, r := range runners {
		if r.name == "direct" {
			continue
		}
		t.Run(r.name, func(t *testing.T) {
			run := r.newRun(ctx, true)
			calls := 0
			if err := run(func(context.Context) error {
				calls++
				if calls < 3 {
					return errBoom
				}
				return nil
			}); err != nil || calls != 3 {
				t.Errorf("flaky: err %v after %d calls, want success on the 3rd", err, calls)
			}
			calls = 0
			if err := run(func(context.Context) error { calls++; return errBoom }); !errors.Is(err, errBoom) || calls != attempts {
				t.Errorf("failing: err %v after %d calls, want errBoom after %d", err, calls, attempts)
			}
		})
	}
}

// BenchmarkSuccess measures the success path: the first attempt succeeds.
// Each sub-benchmark calls its library in the loop itself, as a user
// would, with the policy built once before it; the peers whose operations
// take no context get the closure their API requires.
func BenchmarkSuccess(b *testing.B) {
	ctx := context.Background()
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := op(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("recovery", func(b *testing.B) {
		p := recovery.MustNewPolicy(recovery.WithMaxAttempts(attempts), recovery.WithInitialDelay(initial), recovery.WithMaxDelay(maxDelay), recovery.WithClassifier(recovery.RetryAll))
		b.ReportAllocs()
		for b.Loop() {
			if err := recovery.Do(ctx, p, op); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("recovery.DoValue", func(b *testing.B) {
		p := recovery.MustNewPolicy(recovery.WithMaxAttempts(attempts), recovery.WithInitialDelay(initial), recovery.WithMaxDelay(maxDelay), recovery.WithClassifier(recovery.RetryAll))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := recovery.DoValue(ctx, p, opValue); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("failsafe-go", func(b *testing.B) {
		rp := retrypolicy.NewBuilder[any]().WithMaxAttempts(attempts).WithBackoff(initial, maxDelay).ReturnLastFailure().Build()
		exec := failsafe.With(rp).WithContext(ctx)
		b.ReportAllocs()
		for b.Loop() {
			if err := exec.Run(func() error { return op(ctx) }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cenkalti/backoff/v5", func(b *testing.B) {
		e := backoff.NewExponentialBackOff()
		e.InitialInterval, e.Multiplier, e.MaxInterval = initial, 2, maxDelay
		opts := []backoff.RetryOption{backoff.WithBackOff(e), backoff.WithMaxTries(attempts)}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := backoff.Retry(ctx, func() (struct{}, error) { return struct{}{}, op(ctx) }, opts...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("avast/retry-go/v4", func(b *testing.B) {
		opts := []retryv4.Option{retryv4.Attempts(attempts), retryv4.Delay(initial), retryv4.MaxDelay(maxDelay),
			retryv4.Context(ctx), retryv4.LastErrorOnly(true)}
		b.ReportAllocs()
		for b.Loop() {
			if err := retryv4.Do(func() error { return op(ctx) }, opts...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("avast/retry-go/v5", func(b *testing.B) {
		r := retryv5.New(retryv5.Attempts(attempts), retryv5.Delay(initial), retryv5.MaxDelay(maxDelay),
			retryv5.Context(ctx), retryv5.LastErrorOnly(true))
		b.ReportAllocs()
		for b.Loop() {
			if err := r.Do(func() error { return op(ctx) }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sethvargo/go-retry", func(b *testing.B) {
		// Never asked for a delay on the success path, so one is shared.
		bo := goretry.WithMaxRetries(attempts-1, goretry.WithCappedDuration(maxDelay, goretry.NewExponential(initial)))
		b.ReportAllocs()
		for b.Loop() {
			if err := goretry.Do(ctx, bo, op); err != nil {
				b.Fatal(err)
			}
		}
	})
}

var opValue = func(context.Context) (int, error) { return 1, nil }

// BenchmarkFailure measures the bookkeeping of a call whose three attempts
// all fail, with waiting removed (a no-op sleeper or zero delays), for
// context: real calls spend milliseconds sleeping here.
func BenchmarkFailure(b *testing.B) {
	ctx := context.Background()
	fail := func(context.Context) error { return errBoom }
	for _, r := range runners {
		if r.name == "direct" {
			continue
		}
		run := r.newRun(ctx, true)
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := run(fail); !errors.Is(err, errBoom) {
					b.Fatal(err)
				}
			}
		})
	}
}
