package fixworkers

import (
	"context"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// Base holds the tracker; StatsWorker embeds it.
type Base struct{ tracker *intelligence.Tracker }

type StatsWorker struct {
	Base
	name string
}

func (w *StatsWorker) Execute(ctx context.Context) (int, error) { // want `^StatsWorker.Execute: the error returned at fixworkers.go:20 is not tracked \(no error record on this path\); the success returned at fixworkers.go:22 is not tracked \(no success record on this path\) \(run resilience-lint -fix to wrap the body in intelligence.Track, or record it with TrackSuccess/TrackError\)$`
	if w.name == "" {
		return 0, os.ErrInvalid
	}
	return 1, nil
}

type BareWorker struct{}

func (BareWorker) Execute() error { // want `^BareWorker.Execute: the result returned at fixworkers.go:28 is not tracked \(neither a success nor an error is recorded on this path\) \(record it with TrackSuccess/TrackError; -fix cannot rewrite it: no context for the test\)$`
	return os.Remove("x")
}

type DoneWorker struct{ t *intelligence.Tracker }

func (w DoneWorker) Execute(ctx context.Context) (int, error) { // want Execute:"tracks wrap"
	return intelligence.Track(ctx, w.t, intelligence.Op{Agent: "fixworkers", Worker: "DoneWorker", Operation: "Execute"}, func(ctx context.Context) (int, error) {
		return 1, nil
	})
}

type IgnoredWorker struct{}

// Execute is exempt.
//
//resilience:ignore tracked by the orchestrator
func (IgnoredWorker) Execute() error { return os.Remove("x") }
