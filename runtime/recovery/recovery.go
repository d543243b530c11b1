// Package recovery retries operations that fail transiently.
//
// SKELETON: the API below is the contract other packages build against
// (analyzers recognise Do, DoValue and DoValue2 by object; fixers write them).
// The implementation is filled in by issue #2.
package recovery

import (
	"context"
	"time"
)

// Policy is an immutable retry policy. Build it once with NewPolicy and
// share it; a nil *Policy means Default().
type Policy struct {
	maxAttempts int
	initial     time.Duration
	multiplier  float64
	maxDelay    time.Duration
	observer    Observer
}

// Option configures a Policy in NewPolicy.
type Option func(*Policy)

// NewPolicy returns a policy with the defaults overridden by opts.
func NewPolicy(opts ...Option) *Policy {
	p := &Policy{maxAttempts: 3, initial: 100 * time.Millisecond, multiplier: 2, maxDelay: 10 * time.Second}
	for _, o := range opts {
		o(p)
	}
	return p
}

// WithMaxAttempts sets the total number of attempts, the first included.
func WithMaxAttempts(n int) Option { return func(p *Policy) { p.maxAttempts = n } }

// WithObserver sets the observer that receives every attempt, retry and outcome.
func WithObserver(o Observer) Option { return func(p *Policy) { p.observer = o } }

var defaultPolicy = NewPolicy()

// Default returns the package-level default policy.
func Default() *Policy { return defaultPolicy }

// StopReason says why Do stopped retrying.
type StopReason int

// Stop reasons.
const (
	StopSucceeded StopReason = iota
	StopExhausted
	StopPermanent
	StopCanceled
	StopBudget
	StopMaxElapsed
)

// AttemptInfo describes one attempt about to start.
type AttemptInfo struct {
	Attempt int // 1-based
}

// RetryInfo describes a failed attempt that will be retried after Delay.
type RetryInfo struct {
	Attempt   int // 1-based number of the attempt that failed
	Delay     time.Duration
	Err       error
	Transient bool
}

// Outcome describes the end of a Do call.
type Outcome struct {
	Attempts  int
	Err       error // nil on success
	Transient bool  // whether the last failure was transient
	Stop      StopReason
	Elapsed   time.Duration
}

// Observer receives retry events. Implementations must be safe for
// concurrent use; they are called synchronously.
type Observer interface {
	OnAttempt(ctx context.Context, a AttemptInfo)
	OnRetry(ctx context.Context, r RetryInfo)
	OnDone(ctx context.Context, o Outcome)
}

// Do runs fn until it succeeds or the policy gives up.
func Do(ctx context.Context, p *Policy, fn func(context.Context) error) error {
	_, _, err := DoValue2(ctx, p, func(ctx context.Context) (struct{}, struct{}, error) {
		return struct{}{}, struct{}{}, fn(ctx)
	})
	return err
}

// DoValue is Do for a function with one result.
func DoValue[T any](ctx context.Context, p *Policy, fn func(context.Context) (T, error)) (T, error) {
	v, _, err := DoValue2(ctx, p, func(ctx context.Context) (T, struct{}, error) {
		v, err := fn(ctx)
		return v, struct{}{}, err
	})
	return v, err
}

// DoValue2 is Do for a function with two results.
func DoValue2[A, B any](ctx context.Context, p *Policy, fn func(context.Context) (A, B, error)) (A, B, error) {
	if p == nil {
		p = Default()
	}
	var (
		a   A
		b   B
		err error
	)
	for attempt := 1; attempt <= p.maxAttempts; attempt++ {
		a, b, err = fn(ctx)
		if err == nil || ctx.Err() != nil {
			return a, b, err
		}
	}
	return a, b, err
}
