package recovery

import (
	"context"
	"time"
)

// AttemptInfo describes one attempt about to start.
type AttemptInfo struct {
	// Attempt is the attempt's number, 1-based.
	Attempt int
	// Elapsed is the time since the first attempt started (0 for it).
	Elapsed time.Duration
}

// RetryInfo describes a failed attempt that will be retried after Delay.
type RetryInfo struct {
	// Attempt is the 1-based number of the attempt that failed.
	Attempt int
	// Delay is the wait before the next attempt.
	Delay time.Duration
	// Err is the error the attempt returned, without a top-level
	// Permanent or Transient mark.
	Err error
	// Transient is always true today (only transient errors are retried);
	// it is kept so that observers need not rely on that.
	Transient bool
}

// Outcome describes the end of a Do call.
type Outcome struct {
	// Attempts is the number of attempts that ran (>= 1).
	Attempts int
	// Err is the last attempt's error without a top-level Permanent or
	// Transient mark (so that observers group failures by the error
	// itself); nil on success. With StopPanic it matches ErrPanicked.
	Err error
	// Transient reports whether the last failure was classified as
	// transient (false on success and when cancellation stopped the call
	// before classification).
	Transient bool
	// Stop says why retrying stopped.
	Stop StopReason
	// Elapsed is the time from the start of the first attempt.
	Elapsed time.Duration
	// Fallback reports that a fallback function will now be called with
	// the error (the DoFallback forms); the observer does not see its
	// result.
	Fallback bool
}

// Observer receives retry events, synchronously, in this order for each
// call: OnAttempt(1), then for each retry OnRetry(n) and OnAttempt(n+1),
// then OnDone once — also when the operation panics or calls
// runtime.Goexit (StopPanic: OnDone runs while the panic unwinds, which
// Do does not recover, so it continues untouched). All three receive the caller's context.
// Implementations must be safe for concurrent use and should be quick:
// they run on the caller's goroutine. ObserverFuncs makes one of plain
// functions.
type Observer interface {
	OnAttempt(ctx context.Context, a AttemptInfo)
	OnRetry(ctx context.Context, r RetryInfo)
	OnDone(ctx context.Context, o Outcome)
}

// Observers returns an Observer that passes every event to each of obs in
// order (nil entries are skipped), for example the intelligence bridge
// and a logger. With no non-nil observer it returns nil, which costs
// nothing in a policy.
func Observers(obs ...Observer) Observer {
	var list multiObserver
	for _, o := range obs {
		if o != nil {
			list = append(list, o)
		}
	}
	switch len(list) {
	case 0:
		return nil
	case 1:
		return list[0]
	}
	return list
}

type multiObserver []Observer

func (m multiObserver) OnAttempt(ctx context.Context, a AttemptInfo) {
	for _, o := range m {
		o.OnAttempt(ctx, a)
	}
}

func (m multiObserver) OnRetry(ctx context.Context, r RetryInfo) {
	for _, o := range m {
		o.OnRetry(ctx, r)
	}
}

func (m multiObserver) OnDone(ctx context.Context, o Outcome) {
	for _, ob := range m {
		ob.OnDone(ctx, o)
	}
}

// ObserverFuncs is an Observer made of functions, any of which may be nil
// (that event is ignored):
//
//	recovery.WithObserver(recovery.ObserverFuncs{
//		Done: func(ctx context.Context, o recovery.Outcome) { log.Print(o.Stop) },
//	})
type ObserverFuncs struct {
	Attempt func(ctx context.Context, a AttemptInfo)
	Retry   func(ctx context.Context, r RetryInfo)
	Done    func(ctx context.Context, o Outcome)
}

// OnAttempt calls f.Attempt when it is set.
func (f ObserverFuncs) OnAttempt(ctx context.Context, a AttemptInfo) {
	if f.Attempt != nil {
		f.Attempt(ctx, a)
	}
}

// OnRetry calls f.Retry when it is set.
func (f ObserverFuncs) OnRetry(ctx context.Context, r RetryInfo) {
	if f.Retry != nil {
		f.Retry(ctx, r)
	}
}

// OnDone calls f.Done when it is set.
func (f ObserverFuncs) OnDone(ctx context.Context, o Outcome) {
	if f.Done != nil {
		f.Done(ctx, o)
	}
}
