// Package tracked checks that a tracking wrapper is transparent: calling a
// worker tracked with intelligence.Track fails (or routes) exactly as the
// function it runs does.
package tracked

import (
	"context"
	"errors"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

var errEmpty = errors.New("no values")

// MeanWorker computes, deterministically, inside Track.
type MeanWorker struct{ t *intelligence.Tracker }

func (w *MeanWorker) Execute(ctx context.Context, xs []float64) (float64, error) { // want Execute:"validator"
	return intelligence.Track(ctx, w.t, intelligence.Op{Worker: "MeanWorker"}, func(ctx context.Context) (float64, error) {
		if len(xs) == 0 {
			return 0, errEmpty
		}
		return xs[0], nil
	})
}

// ReadWorker does I/O inside Track.
type ReadWorker struct{ t *intelligence.Tracker }

func (w *ReadWorker) Execute(ctx context.Context, path string) ([]byte, error) {
	return intelligence.Track(ctx, w.t, intelligence.Op{Worker: "ReadWorker"}, func(ctx context.Context) ([]byte, error) {
		return os.ReadFile(path)
	})
}

type Stats struct{}

// Mean calls a tracked worker that cannot fail transiently: nothing to retry.
func (s *Stats) Mean(ctx context.Context, xs []float64) (float64, error) { // want Mean:"validator"
	w := &MeanWorker{}
	return w.Execute(ctx, xs)
}

// Read calls a tracked worker that does I/O: it must be routed.
func (s *Stats) Read(ctx context.Context, path string) ([]byte, error) { // want Read:"unrouted" `Stats.Read returns an error but is not routed through runtime/recovery`
	w := &ReadWorker{}
	return w.Execute(ctx, path)
}

// Load tracks a retry: the retry inside the wrapper routes it.
func (s *Stats) Load(ctx context.Context, path string) ([]byte, error) { // want Load:"routed"
	return intelligence.Track(ctx, nil, intelligence.Op{Worker: "Load"}, func(ctx context.Context) ([]byte, error) {
		return recovery.DoValue(ctx, nil, func(ctx context.Context) ([]byte, error) { return os.ReadFile(path) })
	})
}

// Direct tracks I/O without a retry.
func (s *Stats) Direct(ctx context.Context, path string) ([]byte, error) { // want Direct:"unrouted" `Stats.Direct returns an error but is not routed`
	return intelligence.Track(ctx, nil, intelligence.Op{Worker: "Direct"}, func(ctx context.Context) ([]byte, error) {
		return os.ReadFile(path)
	})
}
