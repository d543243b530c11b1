package detector

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/resilience-lint/resilience-lint/examples/agents/loader"
	"github.com/resilience-lint/resilience-lint/examples/dataset"
)

func column(values ...string) *dataset.Table {
	t := &dataset.Table{Name: "t", Columns: []string{"v"}}
	for _, v := range values {
		t.Rows = append(t.Rows, []string{v})
	}
	return t
}

func rows(as []dataset.Anomaly) []int {
	out := make([]int, len(as))
	for i, a := range as {
		out[i] = a.Row
	}
	return out
}

func TestMethods(t *testing.T) {
	// Ten ordinary values and one far out at row 10.
	spiky := column("10", "11", "9", "10", "12", "8", "10", "11", "9", "10", "60")
	tests := []struct {
		name      string
		run       func(context.Context, *dataset.Table, string, float64) ([]dataset.Anomaly, error)
		table     *dataset.Table
		threshold float64
		wantRows  []int
		wantErr   error
	}{
		{"zscore default", New().ZScore, spiky, 0, []int{10}, nil},
		{"zscore loose", New().ZScore, spiky, 10, []int{}, nil},
		{"zscore constant", New().ZScore, column("5", "5", "5"), 0, []int{}, nil},
		{"zscore negative", New().ZScore, spiky, -1, nil, ErrThreshold},
		{"iqr default", New().IQR, spiky, 0, []int{10}, nil},
		{"iqr tight", New().IQR, column("1", "2", "3", "4", "5"), 0.1, []int{0, 4}, nil},
		{"iqr negative", New().IQR, spiky, -2, nil, ErrThreshold},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.run(context.Background(), tt.table, "v", tt.threshold)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if r := rows(got); len(r) != len(tt.wantRows) || (len(r) > 0 && r[0] != tt.wantRows[0]) || (len(r) > 1 && r[len(r)-1] != tt.wantRows[len(tt.wantRows)-1]) {
				t.Errorf("rows = %v, want %v", r, tt.wantRows)
			}
			for _, a := range got {
				if a.Column != "v" || a.Score == 0 {
					t.Errorf("anomaly %+v: want column v and a non-zero score", a)
				}
			}
		})
	}
}

func TestDetectSales(t *testing.T) {
	tbl, err := loader.New(nil).LoadCSV(context.Background(), filepath.Join("..", "testdata", "sales.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := New().Detect(context.Background(), tbl, "units")
	if err != nil {
		t.Fatal(err)
	}
	// units spans three regions with different levels, so IQR over the
	// whole column flags exactly the two planted values: 610 and 3.
	found := map[float64]bool{}
	for _, a := range got {
		found[a.Value] = true
	}
	if !found[610] || !found[3] || len(got) != 2 {
		t.Errorf("Detect(units) = %+v, want the 610 spike and the 3 drop", got)
	}
	if _, err := New().Detect(context.Background(), tbl, "region"); err == nil {
		t.Error("Detect(region) succeeded on a text column, want an error")
	}
}

func TestScoreWorkerUnknownMethod(t *testing.T) {
	w := &ScoreWorker{Method: "mad", Threshold: 3}
	if _, err := w.Execute(context.Background(), "v", []float64{1, 2}); err == nil {
		t.Error("Execute with an unknown method succeeded, want an error")
	}
}
