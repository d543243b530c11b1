// Package trackhelp has tracking helpers that workers of other packages use.
package trackhelp

import (
	"context"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

var op = intelligence.Op{Agent: "a", Worker: "w", Operation: "op"}

// Fail records an error.
func Fail(t *intelligence.Tracker, err error) error { // want Fail:"tracks error"
	t.TrackError(op, err, 0)
	return err
}

// OK records a success.
func OK(t *intelligence.Tracker) { // want OK:"tracks success"
	t.TrackSuccess(op, 0)
}

// Record records the outcome of err.
func Record(t *intelligence.Tracker, err error) { // want Record:"tracks outcome"
	if err != nil {
		Fail(t, err)
		return
	}
	OK(t)
}

// Run runs fn inside the Track wrapper.
func Run(ctx context.Context, fn func(context.Context) error) error { // want Run:"tracks wrap"
	return intelligence.TrackErr(ctx, nil, op, fn)
}

// Sometimes records only on one path: no fact.
func Sometimes(t *intelligence.Tracker, b bool) {
	if b {
		t.TrackSuccess(op, 0)
	}
}
