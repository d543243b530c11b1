package recovery

import (
	"context"
	"errors"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/internal/unwind"
)

// Do runs fn until it succeeds or the policy p (nil: Default()) gives up,
// and returns nil or the last error fn returned (see the package doc for
// the detailed form). fn receives the attempt's context.
func Do(ctx context.Context, p *Policy, fn func(context.Context) error) error {
	s := p.settings()
	if s.fast {
		// The first attempt needs no bookkeeping: call fn directly and
		// enter the retry loop only when it fails.
		if err := fn(ctx); err != nil {
			return s.retry(ctx, fn, err, false)
		}
		return nil
	}
	return s.run(ctx, fn, false)
}

// DoValue is Do for a function with one result. On failure it returns
// the last attempt's value with its error.
func DoValue[T any](ctx context.Context, p *Policy, fn func(context.Context) (T, error)) (T, error) {
	return DoValueFallback(ctx, p, fn, nil)
}

// DoValue2 is Do for a function with two results. On failure it returns
// the last attempt's values with its error.
func DoValue2[A, B any](ctx context.Context, p *Policy, fn func(context.Context) (A, B, error)) (A, B, error) {
	return DoValue2Fallback(ctx, p, fn, nil)
}

// DoFallback is Do that, when retrying fails, returns
// fallback(ctx, err) instead, err being what Do would have returned.
// fallback runs once, after the final failure, never after a success. A
// nil fallback makes it Do.
func DoFallback(ctx context.Context, p *Policy, fn func(context.Context) error, fallback func(ctx context.Context, err error) error) error {
	s := p.settings()
	var err error
	if s.fast {
		if err = fn(ctx); err == nil {
			return nil
		}
		err = s.retry(ctx, fn, err, fallback != nil)
	} else {
		err = s.run(ctx, fn, fallback != nil)
	}
	if err != nil && fallback != nil {
		return fallback(ctx, err)
	}
	return err
}

// DoValueFallback is DoValue with a fallback (see DoFallback); the
// fallback may return a zero or nil value with a nil error.
func DoValueFallback[T any](ctx context.Context, p *Policy, fn func(context.Context) (T, error), fallback func(ctx context.Context, err error) (T, error)) (T, error) {
	s := p.settings()
	var (
		v   T
		err error
	)
	// The same fast path as Do's, without going through the closure below.
	if s.fast {
		if v, err = fn(ctx); err == nil {
			return v, nil
		}
	}
	// The closure keeps the last attempt's value in v; it does not escape.
	attempt := func(ctx context.Context) error {
		var err error
		v, err = fn(ctx)
		return err
	}
	if s.fast {
		err = s.retry(ctx, attempt, err, fallback != nil)
	} else {
		err = s.run(ctx, attempt, fallback != nil)
	}
	if err != nil && fallback != nil {
		return fallback(ctx, err)
	}
	return v, err
}

// DoValue2Fallback is DoValue2 with a fallback (see DoFallback).
func DoValue2Fallback[A, B any](ctx context.Context, p *Policy, fn func(context.Context) (A, B, error), fallback func(ctx context.Context, err error) (A, B, error)) (A, B, error) {
	s := p.settings()
	var (
		a   A
		b   B
		err error
	)
	if s.fast {
		if a, b, err = fn(ctx); err == nil {
			return a, b, nil
		}
	}
	attempt := func(ctx context.Context) error {
		var err error
		a, b, err = fn(ctx)
		return err
	}
	if s.fast {
		err = s.retry(ctx, attempt, err, fallback != nil)
	} else {
		err = s.run(ctx, attempt, fallback != nil)
	}
	if err != nil && fallback != nil {
		return fallback(ctx, err)
	}
	return a, b, err
}

// nestedKey marks the context of attempts after the first (see the
// package doc on nested retries).
type nestedKey struct{}

// retry continues a fast-path call whose first attempt returned err. It
// is kept out of line so that Do stays small enough to be inlined.
//
//go:noinline
func (s *settings) retry(ctx context.Context, fn func(context.Context) error, err error, fallback bool) error {
	c := call{s: s, ctx: ctx, fallback: fallback, n: 1}
	return c.loop(fn, err, false)
}

// run is the full loop, first attempt included.
func (s *settings) run(ctx context.Context, fn func(context.Context) error, fallback bool) error {
	c := call{s: s, ctx: ctx, fallback: fallback, n: 1}
	if s.observer != nil || s.maxElapsed > 0 {
		c.timed = true
		c.start = s.clock.Now()
	}
	if s.observer != nil {
		defer c.observePanic()
	}
	err, timedOut := c.attempt(fn, ctx)
	return c.loop(fn, err, timedOut)
}

// call is the state of one Do call beyond its first attempt. fn is
// passed beside it, not stored in it, so that escape analysis can see that
// fn does not escape (a closure built by DoValue stays on the stack).
type call struct {
	s        *settings
	ctx      context.Context
	fallback bool
	timed    bool
	done     bool // OnDone was called
	n        int  // the current attempt's number
	start    time.Time
}

// observePanic, deferred when there is an observer, gives the observer
// its OnDone when the operation panicked or called runtime.Goexit. It
// does not recover: the panic or the Goexit goes on untouched once OnDone
// returns, with the panic's value, stack and frame (see runtime/internal/unwind).
func (c *call) observePanic() {
	if c.done {
		return
	}
	c.done = true
	panicking, at := unwind.Panicking()
	c.s.observer.OnDone(c.ctx, Outcome{
		Attempts: c.n,
		Err:      &panicError{goexit: !panicking, at: at},
		Stop:     StopPanic,
		Elapsed:  c.elapsed(),
	})
}

