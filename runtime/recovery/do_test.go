package recovery_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
	"github.com/resilience-lint/resilience-lint/runtime/recovery/recoverytest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	errBoom  error = &timeoutError{"boom"} // transient by default (it times out)
	epoch          = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	noJitter       = recovery.WithJitter(recovery.JitterNone)
)

// failing returns a function that fails n times with err, then succeeds,
// and a counter of its calls.
func failing(n int, err error) (func(context.Context) error, *atomic.Int32) {
	var calls atomic.Int32
	return func(context.Context) error {
		if int(calls.Add(1)) <= n {
			return err
		}
		return nil
	}, &calls
}

func TestDelaySequence(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name string
		opts []recovery.Option
		want []time.Duration
	}{
		{"multiplier 2, no cap reached", []recovery.Option{recovery.WithMaxAttempts(5)}, []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms}},
		{"capped by max delay", []recovery.Option{recovery.WithMaxAttempts(6), recovery.WithMaxDelay(300 * ms)}, []time.Duration{100 * ms, 200 * ms, 300 * ms, 300 * ms, 300 * ms}},
		{"multiplier 3", []recovery.Option{recovery.WithMaxAttempts(4), recovery.WithMultiplier(3), recovery.WithInitialDelay(10 * ms)}, []time.Duration{10 * ms, 30 * ms, 90 * ms}},
		{"multiplier 1 is constant", []recovery.Option{recovery.WithMaxAttempts(4), recovery.WithMultiplier(1)}, []time.Duration{100 * ms, 100 * ms, 100 * ms}},
		{"zero initial delay", []recovery.Option{recovery.WithMaxAttempts(3), recovery.WithInitialDelay(0)}, []time.Duration{0, 0}},
		{"huge attempt count does not overflow", []recovery.Option{recovery.WithMaxAttempts(80), recovery.WithMaxDelay(time.Hour)}, nil},
		{"one attempt never sleeps", []recovery.Option{recovery.WithMaxAttempts(1)}, []time.Duration{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := recoverytest.NewClock(epoch)
			p := recovery.MustNewPolicy(append([]recovery.Option{noJitter, recovery.WithClock(clock)}, tt.opts...)...)
			fn, calls := failing(1000, errBoom)
			if err := recovery.Do(context.Background(), p, fn); err != errBoom {
				t.Fatalf("Do = %v, want errBoom itself", err)
			}
			got := clock.Sleeps()
			if int(calls.Load()) != p.MaxAttempts() {
				t.Errorf("%d attempts, want %d", calls.Load(), p.MaxAttempts())
			}
			// No sleep after the last attempt.
			if len(got) != p.MaxAttempts()-1 {
				t.Errorf("%d sleeps for %d attempts", len(got), p.MaxAttempts())
			}
			if tt.want != nil && !slices.Equal(got, tt.want) {
				t.Errorf("sleeps = %v, want %v", got, tt.want)
			}
			for i, d := range got {
				if d < 0 || d > time.Hour || (i > 0 && d < got[i-1]) {
					t.Fatalf("sleep %d = %v out of order or bounds: %v", i, d, got)
				}
			}
		})
	}
}

