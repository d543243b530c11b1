// Package backoff is a minimal stand-in for github.com/cenkalti/backoff/v3
// v3.2.2, with its real signatures.
package backoff

import "time"

type BackOff interface {
	NextBackOff() time.Duration
	Reset()
}

type Operation func() error

type Notify func(error, time.Duration)

type ExponentialBackOff struct{}

func (b *ExponentialBackOff) NextBackOff() time.Duration { return 0 }
func (b *ExponentialBackOff) Reset()                     {}

func NewExponentialBackOff() *ExponentialBackOff { return &ExponentialBackOff{} }

func Retry(o Operation, b BackOff) error { return o() }

func RetryNotify(operation Operation, b BackOff, notify Notify) error { return operation() }

type Timer interface {
	Start(duration time.Duration)
	Stop()
	C() <-chan time.Time
}

func RetryNotifyWithTimer(operation Operation, b BackOff, notify Notify, t Timer) error {
	return operation()
}
