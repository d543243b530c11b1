package recovery_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
	"github.com/resilience-lint/resilience-lint/runtime/recovery/recoverytest"
)

// A permanent verdict survives an inner Do: a delegation chain calls the
// dependency once, whatever the classifiers of the two policies say.
func TestPermanentThroughNestedDo(t *testing.T) {
	errDenied := errors.New("denied")
	tests := []struct {
		name  string
		inner []recovery.Option
		ret   error // what the inner fn returns
	}{
		{"bare form, marked error", nil, recovery.Permanent(errDenied)},
		{"bare form, wrapped mark", nil, fmt.Errorf("op: %w", recovery.Permanent(errDenied))},
		{"detailed form, marked error", []recovery.Option{recovery.WithDetailedError()}, recovery.Permanent(errDenied)},
		{"detailed form, classifier verdict", []recovery.Option{recovery.WithDetailedError(),
			recovery.WithClassifier(func(error) bool { return false })}, errDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := recoverytest.NewClock(epoch)
			// The outer policy retries everything that is not permanent.
			outer := recovery.MustNewPolicy(recovery.WithClock(clock), recovery.WithClassifier(recovery.RetryAll))
			inner := outer.With(tt.inner...)
			calls := 0
			err := recovery.Do(context.Background(), outer, func(ctx context.Context) error {
				return recovery.Do(ctx, inner, func(context.Context) error {
					calls++
					return tt.ret
				})
			})
			if calls != 1 {
				t.Errorf("the dependency was called %d times, want 1", calls)
			}
			if !errors.Is(err, errDenied) || !recovery.IsPermanent(err) {
				t.Errorf("Do = %v (permanent %t), want errDenied, permanent", err, recovery.IsPermanent(err))
			}
			if len(clock.Sleeps()) != 0 {
				t.Errorf("slept %v", clock.Sleeps())
			}
		})
	}
}

// With no cap on the delay, elapsed+delay must not wrap around: the
// policy stops with StopMaxElapsed at once instead of sleeping for ever.
func TestNoOverflowInElapsedCheck(t *testing.T) {
	huge := time.Duration(math.MaxInt64)
	tests := []struct {
		name string
		opts []recovery.Option
		err  error
	}{
		{"huge first delay", []recovery.Option{recovery.WithInitialDelay(huge)}, errBoom},
		{"huge multiplier", []recovery.Option{recovery.WithMultiplier(math.MaxFloat64), recovery.WithMaxAttempts(5)}, errBoom},
		{"huge retry-after hint", nil, retryAfterError{huge}},
		{"decorrelated jitter", []recovery.Option{recovery.WithJitter(recovery.JitterDecorrelated), recovery.WithInitialDelay(huge / 2)}, errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := recoverytest.NewClock(epoch)
			rec := &recoverytest.Recorder{}
			opts := append([]recovery.Option{noJitter, recovery.WithClock(clock), recovery.WithObserver(rec),
				recovery.WithMaxDelay(huge), recovery.WithMaxElapsed(time.Minute)}, tt.opts...)
			p := recovery.MustNewPolicy(opts...)
			err := recovery.Do(context.Background(), p, func(context.Context) error {
				clock.Advance(time.Second) // each attempt takes a second
				return tt.err
			})
			if err != tt.err {
				t.Errorf("Do = %v, want the last error", err)
			}
			for _, d := range clock.Sleeps() {
				if d > time.Minute {
					t.Fatalf("slept %v under a one-minute limit: %v", d, clock.Sleeps())
				}
			}
			if o := rec.Outcome(); o.Stop != recovery.StopMaxElapsed {
				t.Errorf("stop %v, want %v", o.Stop, recovery.StopMaxElapsed)
			}
		})
	}
}