func TestJitterBounds(t *testing.T) {
	ms := time.Millisecond
	// base delays before retries 1..4 with initial 100ms, x2, cap 500ms.
	base := []time.Duration{100 * ms, 200 * ms, 400 * ms, 500 * ms}
	tests := []struct {
		jitter recovery.Jitter
		lo, hi func(i int, prev time.Duration) time.Duration
	}{
		{recovery.JitterFull, func(int, time.Duration) time.Duration { return 0 }, func(i int, _ time.Duration) time.Duration { return base[i] }},
		{recovery.JitterEqual, func(i int, _ time.Duration) time.Duration { return base[i] / 2 }, func(i int, _ time.Duration) time.Duration { return base[i] }},
		{recovery.JitterDecorrelated, func(int, time.Duration) time.Duration { return 100 * ms }, func(_ int, prev time.Duration) time.Duration { return min(500*ms, 3*prev) }},
		{recovery.JitterNone, func(i int, _ time.Duration) time.Duration { return base[i] }, func(i int, _ time.Duration) time.Duration { return base[i] }},
	}
	extremes := map[string]func(n int64) int64{
		"lowest":  func(int64) int64 { return 0 },
		"highest": func(n int64) int64 { return n - 1 },
		"random":  nil, // the default source
	}
	for _, tt := range tests {
		for name, randN := range extremes {
			t.Run(tt.jitter.String()+"/"+name, func(t *testing.T) {
				runs := 1
				if randN == nil {
					runs = 200
				}
				for range runs {
					clock := recoverytest.NewClock(epoch)
					p := recovery.MustNewPolicy(recovery.WithJitter(tt.jitter), recovery.WithRand(randN), recovery.WithClock(clock),
						recovery.WithMaxAttempts(5), recovery.WithMaxDelay(500*ms))
					fn, _ := failing(1000, errBoom)
					_ = recovery.Do(context.Background(), p, fn)
					prev := 100 * ms
					for i, d := range clock.Sleeps() {
						lo, hi := tt.lo(i, prev), tt.hi(i, prev)
						if d < lo || d > hi {
							t.Fatalf("sleep %d = %v, want in [%v, %v]; all %v", i+1, d, lo, hi, clock.Sleeps())
						}
						if name == "lowest" && d != lo || name == "highest" && d != hi {
							t.Fatalf("sleep %d = %v with %s random values, want the bound (%v, %v)", i+1, d, name, lo, hi)
						}
						prev = d
					}
				}
			})
		}
	}
}

func TestDefaultPolicy(t *testing.T) {
	clock := recoverytest.NewClock(epoch)
	p := recovery.Default().With(recovery.WithClock(clock), recovery.WithRand(func(n int64) int64 { return n - 1 }))
	fn, calls := failing(1000, errBoom)
	if err := recovery.Do(context.Background(), p, fn); err != errBoom {
		t.Fatalf("Do = %v", err)
	}
	if calls.Load() != 3 {
		t.Errorf("default policy made %d attempts, want 3", calls.Load())
	}
	// Full jitter at its top: the unjittered 100ms, 200ms.
	if got, want := clock.Sleeps(), []time.Duration{100 * time.Millisecond, 200 * time.Millisecond}; !slices.Equal(got, want) {
		t.Errorf("sleeps = %v, want %v", got, want)
	}
	if recovery.Default().MaxAttempts() != 3 || (*recovery.Policy)(nil).MaxAttempts() != 3 {
		t.Error("With changed the default policy")
	}
}

type statusError struct{ code int }

func (e *statusError) Error() string { return fmt.Sprintf("status %d", e.code) }

type retryAfterError struct{ after time.Duration }

func (e retryAfterError) Error() string             { return "slow down" }
func (e retryAfterError) RetryAfter() time.Duration { return e.after }

