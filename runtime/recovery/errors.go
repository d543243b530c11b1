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
	// StopPermanent: the error was marked Permanent or the classifier
	// said it is not transient.
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
)

var stopNames = [...]string{"succeeded", "exhausted", "permanent", "canceled", "budget exhausted", "max elapsed", "nested"}

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

// Error is the detailed failure returned when a policy has
// WithDetailedError. It unwraps to the last error, to the context's error
// when cancellation stopped retrying, and to ErrBudgetExhausted when the
// budget did, so errors.Is and errors.As reach each of them.
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
}

// Error describes the attempts, the reason and the last error.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "recovery: %s after %d attempt", e.Stop, e.Attempts)
	if e.Attempts != 1 {
		b.WriteByte('s')
	}
	if e.Ctx != nil {
		fmt.Fprintf(&b, " (%v)", e.Ctx)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the last error, then the context's error and
// ErrBudgetExhausted when they apply.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 3)
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	if e.Ctx != nil {
		errs = append(errs, e.Ctx)
	}
	if e.Stop == StopBudget {
		errs = append(errs, ErrBudgetExhausted)
	}
	return errs
}

// permanentError marks an error that must not be retried.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying: Do stops at once with
// StopPermanent. The mark is found through any wrapping (fmt.Errorf's %w,
// errors.Join); when fn returns the marked error itself, Do returns err
// without the mark. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err, or any error it wraps, was marked with
// Permanent.
func IsPermanent(err error) bool { return isPermanent(err) }

// isPermanent walks err's chain like errors.As, without allocating.
func isPermanent(err error) bool {
	for err != nil {
		switch u := err.(type) {
		case *permanentError:
			return true
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

// unmark removes a top-level Permanent mark so that callers see the
// error they would have seen without the retry.
func unmark(err error) error {
	if p, ok := err.(*permanentError); ok {
		return p.err
	}
	return err
}
