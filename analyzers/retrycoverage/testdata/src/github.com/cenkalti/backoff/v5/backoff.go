// Package backoff is a minimal stand-in for github.com/cenkalti/backoff/v5
// v5.0.3, with its real signatures.
package backoff

import "context"

type Operation[T any] func() (T, error)

type RetryOption func(*retryOptions)

type retryOptions struct{}

func WithMaxTries(n uint) RetryOption { return func(*retryOptions) {} }

func Retry[T any](ctx context.Context, operation Operation[T], opts ...RetryOption) (T, error) {
	return operation()
}