func TestStopReasons(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	wrappedPermanent := fmt.Errorf("load: %w", recovery.Permanent(errBoom))
	markedEOF := recovery.Permanent(io.EOF)
	tests := []struct {
		name      string
		ctx       context.Context
		err       error // every attempt's error
		opts      []recovery.Option
		want      error // what Do returns
		attempts  int
		stop      recovery.StopReason
		transient bool
	}{
		{"exhausted", nil, errBoom, nil, errBoom, 3, recovery.StopExhausted, true},
		{"permanent mark kept", nil, markedEOF, nil, markedEOF, 1, recovery.StopPermanent, false},
		{"permanent through wrapping", nil, wrappedPermanent, nil, wrappedPermanent, 1, recovery.StopPermanent, false},
		{"permanent through join", nil, errors.Join(io.EOF, recovery.Permanent(errBoom)), nil, nil, 1, recovery.StopPermanent, false},
		{"classifier says permanent", nil, &statusError{404}, []recovery.Option{recovery.WithClassifier(func(err error) bool {
			var s *statusError
			return errors.As(err, &s) && s.code >= 500
		})}, nil, 1, recovery.StopPermanent, false},
		{"classifier says transient", nil, &statusError{503}, []recovery.Option{recovery.WithClassifier(func(err error) bool {
			var s *statusError
			return errors.As(err, &s) && s.code >= 500
		})}, nil, 3, recovery.StopExhausted, true},
		{"caller cancelled", canceled, errBoom, nil, errBoom, 1, recovery.StopCanceled, false},
		{"fn returned context.Canceled", nil, fmt.Errorf("read: %w", context.Canceled), nil, nil, 1, recovery.StopCanceled, false},
		{"max elapsed", nil, errBoom, []recovery.Option{recovery.WithMaxAttempts(10), recovery.WithMaxElapsed(250 * time.Millisecond)}, errBoom, 2, recovery.StopMaxElapsed, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			rec := &recoverytest.Recorder{}
			opts := append([]recovery.Option{noJitter, recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithObserver(rec)}, tt.opts...)
			p := recovery.MustNewPolicy(opts...)
			fn, calls := failing(1000, tt.err)
			err := recovery.Do(ctx, p, fn)
			if tt.want != nil && err != tt.want {
				t.Errorf("Do = %#v, want %#v (identical)", err, tt.want)
			}
			if tt.want == nil && err != tt.err {
				t.Errorf("Do = %v, want fn's error itself", err)
			}
			o := rec.Outcome()
			if int(calls.Load()) != tt.attempts || o.Attempts != tt.attempts {
				t.Errorf("attempts: ran %d, outcome %d, want %d", calls.Load(), o.Attempts, tt.attempts)
			}
			if o.Stop != tt.stop || o.Transient != tt.transient {
				t.Errorf("outcome stop=%v transient=%v, want %v %v", o.Stop, o.Transient, tt.stop, tt.transient)
			}
			// Observers get the error without a top-level mark.
			if want := err; o.Err != want && (want != markedEOF || o.Err != io.EOF) {
				t.Errorf("outcome err %#v, Do returned %#v", o.Err, err)
			}
		})
	}
}

func TestErrorIdentity(t *testing.T) {
	// A wrapped method's callers compare with ==, switch on type and
	// assert: all must behave as without the retry.
	want := &statusError{503}
	err := recovery.Do(context.Background(), recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch))), func(context.Context) error { return want })
	if err != error(want) {
		t.Fatalf("Do = %v, want the same pointer", err)
	}
	switch e := err.(type) {
	case *statusError:
		if e.code != 503 {
			t.Errorf("code %d", e.code)
		}
	default:
		t.Errorf("type switch saw %T", err)
	}
}

func TestRetryAfterClamped(t *testing.T) {
	tests := []struct {
		after, maxDelay, want time.Duration
	}{
		{2 * time.Second, 5 * time.Second, 2 * time.Second},
		{time.Hour, 5 * time.Second, 5 * time.Second},
		{0, 5 * time.Second, 100 * time.Millisecond}, // no hint: the backoff
	}
	for _, tt := range tests {
		t.Run(tt.after.String(), func(t *testing.T) {
			clock := recoverytest.NewClock(epoch)
			p := recovery.MustNewPolicy(noJitter, recovery.WithClock(clock), recovery.WithMaxAttempts(2), recovery.WithMaxDelay(tt.maxDelay))
			// errBoom makes the error transient when the hint is 0.
			fn, _ := failing(1, fmt.Errorf("get: %w: %w", retryAfterError{tt.after}, errBoom))
			if err := recovery.Do(context.Background(), p, fn); err != nil {
				t.Fatal(err)
			}
			if got := clock.Sleeps(); !slices.Equal(got, []time.Duration{tt.want}) {
				t.Errorf("slept %v, want [%v]", got, tt.want)
			}
		})
	}
}

