// Package pollwait is shaped like k8s.io/apimachinery/pkg/util/wait (and
// go-containerregistry's copy of it, internal/retry/wait): poll helpers
// that run a condition again while it returns "not done" without an
// error, waiting in between. A failure of the condition ends the poll: of
// itself, a poll is no retry (PollFunc; the callers' conditions decide).
package pollwait

import (
	"context"
	"errors"
	"time"
)

var ErrWaitTimeout = errors.New("timed out waiting for the condition")

type ConditionFunc func() (done bool, err error)

type ConditionWithContextFunc func(context.Context) (done bool, err error)

// WithContext adapts cf, as apimachinery's does.
func (cf ConditionFunc) WithContext() ConditionWithContextFunc {
	return func(context.Context) (bool, error) { return cf() }
}

type Backoff struct {
	Duration time.Duration
	Steps    int
}

func (b *Backoff) Step() time.Duration {
	b.Steps--
	return b.Duration
}

// ExponentialBackoff polls condition, sleeping between runs.
func ExponentialBackoff(backoff Backoff, condition ConditionFunc) error { // want ExponentialBackoff:"waits" ExponentialBackoff:"polls 1"
	for backoff.Steps > 0 {
		if ok, err := condition(); err != nil || ok {
			return err
		}
		if backoff.Steps == 1 {
			break
		}
		time.Sleep(backoff.Step())
	}
	return ErrWaitTimeout
}

// PollUntil polls condition on every tick until ctx is done.
func PollUntil(ctx context.Context, interval time.Duration, condition ConditionWithContextFunc) error { // want PollUntil:"waits" PollUntil:"polls 2"
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		// apimachinery's loopConditionUntilContext runs the condition
		// in a function literal that handles a crash.
		if ok, err := func() (bool, error) {
			defer handleCrash()
			return condition(ctx)
		}(); err != nil || ok {
			return err
		}
	}
}

func handleCrash() {
	if r := recover(); r != nil {
		_ = r
	}
}

// PollImmediate hands its condition on, adapted, to PollUntil: it polls
// it too.
func PollImmediate(interval, timeout time.Duration, condition ConditionFunc) error { // want PollImmediate:"waits" PollImmediate:"polls 2"
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return PollUntil(ctx, interval, condition.WithContext())
}

// Once runs its condition once: no poll.
func Once(condition ConditionFunc) error {
	_, err := condition()
	return err
}

// Spin runs its condition until done without waiting or bounding its
// runs: no poll by the rules of a retry loop (a busy loop).
func Spin(condition ConditionFunc) error {
	for {
		if ok, err := condition(); err != nil || ok {
			return err
		}
	}
}
