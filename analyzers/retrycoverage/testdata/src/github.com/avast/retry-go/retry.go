// Package retry is a minimal stand-in for github.com/avast/retry-go
// v3.0.0+incompatible (the unversioned path), with its real signatures.
package retry

type RetryableFunc func() error

type Config struct{}

type Option func(*Config)

func Attempts(attempts uint) Option { return func(*Config) {} }

func Do(retryableFunc RetryableFunc, opts ...Option) error { return retryableFunc() }