func TestObserverEventOrder(t *testing.T) {
	rec := &recoverytest.Recorder{}
	p := recovery.MustNewPolicy(noJitter, recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithObserver(rec))
	fn, _ := failing(2, errBoom)
	if err := recovery.Do(context.Background(), p, fn); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"attempt 1",
		"retry 1 after 100ms: boom",
		"attempt 2",
		"retry 2 after 200ms: boom",
		"attempt 3",
		"done 3 attempts: succeeded transient=false err=<nil>",
	}
	if got := rec.Events(); !slices.Equal(got, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if o := rec.Outcome(); o.Elapsed != 300*time.Millisecond {
		t.Errorf("elapsed %v, want the 300ms slept", o.Elapsed)
	}
}

func TestObservers(t *testing.T) {
	a, b := &recoverytest.Recorder{}, &recoverytest.Recorder{}
	if recovery.Observers() != nil || recovery.Observers(nil, nil) != nil {
		t.Error("Observers of nothing is not nil")
	}
	if recovery.Observers(nil, a) != recovery.Observer(a) {
		t.Error("Observers of one observer does not return it")
	}
	p := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithObserver(recovery.Observers(a, nil, b)))
	fn, _ := failing(1, errBoom)
	if err := recovery.Do(context.Background(), p, fn); err != nil {
		t.Fatal(err)
	}
	if len(a.Events()) != 4 || !slices.Equal(a.Events(), b.Events()) {
		t.Errorf("events differ: %q vs %q", a.Events(), b.Events())
	}
}

func TestZeroPolicyIsDefault(t *testing.T) {
	// Before the settings moved behind a handle, With on a zero Policy
	// panicked with a nil clock on the first retry.
	clock := recoverytest.NewClock(epoch)
	for _, p := range []*recovery.Policy{
		(&recovery.Policy{}).With(recovery.WithClock(clock), noJitter),
		(&recovery.Policy{}).With(noJitter, recovery.WithInitialDelay(0)),
		(&recovery.Policy{}).With(recovery.WithMaxAttempts(4), recovery.WithInitialDelay(0)),
	} {
		fn, calls := failing(5, errBoom)
		if err := recovery.Do(context.Background(), p, fn); err != errBoom || int(calls.Load()) != p.MaxAttempts() {
			t.Errorf("Do = %v after %d calls, want errBoom after %d", err, calls.Load(), p.MaxAttempts())
		}
	}
	if got := clock.Sleeps(); !slices.Equal(got, []time.Duration{100 * time.Millisecond, 200 * time.Millisecond}) {
		t.Errorf("zero policy slept %v, want the default delays", got)
	}
	if (&recovery.Policy{}).MaxAttempts() != recovery.DefaultMaxAttempts {
		t.Error("the zero Policy is not Default()")
	}
}

func TestCancelDuringSleep(t *testing.T) {
	for _, detailed := range []bool{false, true} {
		t.Run(fmt.Sprintf("detailed=%t", detailed), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opts := []recovery.Option{recovery.WithInitialDelay(time.Hour), noJitter, recovery.WithMaxDelay(time.Hour),
				recovery.WithObserver(cancelOnRetry(cancel))}
			if detailed {
				opts = append(opts, recovery.WithDetailedError())
			}
			done := make(chan error, 1)
			go func() {
				done <- recovery.Do(ctx, recovery.MustNewPolicy(opts...), func(context.Context) error { return errBoom })
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second): // a hang guard, not a timing assertion
				t.Fatal("Do kept sleeping after cancellation")
			}
			if !detailed {
				if err != errBoom {
					t.Errorf("Do = %v, want the last error itself", err)
				}
				return
			}
			if !errors.Is(err, errBoom) || !errors.Is(err, context.Canceled) {
				t.Errorf("Do = %v, want both the last error and context.Canceled", err)
			}
			var re *recovery.Error
			if !errors.As(err, &re) || re.Stop != recovery.StopCanceled || re.Attempts != 1 {
				t.Errorf("detailed error %#v", re)
			}
		})
	}
}

// cancelOnRetry cancels the call's context when it is about to sleep.
type cancelOnRetry context.CancelFunc

