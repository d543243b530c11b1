// Package workers holds the worker shapes the tracking rewrite handles.
package workers

import (
	"context"
	"errors"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

func run(ctx context.Context, job string) error {
	if job == "" {
		return errors.New("empty job")
	}
	return ctx.Err()
}

// PtrWorker has a *Tracker field.
type PtrWorker struct {
	tracker *intelligence.Tracker
}

// Execute returns an error only.
func (w *PtrWorker) Execute(ctx context.Context, job string) error { // want `PtrWorker.Execute: `
	// run the job
	return run(ctx, job)
}

// ValWorker has a Tracker value field.
type ValWorker struct {
	t intelligence.Tracker
}

// Execute returns one value, with an unnamed receiver.
func (*ValWorker) Execute(ctx context.Context, job string) (int, error) { // want `ValWorker.Execute: `
	return len(job), run(ctx, job)
}

// CopyWorker has a Tracker value field and a value receiver: tracking
// into the copy would lose every record, so -fix refuses.
type CopyWorker struct {
	t intelligence.Tracker
}

// Execute cannot be rewritten.
func (w CopyWorker) Execute(ctx context.Context, job string) error { // want `CopyWorker.Execute: .*-fix cannot rewrite it: \(CopyWorker\).Execute has a value receiver, so its Tracker field t is a copy on every call`
	return run(ctx, job)
}

// PlainWorker has no tracker field and no context.
type PlainWorker struct{}

// Execute returns two values.
func (PlainWorker) Execute(job string) (a, b int, err error) { // want `PlainWorker.Execute: `
	a, b = 1, 2
	err = run(context.Background(), job)
	return
}

// EmbedWorker has a value receiver and an embedded *Tracker.
type EmbedWorker struct {
	*intelligence.Tracker
}

// Execute tracks into the embedded tracker.
func (w EmbedWorker) Execute(ctx context.Context) error { // want `EmbedWorker.Execute: `
	return run(ctx, "x")
}

// DoneWorker is already tracked: no diagnostic, no fix.
type DoneWorker struct{}

// Execute is already wrapped.
func (w *DoneWorker) Execute(ctx context.Context) error { // want Execute:"tracks wrap"
	return intelligence.TrackErr(ctx, nil, intelligence.Op{Agent: "workers", Worker: "DoneWorker", Operation: "Execute"}, func(ctx context.Context) error {
		return run(ctx, "done")
	})
}

// HandWorker records by hand but misses the first path: -fix wraps it in
// Track with the records' tracker and Op, and removes the records, start
// and the time import that only they used.
type HandWorker struct {
	tracker *intelligence.Tracker
}

// Execute records by hand.
func (w *HandWorker) Execute(ctx context.Context, job string) error { // want `HandWorker.Execute: the error returned at workers.go:\d+ is not tracked`
	op := intelligence.Op{Agent: "hand", Worker: "HandWorker", Operation: "run"}
	start := time.Now()
	if job == "" {
		return errors.New("empty job")
	}
	if err := run(ctx, job); err != nil {
		w.tracker.TrackError(op, err, time.Since(start))
		return err
	}
	w.tracker.TrackSuccess(op, time.Since(start))
	return nil
}
