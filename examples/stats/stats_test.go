package stats

import (
	"errors"
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestMoments(t *testing.T) {
	tests := []struct {
		name    string
		xs      []float64
		mean    float64
		std     float64
		meanErr error
		stdErr  error
	}{
		{"empty", nil, 0, 0, ErrEmpty, ErrTooFew},
		{"one", []float64{4}, 4, 0, nil, ErrTooFew},
		{"several", []float64{2, 4, 4, 4, 5, 5, 7, 9}, 5, math.Sqrt(32.0 / 7), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Mean(tt.xs)
			if !errors.Is(err, tt.meanErr) || (err == nil && !near(m, tt.mean)) {
				t.Errorf("Mean = %v, %v; want %v, %v", m, err, tt.mean, tt.meanErr)
			}
			s, err := StdDev(tt.xs)
			if !errors.Is(err, tt.stdErr) || (err == nil && !near(s, tt.std)) {
				t.Errorf("StdDev = %v, %v; want %v, %v", s, err, tt.std, tt.stdErr)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{7, 1, 3, 5} // sorted: 1 3 5 7
	tests := []struct {
		q    float64
		want float64
	}{{0, 1}, {1, 7}, {0.5, 4}, {0.25, 2.5}, {0.75, 5.5}}
	for _, tt := range tests {
		got, err := Quantile(xs, tt.q)
		if err != nil || !near(got, tt.want) {
			t.Errorf("Quantile(%v) = %v, %v; want %v", tt.q, got, err, tt.want)
		}
	}
	if xs[0] != 7 {
		t.Errorf("Quantile modified its input: %v", xs)
	}
	for _, q := range []float64{-0.1, 1.1, math.NaN()} {
		if _, err := Quantile(xs, q); err == nil {
			t.Errorf("Quantile(%v) succeeded, want an error", q)
		}
	}
	if _, err := Quantile(nil, 0.5); !errors.Is(err, ErrEmpty) {
		t.Errorf("Quantile(nil) error = %v, want ErrEmpty", err)
	}
}

func TestFitLine(t *testing.T) {
	tests := []struct {
		name    string
		xs, ys  []float64
		want    Line
		wantErr bool
	}{
		{"exact", []float64{0, 1, 2, 3}, []float64{1, 3, 5, 7}, Line{Slope: 2, Intercept: 1, R2: 1}, false},
		{"flat", []float64{0, 1, 2}, []float64{4, 4, 4}, Line{Slope: 0, Intercept: 4, R2: 1}, false},
		{"noisy", []float64{0, 1, 2, 3}, []float64{0, 2, 1, 3}, Line{Slope: 0.8, Intercept: 0.3, R2: 0.64}, false},
		{"one point", []float64{1}, []float64{1}, Line{}, true},
		{"vertical", []float64{2, 2}, []float64{1, 5}, Line{}, true},
		{"mismatch", []float64{1, 2}, []float64{1}, Line{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FitLine(tt.xs, tt.ys)
			if (err != nil) != tt.wantErr {
				t.Fatalf("FitLine error = %v, wantErr %v", err, tt.wantErr)
			}
			if !near(got.Slope, tt.want.Slope) || !near(got.Intercept, tt.want.Intercept) || !near(got.R2, tt.want.R2) {
				t.Errorf("FitLine = %+v, want %+v", got, tt.want)
			}
		})
	}
}
