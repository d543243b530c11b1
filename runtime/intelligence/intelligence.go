// Package intelligence tracks the successes and failures of workers.
//
// SKELETON: the API below is the contract other packages build against
// (analyzers recognise Track, TrackErr, Track2 and the Tracker methods by
// object; fixers write them). The implementation is filled in by issue #3.
package intelligence

import (
	"context"
	"log/slog"
	"time"
)

// Op names one tracked operation.
type Op struct {
	Agent     string
	Worker    string
	Operation string
}

// Tracker aggregates successes and errors. It is safe for concurrent use.
type Tracker struct{}

// Option configures a Tracker in New.
type Option func(*Tracker)

// New returns a new Tracker.
func New(opts ...Option) *Tracker {
	t := &Tracker{}
	for _, o := range opts {
		o(t)
	}
	return t
}

var defaultTracker = New()

// Default returns the process-wide tracker.
func Default() *Tracker { return defaultTracker }

// TrackSuccess records a successful run of op that took d.
func (t *Tracker) TrackSuccess(op Op, d time.Duration, attrs ...slog.Attr) {}

// TrackError records a failed run of op that took d.
func (t *Tracker) TrackError(op Op, err error, d time.Duration, attrs ...slog.Attr) {}

// Track runs fn, recording its success, error or panic on t (nil means Default()).
func Track[T any](ctx context.Context, t *Tracker, op Op, fn func(context.Context) (T, error)) (T, error) {
	if t == nil {
		t = Default()
	}
	start := time.Now()
	v, err := fn(ctx)
	if err != nil {
		t.TrackError(op, err, time.Since(start))
	} else {
		t.TrackSuccess(op, time.Since(start))
	}
	return v, err
}

// TrackErr is Track for a function with only an error result.
func TrackErr(ctx context.Context, t *Tracker, op Op, fn func(context.Context) error) error {
	_, err := Track(ctx, t, op, func(ctx context.Context) (struct{}, error) { return struct{}{}, fn(ctx) })
	return err
}

// Track2 is Track for a function with two results.
func Track2[A, B any](ctx context.Context, t *Tracker, op Op, fn func(context.Context) (A, B, error)) (A, B, error) {
	var b B
	a, err := Track(ctx, t, op, func(ctx context.Context) (A, error) {
		var a A
		var err error
		a, b, err = fn(ctx)
		return a, err
	})
	return a, b, err
}