// attempt runs attempt c.n with actx (the caller's context, marked from
// the second attempt on) and reports whether it ran out of its own
// timeout.
func (c *call) attempt(fn func(context.Context) error, actx context.Context) (err error, timedOut bool) {
	s := c.s
	if s.observer != nil {
		a := AttemptInfo{Attempt: c.n}
		if c.n > 1 {
			a.Elapsed = c.elapsed()
		}
		s.observer.OnAttempt(c.ctx, a)
	}
	if s.attemptTimeout <= 0 {
		return fn(actx), false
	}
	return c.timedAttempt(fn, actx)
}

// timedAttempt runs fn with the per-attempt timeout. The derived context
// is cancelled when fn returns, even by panicking.
func (c *call) timedAttempt(fn func(context.Context) error, actx context.Context) (err error, timedOut bool) {
	tctx, cancel := context.WithTimeout(actx, c.s.attemptTimeout)
	defer cancel()
	err = fn(tctx)
	timedOut = err != nil && errors.Is(tctx.Err(), context.DeadlineExceeded) && c.ctx.Err() == nil
	return err, timedOut
}

func (c *call) elapsed() time.Duration {
	if !c.timed {
		return 0
	}
	return c.s.clock.Now().Sub(c.start)
}

// exceeds reports whether waiting delay after elapsed would pass limit,
// without computing elapsed+delay (which can overflow: a max delay of
// math.MaxInt64 is how a policy says "no cap").
func exceeds(elapsed, delay, limit time.Duration) bool {
	if elapsed >= limit {
		return true
	}
	return delay > limit-max(elapsed, 0)
}

// pastDeadline reports whether the next attempt, delay from now, would
// start after the caller's context deadline.
func (c *call) pastDeadline(delay time.Duration) bool {
	deadline, ok := c.ctx.Deadline()
	if !ok {
		return false
	}
	// Sub saturates, so a far deadline or a huge delay cannot wrap.
	return delay >= deadline.Sub(c.s.clock.Now())
}

// loop classifies the result of attempt c.n (err, timedOut) and retries
// until the policy stops.
func (c *call) loop(fn func(context.Context) error, err error, timedOut bool) error {
	s, ctx := c.s, c.ctx
	var (
		stop      StopReason
		transient bool
		ctxErr    error
		prev      = s.initial
		actx      = ctx
	)
	for {
		if err == nil {
			stop = StopSucceeded
			if s.budget != nil {
				s.budget.succeed()
			}
			break
		}
		if ctxErr = ctx.Err(); ctxErr != nil {
			stop = StopCanceled
			break
		}
		if errors.Is(err, context.Canceled) {
			stop = StopCanceled
			break
		}
		if isPermanent(err) {
			stop = StopPermanent
			break
		}
		// One walk finds the default verdict and the retry-after hint.
		w := inspection{hintOnly: s.classify != nil}
		w.walk(err)
		switch {
		case timedOut:
			transient = true
		case s.classify != nil:
			transient = s.classify(err)
		default:
			transient = w.transient()
		}
		if !transient {
			stop = StopPermanent
			break
		}
		allowed := s.budget == nil || s.budget.fail()
		if c.n >= s.maxAttempts {
			stop = StopExhausted
			break
		}
		if c.n == 1 && !s.nested && ctx.Value(nestedKey{}) != nil {
			stop = StopNested
			break
		}
		delay := s.backoff(c.n, prev)
		if w.hint > 0 {
			delay = min(w.hint, s.maxDelay)
		}
		prev = delay
		if s.maxElapsed > 0 && exceeds(c.elapsed(), delay, s.maxElapsed) {
			stop = StopMaxElapsed
			break
		}
		if c.pastDeadline(delay) {
			stop = StopDeadline
			break
		}
		if !allowed {
			stop = StopBudget
			break
		}
		if s.observer != nil {
			s.observer.OnRetry(ctx, RetryInfo{Attempt: c.n, Delay: delay, Err: observed(err), Transient: true})
		}
		if serr := s.clock.Sleep(ctx, delay); serr != nil || ctx.Err() != nil {
			ctxErr = ctx.Err()
			if ctxErr == nil {
				ctxErr = serr
			}
			stop = StopCanceled
			break
		}
		if c.n == 1 {
			// Attempts from the second on tell nested calls that this
			// one is retrying (one allocation, on the retry path only).
			actx = context.WithValue(ctx, nestedKey{}, true)
		}
		c.n++
		err, timedOut = c.attempt(fn, actx)
		transient = false
	}
	var cause error
	if err != nil {
		err = unmark(err)
		if ctxErr != nil && ctx.Err() != nil {
			// A context.WithCancelCause cause the caller should see.
			if cc := context.Cause(ctx); cc != nil && cc != ctxErr {
				cause = cc
			}
		}
	}
	if s.observer != nil {
		c.done = true
		s.observer.OnDone(ctx, Outcome{
			Attempts:  c.n,
			Err:       observed(err),
			Transient: transient,
			Stop:      stop,
			Elapsed:   c.elapsed(),
			Fallback:  err != nil && c.fallback,
		})
	}
	if err == nil {
		return nil
	}
	if !s.detailed {
		if cause != nil && !errors.Is(err, cause) {
			return &canceledError{err: err, cause: cause}
		}
		return err
	}
	e := &Error{Err: err, Attempts: c.n, Stop: stop, Transient: transient}
	if stop == StopCanceled {
		e.Ctx = ctxErr
		e.Cause = cause
	}
	return e
}
