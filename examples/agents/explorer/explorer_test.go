package explorer

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/resilience-lint/resilience-lint/examples/agents/loader"
	"github.com/resilience-lint/resilience-lint/examples/dataset"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestSummarize(t *testing.T) {
	tbl := &dataset.Table{
		Name:    "t",
		Columns: []string{"k", "v"},
		Rows:    [][]string{{"a", "4"}, {"b", "1"}, {"c", "3"}, {"d", "2"}},
	}
	one := &dataset.Table{Name: "one", Columns: []string{"v"}, Rows: [][]string{{"7"}}}
	empty := &dataset.Table{Name: "empty", Columns: []string{"v"}}
	tests := []struct {
		name    string
		table   *dataset.Table
		column  string
		want    dataset.Summary
		wantErr bool
	}{
		{"four values", tbl, "v", dataset.Summary{Column: "v", Count: 4, Mean: 2.5, Std: math.Sqrt(5.0 / 3), Min: 1, Q1: 1.75, Median: 2.5, Q3: 3.25, Max: 4}, false},
		{"one value", one, "v", dataset.Summary{Column: "v", Count: 1, Mean: 7, Min: 7, Q1: 7, Median: 7, Q3: 7, Max: 7}, false},
		{"no rows", empty, "v", dataset.Summary{}, true},
		{"text column", tbl, "k", dataset.Summary{}, true},
		{"missing column", tbl, "x", dataset.Summary{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New(nil).Summarize(context.Background(), tt.table, tt.column)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, wantErr %v", err, tt.wantErr)
			}
			if got.Column != tt.want.Column || got.Count != tt.want.Count {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"Mean", got.Mean, tt.want.Mean}, {"Std", got.Std, tt.want.Std}, {"Min", got.Min, tt.want.Min},
				{"Q1", got.Q1, tt.want.Q1}, {"Median", got.Median, tt.want.Median}, {"Q3", got.Q3, tt.want.Q3},
				{"Max", got.Max, tt.want.Max},
			} {
				if !near(f.got, f.want) {
					t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
				}
			}
		})
	}
}

func TestDescribeSales(t *testing.T) {
	tbl, err := loader.New(nil).LoadCSV(context.Background(), filepath.Join("..", "testdata", "sales.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := New(nil).Describe(context.Background(), tbl)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Column != "units" || got[1].Column != "revenue" {
		t.Fatalf("Describe columns = %+v, want units and revenue", got)
	}
	u := got[0]
	// The data holds one spike (610 units) and one drop (3 units).
	if u.Count != 180 || u.Max != 610 || u.Min != 3 || !(u.Min <= u.Q1 && u.Q1 <= u.Median && u.Median <= u.Q3 && u.Q3 <= u.Max) {
		t.Errorf("units summary = %+v", u)
	}
}

func TestDescribeWithoutNumbers(t *testing.T) {
	tbl := &dataset.Table{Name: "words", Columns: []string{"w"}, Rows: [][]string{{"x"}}}
	_, err := New(nil).Describe(context.Background(), tbl)
	if !errors.Is(err, ErrNoNumeric) {
		t.Fatalf("error = %v, want ErrNoNumeric", err)
	}
}
