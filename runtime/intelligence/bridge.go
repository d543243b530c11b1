package intelligence

import (
	"context"
	"errors"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Unattributed names the operation of retries that RetryObserver could not
// attribute: it was built with a zero Op and the context carried none.
const Unattributed = "(unattributed)"

// RetryObserver returns a recovery.Observer that feeds retry metadata into
// t (nil means Default()): every retried failure (its pattern counted as
// Retried, deadline errors counted as attempt timeouts), and every call's
// end (first-try success, recovered after retries, exhausted, permanent,
// cancelled, refused by the retry budget). This is what separates one hard
// failure from many transient ones in Health.Retries and in the
// recommendations.
//
// The records go to op; with a zero Op, to the Op in the call's context
// (set by Track or WithOp), so one observer on a shared Policy serves every
// worker.
//
// When the recovery call runs inside Track on the same tracker, Track
// records the run's success or failure and the observer adds only the
// retry metadata; otherwise the observer also records the final outcome
// (TrackSuccess or TrackError with the elapsed time), so a run is never
// counted twice. A call nested in another retrying call's second or later
// attempt (recovery.Nested), whether it succeeded at once or stopped with
// StopNested, is left to the enclosing call. A call nested in the first
// attempt cannot be told from an independent one (recovery marks only
// later attempts): run such calls under Track, or observe only the
// outer one, so that they are not counted as two runs.
func RetryObserver(t *Tracker, op Op) recovery.Observer {
	return &retryObserver{t: t.resolve(), op: op.bounded()}
}

type retryObserver struct {
	t  *Tracker
	op Op
}

// target returns the Op to record under and its series, and whether an
// enclosing Track on this tracker records the outcome.
func (o *retryObserver) target(ctx context.Context) (Op, *series, bool) {
	ctxOp, tracked, _ := fromContext(ctx)
	op := o.op
	if op == (Op{}) {
		op = ctxOp
		if op == (Op{}) {
			op = Op{Agent: Unattributed, Worker: Unattributed, Operation: Unattributed}
		}
	}
	s := tracked
	if s == nil || s.owner != o.t || s.op != op {
		s = o.t.lookup(op) // may still be tracked's series: the overflow one
	}
	return op, s, s == tracked
}

// OnAttempt implements recovery.Observer; attempts are counted in OnDone.
func (o *retryObserver) OnAttempt(context.Context, recovery.AttemptInfo) {}

// OnRetry implements recovery.Observer.
func (o *retryObserver) OnRetry(ctx context.Context, r recovery.RetryInfo) {
	op, s, _ := o.target(ctx)
	t := o.t
	s.retry.retries.Add(1)
	if errors.Is(r.Err, context.DeadlineExceeded) {
		s.retry.attemptTimeout.Add(1)
	}
	t.recordPattern(s, op, r.Err, t.now(), true, nil)
}

// OnDone implements recovery.Observer.
func (o *retryObserver) OnDone(ctx context.Context, out recovery.Outcome) {
	op, s, tracked := o.target(ctx)
	t := o.t
	rc := &s.retry
	if out.Stop == recovery.StopNested {
		rc.nested.Add(1)
		return
	}
	rc.calls.Add(1)
	rc.attempts.Add(uint64(max(out.Attempts, 0)))
	if out.Fallback {
		rc.fallbacks.Add(1)
	}
	switch out.Stop {
	case recovery.StopSucceeded:
		if out.Attempts > 1 {
			rc.recovered.Add(1)
		} else {
			rc.firstTry.Add(1)
		}
	case recovery.StopExhausted:
		rc.exhausted.Add(1)
	case recovery.StopPermanent:
		rc.permanent.Add(1)
		if out.Attempts > 1 {
			rc.permanentLate.Add(1)
		}
	case recovery.StopCanceled:
		rc.canceled.Add(1)
	case recovery.StopBudget:
		rc.budgetDenied.Add(1)
	case recovery.StopMaxElapsed:
		rc.maxElapsed.Add(1)
	case recovery.StopDeadline:
		rc.deadline.Add(1)
	case recovery.StopPanic:
		rc.panicked.Add(1)
	}
	// Under Track, Track records the run; inside an enclosing retrying
	// call's attempt, the enclosing call does (its observer, or its
	// Track): counting the inner call too would make one run two.
	if tracked || recovery.Nested(ctx) {
		return
	}
	switch {
	case out.Err == nil:
		t.success(s, op, t.now(), out.Elapsed, nil)
	case t.isControlFlow(out.Err):
		// Control flow (see RegisterControlFlow), as in Track.
	default:
		t.failure(s, op, out.Err, t.now(), out.Elapsed, nil)
	}
}
