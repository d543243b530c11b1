// Package recovery retries operations that fail transiently.
//
// It is the Go form of a retry decorator with a per-attempt timeout and a
// fallback, built for code that is rewritten to use it mechanically: the
// success path costs a few nanoseconds and allocates nothing, and by
// default the error a caller sees after the last attempt is the very error
// the operation returned, so `err == io.EOF` and type switches keep working.
//
// # Entry points
//
// These names are stable; the resilience-lint analyzers recognise them and
// its fixers write them:
//
//	Do(ctx, p, func(ctx context.Context) error) error
//	DoValue(ctx, p, func(ctx context.Context) (T, error)) (T, error)
//	DoValue2(ctx, p, func(ctx context.Context) (A, B, error)) (A, B, error)
//
// DoFallback, DoValueFallback and DoValue2Fallback take, in addition, a
// fallback called once with the final error; it may return zero or nil
// values. The function passed to every entry point receives the attempt's
// context: the caller's for the first attempt, a context derived from it
// for later ones (see Nested retries) and whenever the policy sets a
// per-attempt timeout.
//
// # Policies
//
// A *Policy is immutable and safe for concurrent use: build it once with
// NewPolicy (or derive one with Policy.With) and share it. A nil *Policy
// means Default(): 3 attempts, 100ms initial delay doubling up to 10s,
// full jitter. Options set the attempt count, delays, multiplier, jitter
// (JitterFull, JitterEqual, JitterDecorrelated, JitterNone), a per-attempt
// timeout, a maximum elapsed time, an error classifier, a shared retry
// Budget, an Observer, the clock and random source (for deterministic
// tests) and the opt-in detailed *Error. Package recoverytest has a fake
// Clock and a recording Observer for tests.
//
// # When retrying stops
//
// Attempt numbers are 1-based. After each failed attempt the error is
// classified, in this order:
//
//   - the caller's context is done (cancelled or past its deadline), or the
//     error is context.Canceled: StopCanceled, never retried;
//   - the error is marked with Permanent anywhere in its chain:
//     StopPermanent;
//   - the attempt ran out of its per-attempt timeout: transient;
//   - otherwise the classifier decides (default: transient); a
//     non-transient error stops with StopPermanent.
//
// A transient failure is retried unless the attempts are used up
// (StopExhausted), waiting would pass the maximum elapsed time
// (StopMaxElapsed), the shared Budget refuses the retry (StopBudget: a
// client-side decision, see ErrBudgetExhausted), or an enclosing Do is
// already retrying (StopNested, see below). There is never a sleep after
// the last attempt, and a sleep ends as soon as the context is done
// (StopCanceled). A success ends with StopSucceeded.
//
// The delay before retry n (n = the failed attempt's number) is
// initial*multiplier^(n-1) capped at the max delay, then jittered. An error
// with a `RetryAfter() time.Duration` method anywhere in its chain sets the
// delay instead (a server's hint), clamped to the max delay.
//
// # Observing retries
//
// An Observer set with WithObserver (several: Observers) receives, on the
// caller's goroutine and with the caller's context, OnAttempt before each
// attempt, OnRetry before each sleep and OnDone once at the end, with the
// attempt numbers, delays, errors, the transient verdict and the
// StopReason. This is how runtime/intelligence receives retry metadata.
// Without an observer none of this costs anything.
//
// # Errors
//
// By default Do returns nil or exactly the error the last attempt returned
// (with a top-level Permanent marker removed). How many attempts ran, why
// retrying stopped and whether the last failure was transient reach the
// Observer. With WithDetailedError, a failure is returned as *Error, which
// unwraps to the last error, to the context's error when cancellation
// stopped it, and to ErrBudgetExhausted when the budget did, so errors.Is
// works for each.
//
// # Nested retries
//
// Retries nested in retries multiply (3 attempts around 3 attempts make 9).
// From its second attempt on, Do marks the attempt's context; a Do called
// with a marked context makes one attempt and stops with StopNested, so
// nesting adds attempts instead of multiplying them. WithNestedRetries
// turns this off for a policy.
package recovery
