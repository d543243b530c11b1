package shapes

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

var errShort = errors.New("short")

// epoch keeps the time import used outside the workers.
var epoch = time.Unix(0, 0)

func fit(xs []float64) (float64, error) {
	if len(xs) == 0 {
		return 0, errShort
	}
	return xs[0], nil
}

// Partial records by hand on some paths but not on the first one.
type Partial struct {
	tracker *intelligence.Tracker
}

// Execute is rewritten: the records go, and so do op and start; the Track
// call reuses the records' tracker and Op.
func (w *Partial) Execute(ctx context.Context, xs []float64) (float64, error) {
	op := intelligence.Op{Agent: "predictor", Worker: "Partial", Operation: "fit"}
	start := time.Now()
	if len(xs) < 2 {
		return 0, errShort
	}
	v, err := fit(xs)
	if err != nil {
		// record the failure
		w.tracker.TrackError(op, err, time.Since(start), slog.Int("n", len(xs)))
		return 0, err
	}
	w.tracker.TrackSuccess(op, time.Since(start)) // done
	return v, nil
}

// Disagree records under two Ops: the Track call gets the default Op.
type Disagree struct {
	t *intelligence.Tracker
}

// Execute is rewritten with the Op -fix writes; opA stays, as the log
// still uses it.
func (w *Disagree) Execute(ctx context.Context, xs []float64) error {
	opA := intelligence.Op{Agent: "a", Worker: "Disagree", Operation: "x"}
	if _, err := fit(xs); err != nil {
		w.t.TrackError(opA, err, 0)
		slog.Info("failed", "op", opA.Operation)
		return err
	}
	w.t.TrackSuccess(intelligence.Op{Agent: "b"}, 0)
	return nil
}

// InClosure records inside a function literal it calls: refused.
type InClosure struct {
	t *intelligence.Tracker
}

// Execute cannot be rewritten.
func (w *InClosure) Execute(ctx context.Context, xs []float64) error {
	op := intelligence.Op{Worker: "InClosure"}
	done := func() { w.t.TrackSuccess(op, 0) }
	_, err := fit(xs)
	done()
	return err
}

// InDefer defers the record itself: the defer goes.
type InDefer struct {
	t *intelligence.Tracker
}

// Execute is rewritten.
func (w *InDefer) Execute(ctx context.Context, xs []float64) error {
	defer w.t.TrackSuccess(intelligence.Op{Worker: "InDefer"}, 0)
	_, err := fit(xs)
	return err
}

func begin() time.Time { return epoch }

// Effects would lose a call with side effects: refused.
type Effects struct {
	t *intelligence.Tracker
}

// Execute cannot be rewritten: start is only used by the record, and
// begin() may do something.
func (w *Effects) Execute(ctx context.Context, xs []float64) error {
	start := begin()
	_, err := fit(xs)
	if err != nil {
		w.t.TrackError(intelligence.Op{Worker: "Effects"}, err, time.Since(start))
	}
	return err
}

// ArgEffects would lose a call in a record's arguments: refused.
type ArgEffects struct {
	t *intelligence.Tracker
}

// Execute cannot be rewritten.
func (w *ArgEffects) Execute(ctx context.Context, xs []float64) error {
	_, err := fit(xs)
	if err != nil {
		w.t.TrackError(intelligence.Op{Worker: "ArgEffects"}, err, time.Since(begin()))
	}
	return err
}

// Emptied records in an if of its own: the if goes, its comment moves to
// the next statement; the case stays, empty, with the record's comment.
type Emptied struct {
	t *intelligence.Tracker
}

// Execute is rewritten.
func (w *Emptied) Execute(ctx context.Context, xs []float64) error {
	_, err := fit(xs)
	if err != nil {
		// count it
		w.t.TrackError(intelligence.Op{Worker: "Emptied"}, err, 0)
	}
	switch len(xs) {
	case 0:
		w.t.TrackSuccess(intelligence.Op{Worker: "Emptied"}, 0) // empty
	}
	return err
}

// DeferDispatch records in a deferred closure that dispatches on the
// outcome: the whole defer goes, and so do op and start.
type DeferDispatch struct {
	t *intelligence.Tracker
}

// Execute is rewritten.
func (w *DeferDispatch) Execute(ctx context.Context, xs []float64) (err error) {
	op := intelligence.Op{Worker: "DeferDispatch"}
	start := time.Now()
	defer func() {
		if err != nil {
			// the failure
			w.t.TrackError(op, err, time.Since(start))
			return
		}
		w.t.TrackSuccess(op, time.Since(start))
	}()
	_, err = fit(xs)
	return err
}

// DeferMixed records in a deferred closure that does more: only the
// record goes.
type DeferMixed struct {
	t     *intelligence.Tracker
	ready chan bool
}

// Execute is rewritten.
func (w *DeferMixed) Execute(ctx context.Context, xs []float64) error {
	defer func() {
		w.ready <- true
		w.t.TrackSuccess(intelligence.Op{Worker: "DeferMixed"}, 0)
	}()
	_, err := fit(xs)
	return err
}

// FromGoroutine records from goroutines: the go statement of the record
// goes, and the record inside the other goroutine.
type FromGoroutine struct {
	t    *intelligence.Tracker
	done chan error
}

// Execute is rewritten.
func (w *FromGoroutine) Execute(ctx context.Context, xs []float64) error {
	_, err := fit(xs)
	if err != nil {
		go w.t.TrackError(intelligence.Op{Worker: "FromGoroutine"}, err, 0)
		return err
	}
	go func() {
		w.t.TrackSuccess(intelligence.Op{Worker: "FromGoroutine"}, 0)
		w.done <- nil
	}()
	return nil
}
