// Package backoff is a minimal stand-in for github.com/cenkalti/backoff/v4
// v4.3.0, with its real signatures.
package backoff

import "time"

type BackOff interface {
	NextBackOff() time.Duration
	Reset()
}

type Operation func() error

type OperationWithData[T any] func() (T, error)

type Notify func(error, time.Duration)

type ExponentialBackOff struct{}

func (b *ExponentialBackOff) NextBackOff() time.Duration { return 0 }
func (b *ExponentialBackOff) Reset()                     {}

func NewExponentialBackOff() *ExponentialBackOff { return &ExponentialBackOff{} }

func Retry(o Operation, b BackOff) error { return o() }

func RetryWithData[T any](o OperationWithData[T], b BackOff) (T, error) { return o() }

func RetryNotify(operation Operation, b BackOff, notify Notify) error { return operation() }

func RetryNotifyWithData[T any](operation OperationWithData[T], b BackOff, notify Notify) (T, error) {
	return operation()
}

func Permanent(err error) error { return err }
