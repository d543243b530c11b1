// Package retry is a minimal stand-in for github.com/avast/retry-go/v3
// v3.1.1, with its real signatures.
package retry

type RetryableFunc func() error

type Config struct{}

type Option func(*Config)

func Attempts(attempts uint) Option { return func(*Config) {} }

func Do(retryableFunc RetryableFunc, opts ...Option) error { return retryableFunc() }
