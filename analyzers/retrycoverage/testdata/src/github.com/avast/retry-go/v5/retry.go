// Package retry is a minimal stand-in for github.com/avast/retry-go/v5
// v5.1.1, with its real signatures: a Retrier built by New runs Do.
package retry

type RetryableFunc func() error

type RetryableFuncWithData[T any] func() (T, error)

type retrierCore struct{}

type Option func(*retrierCore)

func Attempts(attempts uint) Option { return func(*retrierCore) {} }

type Retrier struct{ core *retrierCore }

type RetrierWithData[T any] struct{ core *retrierCore }

func New(opts ...Option) *Retrier { return &Retrier{} }

func NewWithData[T any](opts ...Option) *RetrierWithData[T] { return &RetrierWithData[T]{} }

func (r *Retrier) Do(retryableFunc RetryableFunc) error { return retryableFunc() }

func (r *RetrierWithData[T]) Do(retryableFunc RetryableFuncWithData[T]) (T, error) {
	return retryableFunc()
}
