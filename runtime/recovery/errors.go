package recovery

import (
	"errors"
	"fmt"
	"strings"
)

// StopReason says why Do stopped retrying.
type StopReason int

// Stop reasons, reported in Outcome.Stop and Error.Stop.
const (
	// StopSucceeded: an attempt returned a nil error.
	StopSucceeded StopReason = iota
	// StopExhausted: the last allowed attempt failed.
	StopExhausted
	// StopPermanent: the error was marked Permanent (or is an *Error
	// that stopped with StopPermanent) or the classifier said it is not
	// transient.
	StopPermanent
	// StopCanceled: the caller's context was cancelled or passed its
	// deadline (before, during or after an attempt, or during a sleep), or
	// the attempt returned context.Canceled.
	StopCanceled
	// StopBudget: the shared retry Budget refused the retry; the decision
	// was made on the client side, not by the dependency.
	StopBudget
	// StopMaxElapsed: waiting for another attempt would pass the policy's
	// maximum elapsed time.
	StopMaxElapsed
	// StopNested: the call ran inside an attempt of an enclosing retrying
	// Do, so it made one attempt and left retrying to the enclosing call.
	StopNested
	// StopDeadline: the next attempt could not start before the caller's
	// context deadline (the delay would end after it), so Do returned the
	// last error at once instead of sleeping into the deadline.
	StopDeadline
	// StopPanic: the operation panicked (or called runtime.Goexit). Only
	// observers see it: Do lets the panic continue.
	StopPanic
)

var stopNames = [...]string{"succeeded", "exhausted", "permanent", "canceled", "budget exhausted", "max elapsed", "nested", "deadline", "panic"}

// String returns a short lower-case description of the reason.
func (r StopReason) String() string {
	if r >= 0 && int(r) < len(stopNames) {
		return stopNames[r]
	}
	return fmt.Sprintf("StopReason(%d)", int(r))
}

// ErrBudgetExhausted is matched by errors.Is on an *Error whose retrying
// was stopped by the shared retry Budget.
var ErrBudgetExhausted = errors.New("recovery: retry budget exhausted (retry suppressed client-side)")

// ErrPanicked is matched by errors.Is on Outcome.Err when the operation
// panicked or called runtime.Goexit (StopPanic). The panic's value is not
// in Outcome.Err: Do lets the panic go on without recovering it.
var ErrPanicked = errors.New("recovery: the operation panicked")

// Error is the detailed failure returned when a policy has
// WithDetailedError. It unwraps to the last error, to the context's error
// and its cause when cancellation stopped retrying, and to
// ErrBudgetExhausted when the budget did, so errors.Is and errors.As reach
// each of them.
type Error struct {
	// Err is the error the last attempt returned (never nil).
	Err error
	// Attempts is the number of attempts that ran.
	Attempts int
	// Stop says why retrying stopped.
	Stop StopReason
	// Transient reports whether Err was classified as transient.
	Transient bool
	// Ctx is the context's error when Stop is StopCanceled because the
	// caller's context ended; nil otherwise.
	Ctx error
	// Cause is context.Cause of the caller's context when it differs from
	// Ctx (a context.WithCancelCause or WithDeadlineCause cause); nil
	// otherwise.
	Cause error
}

// Error describes the attempts, the reason and the last error.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "recovery: %s after %d attempt", e.Stop, e.Attempts)
	if e.Attempts != 1 {
		b.WriteByte('s')
	}
	if e.Ctx != nil {
		fmt.Fprintf(&b, " (%v", e.Ctx)
		if e.Cause != nil {
			fmt.Fprintf(&b, ": %v", e.Cause)
		}
		b.WriteByte(')')
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the last error, then the context's error, its cause and
// ErrBudgetExhausted when they apply.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 3)
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	if e.Ctx != nil {
		errs = append(errs, e.Ctx)
	}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	if e.Stop == StopBudget {
		errs = append(errs, ErrBudgetExhausted)
	}
	return errs
}

// canceledError is what the default (non-detailed) form returns when the
// caller's context was cancelled with a cause that the last error does
// not already carry: the last error, with the cause beside it.
type canceledError struct {
	err   error // the last attempt's error
	cause error // context.Cause of the caller's context
}

func (e *canceledError) Error() string   { return e.err.Error() + " (" + e.cause.Error() + ")" }
func (e *canceledError) Unwrap() []error { return []error{e.err, e.cause} }

// permanentError marks an error that must not be retried.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying: Do stops at once with
// StopPermanent. The mark is found through any wrapping (fmt.Errorf's %w,
// errors.Join) and wins over every other signal, Transient marks
// included.
//
// Do returns the marked error as fn returned it, mark included, so that
// an enclosing Do (a routed method calling another routed method) does
// not retry it either; errors.Is and errors.As see through the mark. Only
// observers get the error without a top-level mark. Permanent(nil) is
// nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err, or any error it wraps, was marked with
// Permanent or is an *Error that stopped with StopPermanent.
func IsPermanent(err error) bool { return isPermanent(err) }

// isPermanent walks err's whole chain like errors.As, without allocating.
func isPermanent(err error) bool {
	for err != nil {
		switch u := err.(type) {
		case *permanentError:
			return true
		case *Error:
			if u.Stop == StopPermanent {
				return true
			}
			err = u.Err
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if isPermanent(e) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// transientError marks an error as worth retrying.
type transientError struct{ err error }

func (e *transientError) Error() string { return e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }

// Transient marks err as worth retrying, for failures the default
// classifier cannot recognise (see IsTransient). A Permanent mark anywhere
// in the chain still wins. When fn returns the marked error itself, Do
// returns err without the mark, so `err == ErrX` keeps working for the
// caller. Transient(nil) is nil.
func Transient(err error) error {
	if err == nil {
		return nil
	}
	return &transientError{err: err}
}

// unmark removes a top-level Transient mark from what Do returns, so that
// callers see the error they would have seen without the retry. A
// Permanent mark stays (see Permanent).
func unmark(err error) error {
	if t, ok := err.(*transientError); ok {
		return t.err
	}
	return err
}

// observed removes a top-level Permanent or Transient mark from an error
// given to an observer, which groups failures by the error itself.
func observed(err error) error {
	switch m := err.(type) {
	case *permanentError:
		return m.err
	case *transientError:
		return m.err
	}
	return err
}

// panicError is Outcome.Err when the operation panicked or called
// runtime.Goexit. The panic's value is not known: Do does not recover it
// (see unwind.Panicking). at is where the panic happened, when known.
type panicError struct {
	goexit bool
	at     string
}

func (e *panicError) Error() string {
	switch {
	case e.goexit:
		return "recovery: the operation called runtime.Goexit"
	case e.at != "":
		return "recovery: the operation panicked in " + e.at
	}
	return "recovery: the operation panicked"
}

func (e *panicError) Unwrap() error { return ErrPanicked }
