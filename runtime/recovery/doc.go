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
// A *Policy is an immutable handle, safe for concurrent use: build it once
// with NewPolicy (an error for invalid options, for configuration) or
// MustNewPolicy (a panic, for constants), or derive one with Policy.With,
// and share it. A nil *Policy and the zero Policy mean Default(): 3
// attempts, 100ms initial delay doubling up to 10s, full jitter, and only
// failures known to be transient retried. Default returns a new handle on
// each call, so assigning through it changes nothing for anyone else, and
// `Do(ctx, Default(), fn)` allocates nothing. Options set the attempt
// count, delays, multiplier, jitter (JitterFull, JitterEqual,
// JitterDecorrelated, JitterNone), a per-attempt timeout, a maximum
// elapsed time, an error classifier, a shared retry Budget, an Observer,
// the clock and random source (for deterministic tests) and the opt-in
// detailed *Error. Package recoverytest has a fake Clock and a recording
// Observer for tests.
//
// # When retrying stops
//
// Attempt numbers are 1-based. After each failed attempt the error is
// classified, in this order:
//
//   - the caller's context is done (cancelled or past its deadline), or the
//     error is context.Canceled: StopCanceled, never retried;
//   - the error is marked with Permanent anywhere in its chain, or is an
//     *Error (from an inner Do) that stopped with StopPermanent:
//     StopPermanent;
//   - the attempt ran out of its per-attempt timeout: transient;
//   - otherwise the classifier decides (default IsTransient, below; set
//     one with WithClassifier, RetryAll retries everything); a
//     non-transient error stops with StopPermanent.
//
// A transient failure is retried unless the attempts are used up
// (StopExhausted), waiting would pass the maximum elapsed time
// (StopMaxElapsed), the next attempt could not start before the caller's
// context deadline (StopDeadline: Do returns the last error at once
// rather than sleeping into the deadline), the shared Budget refuses the
// retry (StopBudget: a client-side decision, see ErrBudgetExhausted), or
// an enclosing Do is already retrying (StopNested, see below). There is
// never a sleep after the last attempt, and a sleep ends as soon as the
// context is done (StopCanceled). A success ends with StopSucceeded. The
// time arithmetic saturates: WithMaxDelay(math.MaxInt64), the way to say
// "no cap", cannot make elapsed+delay wrap around.
//
// The delay before retry n (n = the failed attempt's number) is
// initial*multiplier^(n-1) capped at the max delay, then jittered. A
// server's retry-after hint anywhere in the error's chain (a
// `RetryAfter() time.Duration` method, or an exported `RetryAfter` field
// of type time.Duration or *time.Duration on the error's struct) sets the
// delay instead, clamped to the max delay, whatever the classifier.
//
// # What is transient
//
// The default classifier, IsTransient, retries only failures known to be
// transient; an error it cannot recognise is returned after one attempt,
// so a rewritten method's only change in behaviour is that transient
// failures are retried. It walks the error's chain in errors.As order
// (outermost first, errors.Join members in order); the first error that
// says something decides, after a Permanent mark anywhere, which always
// wins:
//
//	signal on an error of the chain                        verdict
//	Permanent(err) mark (anywhere in the chain)            not transient
//	Transient(err) mark                                    transient
//	Retryable() bool                                       its answer
//	retry-after hint > 0 (method or field, see above)      transient
//	Timeout() bool == true (net.Error, os.ErrDeadlineExceeded,
//	  context.DeadlineExceeded, syscall.ETIMEDOUT)         transient
//	Temporary() bool == true                               transient
//	HTTP status 408, 425, 429, 500, 502, 503, 504          transient
//	googleapi.Error 403 with the reason rateLimitExceeded
//	  or userRateLimitExceeded                             transient
//	any other HTTP status from 100 to 599                  not transient
//	gRPC status Unavailable (GRPCStatus().Code() == 14)    transient
//	an AWS throttling or request-timeout error code, or a
//	  MongoDB retry label, anywhere in the chain (below)   transient,
//	                                                       over an HTTP status
//	gRPC InvalidArgument, NotFound, AlreadyExists,
//	  PermissionDenied, FailedPrecondition, OutOfRange,
//	  Unimplemented, Unauthenticated                       not transient
//	syscall ECONNREFUSED, ECONNRESET, ECONNABORTED, EPIPE,
//	  EHOSTUNREACH, ENETUNREACH (and their Winsock
//	  numbers on Windows); io.ErrUnexpectedEOF             transient
//	*url.Error wrapping io.EOF (net/http's client: the
//	  connection closed without an answer; a bare io.EOF,
//	  the end of a stream, says nothing)                   transient
//	fs.ErrNotExist, fs.ErrPermission (ENOENT, EACCES,
//	  EPERM...), *strconv.NumError                         not transient
//	nothing of the above in the whole chain (a parse or
//	  syntax error, a validation sentinel, a checksum
//	  mismatch, errors.New)                                not transient
//
// The HTTP status is read from a `StatusCode() int` or
// `HTTPStatusCode() int` method; from an integer field named StatusCode,
// HTTPStatusCode or HTTPStatus of the error's struct (or the struct a
// pointer error points to); from an integer field named Status or Code
// only when the type's name contains "http", "status" or "response" (in
// any case) or the struct has a net/http.Header field named Header
// (googleapi.Error), since elsewhere those fields hold application codes
// (such a struct's 403 is transient when one of its Errors items, a
// struct with a string Reason, says rateLimitExceeded or
// userRateLimitExceeded: Google's APIs answer a rate limit so and say to
// back off and retry it; a daily or project quota, dailyLimitExceeded or
// quotaExceeded, is not);
// from the Code of the struct a `Status()` method returns when that struct
// also has a string Reason (Kubernetes' APIStatus: apimachinery's
// *errors.StatusError, whose metav1.Status also gives the hint in
// Details.RetryAfterSeconds; a Conflict, AlreadyExists, Invalid or
// NotFound is a 409, 409, 422, 404: not transient); and
// from a Response or HTTPResponse field pointing to a struct with an
// integer StatusCode (an *http.Response, as go-github's ErrorResponse
// has). Only the struct's own fields count, not promoted ones; values
// outside 100-599 say nothing. Fields are found with reflect once per
// error type and cached, on the failure path only; Do never classifies a
// success, and classifying allocates nothing once a type has been seen
// (but for a gRPC or Kubernetes status, read through reflect calls: a few
// allocations per failed attempt).
//
// The gRPC status is read, without importing gRPC, from a GRPCStatus()
// method whose result has a Code() of an unsigned integer type, as
// grpc-go's status errors have; the other codes (ResourceExhausted,
// Aborted, Internal, ...) say nothing.
//
// A service's own word that a request can be retried is read anywhere in
// the chain and wins over an HTTP status on a wrapper (not over a
// Permanent mark or an outer Retryable() false): aws-sdk-go-v2's API
// errors (smithy-go's APIError shape: ErrorCode() string and an integer
// ErrorFault(), under the SDK's *http.ResponseError) whose code is one
// the SDK's standard retryer retries, its throttling codes
// (ProvisionedThroughputExceededException, ThrottlingException,
// RequestThrottled, SlowDown, ... : AWS answers most of them with a 400)
// and RequestTimeout(Exception); and the MongoDB driver's labelled errors
// (HasErrorLabel) labelled RetryableWriteError, TransientTransactionError,
// SystemOverloadedError or RetryableError. A DynamoDB
// ConditionalCheckFailedException or TransactionCanceledException, a
// ValidationException, a MongoDB duplicate key stay not transient.
//
// A context.DeadlineExceeded is a timeout, but Do never retries the
// caller's own deadline: that is checked first (StopCanceled). Mark a
// failure the table does not know with Transient, or keep the old
// behaviour with WithClassifier(RetryAll).
//
// # Observing retries
//
// An Observer set with WithObserver (several: Observers; plain functions:
// ObserverFuncs) receives, on the caller's goroutine and with the
// caller's context, OnAttempt before each attempt, OnRetry before each
// sleep and OnDone exactly once at the end, with the attempt numbers,
// delays, errors, the transient verdict and the StopReason. If the
// operation panics (or calls runtime.Goexit), OnDone still runs, with
// StopPanic and an error matching ErrPanicked and naming where the panic
// happened, while the panic unwinds: Do never recovers a panic, so it goes
// on with its value, its stack and the frame it started from (a recover
// further up sees what it would see without Do; the observer does not
// learn the value). This is how runtime/intelligence receives retry
// metadata. Without an observer none of this costs anything.
//
// # Errors
//
// By default Do returns nil or exactly the error the last attempt
// returned, so `err == io.EOF` and type switches keep working. Two marks
// behave differently: a top-level Transient mark is removed (it only told
// Do to retry), while a Permanent mark stays, so that an enclosing Do — a
// routed method calling another routed method — does not retry what the
// inner call found permanent; errors.Is and errors.As see through it. When
// the caller's context was cancelled with a cause (context.WithCancelCause)
// that the last error does not carry, the error returned also matches
// context.Cause(ctx) with errors.Is. How many attempts ran, why retrying
// stopped and whether the last failure was transient reach the Observer.
// With WithDetailedError, a failure is returned as *Error, which unwraps
// to the last error, to the context's error and its cause when
// cancellation stopped it, and to ErrBudgetExhausted when the budget did,
// so errors.Is works for each.
//
// # Nested retries
//
// Retries nested in retries multiply (3 attempts around 3 attempts make 9).
// From its second attempt on, Do marks the attempt's context; a Do called
// with a marked context makes one attempt and stops with StopNested, so
// nesting adds attempts instead of multiplying them. WithNestedRetries
// turns this off for a policy.
//
// A permanent verdict crosses nesting: the inner Do returns a Permanent
// mark as it found it, and a detailed *Error that stopped with
// StopPermanent counts as permanent for the enclosing Do, so a delegation
// chain calls the dependency once. The bare error carries no other
// verdict: when an inner policy's own classifier (WithClassifier) decides
// that an unmarked error is permanent, the enclosing Do classifies that
// error again with its own classifier. Policies of one chain should share
// a classifier, or the inner one should mark its errors.
package recovery