func (c cancelOnRetry) OnAttempt(context.Context, recovery.AttemptInfo) {}
func (c cancelOnRetry) OnRetry(context.Context, recovery.RetryInfo)     { c() }
func (c cancelOnRetry) OnDone(context.Context, recovery.Outcome)        {}

func TestAttemptTimeout(t *testing.T) {
	var ctxs []context.Context
	p := recovery.MustNewPolicy(recovery.WithAttemptTimeout(time.Millisecond), recovery.WithClock(recoverytest.NewClock(epoch)),
		// A classifier that would refuse everything: attempt timeouts are
		// transient regardless.
		recovery.WithClassifier(func(error) bool { return false }))
	got, err := recovery.DoValue(context.Background(), p, func(ctx context.Context) (int, error) {
		ctxs = append(ctxs, ctx)
		if _, ok := ctx.Deadline(); !ok {
			t.Error("attempt context has no deadline")
		}
		if len(ctxs) == 1 {
			<-ctx.Done() // the first attempt hangs until its timeout
			return 0, ctx.Err()
		}
		return 42, nil
	})
	if err != nil || got != 42 {
		t.Fatalf("DoValue = %v, %v; want 42 after a timed-out attempt", got, err)
	}
	if len(ctxs) != 2 {
		t.Fatalf("%d attempts, want 2", len(ctxs))
	}
	for i, c := range ctxs {
		if c.Err() == nil {
			t.Errorf("attempt %d's context was not cancelled after it returned", i+1)
		}
	}
}

func TestAttemptContextCancelledOnPanic(t *testing.T) {
	var attemptCtx context.Context
	func() {
		defer func() {
			if r := recover(); r != "bug" {
				t.Errorf("recovered %v, want the panic to propagate", r)
			}
		}()
		_ = recovery.Do(context.Background(), recovery.MustNewPolicy(recovery.WithAttemptTimeout(time.Hour)), func(ctx context.Context) error {
			attemptCtx = ctx
			panic("bug")
		})
	}()
	if attemptCtx == nil || attemptCtx.Err() != context.Canceled {
		t.Error("the attempt context was not cancelled after a panic")
	}
}

func TestCallerDeadlineNotRetried(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	rec := &recoverytest.Recorder{}
	p := recovery.MustNewPolicy(recovery.WithAttemptTimeout(time.Hour), recovery.WithObserver(rec))
	err := recovery.Do(ctx, p, func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Do = %v", err)
	}
	if o := rec.Outcome(); o.Attempts != 1 || o.Stop != recovery.StopCanceled {
		t.Errorf("outcome %+v, want one attempt stopped as canceled", o)
	}
}

func TestFallback(t *testing.T) {
	type table struct{ rows int }
	clock := recoverytest.NewClock(epoch)
	p := recovery.MustNewPolicy(recovery.WithClock(clock))
	tests := []struct {
		name      string
		failures  int
		wantTable *table
		wantCalls int
		wantFB    bool
	}{
		{"success skips the fallback", 0, &table{1}, 1, false},
		{"retried success skips the fallback", 2, &table{1}, 3, false},
		{"final failure falls back to nil", 5, nil, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls, fbCalls := 0, 0
			got, err := recovery.DoValueFallback(context.Background(), p,
				func(context.Context) (*table, error) {
					calls++
					if calls <= tt.failures {
						return nil, errBoom
					}
					return &table{1}, nil
				},
				func(_ context.Context, err error) (*table, error) {
					fbCalls++
					if err != errBoom {
						t.Errorf("fallback got %v, want the last error", err)
					}
					return nil, nil // a nil value is a valid fallback
				})
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if (got == nil) != (tt.wantTable == nil) || calls != tt.wantCalls || (fbCalls == 1) != tt.wantFB || fbCalls > 1 {
				t.Errorf("got %v after %d calls, fallback called %d times", got, calls, fbCalls)
			}
		})
	}
	t.Run("Do and DoValue2 forms", func(t *testing.T) {
		rec := &recoverytest.Recorder{}
		q := p.With(recovery.WithObserver(rec))
		err := recovery.DoFallback(context.Background(), q, func(context.Context) error { return errBoom },
			func(_ context.Context, err error) error { return fmt.Errorf("cached: %w", err) })
		if err == nil || err.Error() != "cached: boom" || !rec.Outcome().Fallback {
			t.Errorf("DoFallback = %v, outcome %+v", err, rec.Outcome())
		}
		a, b, err := recovery.DoValue2Fallback(context.Background(), p,
			func(context.Context) (string, int, error) { return "partial", 1, errBoom },
			func(context.Context, error) (string, int, error) { return "", 0, nil })
		if a != "" || b != 0 || err != nil {
			t.Errorf("DoValue2Fallback = %q, %d, %v", a, b, err)
		}
	})
}

