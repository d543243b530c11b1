package dataset

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"testing"
)

func TestTableColumns(t *testing.T) {
	tbl := &Table{
		Name:    "t",
		Columns: []string{"region", "units", "note"},
		Rows:    [][]string{{"north", "3", "x"}, {"south", " 4.5 ", "7"}},
	}
	tests := []struct {
		column  string
		want    []float64
		wantErr error
	}{
		{"units", []float64{3, 4.5}, nil},
		{"missing", nil, ErrNoColumn},
		{"region", nil, nil}, // not numeric: an error that is not ErrNoColumn
	}
	for _, tt := range tests {
		t.Run(tt.column, func(t *testing.T) {
			got, err := tbl.Floats(tt.column)
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Floats(%q) error = %v, want %v", tt.column, err, tt.wantErr)
				}
			case tt.want == nil:
				if err == nil {
					t.Fatalf("Floats(%q) = %v, want an error", tt.column, got)
				}
			default:
				if err != nil || !slices.Equal(got, tt.want) {
					t.Fatalf("Floats(%q) = %v, %v; want %v", tt.column, got, err, tt.want)
				}
			}
		})
	}
	if got := tbl.NumericColumns(); !slices.Equal(got, []string{"units"}) {
		t.Errorf("NumericColumns() = %v, want [units]", got)
	}
}

func TestFileSource(t *testing.T) {
	src := File(filepath.Join("..", "agents", "testdata", "sales.csv"))
	rc, err := src.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rc.Close() }()
	b, err := io.ReadAll(rc)
	if err != nil || len(b) == 0 {
		t.Fatalf("read %d bytes, %v", len(b), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := src.Open(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Open(canceled) error = %v, want context.Canceled", err)
	}
}

func TestTrendAt(t *testing.T) {
	tr := Trend{Slope: 2, Intercept: 1}
	for x, want := range map[float64]float64{0: 1, 1: 3, -2: -3} {
		if got := tr.At(x); got != want {
			t.Errorf("At(%v) = %v, want %v", x, got, want)
		}
	}
}
