package intelligence

import "sync/atomic"

// controlFlow holds the matchers given to RegisterControlFlow, replaced
// whole (copy on write) by each registration and only read by Track.
var controlFlow atomic.Pointer[[]func(error) bool]

// RegisterControlFlow declares the errors match accepts to be control flow
// rather than failures, for every Tracker of the process: a run that
// returns one tells its caller what to do next (a job queue's "snooze this
// job", "drop this task") and did not fail. Track, TrackErr and Track2
// record nothing for such a run: it counts neither as a success nor as a
// failure in health, error budgets and patterns. They still return the
// error unchanged. RetryObserver, where it records a call's outcome
// (outside Track), does the same.
//
// Job queues signal with errors this package cannot name, so the program
// that uses them registers them, once at start-up, with errors.Is and
// errors.AsType: for example
//
//	intelligence.RegisterControlFlow(func(err error) bool {
//		_, snooze := errors.AsType[*river.JobSnoozeError](err)
//		return snooze || errors.Is(err, asynq.RevokeTask)
//	})
//
// Register only what is no failure: asynq's SkipRetry and river's
// JobCancel end a job that failed for good, and a worker that keeps
// returning them is unhealthy. match runs on the error paths of Track and
// RetryObserver only (a nil error never reaches it) and must not block
// (errors.AsType allocates nothing there, errors.As its target); a panic
// in match is contained and the run counts as failed. Matchers are never
// removed; a nil match is ignored. TrackError, Recorder.TrackError and
// Recorder.Done record what they are told: a caller recording by hand
// decides itself whether an error is a failure.
func RegisterControlFlow(match func(err error) bool) {
	if match == nil {
		return
	}
	for {
		old := controlFlow.Load()
		var next []func(error) bool
		if old != nil {
			next = append(next, *old...)
		}
		next = append(next, match)
		if controlFlow.CompareAndSwap(old, &next) {
			return
		}
	}
}

// isControlFlow reports whether a registered matcher accepts err. A
// matcher's panic is contained and counted on t.
func (t *Tracker) isControlFlow(err error) (ok bool) {
	ms := controlFlow.Load()
	if ms == nil {
		return false
	}
	defer func() {
		if recover() != nil {
			t.trackPanics.Add(1)
			ok = false
		}
	}()
	for _, match := range *ms {
		if match(err) {
			return true
		}
	}
	return false
}
