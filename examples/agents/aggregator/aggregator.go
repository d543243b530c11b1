// Package aggregator is the example's Aggregator agent, the reference
// implementation the seed holds up for every other agent: each exported
// method is routed through runtime/recovery and each worker reports every
// success and failure to runtime/intelligence.
//
// It groups a numeric column by a key column, computes rolling means and
// extremes, and, in AggregateAll, does all of that over a Source that it
// reads itself, so that a flaky store is retried from the start.
package aggregator

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/resilience-lint/resilience-lint/examples/agents/loader"
	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// agentName is the agent every worker of this package reports as.
const agentName = "aggregator"

// ErrWindow is returned for a rolling window that is not positive.
var ErrWindow = errors.New("aggregator: window must be positive")

// ErrSpec is returned by AggregateAll for a spec without key or value column.
var ErrSpec = errors.New("aggregator: spec needs GroupBy and Value columns")

// Aggregator groups and windows numeric data. Create it with New.
type Aggregator struct {
	policy *recovery.Policy
	fetch  *FetchWorker
	stats  *StatisticsWorker
	window *WindowWorker
}

// New returns an Aggregator that retries with p (nil: recovery.Default())
// and whose workers report to tr (nil: intelligence.Default()). Its workers
// share tr, so one tracker sees the whole agent.
func New(p *recovery.Policy, tr *intelligence.Tracker) *Aggregator {
	return &Aggregator{
		policy: p,
		fetch:  &FetchWorker{tracker: tr, loader: loader.New(p)},
		stats:  &StatisticsWorker{tracker: tr},
		window: &WindowWorker{tracker: tr},
	}
}

// GroupBy returns the statistics of column value for each distinct value of
// column key, sorted by key.
func (a *Aggregator) GroupBy(ctx context.Context, t *dataset.Table, key, value string) ([]dataset.Group, error) {
	return recovery.DoValue(ctx, a.policy, func(ctx context.Context) ([]dataset.Group, error) {
		return a.groupBy(ctx, t, key, value)
	})
}

func (a *Aggregator) groupBy(ctx context.Context, t *dataset.Table, key, value string) ([]dataset.Group, error) {
	keys, err := t.Strings(key)
	if err != nil {
		return nil, err
	}
	values, err := t.Floats(value)
	if err != nil {
		return nil, err
	}
	byKey := map[string][]float64{}
	for i, k := range keys {
		byKey[k] = append(byKey[k], values[i])
	}
	groups := make([]dataset.Group, 0, len(byKey))
	for k, vs := range byKey {
		g, err := a.stats.Execute(ctx, k, vs)
		if err != nil {
			return nil, err
		}
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(x, y dataset.Group) int { return cmp.Compare(x.Key, y.Key) })
	return groups, nil
}

// Rolling returns the means of column over a sliding window of size rows:
// len(rows) - size + 1 values, none if the table is shorter than the window.
func (a *Aggregator) Rolling(ctx context.Context, t *dataset.Table, column string, size int) ([]float64, error) {
	if size <= 0 {
		return nil, ErrWindow // invalid arguments fail at once, never retried
	}
	return recovery.DoValue(ctx, a.policy, func(ctx context.Context) ([]float64, error) {
		values, err := t.Floats(column)
		if err != nil {
			return nil, err
		}
		return a.window.Execute(ctx, values, size)
	})
}

// Extremes returns the smallest and largest value of column.
func (a *Aggregator) Extremes(ctx context.Context, t *dataset.Table, column string) (lo, hi float64, err error) {
	return recovery.DoValue2(ctx, a.policy, func(ctx context.Context) (float64, float64, error) {
		values, err := t.Floats(column)
		if err != nil {
			return 0, 0, err
		}
		g, err := a.stats.Execute(ctx, column, values)
		return g.Min, g.Max, err
	})
}

// AggregateAll reads src and computes the groups of spec.Value by
// spec.GroupBy and its rolling mean over spec.Window rows. A read that
// fails, even half-way through the stream, is retried from a fresh Open.
func (a *Aggregator) AggregateAll(ctx context.Context, src dataset.Source, spec dataset.AggregateSpec) (*dataset.Aggregation, error) {
	if spec.GroupBy == "" || spec.Value == "" {
		return nil, ErrSpec
	}
	if spec.Window <= 0 {
		return nil, ErrWindow
	}
	return recovery.DoValue(ctx, a.policy, func(ctx context.Context) (*dataset.Aggregation, error) {
		t, err := a.fetch.Execute(ctx, src)
		if err != nil {
			return nil, err
		}
		groups, err := a.groupBy(ctx, t, spec.GroupBy, spec.Value)
		if err != nil {
			return nil, err
		}
		values, err := t.Floats(spec.Value)
		if err != nil {
			return nil, err
		}
		rolling, err := a.window.Execute(ctx, values, spec.Window)
		if err != nil {
			return nil, err
		}
		return &dataset.Aggregation{Source: src.Name(), Rows: t.Len(), Groups: groups, Rolling: rolling}, nil
	})
}
