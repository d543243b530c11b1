// Package recovery is a stub of the real runtime/recovery for analysistest.
package recovery

import "context"

type Policy struct{}

func Default() *Policy { return nil }

func Do(ctx context.Context, p *Policy, fn func(context.Context) error) error { return fn(ctx) }

func DoValue[T any](ctx context.Context, p *Policy, fn func(context.Context) (T, error)) (T, error) {
	return fn(ctx)
}

func DoValue2[A, B any](ctx context.Context, p *Policy, fn func(context.Context) (A, B, error)) (A, B, error) {
	return fn(ctx)
}

// Retry has the name of nothing the analyzer knows: it does not route.
func Retry(ctx context.Context, fn func(context.Context) error) error { return fn(ctx) }
