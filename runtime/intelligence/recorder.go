package intelligence

import (
	"log/slog"
	"time"
)

// Recorder records the runs of one operation whose counters were looked up
// once, for hot loops: Tracker.Op resolves the Op, and each record then
// goes straight to its counters. Recording through a Recorder costs what
// TrackSuccess and TrackError cost without the lookup (see
// docs/bench/intelligence.md). It is a small value, safe for concurrent
// use and cheap to copy. The zero Recorder records the zero Op on
// Default().
type Recorder struct {
	s  *series
	op Op
}

// Op returns a Recorder for op on t (nil means Default()). Records of an
// operation beyond Limits.MaxOps go to the overflow operation, as with
// TrackSuccess.
func (t *Tracker) Op(op Op) Recorder {
	t = t.resolve()
	op = op.bounded()
	return Recorder{s: t.lookup(op), op: op}
}

// Stamp is a reading of a tracker's clock, taken by Recorder.Start for
// Recorder.Done.
type Stamp struct{ ns int64 }

// resolve returns the recorder's tracker and series.
func (r Recorder) resolve() (*Tracker, *series) {
	if r.s == nil {
		t := defaultTracker
		return t, t.lookup(r.op)
	}
	return r.s.owner, r.s
}

// Op returns the operation r records (its names cut at 128 bytes).
func (r Recorder) Op() Op { return r.op }

// TrackSuccess records a successful run that took d, like
// Tracker.TrackSuccess: one clock read, for the time of the record.
func (r Recorder) TrackSuccess(d time.Duration, attrs ...slog.Attr) {
	t, s := r.resolve()
	t.success(s, r.op, t.now(), d, attrs)
}

// TrackError records a failed run that took d, like Tracker.TrackError.
func (r Recorder) TrackError(err error, d time.Duration, attrs ...slog.Attr) {
	t, s := r.resolve()
	t.failure(s, r.op, err, t.now(), d, attrs)
}

// Start reads the tracker's clock: the start of a run that Done records.
func (r Recorder) Start() Stamp {
	t, _ := r.resolve()
	return Stamp{ns: t.now()}
}

// Done records the run that began at start, a success when err is nil and
// an error otherwise, and returns its duration. One clock read gives both
// the duration and the time of the record, so that a Start/Done pair reads
// the clock twice in all, like measuring a run by hand.
func (r Recorder) Done(start Stamp, err error, attrs ...slog.Attr) time.Duration {
	t, s := r.resolve()
	now := t.now()
	d := time.Duration(now - start.ns)
	if err != nil {
		t.failure(s, r.op, err, now, d, attrs)
	} else {
		t.success(s, r.op, now, d, attrs)
	}
	return d
}
