// Package backoff is a minimal stand-in for github.com/cenkalti/backoff
// v2.2.1+incompatible (the unversioned path), with its real signatures.
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
