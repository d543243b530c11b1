package aggregator

import (
	"context"
	"time"

	"github.com/resilience-lint/resilience-lint/examples/agents/loader"
	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/examples/stats"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// FetchWorker reads one table from a Source. Its run is wrapped in
// intelligence.Track, which records success, error and panic.
type FetchWorker struct {
	tracker *intelligence.Tracker
	loader  *loader.DataLoader
}

// Execute opens src and parses it (CSV or JSON, by the extension of its name).
func (w *FetchWorker) Execute(ctx context.Context, src dataset.Source) (*dataset.Table, error) {
	op := intelligence.Op{Agent: agentName, Worker: "FetchWorker", Operation: "fetch"}
	return intelligence.Track(ctx, w.tracker, op, func(ctx context.Context) (*dataset.Table, error) {
		rc, err := src.Open(ctx)
		if err != nil {
			return nil, err
		}
		defer func() { _ = rc.Close() }() // read-only: closing cannot lose data
		// Read consumes rc, which is why it is not retried itself: the
		// retry in AggregateAll re-runs this whole worker, with a new rc.
		return w.loader.Read(ctx, rc, src.Name())
	})
}

// StatisticsWorker computes the statistics of one group. It is the seed's
// StatisticsWorker: its run is wrapped in intelligence.Track.
type StatisticsWorker struct {
	tracker *intelligence.Tracker
}

// Execute returns the count, sum, mean, min and max of values under key.
func (w *StatisticsWorker) Execute(ctx context.Context, key string, values []float64) (dataset.Group, error) {
	op := intelligence.Op{Agent: agentName, Worker: "StatisticsWorker", Operation: "statistics"}
	return intelligence.Track(ctx, w.tracker, op, func(ctx context.Context) (dataset.Group, error) {
		mean, err := stats.Mean(values)
		if err != nil {
			return dataset.Group{}, err
		}
		g := dataset.Group{Key: key, Count: len(values), Mean: mean, Min: values[0], Max: values[0]}
		for _, v := range values {
			g.Sum += v
			g.Min = min(g.Min, v)
			g.Max = max(g.Max, v)
		}
		return g, nil
	})
}

// WindowWorker computes rolling means. It tracks by hand, the seed's
// Phase 2 style: a success record before the nil-error return and an error
// record before each error return.
type WindowWorker struct {
	tracker *intelligence.Tracker
}

// Execute returns the mean of each run of size consecutive values.
func (w *WindowWorker) Execute(ctx context.Context, values []float64, size int) ([]float64, error) {
	op := intelligence.Op{Agent: agentName, Worker: "WindowWorker", Operation: "rolling"}
	start := time.Now()
	tr := w.tracker
	if tr == nil {
		tr = intelligence.Default()
	}
	if err := ctx.Err(); err != nil {
		tr.TrackError(op, err, time.Since(start))
		return nil, err
	}
	if size <= 0 {
		tr.TrackError(op, ErrWindow, time.Since(start))
		return nil, ErrWindow
	}
	if len(values) < size {
		tr.TrackSuccess(op, time.Since(start))
		return []float64{}, nil
	}
	out := make([]float64, 0, len(values)-size+1)
	var sum float64
	for i, v := range values {
		sum += v
		if i >= size {
			sum -= values[i-size]
		}
		if i >= size-1 {
			out = append(out, sum/float64(size))
		}
	}
	tr.TrackSuccess(op, time.Since(start))
	return out, nil
}
