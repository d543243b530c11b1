// Package helperworkers holds workers that record through tracking
// helpers: the Track wrapper takes their records over, or -fix refuses.
package helperworkers

import (
	"context"
	"errors"
	"log"

	"example.com/trackhelp"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

func run(ctx context.Context, job string) error {
	if job == "" {
		return errors.New("empty job")
	}
	return ctx.Err()
}

var op = intelligence.Op{Agent: "helpers", Operation: "run"}

// OnlyWorker records its errors through a helper that does nothing else.
type OnlyWorker struct {
	tracker *intelligence.Tracker
}

// fail only records: a call to it is a record the wrapper takes over.
func (w *OnlyWorker) fail(err error) { // want fail:"tracks error"
	w.tracker.TrackError(op, err, 0)
}

// Execute records its errors, not its successes.
func (w *OnlyWorker) Execute(ctx context.Context, job string) error { // want `OnlyWorker.Execute: the success returned at helperworkers.go:\d+ is not tracked`
	if err := run(ctx, job); err != nil {
		w.fail(err) // recorded by the wrapper now
		return err
	}
	return nil
}

// LogWorker records through a helper that also logs.
type LogWorker struct {
	tracker *intelligence.Tracker
}

func (w *LogWorker) fail(err error) { // want fail:"tracks error"
	log.Printf("job failed: %v", err)
	w.tracker.TrackError(op, err, 0)
}

// Execute cannot be rewritten: removing the call would drop the log.
func (w *LogWorker) Execute(ctx context.Context, job string) error { // want `LogWorker.Execute: the success returned at helperworkers.go:\d+ is not tracked .*-fix cannot rewrite it: \(\*LogWorker\).Execute records through the tracking helper LogWorker.fail at line \d+, which does more than record`
	if err := run(ctx, job); err != nil {
		w.fail(err)
		return err
	}
	return nil
}

// OtherWorker records through a helper of another package.
type OtherWorker struct {
	tracker *intelligence.Tracker
}

// Execute cannot be rewritten: the helper's body is not in this package.
func (w *OtherWorker) Execute(ctx context.Context, job string) error { // want `OtherWorker.Execute: .*-fix cannot rewrite it: \(\*OtherWorker\).Execute records through the tracking helper trackhelp.Fail at line \d+, which does more than record or is not in this package`
	if err := run(ctx, job); err != nil {
		trackhelp.Fail(w.tracker, op, err)
		return err
	}
	return nil
}