func TestDoValue2ReturnsLastAttempt(t *testing.T) {
	n := 0
	p := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithObserver(&recoverytest.Recorder{}))
	for _, pol := range []*recovery.Policy{p, recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)))} {
		n = 0
		a, b, err := recovery.DoValue2(context.Background(), pol, func(context.Context) (int, string, error) {
			n++
			return n, fmt.Sprint("attempt ", n), errBoom
		})
		if a != 3 || b != "attempt 3" || err != errBoom {
			t.Errorf("DoValue2 = %d, %q, %v; want the third attempt's results", a, b, err)
		}
	}
}

func TestBudgetUnderConcurrentCallers(t *testing.T) {
	const callers = 64
	budget := recovery.MustNewBudget(10, 0.1)
	// Attempts are not the limit here: only the budget stops the callers.
	p := recovery.MustNewPolicy(recovery.WithBudget(budget), recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithDetailedError(),
		recovery.WithMaxAttempts(1000))
	var (
		attempts atomic.Int32
		stops    sync.Map
		wg       sync.WaitGroup
	)
	for range callers {
		wg.Go(func() {
			err := recovery.Do(context.Background(), p, func(context.Context) error {
				attempts.Add(1)
				return errBoom
			})
			var re *recovery.Error
			if !errors.As(err, &re) || !errors.Is(err, errBoom) {
				t.Errorf("Do = %v", err)
				return
			}
			if (re.Stop == recovery.StopBudget) != errors.Is(err, recovery.ErrBudgetExhausted) {
				t.Errorf("ErrBudgetExhausted match disagrees with stop %v", re.Stop)
			}
			v, _ := stops.LoadOrStore(re.Stop, new(atomic.Int32))
			v.(*atomic.Int32).Add(1)
		})
	}
	wg.Wait()
	// 10 tokens, retries allowed while more than 5 remain after a failure:
	// exactly 4 retries in all, however the callers interleave.
	if got := attempts.Load(); got != callers+4 {
		t.Errorf("%d attempts by %d callers, want %d", got, callers, callers+4)
	}
	if v, ok := stops.Load(recovery.StopBudget); !ok || v.(*atomic.Int32).Load() != callers {
		t.Errorf("the budget did not stop every call")
	}
	if budget.Tokens() != 0 {
		t.Errorf("tokens %v, want 0 after %d failures", budget.Tokens(), attempts.Load())
	}
	// Successes refill it: 0.1 token each; a retry needs more than 5
	// tokens left after the failure.
	for range 61 {
		if err := recovery.Do(context.Background(), p, func(context.Context) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if budget.Tokens() != 6.1 {
		t.Errorf("tokens %v after 61 successes, want 6.1", budget.Tokens())
	}
	fn, calls := failing(1, errBoom)
	if err := recovery.Do(context.Background(), p, fn); err != nil || calls.Load() != 2 {
		t.Errorf("after refilling to %v tokens: err %v, %d calls", budget.Tokens(), err, calls.Load())
	}
}

func TestNestedRetriesDoNotMultiply(t *testing.T) {
	tests := []struct {
		name  string
		inner *recovery.Policy
		want  int32
	}{
		{"default: inner retries only under the outer first attempt", recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch))), 3 + 1 + 1},
		{"WithNestedRetries multiplies", recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithNestedRetries()), 3 * 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			outer := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)))
			err := recovery.Do(context.Background(), outer, func(ctx context.Context) error {
				return recovery.Do(ctx, tt.inner, func(context.Context) error {
					calls.Add(1)
					return errBoom
				})
			})
			if err != errBoom || calls.Load() != tt.want {
				t.Errorf("Do = %v after %d innermost calls, want %d", err, calls.Load(), tt.want)
			}
		})
	}
	t.Run("the inner observer sees StopNested", func(t *testing.T) {
		rec := &recoverytest.Recorder{}
		inner := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithObserver(rec))
		outer := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithMaxAttempts(2))
		_ = recovery.Do(context.Background(), outer, func(ctx context.Context) error {
			return recovery.Do(ctx, inner, func(context.Context) error { return errBoom })
		})
		var done []string
		for _, e := range rec.Events() {
			if strings.HasPrefix(e, "done") {
				done = append(done, e)
			}
		}
		want := []string{"done 3 attempts: exhausted transient=true err=boom", "done 1 attempts: nested transient=true err=boom"}
		if !slices.Equal(done, want) {
			t.Errorf("inner outcomes %q, want %q", done, want)
		}
	})
}

