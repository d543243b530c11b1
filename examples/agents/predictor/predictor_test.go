package predictor

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/resilience-lint/resilience-lint/examples/agents/loader"
	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestFit(t *testing.T) {
	tests := []struct {
		name              string
		xs, ys            []float64
		slope, intercept  float64
		wantErr           error
		wantAnyOtherError bool
	}{
		{"exact", []float64{0, 1, 2, 3}, []float64{5, 7, 9, 11}, 2, 5, nil, false},
		{"falling", []float64{1, 2, 3}, []float64{3, 2, 1}, -1, 4, nil, false},
		{"two points", []float64{0, 1}, []float64{0, 1}, 0, 0, ErrTooFewPoints, false},
		{"vertical", []float64{1, 1, 1}, []float64{1, 2, 3}, 0, 0, nil, true},
	}
	p := New(intelligence.MustNew())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slope, intercept, err := p.Fit(tt.xs, tt.ys)
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
			case tt.wantAnyOtherError:
				if err == nil {
					t.Fatal("Fit succeeded, want an error")
				}
			case err != nil:
				t.Fatal(err)
			}
			if !near(slope, tt.slope) || !near(intercept, tt.intercept) {
				t.Errorf("Fit = %v, %v; want %v, %v", slope, intercept, tt.slope, tt.intercept)
			}
		})
	}
}

func TestTrendAndForecastSales(t *testing.T) {
	tbl, err := loader.New(nil).LoadCSV(context.Background(), filepath.Join("..", "testdata", "sales.csv"))
	if err != nil {
		t.Fatal(err)
	}
	p := New(intelligence.MustNew())
	tr, err := p.Trend(context.Background(), tbl, "revenue")
	if err != nil {
		t.Fatal(err)
	}
	// Every region's sales grow, so the trend rises.
	if tr.Slope <= 0 || tr.N != 180 {
		t.Errorf("Trend = %+v, want a rising trend over 180 rows", tr)
	}
	got, err := p.Forecast(context.Background(), tr, 3)
	if err != nil || len(got) != 3 || !near(got[0], tr.At(180)) || !(got[2] > got[0]) {
		t.Errorf("Forecast = %v, %v", got, err)
	}
	if _, err := p.Forecast(context.Background(), tr, 0); !errors.Is(err, ErrSteps) {
		t.Errorf("Forecast(0) error = %v, want ErrSteps", err)
	}
	if _, err := p.Trend(context.Background(), tbl, "region"); err == nil {
		t.Error("Trend(region) succeeded on a text column, want an error")
	}
	short := &dataset.Table{Name: "short", Columns: []string{"v"}, Rows: [][]string{{"1"}}}
	if _, err := p.Trend(context.Background(), short, "v"); !errors.Is(err, ErrTooFewPoints) {
		t.Errorf("Trend(one row) error = %v, want ErrTooFewPoints", err)
	}
}
