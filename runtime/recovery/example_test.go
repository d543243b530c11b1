package recovery_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
	"github.com/resilience-lint/resilience-lint/runtime/recovery/recoverytest"
)

// fetch fails twice, then succeeds.
func flaky() func(context.Context) (string, error) {
	calls := 0
	return func(context.Context) (string, error) {
		calls++
		if calls < 3 {
			return "", fmt.Errorf("fetch: attempt %d: connection reset", calls)
		}
		return "payload", nil
	}
}

// A policy is built once and shared; Do runs a function that returns
// only an error.
func ExampleDo() {
	policy := recovery.NewPolicy(recovery.WithMaxAttempts(5), recovery.WithInitialDelay(time.Millisecond))
	calls := 0
	err := recovery.Do(context.Background(), policy, func(ctx context.Context) error {
		calls++
		if calls < 2 {
			return errors.New("temporary")
		}
		return nil
	})
	fmt.Println(err, calls)
	// Output: <nil> 2
}

// DoValue returns the function's result; a nil policy is Default().
func ExampleDoValue() {
	fetch := flaky()
	v, err := recovery.DoValue(context.Background(), nil, fetch)
	fmt.Println(v, err)
	// Output: payload <nil>
}

// Permanent stops retrying; callers receive the unmarked error, so their
// comparisons keep working.
func ExamplePermanent() {
	calls := 0
	err := recovery.Do(context.Background(), nil, func(ctx context.Context) error {
		calls++
		return recovery.Permanent(fs.ErrNotExist)
	})
	fmt.Println(err == fs.ErrNotExist, calls)
	// Output: true 1
}

// A fallback runs after the final failure and may return a nil value.
func ExampleDoValueFallback() {
	policy := recovery.NewPolicy(recovery.WithMaxAttempts(2), recovery.WithInitialDelay(time.Millisecond))
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
	policy := recovery.NewPolicy(recovery.WithDetailedError(), recovery.WithClock(recoverytest.NewClock(time.Now())))
	err := recovery.Do(context.Background(), policy, func(ctx context.Context) error { return errUnavailable })
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
	budget := recovery.NewBudget(10, 0.1)
	policy := recovery.NewPolicy(recovery.WithBudget(budget), recovery.WithDetailedError(),
		recovery.WithClock(recoverytest.NewClock(time.Now())))
	attempts := 0
	for range 5 {
		_ = recovery.Do(context.Background(), policy, func(ctx context.Context) error {
			attempts++
			return errors.New("dependency down")
		})
	}
	err := recovery.Do(context.Background(), policy, func(ctx context.Context) error { return errors.New("dependency down") })
	fmt.Println(attempts, errors.Is(err, recovery.ErrBudgetExhausted))
	// Output: 8 true
}

// An observer receives each attempt, retry and outcome (this is how
// runtime/intelligence learns about retries). The fake clock makes the
// delays deterministic and skips the sleeping.
func ExampleWithObserver() {
	rec := &recoverytest.Recorder{}
	policy := recovery.NewPolicy(recovery.WithObserver(rec), recovery.WithJitter(recovery.JitterNone),
		recovery.WithClock(recoverytest.NewClock(time.Now())))
	_, _ = recovery.DoValue(context.Background(), policy, flaky())
	for _, e := range rec.Events() {
		fmt.Println(e)
	}
	// Output:
	// attempt 1
	// retry 1 after 100ms: fetch: attempt 1: connection reset
	// attempt 2
	// retry 2 after 200ms: fetch: attempt 2: connection reset
	// attempt 3
	// done 3 attempts: succeeded transient=false err=<nil>
}
