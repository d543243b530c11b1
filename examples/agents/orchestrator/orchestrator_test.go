package orchestrator

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

func testdata(name string) dataset.File { return dataset.File(filepath.Join("..", "testdata", name)) }

func TestRun(t *testing.T) {
	tests := []struct {
		name      string
		src       dataset.Source
		plan      dataset.Plan
		rows      int
		summaries int
		anomalies int
		groups    int
		forecast  int
		wantErr   error
	}{
		{"sales full plan", testdata("sales.csv"), dataset.Plan{Title: "Sales", GroupBy: "region", Value: "units", Horizon: 3}, 180, 2, 4, 3, 3, nil},
		{"sensors no plan", testdata("sensors.json"), dataset.Plan{}, 96, 2, 1, 0, 0, nil},
		{"plan without value", testdata("sales.csv"), dataset.Plan{GroupBy: "region"}, 0, 0, 0, 0, 0, ErrPlan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := New(nil, intelligence.MustNew()).Run(context.Background(), tt.src, tt.plan)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if rep.Rows != tt.rows || len(rep.Summaries) != tt.summaries || len(rep.Anomalies) != tt.anomalies ||
				len(rep.Groups) != tt.groups || len(rep.Forecast) != tt.forecast {
				t.Errorf("report: %d rows, %d summaries, %d anomalies, %d groups, %d forecast; want %d, %d, %d, %d, %d",
					rep.Rows, len(rep.Summaries), len(rep.Anomalies), len(rep.Groups), len(rep.Forecast),
					tt.rows, tt.summaries, tt.anomalies, tt.groups, tt.forecast)
			}
		})
	}
}

func TestMarkdownSales(t *testing.T) {
	out, err := New(nil, intelligence.MustNew()).Markdown(context.Background(), testdata("sales.csv"),
		dataset.Plan{Title: "Daily sales", GroupBy: "region", Value: "revenue", Horizon: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Daily sales", "180 rows", "| north |", "| west |", "units = 610", "units = 3 ", "## Trend"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
