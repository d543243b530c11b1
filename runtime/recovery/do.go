package recovery

import (
	"context"
	"errors"
	"time"
)

// Do runs fn until it succeeds or the policy p (nil: Default()) gives up,
// and returns nil or the last error fn returned (see the package doc for
// the detailed form). fn receives the attempt's context.
func Do(ctx context.Context, p *Policy, fn func(context.Context) error) error {
	if p == nil {
		p = defaultPolicy
	}
	if p.fast {
		// The first attempt needs no bookkeeping: call fn directly and
		// enter the retry loop only when it fails.
		if err := fn(ctx); err != nil {
			return p.retry(ctx, fn, err, false)
		}
		return nil
	}
	return p.run(ctx, fn, false)
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
	if p == nil {
		p = defaultPolicy
	}
	var err error
	if p.fast {
		if err = fn(ctx); err == nil {
			return nil
		}
		err = p.retry(ctx, fn, err, fallback != nil)
	} else {
		err = p.run(ctx, fn, fallback != nil)
	}
	if err != nil && fallback != nil {
		return fallback(ctx, err)
	}
	return err
}

// DoValueFallback is DoValue with a fallback (see DoFallback); the
// fallback may return a zero or nil value with a nil error.
func DoValueFallback[T any](ctx context.Context, p *Policy, fn func(context.Context) (T, error), fallback func(ctx context.Context, err error) (T, error)) (T, error) {
	if p == nil {
		p = defaultPolicy
	}
	var (
		v   T
		err error
	)
	// The same fast path as Do's, without going through the closure below.
	if p.fast {
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
	if p.fast {
		err = p.retry(ctx, attempt, err, fallback != nil)
	} else {
		err = p.run(ctx, attempt, fallback != nil)
	}
	if err != nil && fallback != nil {
		return fallback(ctx, err)
	}
	return v, err
}

// DoValue2Fallback is DoValue2 with a fallback (see DoFallback).
func DoValue2Fallback[A, B any](ctx context.Context, p *Policy, fn func(context.Context) (A, B, error), fallback func(ctx context.Context, err error) (A, B, error)) (A, B, error) {
	if p == nil {
		p = defaultPolicy
	}
	var (
		a   A
		b   B
		err error
	)
	if p.fast {
		if a, b, err = fn(ctx); err == nil {
			return a, b, nil
		}
	}
	attempt := func(ctx context.Context) error {
		var err error
		a, b, err = fn(ctx)
		return err
	}
	if p.fast {
		err = p.retry(ctx, attempt, err, fallback != nil)
	} else {
		err = p.run(ctx, attempt, fallback != nil)
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
func (p *Policy) retry(ctx context.Context, fn func(context.Context) error, err error, fallback bool) error {
	c := call{p: p, ctx: ctx, fallback: fallback}
	return c.loop(fn, 1, err, false)
}

// run is the full loop, first attempt included.
func (p *Policy) run(ctx context.Context, fn func(context.Context) error, fallback bool) error {
	c := call{p: p, ctx: ctx, fallback: fallback}
	if p.observer != nil || p.maxElapsed > 0 {
		c.timed = true
		c.start = p.clock.Now()
	}
	err, timedOut := c.attempt(fn, 1, ctx)
	return c.loop(fn, 1, err, timedOut)
}

// call is the state of one Do call beyond its first attempt. fn is
// passed beside it, not stored in it, so that escape analysis can see that
// fn does not escape (a closure built by DoValue stays on the stack).
type call struct {
	p        *Policy
	ctx      context.Context
	fallback bool
	timed    bool
	start    time.Time
}

// attempt runs attempt n with actx (the caller's context, marked from the
// second attempt on) and reports whether it ran out of its own timeout.
func (c *call) attempt(fn func(context.Context) error, n int, actx context.Context) (err error, timedOut bool) {
	p := c.p
	if p.observer != nil {
		a := AttemptInfo{Attempt: n}
		if n > 1 {
			a.Elapsed = c.elapsed()
		}
		p.observer.OnAttempt(c.ctx, a)
	}
	if p.attemptTimeout <= 0 {
		return fn(actx), false
	}
	return c.timedAttempt(fn, actx)
}

// timedAttempt runs fn with the per-attempt timeout. The derived context
// is cancelled when fn returns, even by panicking.
func (c *call) timedAttempt(fn func(context.Context) error, actx context.Context) (err error, timedOut bool) {
	tctx, cancel := context.WithTimeout(actx, c.p.attemptTimeout)
	defer cancel()
	err = fn(tctx)
	timedOut = err != nil && errors.Is(tctx.Err(), context.DeadlineExceeded) && c.ctx.Err() == nil
	return err, timedOut
}

func (c *call) elapsed() time.Duration {
	if !c.timed {
		return 0
	}
	return c.p.clock.Now().Sub(c.start)
}

// loop classifies the result of attempt n (err, timedOut) and retries
// until the policy stops.
func (c *call) loop(fn func(context.Context) error, n int, err error, timedOut bool) error {
	p, ctx := c.p, c.ctx
	var (
		stop      StopReason
		transient bool
		ctxErr    error
		prev      = p.initial
		actx      = ctx
	)
	for {
		if err == nil {
			stop = StopSucceeded
			if p.budget != nil {
				p.budget.succeed()
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
		transient = timedOut || p.classify == nil || p.classify(err)
		if !transient {
			stop = StopPermanent
			break
		}
		allowed := p.budget == nil || p.budget.fail()
		if n >= p.maxAttempts {
			stop = StopExhausted
			break
		}
		if n == 1 && !p.nested && ctx.Value(nestedKey{}) != nil {
			stop = StopNested
			break
		}
		delay := p.backoff(n, prev)
		if hint, ok := retryAfter(err); ok {
			delay = min(hint, p.maxDelay)
		}
		prev = delay
		if p.maxElapsed > 0 && c.elapsed()+delay > p.maxElapsed {
			stop = StopMaxElapsed
			break
		}
		if !allowed {
			stop = StopBudget
			break
		}
		if p.observer != nil {
			p.observer.OnRetry(ctx, RetryInfo{Attempt: n, Delay: delay, Err: err, Transient: true})
		}
		if serr := p.clock.Sleep(ctx, delay); serr != nil || ctx.Err() != nil {
			ctxErr = ctx.Err()
			if ctxErr == nil {
				ctxErr = serr
			}
			stop = StopCanceled
			break
		}
		if n == 1 {
			// Attempts from the second on tell nested calls that this
			// one is retrying (one allocation, on the retry path only).
			actx = context.WithValue(ctx, nestedKey{}, true)
		}
		n++
		err, timedOut = c.attempt(fn, n, actx)
		transient = false
	}
	if err != nil {
		err = unmark(err)
	}
	if p.observer != nil {
		p.observer.OnDone(ctx, Outcome{
			Attempts:  n,
			Err:       err,
			Transient: transient,
			Stop:      stop,
			Elapsed:   c.elapsed(),
			Fallback:  err != nil && c.fallback,
		})
	}
	if err == nil || !p.detailed {
		return err
	}
	e := &Error{Err: err, Attempts: n, Stop: stop, Transient: transient}
	if stop == StopCanceled {
		e.Ctx = ctxErr
	}
	return e
}

// retryAfter finds a server's retry-after hint in err's chain (walked
// like errors.As, without allocating).
func retryAfter(err error) (time.Duration, bool) {
	for err != nil {
		if h, ok := err.(interface{ RetryAfter() time.Duration }); ok {
			if d := h.RetryAfter(); d > 0 {
				return d, true
			}
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if d, ok := retryAfter(e); ok {
					return d, true
				}
			}
			return 0, false
		default:
			return 0, false
		}
	}
	return 0, false
}
