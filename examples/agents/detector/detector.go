// Package detector is the example's AnomalyDetector agent: outliers by
// z-score or by Tukey's IQR fences.
//
// Nothing here is covered yet: no method is routed through runtime/recovery
// and ScoreWorker does not report to runtime/intelligence. `resilience-lint
// -fix` rewrites both.
package detector

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/examples/stats"
)

// Methods of detection, for ScoreWorker.Method.
const (
	ZScore = "zscore"
	IQR    = "iqr"
)

// ErrThreshold is returned for a threshold that is not positive.
var ErrThreshold = errors.New("detector: threshold must be positive")

// AnomalyDetector flags outliers in numeric columns. Create it with New.
type AnomalyDetector struct {
	// zThreshold is the default |z| above which a value is an outlier,
	// iqrK the default fence distance in IQRs.
	zThreshold, iqrK float64
}

// New returns a detector with the usual thresholds: |z| > 3, 1.5 IQR.
func New() *AnomalyDetector {
	return &AnomalyDetector{zThreshold: 3, iqrK: 1.5}
}

// ZScore returns the values of column whose z-score exceeds threshold in
// absolute value (threshold 0: the detector's default, 3).
func (d *AnomalyDetector) ZScore(ctx context.Context, t *dataset.Table, column string, threshold float64) ([]dataset.Anomaly, error) {
	if threshold < 0 {
		return nil, ErrThreshold
	}
	if threshold == 0 {
		threshold = d.zThreshold
	}
	values, err := t.Floats(column)
	if err != nil {
		return nil, err
	}
	w := &ScoreWorker{Method: ZScore, Threshold: threshold}
	return w.Execute(ctx, column, values)
}

// IQR returns the values of column outside [Q1 - k*IQR, Q3 + k*IQR]
// (k 0: the detector's default, 1.5).
func (d *AnomalyDetector) IQR(ctx context.Context, t *dataset.Table, column string, k float64) ([]dataset.Anomaly, error) {
	if k < 0 {
		return nil, ErrThreshold
	}
	if k == 0 {
		k = d.iqrK
	}
	values, err := t.Floats(column)
	if err != nil {
		return nil, err
	}
	w := &ScoreWorker{Method: IQR, Threshold: k}
	return w.Execute(ctx, column, values)
}

// Detect runs the IQR method with the default fence over each named column
// (none: every numeric column) and returns all outliers, by column then row.
func (d *AnomalyDetector) Detect(ctx context.Context, t *dataset.Table, columns ...string) ([]dataset.Anomaly, error) {
	if len(columns) == 0 {
		columns = t.NumericColumns()
	}
	var all []dataset.Anomaly
	for _, c := range columns {
		found, err := d.IQR(ctx, t, c, 0)
		if err != nil {
			return nil, err
		}
		all = append(all, found...)
	}
	return all, nil
}

// ScoreWorker scores one column by one method. It is a worker that does not
// track its outcomes yet.
type ScoreWorker struct {
	Method    string  // ZScore or IQR
	Threshold float64 // |z| limit, or fence distance in IQRs
}

// Execute returns the outliers among values, the cells of column.
func (w *ScoreWorker) Execute(ctx context.Context, column string, values []float64) ([]dataset.Anomaly, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch w.Method {
	case ZScore:
		return zScores(column, values, w.Threshold)
	case IQR:
		return iqrFences(column, values, w.Threshold)
	}
	return nil, fmt.Errorf("detector: unknown method %q", w.Method)
}

func zScores(column string, values []float64, threshold float64) ([]dataset.Anomaly, error) {
	mean, err := stats.Mean(values)
	if err != nil {
		return nil, fmt.Errorf("detector: column %q: %w", column, err)
	}
	std, err := stats.StdDev(values)
	if err != nil {
		return nil, fmt.Errorf("detector: column %q: %w", column, err)
	}
	var out []dataset.Anomaly
	if std == 0 {
		return out, nil // constant column: nothing stands out
	}
	for i, v := range values {
		if z := (v - mean) / std; math.Abs(z) > threshold {
			out = append(out, dataset.Anomaly{Row: i, Column: column, Value: v, Score: z})
		}
	}
	return out, nil
}

func iqrFences(column string, values []float64, k float64) ([]dataset.Anomaly, error) {
	q1, err := stats.Quantile(values, 0.25)
	if err != nil {
		return nil, fmt.Errorf("detector: column %q: %w", column, err)
	}
	q3, _ := stats.Quantile(values, 0.75)
	iqr := q3 - q1
	lo, hi := q1-k*iqr, q3+k*iqr
	var out []dataset.Anomaly
	for i, v := range values {
		var beyond float64
		switch {
		case v < lo:
			beyond = v - lo
		case v > hi:
			beyond = v - hi
		default:
			continue
		}
		score := math.Inf(int(math.Copysign(1, beyond)))
		if iqr > 0 {
			score = beyond / iqr
		}
		out = append(out, dataset.Anomaly{Row: i, Column: column, Value: v, Score: score})
	}
	return out, nil
}
