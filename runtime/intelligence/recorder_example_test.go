package intelligence_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// A hot loop resolves its operation once with Tracker.Op and records each
// item through the Recorder: no lookup, no allocation, and Done reads the
// clock once for both the duration and the time of the record.
func ExampleTracker_Op() {
	tr := intelligence.MustNew()
	rec := tr.Op(intelligence.Op{Agent: "ingest", Worker: "LineWorker", Operation: "Parse"})

	lines := []string{"a=1", "b=2", "", "c=3"}
	for _, line := range lines {
		start := time.Now()
		var err error
		if line == "" {
			err = errors.New("empty line")
		}
		rec.Done(start, err)
	}
	rec.TrackSuccess(3 * time.Millisecond) // a duration measured elsewhere

	h := tr.WorkerHealth("ingest", "LineWorker")
	fmt.Printf("runs %d, errors %d\n", h.Runs, h.Errors)
	// Output:
	// runs 5, errors 1
}
