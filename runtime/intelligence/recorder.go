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
	s *series
	// over is the Op asked for when s is the overflow series (beyond
	// Limits.MaxOps), for logging; otherwise s.op is the Op.
	over *Op
}

// Op returns a Recorder for op on t (nil means Default()). Records of an
// operation beyond Limits.MaxOps go to the overflow operation, as with
// TrackSuccess.
func (t *Tracker) Op(op Op) Recorder {
	t = t.resolve()
	if op.long() {
		op = op.truncated()
	}
	s := t.lookup(op)
	if s == t.overflowOp {
		over := op // a copy, so that only this rare branch allocates
		return Recorder{s: s, over: &over}
	}
	return Recorder{s: s}
}

// series returns the recorder's series, resolving the zero Recorder.
func (r Recorder) series() *series {
	if r.s == nil {
		return defaultTracker.lookup(Op{})
	}
	return r.s
}

// Op returns the operation r records (its names cut at 128 bytes).
func (r Recorder) Op() Op {
	switch {
	case r.over != nil:
		return *r.over
	case r.s != nil:
		return r.s.op
	}
	return Op{}
}

// TrackSuccess records a successful run that took d, like
// Tracker.TrackSuccess: one clock read, for the time of the record.
func (r Recorder) TrackSuccess(d time.Duration, attrs ...slog.Attr) {
	s := r.series()
	t := s.owner
	s.success(t.now(), d)
	if t.cfg.logger != nil {
		t.logSuccess(r.Op(), d, attrs)
	}
}

// TrackError records a failed run that took d, like Tracker.TrackError.
func (r Recorder) TrackError(err error, d time.Duration, attrs ...slog.Attr) {
	s := r.series()
	t := s.owner
	t.failure(s, r.Op(), err, t.now(), d, attrs)
}

// Start returns the current time on the tracker's clock (time.Now, or
// the clock given to WithClock): the start of a run that Done records.
// Any time.Time from time.Now works as well.
func (r Recorder) Start() time.Time {
	if t := r.series().owner; t.cfg.clock != nil {
		return t.cfg.clock()
	}
	return time.Now()
}

// Done records the run that began at start, a success when err is nil and
// an error otherwise, and returns its duration. It reads the clock once,
// for both the duration and the time of the record, so that timing a run
// by hand costs what it costs with any metrics library: time.Now before,
// one clock read after.
func (r Recorder) Done(start time.Time, err error, attrs ...slog.Attr) time.Duration {
	s := r.series()
	t := s.owner
	var now int64
	var d time.Duration
	if t.cfg.clock != nil {
		end := t.cfg.clock()
		d, now = end.Sub(start), end.UnixNano()
	} else {
		// start's monotonic reading places it on the tracker's own clock
		// (see Tracker.now) without reading the wall clock again.
		d = time.Since(start)
		now = t.baseWall + int64(start.Sub(t.baseMono)) + int64(d)
	}
	if err != nil {
		t.failure(s, r.Op(), err, now, d, attrs)
		return d
	}
	s.success(now, d)
	if t.cfg.logger != nil {
		t.logSuccess(r.Op(), d, attrs)
	}
	return d
}
