// Package retry is a minimal stand-in for github.com/avast/retry-go/v4
// v4.7.0, with its real signatures.
package retry

type RetryableFunc func() error

type RetryableFuncWithData[T any] func() (T, error)

type Config struct{}

type Option func(*Config)

func Attempts(attempts uint) Option { return func(*Config) {} }

func Do(retryableFunc RetryableFunc, opts ...Option) error { return retryableFunc() }

func DoWithData[T any](retryableFunc RetryableFuncWithData[T], opts ...Option) (T, error) {
	return retryableFunc()
}
