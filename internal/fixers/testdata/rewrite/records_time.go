package shapes

import (
	"context"
	"errors"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

var errShort = errors.New("short")

// Timed uses time only to measure its records: once they go, the import
// goes too.
type Timed struct {
	tracker *intelligence.Tracker
}

// Execute is rewritten.
func (w *Timed) Execute(ctx context.Context, n int) (int, error) {
	start := time.Now()
	if n < 0 {
		w.tracker.TrackError(intelligence.Op{Agent: "a", Worker: "Timed", Operation: "run"}, errShort, time.Since(start))
		return 0, errShort
	}
	return n, nil
}
