// Package retrier is a minimal stand-in for
// github.com/eapache/go-resiliency/retrier v1.7.0, with its real
// signatures.
package retrier

import (
	"context"
	"time"
)

type Action int

type Classifier interface {
	Classify(error) Action
}

type Retrier struct {
	backoff []time.Duration
	class   Classifier
}

func New(backoff []time.Duration, class Classifier) *Retrier {
	return &Retrier{backoff: backoff, class: class}
}

func ExponentialBackoff(n int, initialAmount time.Duration) []time.Duration {
	return make([]time.Duration, n)
}

func (r *Retrier) Run(work func() error) error { return work() }

func (r *Retrier) RunCtx(ctx context.Context, work func(ctx context.Context) error) error {
	return work(ctx)
}

func (r *Retrier) RunFn(ctx context.Context, work func(ctx context.Context, retries int) error) error {
	return work(ctx, 0)
}
