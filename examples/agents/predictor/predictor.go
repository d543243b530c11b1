// Package predictor is the example's Predictor agent: a least-squares
// linear trend over a numeric column, and forecasts from it.
//
// Nothing is routed through runtime/recovery yet, and FitWorker tracks its
// outcomes on most paths but not all — the analyzer names the return that
// has no error record.
package predictor

import (
	"context"
	"errors"
	"time"

	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/examples/stats"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// MinPoints is the fewest points a trend is fitted to.
const MinPoints = 3

// ErrTooFewPoints is returned when there are fewer than MinPoints values.
var ErrTooFewPoints = errors.New("predictor: too few points for a trend")

// ErrSteps is returned for a forecast horizon that is not positive.
var ErrSteps = errors.New("predictor: steps must be positive")

// Predictor fits trends and forecasts. Create it with New.
type Predictor struct {
	fit *FitWorker
}

// New returns a Predictor whose worker reports to tr (nil: intelligence.Default()).
func New(tr *intelligence.Tracker) *Predictor {
	return &Predictor{fit: &FitWorker{tracker: tr}}
}

// Trend fits a line to column against the row index (0, 1, 2, ...).
func (p *Predictor) Trend(ctx context.Context, t *dataset.Table, column string) (dataset.Trend, error) {
	ys, err := t.Floats(column)
	if err != nil {
		return dataset.Trend{}, err
	}
	xs := make([]float64, len(ys))
	for i := range xs {
		xs[i] = float64(i)
	}
	return p.fit.Execute(ctx, xs, ys)
}

// Fit fits a line to the points (xs[i], ys[i]) and returns its slope and
// intercept.
func (p *Predictor) Fit(xs, ys []float64) (slope, intercept float64, err error) {
	tr, err := p.fit.Execute(context.Background(), xs, ys)
	if err != nil {
		return
	}
	slope, intercept = tr.Slope, tr.Intercept
	return
}

// Forecast returns the trend's values for the steps points after the n
// fitted ones: x = n, n+1, ..., n+steps-1.
func (p *Predictor) Forecast(ctx context.Context, tr dataset.Trend, steps int) ([]float64, error) {
	if steps <= 0 {
		return nil, ErrSteps
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]float64, steps)
	for i := range out {
		out[i] = tr.At(float64(tr.N + i))
	}
	return out, nil
}

// FitWorker fits one line. It reports to runtime/intelligence by hand, and
// misses one path: the early return for too few points records nothing.
type FitWorker struct {
	tracker *intelligence.Tracker
}

// Execute fits a least-squares line to (xs[i], ys[i]).
func (w *FitWorker) Execute(ctx context.Context, xs, ys []float64) (dataset.Trend, error) {
	op := intelligence.Op{Agent: "predictor", Worker: "FitWorker", Operation: "fit"}
	start := time.Now()
	if len(ys) < MinPoints {
		return dataset.Trend{}, ErrTooFewPoints
	}
	line, err := stats.FitLine(xs, ys)
	if err != nil {
		w.tracker.TrackError(op, err, time.Since(start))
		return dataset.Trend{}, err
	}
	w.tracker.TrackSuccess(op, time.Since(start))
	return dataset.Trend{Slope: line.Slope, Intercept: line.Intercept, R2: line.R2, N: len(xs)}, nil
}
