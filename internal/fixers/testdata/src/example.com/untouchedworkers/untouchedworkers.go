// Package untouchedworkers holds a worker in a file that gofmt would
// change outside the method -fix rewrites; -fix must leave it byte for
// byte.
package untouchedworkers

import (
	"context"
	"errors"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// errShort is described at
//   https://example.com/errors
var errShort = errors.New("short")

var limits = map[string]int{
	"a": 1,
	"bb":   2, // misaligned
}

// TimedWorker uses time only to measure its records: once they go, the
// import goes too. See
//   https://example.com/timed
type TimedWorker struct {
	tracker *intelligence.Tracker
}

// Execute is rewritten; its own old-style doc comment is kept:
//   https://example.com/execute
func (w *TimedWorker) Execute(ctx context.Context, n int) (int, error) { // want `TimedWorker.Execute: `
	start := time.Now()
	if n < limits["a"] {
		w.tracker.TrackError(intelligence.Op{Agent: "a", Worker: "TimedWorker", Operation: "run"}, errShort, time.Since(start))
		return 0, errShort
	}
	return n, nil
}

func limit( name string ) int { return limits[name]+1 }
