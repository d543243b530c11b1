// Package backoff is a minimal stand-in for github.com/cenkalti/backoff/v4
// v4.3.0, with its real signatures.
package backoff

import "time"

type BackOff interface {
	NextBackOff() time.Duration
	Reset()
}

type Operation func() error

type ExponentialBackOff struct{}

func (b *ExponentialBackOff) NextBackOff() time.Duration { return 0 }
func (b *ExponentialBackOff) Reset()                     {}

func NewExponentialBackOff() *ExponentialBackOff { return &ExponentialBackOff{} }

func Retry(o Operation, b BackOff) error { return o() }
