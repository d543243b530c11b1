// Package trackhelp records outcomes for workers of other packages.
package trackhelp

import "github.com/resilience-lint/resilience-lint/runtime/intelligence"

// Fail records an error.
func Fail(t *intelligence.Tracker, op intelligence.Op, err error) { // want Fail:"tracks error"
	t.TrackError(op, err, 0)
}
