// Package explorer is the example's Explorer agent: summary statistics of
// a table's numeric columns.
//
// Retry coverage is partial: Describe is routed through runtime/recovery,
// Summarize is not, and its ColumnWorker does not report to
// runtime/intelligence — the state the seed found in most agents.
package explorer

import (
	"context"
	"errors"
	"fmt"

	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/examples/stats"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// ErrNoNumeric is returned by Describe for a table without numeric columns.
var ErrNoNumeric = errors.New("explorer: no numeric columns")

// Explorer computes summary statistics. Create it with New.
type Explorer struct {
	policy *recovery.Policy
	column *ColumnWorker
}

// New returns an Explorer that retries with p (nil: recovery.Default()).
func New(p *recovery.Policy) *Explorer {
	return &Explorer{policy: p, column: &ColumnWorker{}}
}

// Summarize returns the summary of one numeric column of t.
func (e *Explorer) Summarize(ctx context.Context, t *dataset.Table, column string) (dataset.Summary, error) {
	values, err := t.Floats(column)
	if err != nil {
		return dataset.Summary{}, err
	}
	return e.column.Execute(ctx, column, values)
}

// Describe returns the summary of every numeric column of t, in table order.
func (e *Explorer) Describe(ctx context.Context, t *dataset.Table) ([]dataset.Summary, error) {
	return recovery.DoValue(ctx, e.policy, func(ctx context.Context) ([]dataset.Summary, error) {
		columns := t.NumericColumns()
		if len(columns) == 0 {
			return nil, recovery.Permanent(fmt.Errorf("%w in %s", ErrNoNumeric, t.Name))
		}
		out := make([]dataset.Summary, 0, len(columns))
		for _, c := range columns {
			values, err := t.Floats(c)
			if err != nil {
				return nil, err
			}
			s, err := e.column.Execute(ctx, c, values)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	})
}

// ColumnWorker summarises one column. It is a worker (its name ends in
// Worker and it has Execute) that does not track its outcomes yet.
type ColumnWorker struct{}

// Execute computes the summary of values, the cells of column.
func (w *ColumnWorker) Execute(ctx context.Context, column string, values []float64) (dataset.Summary, error) {
	if err := ctx.Err(); err != nil {
		return dataset.Summary{}, err
	}
	s := dataset.Summary{Column: column, Count: len(values)}
	var err error
	if s.Mean, err = stats.Mean(values); err != nil {
		return dataset.Summary{}, fmt.Errorf("explorer: column %q: %w", column, err)
	}
	if len(values) > 1 {
		s.Std, _ = stats.StdDev(values) // cannot fail with two or more values
	}
	quantiles := []*float64{&s.Min, &s.Q1, &s.Median, &s.Q3, &s.Max}
	for i, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
		*quantiles[i], _ = stats.Quantile(values, q) // values is not empty
	}
	return s, nil
}