// OnDone runs exactly once when fn panics, and the panic continues
// untouched: its original value, from the frame that panicked.
func TestOnDoneWhenFnPanics(t *testing.T) {
	type custom struct{ n int }
	errPanic := errors.New("panic value")
	tests := []struct {
		name  string
		value any
		fails int // attempts that fail before the panicking one
	}{
		{"first attempt", "boom", 0},
		{"third attempt", custom{3}, 2},
		{"error value", errPanic, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var outcomes []recovery.Outcome
			obs := recovery.ObserverFuncs{Done: func(_ context.Context, o recovery.Outcome) { outcomes = append(outcomes, o) }}
			p := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithObserver(obs))
			calls := 0
			var file string
			got := func() (v any) {
				defer func() {
					v = recover()
					_, file, _, _ = runtime.Caller(2) // above the runtime's panic: the frame that panicked
				}()
				_ = recovery.Do(context.Background(), p, func(context.Context) error {
					calls++
					if calls > tt.fails {
						panic(tt.value)
					}
					return errBoom
				})
				return nil
			}()
			if got != tt.value {
				t.Errorf("re-panicked with %#v, want %#v", got, tt.value)
			}
			if len(outcomes) != 1 {
				t.Fatalf("OnDone called %d times, want 1", len(outcomes))
			}
			o := outcomes[0]
			if o.Stop != recovery.StopPanic || o.Attempts != tt.fails+1 || !errors.Is(o.Err, recovery.ErrPanicked) {
				t.Errorf("outcome %+v, want StopPanic after %d attempts matching ErrPanicked", o, tt.fails+1)
			}
			// Do does not recover the panic: it starts, for a recover
			// above, in the function that panicked, not in Do.
			if filepath.Base(file) != "hardening_test.go" {
				t.Errorf("the panic is seen starting in %s, want hardening_test.go", file)
			}
			if msg := o.Err.Error(); !strings.HasPrefix(msg, "recovery: the operation panicked in recovery_test.TestOnDoneWhenFnPanics.func") || !strings.Contains(msg, " at hardening_test.go:") {
				t.Errorf("outcome err %q does not name where the panic happened", msg)
			}
		})
	}
	// runtime.Goexit (t.FailNow inside fn) is reported the same way and
	// still ends the goroutine.
	var outcomes []recovery.Outcome
	p := recovery.MustNewPolicy(recovery.WithObserver(recovery.ObserverFuncs{Done: func(_ context.Context, o recovery.Outcome) { outcomes = append(outcomes, o) }}))
	exited := make(chan bool)
	go func() {
		returned := false
		defer func() { exited <- returned }()
		_ = recovery.Do(context.Background(), p, func(context.Context) error { runtime.Goexit(); return nil })
		returned = true
	}()
	if <-exited {
		t.Error("Do returned after runtime.Goexit")
	}
	if len(outcomes) != 1 || outcomes[0].Stop != recovery.StopPanic || !errors.Is(outcomes[0].Err, recovery.ErrPanicked) ||
		outcomes[0].Err.Error() != "recovery: the operation called runtime.Goexit" {
		t.Errorf("Goexit outcomes %+v", outcomes)
	}

	// An observer that panics itself gets no second OnDone.
	n := 0
	p = recovery.MustNewPolicy(recovery.WithObserver(recovery.ObserverFuncs{Done: func(context.Context, recovery.Outcome) {
		n++
		panic("observer")
	}}))
	func() {
		defer func() { _ = recover() }()
		_ = recovery.Do(context.Background(), p, func(context.Context) error { return nil })
	}()
	if n != 1 {
		t.Errorf("a panicking OnDone was called %d times", n)
	}
}

