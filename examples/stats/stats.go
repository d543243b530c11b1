// Package stats is the small numeric toolbox the example agents share:
// moments, quantiles and least-squares fitting over float64 slices.
package stats

import (
	"errors"
	"math"
	"slices"
)

// ErrEmpty is returned for statistics that need at least one value.
var ErrEmpty = errors.New("stats: no values")

// ErrTooFew is returned when a statistic needs more values than given.
var ErrTooFew = errors.New("stats: too few values")

// Mean returns the arithmetic mean of xs, or ErrEmpty.
func Mean(xs []float64) (float64, error) {
	if len(xs) == 0 {
		return 0, ErrEmpty
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs)), nil
}

// StdDev returns the sample standard deviation (n-1 denominator) of xs,
// which needs at least two values.
func StdDev(xs []float64) (float64, error) {
	if len(xs) < 2 {
		return 0, ErrTooFew
	}
	m, _ := Mean(xs)
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return math.Sqrt(ss / float64(len(xs)-1)), nil
}

// Quantile returns the q-quantile (0 <= q <= 1) of xs by linear
// interpolation between closest ranks (the method of numpy's default and
// R's type 7). xs is not modified.
func Quantile(xs []float64, q float64) (float64, error) {
	if len(xs) == 0 {
		return 0, ErrEmpty
	}
	if q < 0 || q > 1 || math.IsNaN(q) {
		return 0, errors.New("stats: quantile outside [0, 1]")
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo)), nil
}

// Line is the least-squares fit y = Intercept + Slope*x.
type Line struct {
	Slope, Intercept, R2 float64
}

// FitLine fits a least-squares line through (xs[i], ys[i]). It needs at
// least two points with distinct x.
func FitLine(xs, ys []float64) (Line, error) {
	if len(xs) != len(ys) {
		return Line{}, errors.New("stats: xs and ys differ in length")
	}
	if len(xs) < 2 {
		return Line{}, ErrTooFew
	}
	mx, _ := Mean(xs)
	my, _ := Mean(ys)
	var sxx, sxy, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	if sxx == 0 {
		return Line{}, errors.New("stats: all x values are equal")
	}
	l := Line{Slope: sxy / sxx}
	l.Intercept = my - l.Slope*mx
	l.R2 = 1 // a horizontal line through constant ys explains them fully
	if syy != 0 {
		l.R2 = sxy * sxy / (sxx * syy)
	}
	return l, nil
}
