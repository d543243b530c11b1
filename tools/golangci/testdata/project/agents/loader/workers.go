package loader

import (
	"context"
	"strings"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// Stats is what StatisticsWorker computes.
type Stats struct {
	Rows, Empty int
}

// StatisticsWorker is a worker by default (name ends in Worker, Execute
// method). Its outcomes are not tracked: reported, and -fix rewrites it.
type StatisticsWorker struct {
	tracker *intelligence.Tracker
}

// Execute counts rows.
func (w *StatisticsWorker) Execute(ctx context.Context, t *Table) (Stats, error) {
	if t == nil {
		return Stats{}, context.Canceled
	}
	var s Stats
	for _, r := range t.Rows {
		s.Rows++
		if strings.TrimSpace(r) == "" {
			s.Empty++
		}
	}
	return s, nil
}

// CleanWorker runs its work inside intelligence.Track: not reported.
type CleanWorker struct{}

// Execute drops empty rows.
func (w *CleanWorker) Execute(ctx context.Context, t *Table) (*Table, error) {
	op := intelligence.Op{Agent: "loader", Worker: "CleanWorker", Operation: "Execute"}
	return intelligence.Track(ctx, nil, op, func(ctx context.Context) (*Table, error) {
		out := &Table{}
		for _, r := range t.Rows {
			if strings.TrimSpace(r) != "" {
				out.Rows = append(out.Rows, r)
			}
		}
		return out, nil
	})
}