// A context.WithCancelCause cause reaches the caller in both forms.
func TestCancellationCause(t *testing.T) {
	errShutdown := errors.New("shutting down")
	for _, detailed := range []bool{false, true} {
		t.Run(fmt.Sprintf("detailed=%t", detailed), func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			opts := []recovery.Option{recovery.WithClock(recoverytest.NewClock(epoch)),
				recovery.WithObserver(recovery.ObserverFuncs{Retry: func(context.Context, recovery.RetryInfo) { cancel(errShutdown) }})}
			if detailed {
				opts = append(opts, recovery.WithDetailedError())
			}
			err := recovery.Do(ctx, recovery.MustNewPolicy(opts...), func(context.Context) error { return errBoom })
			if !errors.Is(err, errShutdown) || !errors.Is(err, errBoom) {
				t.Errorf("Do = %v: want it to match the cause and the last error", err)
			}
			if !errors.Is(err, context.Cause(ctx)) {
				t.Errorf("Do = %v does not reach context.Cause", err)
			}
			var re *recovery.Error
			if detailed != errors.As(err, &re) {
				t.Fatalf("detailed=%t but *Error found=%t", detailed, !detailed)
			}
			if detailed && (re.Stop != recovery.StopCanceled || re.Cause != errShutdown || !errors.Is(err, context.Canceled)) {
				t.Errorf("detail %+v", re)
			}
			if detailed && !strings.Contains(err.Error(), "shutting down") {
				t.Errorf("message %q does not name the cause", err)
			}
		})
	}
	// Without a cause of its own, and when fn already returns the cause,
	// the error is the last error itself.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := recovery.Do(ctx, nil, func(context.Context) error { return errBoom }); err != errBoom {
		t.Errorf("plain cancel: Do = %v, want errBoom itself", err)
	}
	cctx, ccancel := context.WithCancelCause(context.Background())
	ccancel(errShutdown)
	if err := recovery.Do(cctx, nil, context.Cause); err != errShutdown {
		t.Errorf("fn returned the cause: Do = %v, want it itself", err)
	}
}

// When the next attempt could not start before the caller's deadline, Do
// returns at once instead of sleeping into the deadline.
func TestDeadlineTooSoonForAnotherAttempt(t *testing.T) {
	now := time.Now()
	clock := recoverytest.NewClock(now)
	ctx, cancel := context.WithDeadline(context.Background(), now.Add(time.Hour))
	defer cancel()
	rec := &recoverytest.Recorder{}
	p := recovery.MustNewPolicy(noJitter, recovery.WithClock(clock), recovery.WithObserver(rec),
		recovery.WithInitialDelay(40*time.Minute), recovery.WithMaxDelay(2*time.Hour), recovery.WithMaxAttempts(5))
	fn, calls := failing(100, errBoom)
	err := recovery.Do(ctx, p, fn)
	// 40min fits before the deadline, 80min more does not.
	if err != errBoom || calls.Load() != 2 {
		t.Errorf("Do = %v after %d calls, want errBoom after 2", err, calls.Load())
	}
	if got := clock.Sleeps(); !slices.Equal(got, []time.Duration{40 * time.Minute}) {
		t.Errorf("slept %v, want only the 40min that fit", got)
	}
	if o := rec.Outcome(); o.Stop != recovery.StopDeadline || !o.Transient {
		t.Errorf("outcome %+v, want StopDeadline, transient", o)
	}
	// The detailed form says so too, and a context without a deadline
	// is not affected.
	d := p.With(recovery.WithDetailedError(), recovery.WithClock(recoverytest.NewClock(now)))
	var re *recovery.Error
	if err := recovery.Do(ctx, d, func(context.Context) error { return errBoom }); !errors.As(err, &re) || re.Stop != recovery.StopDeadline || re.Attempts != 2 {
		t.Errorf("detailed: %v", err)
	}
	if err := recovery.Do(context.Background(), d, func(context.Context) error { return errBoom }); !errors.As(err, &re) || re.Stop != recovery.StopExhausted {
		t.Errorf("no deadline: %v", err)
	}
	// With the system clock: before, Do slept until the deadline and
	// stopped with StopCanceled.
	short, cancelShort := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelShort()
	sys := recovery.MustNewPolicy(noJitter, recovery.WithInitialDelay(time.Minute), recovery.WithDetailedError())
	if err := recovery.Do(short, sys, func(context.Context) error { return errBoom }); !errors.As(err, &re) || re.Stop != recovery.StopDeadline || !errors.Is(err, errBoom) {
		t.Errorf("system clock: %v", err)
	}
}

