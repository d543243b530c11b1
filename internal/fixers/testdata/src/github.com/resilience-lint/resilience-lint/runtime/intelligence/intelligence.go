// Package intelligence is a stub of the real runtime/intelligence for analysistest.
package intelligence

import (
	"context"
	"log/slog"
	"time"
)

type Op struct{ Agent, Worker, Operation string }

type Tracker struct{ n int }

type Option func(*Tracker)

func Default() *Tracker { return nil }

func New(opts ...Option) *Tracker { return &Tracker{} }

func (t *Tracker) TrackSuccess(op Op, d time.Duration, attrs ...slog.Attr) {}

func (t *Tracker) TrackError(op Op, err error, d time.Duration, attrs ...slog.Attr) {}

// Count is a Tracker method that records nothing.
func (t *Tracker) Count() int { return t.n }

func Track[T any](ctx context.Context, t *Tracker, op Op, fn func(context.Context) (T, error)) (T, error) {
	return fn(ctx)
}

func TrackErr(ctx context.Context, t *Tracker, op Op, fn func(context.Context) error) error {
	return fn(ctx)
}

func Track2[A, B any](ctx context.Context, t *Tracker, op Op, fn func(context.Context) (A, B, error)) (A, B, error) {
	return fn(ctx)
}
