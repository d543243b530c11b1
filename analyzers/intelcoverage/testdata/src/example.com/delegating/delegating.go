package delegating

import (
	"context"
	"os"

	"example.com/trackhelp"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// HelperWorker tracks through helpers of another package.
type HelperWorker struct{ t *intelligence.Tracker }

func (w *HelperWorker) Execute(ctx context.Context) error { // want Execute:"tracks outcome"
	if err := os.Remove("x"); err != nil {
		return trackhelp.Fail(w.t, err)
	}
	trackhelp.OK(w.t)
	return nil
}

// RecordWorker records the outcome through a helper.
type RecordWorker struct{ t *intelligence.Tracker }

func (w *RecordWorker) Execute(ctx context.Context) error { // want Execute:"tracks outcome"
	err := os.Remove("x")
	trackhelp.Record(w.t, err)
	return err
}

// RunWorker runs in a wrapper helper.
type RunWorker struct{}

func (RunWorker) Execute(ctx context.Context) error { // want Execute:"tracks wrap"
	return trackhelp.Run(ctx, func(ctx context.Context) error { return os.Remove("x") })
}

// SometimesWorker uses a helper that does not always record.
type SometimesWorker struct{ t *intelligence.Tracker }

func (w *SometimesWorker) Execute(ctx context.Context) error { // want `SometimesWorker.Execute: the success returned at delegating.go:43 is not tracked`
	trackhelp.Sometimes(w.t, true)
	return nil
}

// local helper with a fact in the same package
func (w *SometimesWorker) done() { w.t.TrackSuccess(intelligence.Op{}, 0) } // want done:"tracks success"

// LocalWorker uses a local helper.
type LocalWorker struct{ SometimesWorker }

func (w *LocalWorker) Execute(ctx context.Context) error { // want Execute:"tracks success"
	w.done()
	return nil
}