func TestBudgetFootGuns(t *testing.T) {
	// The zero Budget is NewBudget(10, 0.1), not a bucket that refuses
	// every retry.
	var zero recovery.Budget
	if zero.Tokens() != recovery.DefaultBudgetTokens {
		t.Errorf("zero budget has %v tokens", zero.Tokens())
	}
	p := recovery.MustNewPolicy(recovery.WithBudget(&zero), recovery.WithClock(recoverytest.NewClock(epoch)))
	fn, calls := failing(1, errBoom)
	if err := recovery.Do(context.Background(), p, fn); err != nil || calls.Load() != 2 {
		t.Errorf("zero budget: Do = %v after %d calls, want a retry", err, calls.Load())
	}
	var zero2 recovery.Budget
	p = p.With(recovery.WithBudget(&zero2))
	same := recovery.MustNewBudget(10, 0.1)
	q := recovery.MustNewPolicy(recovery.WithBudget(same), recovery.WithClock(recoverytest.NewClock(epoch)))
	for range 3 {
		_ = recovery.Do(context.Background(), p, func(context.Context) error { return errBoom })
		_ = recovery.Do(context.Background(), q, func(context.Context) error { return errBoom })
	}
	if zero2.Tokens() != same.Tokens() || same.Tokens() == 10 {
		t.Errorf("zero budget %v tokens, NewBudget(10, 0.1) %v", zero2.Tokens(), same.Tokens())
	}

	// Parameters that can never allow a retry are refused.
	for _, tt := range []struct{ max, ratio float64 }{
		{0, 0.1}, {0.0001, 0.0001}, {1, 0.1}, {2, 0.1}, {10, 0.0001}, {10, 11}, {math.NaN(), 1}, {10, math.Inf(1)},
	} {
		if b, err := recovery.NewBudget(tt.max, tt.ratio); err == nil {
			t.Errorf("NewBudget(%v, %v) accepted: %v tokens", tt.max, tt.ratio, b.Tokens())
		}
	}
	if _, err := recovery.NewBudget(2.5, 0.001); err != nil {
		t.Errorf("NewBudget(2.5, 0.001): %v", err)
	}
}

func TestDefaultCannotBeChanged(t *testing.T) {
	*recovery.Default() = *recovery.MustNewPolicy(recovery.WithMaxAttempts(9))
	*recovery.Default() = recovery.Policy{}
	if recovery.Default().MaxAttempts() != recovery.DefaultMaxAttempts {
		t.Errorf("Default() has %d attempts after being overwritten", recovery.Default().MaxAttempts())
	}
	fn, calls := failing(100, errBoom)
	p := recovery.Default().With(recovery.WithInitialDelay(0))
	if _ = recovery.Do(context.Background(), p, fn); calls.Load() != recovery.DefaultMaxAttempts {
		t.Errorf("%d attempts", calls.Load())
	}
}

func TestObserverFuncs(t *testing.T) {
	var events []string
	obs := recovery.ObserverFuncs{
		Attempt: func(_ context.Context, a recovery.AttemptInfo) {
			events = append(events, fmt.Sprint("attempt ", a.Attempt))
		},
		Retry: func(_ context.Context, r recovery.RetryInfo) {
			events = append(events, fmt.Sprint("retry ", r.Attempt))
		},
		Done: func(_ context.Context, o recovery.Outcome) { events = append(events, "done "+o.Stop.String()) },
	}
	p := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithObserver(obs))
	fn, _ := failing(1, errBoom)
	if err := recovery.Do(context.Background(), p, fn); err != nil {
		t.Fatal(err)
	}
	if want := []string{"attempt 1", "retry 1", "attempt 2", "done succeeded"}; !slices.Equal(events, want) {
		t.Errorf("events %q, want %q", events, want)
	}
	// Unset functions are skipped.
	empty := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithObserver(recovery.ObserverFuncs{}))
	fn, _ = failing(1, errBoom)
	if err := recovery.Do(context.Background(), empty, fn); err != nil {
		t.Fatal(err)
	}
}