func TestDetailedError(t *testing.T) {
	p := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithDetailedError(), recovery.WithMaxAttempts(2))
	err := recovery.Do(context.Background(), p, func(context.Context) error { return io.ErrUnexpectedEOF })
	var re *recovery.Error
	if !errors.As(err, &re) {
		t.Fatalf("Do = %T, want *recovery.Error", err)
	}
	if re.Attempts != 2 || re.Stop != recovery.StopExhausted || !re.Transient || re.Err != io.ErrUnexpectedEOF || re.Ctx != nil {
		t.Errorf("detail %+v", re)
	}
	if want := "recovery: exhausted after 2 attempts: unexpected EOF"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, recovery.ErrBudgetExhausted) || errors.Is(err, context.Canceled) {
		t.Error("errors.Is disagrees with the detail")
	}
	if err := recovery.Do(context.Background(), p, func(context.Context) error { return nil }); err != nil {
		t.Errorf("success returned %v", err)
	}
}

func TestInvalidOptions(t *testing.T) {
	tests := []struct {
		opt  recovery.Option
		want string
	}{
		{recovery.WithMaxAttempts(0), "WithMaxAttempts(0)"},
		{recovery.WithInitialDelay(-1), "WithInitialDelay(-1ns)"},
		{recovery.WithMultiplier(0.5), "WithMultiplier(0.5)"},
		{recovery.WithMaxDelay(0), "WithMaxDelay(0s)"},
		{recovery.WithJitter(42), "WithJitter(42)"},
		{recovery.WithAttemptTimeout(-time.Second), "WithAttemptTimeout(-1s)"},
		{recovery.WithMaxElapsed(-time.Second), "WithMaxElapsed(-1s)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			p, err := recovery.NewPolicy(recovery.WithMaxAttempts(5), tt.opt)
			if p != nil || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("BuildPolicy = %v, %v; want an error naming %s", p, err, tt.want)
			}
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), tt.want) {
					t.Errorf("NewPolicy panic = %v", r)
				}
			}()
			recovery.MustNewPolicy(tt.opt)
		})
	}
	if _, err := recovery.NewBudget(0, 0.1); err == nil {
		t.Error("BuildBudget(0, 0.1) accepted")
	}
	if _, err := recovery.NewBudget(10, 11); err == nil {
		t.Error("BuildBudget(10, 11) accepted")
	}
}

func TestWithDoesNotChangeOriginal(t *testing.T) {
	base := recovery.MustNewPolicy(recovery.WithMaxAttempts(4))
	derived := base.With(recovery.WithMaxAttempts(7))
	if base.MaxAttempts() != 4 || derived.MaxAttempts() != 7 {
		t.Errorf("base %d, derived %d", base.MaxAttempts(), derived.MaxAttempts())
	}
}

