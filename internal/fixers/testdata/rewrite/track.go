package shapes

import (
	"context"
	"errors"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// PtrWorker has a *Tracker field.
type PtrWorker struct {
	tracker *intelligence.Tracker
}

// Execute returns an error only.
func (w *PtrWorker) Execute(ctx context.Context, job string) error {
	if job == "" {
		return errors.New("empty job") // not a guard for tracking
	}
	return nil
}

// ValWorker has a Tracker value field.
type ValWorker struct {
	t intelligence.Tracker
}

// Execute returns one value, with an unnamed receiver.
func (*ValWorker) Execute(ctx context.Context) (int, error) {
	return 1, nil
}

// CopyWorker has a value receiver and a Tracker value field.
type CopyWorker struct {
	t intelligence.Tracker
}

// Execute cannot use a copy of the tracker.
func (w CopyWorker) Execute(ctx context.Context) error {
	return nil
}

// PlainWorker has no tracker field and no context.
type PlainWorker struct{}

// Execute returns two values.
func (PlainWorker) Execute() (a, b int, err error) {
	a, b = 1, 2
	return
}

// DoneWorker is already tracked.
type DoneWorker struct{}

// Execute is already wrapped.
func (w *DoneWorker) Execute(ctx context.Context) error {
	return intelligence.TrackErr(ctx, nil, intelligence.Op{Agent: "a", Worker: "DoneWorker", Operation: "Execute"}, func(ctx context.Context) error {
		return nil
	})
}
