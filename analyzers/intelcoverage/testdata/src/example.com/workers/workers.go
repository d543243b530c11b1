package workers

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	intel "github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

var ErrEmpty = errors.New("empty")

var op = intel.Op{Agent: "workers", Worker: "StatisticsWorker", Operation: "Execute"}

type Result struct{ N int }

func compute(in string) (Result, error) { return Result{}, nil }

// StatisticsWorker tracks by hand on every path.
type StatisticsWorker struct{ tracker *intel.Tracker }

func (w *StatisticsWorker) Execute(ctx context.Context, in string) (Result, error) { // want Execute:"tracks outcome"
	if in == "" {
		w.tracker.TrackError(op, ErrEmpty, 0)
		return Result{}, ErrEmpty
	}
	r, err := compute(in)
	if err != nil {
		w.tracker.TrackError(op, err, 0)
		return Result{}, fmt.Errorf("statistics: %w", err)
	}
	w.tracker.TrackSuccess(op, 0)
	return r, nil
}

// MissingErrorWorker forgets the error record on one path.
type MissingErrorWorker struct{ tracker *intel.Tracker }

func (w *MissingErrorWorker) Execute(ctx context.Context, in string) (Result, error) { // want `MissingErrorWorker.Execute: the error returned at workers.go:44 is not tracked \(no error record on this path\) \(run resilience-lint -fix to wrap the body in intelligence.Track, or record it with TrackSuccess/TrackError\)`
	r, err := compute(in)
	if err != nil {
		return Result{}, err
	}
	w.tracker.TrackSuccess(op, 0)
	return r, nil
}

// MissingSuccessWorker records only errors.
type MissingSuccessWorker struct{ tracker *intel.Tracker }

func (w MissingSuccessWorker) Execute(ctx context.Context, in string) (Result, error) { // want `MissingSuccessWorker.Execute: the success returned at workers.go:59 is not tracked \(no success record on this path\)`
	r, err := compute(in)
	if err != nil {
		w.tracker.TrackError(op, err, 0)
		return Result{}, err
	}
	return r, nil
}

// WrongRecordWorker records a success before returning an error.
type WrongRecordWorker struct{}

func (w WrongRecordWorker) Execute(ctx context.Context) error { // want Execute:"tracks success" `the error returned at workers.go:67 is not tracked \(only a success is recorded on this path\)`
	intel.Default().TrackSuccess(op, 0)
	return ErrEmpty
}

// WrapperWorker uses the Track wrapper (aliased import).
type WrapperWorker struct{ tracker *intel.Tracker }

func (w *WrapperWorker) Execute(ctx context.Context, in string) (Result, error) { // want `WrapperWorker.Execute: the error returned at workers.go:75 is not tracked`
	if in == "" {
		return Result{}, ErrEmpty
	}
	return intel.Track(ctx, w.tracker, op, func(ctx context.Context) (Result, error) { return compute(in) })
}

// ErrWorker uses TrackErr, and its result after the call.
type ErrWorker struct{}

func (ErrWorker) Execute(ctx context.Context) error { // want Execute:"tracks wrap"
	err := intel.TrackErr(ctx, nil, op, func(ctx context.Context) error { return os.Remove("x") })
	if err != nil {
		return fmt.Errorf("remove: %w", err)
	}
	return nil
}

// PairWorker uses Track2.
type PairWorker struct{}

func (PairWorker) Execute(ctx context.Context) (int, string, error) { // want Execute:"tracks wrap"
	return intel.Track2(ctx, nil, op, func(ctx context.Context) (int, string, error) { return 1, "", nil })
}

// OutcomeWorker records an unknown outcome on both branches.
type OutcomeWorker struct{ t *intel.Tracker }

func (w *OutcomeWorker) Execute(ctx context.Context) error { // want Execute:"tracks outcome"
	err := os.Remove("x")
	if err != nil {
		w.t.TrackError(op, err, 0)
	} else {
		w.t.TrackSuccess(op, 0)
	}
	return err
}

// UntrackedWorker records nothing.
type UntrackedWorker struct{}

func (UntrackedWorker) Execute(ctx context.Context) error { // want `UntrackedWorker.Execute: the result returned at workers.go:115 is not tracked \(neither a success nor an error is recorded on this path\)`
	return os.Remove("x")
}

// PanicWorker: paths ending in panic, log.Fatal or os.Exit need no record.
type PanicWorker struct{ t *intel.Tracker }

func (w *PanicWorker) Execute(ctx context.Context, n int) error { // want Execute:"tracks success"
	switch {
	case n < 0:
		panic("negative")
	case n == 0:
		log.Fatal("zero")
	case n == 1:
		os.Exit(1)
	}
	w.t.TrackSuccess(op, 0)
	return nil
}

// DeferredWorker records the outcome in a deferred closure.
type DeferredWorker struct{ t *intel.Tracker }

func (w *DeferredWorker) Execute(ctx context.Context) (err error) { // want Execute:"tracks wrap"
	defer func() {
		if err != nil {
			w.t.TrackError(op, err, 0)
			return
		}
		w.t.TrackSuccess(op, 0)
	}()
	return os.Remove("x")
}

// GoWorker records in a goroutine: that does not count.
type GoWorker struct{ t *intel.Tracker }

func (w *GoWorker) Execute(ctx context.Context) error { // want `GoWorker.Execute: the success returned at workers.go:153 is not tracked`
	go w.t.TrackSuccess(op, 0)
	return nil
}

// NewTrackerWorker builds a Tracker on every call.
type NewTrackerWorker struct{}

func (NewTrackerWorker) Execute(ctx context.Context) error { // want Execute:"tracks wrap"
	t := intel.New() // want `NewTrackerWorker.Execute creates a new intelligence.Tracker at workers.go:160 on every call, which loses aggregation across calls \(keep one Tracker in a field of NewTrackerWorker, or use intelligence.Default\(\)\)`
	return intel.TrackErr(ctx, t, op, func(ctx context.Context) error { return nil })
}

// NoErrorWorker's run method cannot fail: out of scope.
type NoErrorWorker struct{}

func (NoErrorWorker) Execute(ctx context.Context) {}

// Marked is a worker by directive (its run method is Execute).
//
//resilience:worker
type Marked struct{}

func (Marked) Execute() error { return os.Remove("x") } // want `Marked.Execute: the result returned at workers.go:174 is not tracked`

// Ignored is exempt.
//
//resilience:ignore tracked by the caller
type IgnoredWorker struct{}

func (IgnoredWorker) Execute() error { return os.Remove("x") }

// NoReason has an ignore directive without a reason.
//
//resilience:ignore // want `//resilience:ignore on NoReasonWorker needs a reason`
type NoReasonWorker struct{}

func (NoReasonWorker) Execute() error { return nil } // want `NoReasonWorker.Execute: the success returned`

// Pool ends in Worker but has no Execute method: not a worker.
type PoolWorker struct{}

func (PoolWorker) Run() error { return nil }

// Generic workers are checked too.
type GenericWorker[T any] struct{ t *intel.Tracker }

func (w *GenericWorker[T]) Execute(ctx context.Context, v T) (T, error) { // want Execute:"tracks wrap"
	return intel.Track(ctx, w.t, op, func(ctx context.Context) (T, error) { return v, nil })
}