func TestSuccessPathAllocatesNothing(t *testing.T) {
	ctx := context.Background()
	n := 0
	tests := map[string]func(){
		"Do": func() { _ = recovery.Do(ctx, nil, func(context.Context) error { n++; return nil }) },
		"DoValue": func() {
			v, _ := recovery.DoValue(ctx, nil, func(context.Context) (int, error) { return n, nil })
			n += v
		},
		"DoValue2": func() {
			_, _, _ = recovery.DoValue2(ctx, nil, func(context.Context) (int, string, error) { return n, "", nil })
		},
		"observer and budget": func() {
			_ = recovery.Do(ctx, observed, func(context.Context) error { n++; return nil })
		},
		// What the fixers write: a new Default() handle per call.
		"Do with Default()": func() {
			_ = recovery.Do(ctx, recovery.Default(), func(context.Context) error { n++; return nil })
		},
		"DoValue with Default()": func() {
			v, _ := recovery.DoValue(ctx, recovery.Default(), func(context.Context) (int, error) { return n, nil })
			n += v
		},
	}
	for name, f := range tests {
		if a := testing.AllocsPerRun(100, f); a != 0 {
			t.Errorf("%s: %v allocs per successful call, want 0", name, a)
		}
	}
}

var observed = recovery.MustNewPolicy(recovery.WithObserver(nopObserver{}), recovery.WithBudget(recovery.MustNewBudget(10, 0.1)))

func TestStrings(t *testing.T) {
	if recovery.StopBudget.String() != "budget exhausted" || recovery.StopReason(99).String() != "StopReason(99)" {
		t.Error(recovery.StopBudget.String(), recovery.StopReason(99).String())
	}
	if recovery.JitterDecorrelated.String() != "decorrelated" || recovery.Jitter(9).String() != "Jitter(9)" {
		t.Error(recovery.JitterDecorrelated.String())
	}
}

func TestIsPermanent(t *testing.T) {
	marked := recovery.Permanent(io.EOF)
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", io.EOF, false},
		{"marked", marked, true},
		{"wrapped", fmt.Errorf("a: %w", fmt.Errorf("b: %w", marked)), true},
		{"joined", errors.Join(io.ErrClosedPipe, marked), true},
		{"joined plain", errors.Join(io.ErrClosedPipe, io.EOF), false},
		{"detailed error", &recovery.Error{Err: marked}, true},
	}
	for _, tt := range tests {
		if got := recovery.IsPermanent(tt.err); got != tt.want {
			t.Errorf("%s: IsPermanent = %t, want %t", tt.name, got, tt.want)
		}
	}
	if recovery.Permanent(nil) != nil {
		t.Error("Permanent(nil) is not nil")
	}
	if !errors.Is(marked, io.EOF) || marked.Error() != io.EOF.Error() {
		t.Error("the mark hides the error")
	}
}

func TestRetryAfterThroughJoin(t *testing.T) {
	clock := recoverytest.NewClock(epoch)
	p := recovery.MustNewPolicy(noJitter, recovery.WithClock(clock), recovery.WithMaxAttempts(2))
	fn, _ := failing(1, errors.Join(errBoom, retryAfterError{3 * time.Second}))
	if err := recovery.Do(context.Background(), p, fn); err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); !slices.Equal(got, []time.Duration{3 * time.Second}) {
		t.Errorf("slept %v, want the 3s hint", got)
	}
}

func TestDoFallbackDefaultPolicy(t *testing.T) {
	called := false
	fb := func(context.Context, error) error { called = true; return nil }
	if err := recovery.DoFallback(context.Background(), nil, func(context.Context) error { return nil }, fb); err != nil || called {
		t.Errorf("success: err %v, fallback called %t", err, called)
	}
	p := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)))
	if err := recovery.DoFallback(context.Background(), p, func(context.Context) error { return errBoom }, nil); err != errBoom {
		t.Errorf("nil fallback: %v, want the last error", err)
	}
	if err := recovery.DoFallback(context.Background(), p, func(context.Context) error { return errBoom }, fb); err != nil || !called {
		t.Errorf("failure: err %v, fallback called %t", err, called)
	}
}
