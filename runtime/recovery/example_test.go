package recovery_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
	"github.com/resilience-lint/resilience-lint/runtime/recovery/recoverytest"
)

// flaky fails twice with a connection reset (a failure the default
// classifier knows to be transient), then succeeds.
func flaky() func(context.Context) (string, error) {
	calls := 0
	return func(context.Context) (string, error) {
		calls++
		if calls < 3 {
			return "", fmt.Errorf("fetch: attempt %d: %w", calls, syscall.ECONNRESET)
		}
		return "payload", nil
	}
}

// A policy is built once and shared; Do runs a function that returns
// only an error. Only failures known to be transient are retried: an
// error the classifier cannot recognise is marked with Transient.
func ExampleDo() {
	policy := recovery.MustNewPolicy(recovery.WithMaxAttempts(5), recovery.WithInitialDelay(time.Millisecond))
	calls := 0
	err := recovery.Do(context.Background(), policy, func(ctx context.Context) error {
		calls++
		if calls < 2 {
			return recovery.Transient(errors.New("replica not ready"))
		}
		return nil
	})
	fmt.Println(err, calls)
	// Output: <nil> 2
}

// The default classifier retries what is known to be transient and
// returns anything else after one attempt.
func ExampleIsTransient() {
	for _, err := range []error{
		fmt.Errorf("dial: %w", syscall.ECONNREFUSED),
		context.DeadlineExceeded, // it times out; Do never retries the caller's own deadline
		recovery.Transient(errors.New("replica not ready")),
		fs.ErrNotExist,
		errors.New("unknown"),
		recovery.Permanent(fmt.Errorf("dial: %w", syscall.ECONNREFUSED)),
	} {
		fmt.Println(recovery.IsTransient(err), err)
	}
	// Output:
	// true dial: connection refused
	// true context deadline exceeded
	// true replica not ready
	// false file does not exist
	// false unknown
	// false dial: connection refused
}

// RetryAll retries every failure that is not cancelled or marked
// Permanent, for operations whose errors are all worth another attempt.
func ExampleRetryAll() {
	policy := recovery.MustNewPolicy(recovery.WithClassifier(recovery.RetryAll),
		recovery.WithClock(recoverytest.NewClock(time.Now())))
	calls := 0
	err := recovery.Do(context.Background(), policy, func(ctx context.Context) error {
		calls++
		return errors.New("unknown")
	})
	fmt.Println(err, calls)
	// Output: unknown 3
}

// DoValue returns the function's result; a nil policy is Default().
func ExampleDoValue() {
	fetch := flaky()
	v, err := recovery.DoValue(context.Background(), nil, fetch)
	fmt.Println(v, err)
	// Output: payload <nil>
}

// Permanent stops retrying, also in an enclosing Do (a routed method
// calling another): the mark stays on the returned error, and errors.Is
// sees through it.
func ExamplePermanent() {
	policy := recovery.MustNewPolicy(recovery.WithClassifier(recovery.RetryAll))
	calls := 0
	err := recovery.Do(context.Background(), policy, func(ctx context.Context) error {
		return recovery.Do(ctx, policy, func(ctx context.Context) error {
			calls++
			return recovery.Permanent(fs.ErrNotExist)
		})
	})
	fmt.Println(errors.Is(err, fs.ErrNotExist), recovery.IsPermanent(err), calls)
	// Output: true true 1
}

// A fallback runs after the final failure and may return a nil value.
func ExampleDoValueFallback() {
	policy := recovery.MustNewPolicy(recovery.WithMaxAttempts(2), recovery.WithInitialDelay(time.Millisecond))
	cfg, err := recovery.DoValueFallback(context.Background(), policy,
		func(ctx context.Context) (*struct{ Name string }, error) {
			return nil, errors.New("config service down")
		},
		func(ctx context.Context, err error) (*struct{ Name string }, error) {
			fmt.Println("falling back after:", err)
			return nil, nil // no remote config: use the built-in defaults
		})
	fmt.Println(cfg == nil, err)
	// Output:
	// falling back after: config service down
	// true <nil>
}

// The detailed error says how many attempts ran and why retrying stopped,
// and still matches the last error.
func ExampleWithDetailedError() {
	errUnavailable := errors.New("503 unavailable")
	policy := recovery.MustNewPolicy(recovery.WithDetailedError(), recovery.WithClock(recoverytest.NewClock(time.Now())))
	err := recovery.Do(context.Background(), policy, func(ctx context.Context) error { return recovery.Transient(errUnavailable) })
	var re *recovery.Error
	fmt.Println(errors.As(err, &re), re.Attempts, re.Stop, errors.Is(err, errUnavailable))
	fmt.Println(err)
	// Output:
	// true 3 exhausted true
	// recovery: exhausted after 3 attempts: 503 unavailable
}

// One Budget shared by every call to a dependency bounds the retries it
// receives when it fails, whatever the number of callers.
func ExampleNewBudget() {
	budget := recovery.MustNewBudget(10, 0.1)
	policy := recovery.MustNewPolicy(recovery.WithBudget(budget), recovery.WithDetailedError(),
		recovery.WithClock(recoverytest.NewClock(time.Now())))
	attempts := 0
	for range 5 {
		_ = recovery.Do(context.Background(), policy, func(ctx context.Context) error {
			attempts++
			return recovery.Transient(errors.New("dependency down"))
		})
	}
	err := recovery.Do(context.Background(), policy, func(ctx context.Context) error {
		return recovery.Transient(errors.New("dependency down"))
	})
	fmt.Println(attempts, errors.Is(err, recovery.ErrBudgetExhausted))
	// Output: 8 true
}

// An observer receives each attempt, retry and outcome (this is how
// runtime/intelligence learns about retries). The fake clock makes the
// delays deterministic and skips the sleeping.
func ExampleWithObserver() {
	rec := &recoverytest.Recorder{}
	policy := recovery.MustNewPolicy(recovery.WithObserver(rec), recovery.WithJitter(recovery.JitterNone),
		recovery.WithClock(recoverytest.NewClock(time.Now())))
	_, _ = recovery.DoValue(context.Background(), policy, flaky())
	for _, e := range rec.Events() {
		fmt.Println(e)
	}
	// Output:
	// attempt 1
	// retry 1 after 100ms: fetch: attempt 1: connection reset by peer
	// attempt 2
	// retry 2 after 200ms: fetch: attempt 2: connection reset by peer
	// attempt 3
	// done 3 attempts: succeeded transient=false err=<nil>
}

// ObserverFuncs turns functions into an Observer; events without a
// function are ignored.
func ExampleObserverFuncs() {
	policy := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(time.Now())),
		recovery.WithObserver(recovery.ObserverFuncs{
			Done: func(ctx context.Context, o recovery.Outcome) {
				fmt.Println("done:", o.Attempts, "attempts,", o.Stop)
			},
		}))
	_, _ = recovery.DoValue(context.Background(), policy, flaky())
	// Output: done: 3 attempts, succeeded
}
