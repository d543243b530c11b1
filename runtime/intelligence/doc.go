// Package intelligence tracks the successes and failures of workers and
// turns them into health, error patterns, error budgets, recommendations
// and measured fixes. It depends on the standard library and on
// runtime/recovery only.
//
// # Entry points
//
// These names are stable; the resilience-lint analyzers recognise them and
// its fixers write them:
//
//	Track(ctx, t, op, func(ctx context.Context) (T, error)) (T, error)
//	TrackErr(ctx, t, op, func(ctx context.Context) error) error
//	Track2(ctx, t, op, func(ctx context.Context) (A, B, error)) (A, B, error)
//	(*Tracker).TrackSuccess(op, d, attrs...)
//	(*Tracker).TrackError(op, err, d, attrs...)
//
// An Op names the agent, the worker and the operation. Track measures the
// run and records its success or error, and changes nothing the run does:
// it returns the function's results as they are, and records a panic (as
// a *PanicError naming the function and line that panicked) or
// runtime.Goexit (testing's FailNow, as ErrGoexit) while it unwinds,
// without recovering it. The panic goes on with its value, its stack and
// the frame it started from, so a recover further up (a job queue writing
// "panic [handlers.go:37]" into a task, a server's middleware) sees what
// it would see without Track; the tracker does not learn the panic's
// value, which only recover can read. A nil *Tracker means
// Default(), the process-wide tracker; New builds one for injection and
// tests (returning an error naming an invalid option, like
// recovery.NewPolicy; MustNew panics with it instead). Tracking never panics and never fails the
// caller.
//
// TrackSuccess is the hot path: after an Op's first use it takes no lock
// and allocates nothing (a small direct-mapped cache and a copy-on-write
// sharded index, both only read, lead to the Op's own atomic counters),
// at a few tens of nanoseconds plus one clock read; see
// docs/bench/intelligence.md. Tracker.Op resolves an Op once and returns
// a Recorder for hot loops: its TrackSuccess and TrackError skip the
// lookup, and Start and Done measure a run with two clock reads in all
// (Done's one read gives both the duration and the time of the record).
// Track, TrackErr and Track2 allocate nothing either once they have seen
// the caller's context: the context they pass to the function, marking
// the Op for RetryObserver, is cached per operation (a few per operation,
// keeping those parent contexts reachable until replaced). When several
// goroutines record one operation at once, on several cores, its run
// counters spread over stripes so that they stop contending for one cache
// line (at most 64 striped operations per tracker, about 12 KiB each);
// goroutines found writing one stripe at once are sent to different ones.
//
// Some errors are a caller's control flow, not failures: a job queue's
// "snooze this job" or "drop this task". RegisterControlFlow declares
// them, once for the process (this package cannot name a framework's
// types); Track then records nothing for a run that returns one, neither
// a success nor a failure, and still returns the error unchanged.
//
// Run the tracked work inside Track rather than calling TrackSuccess and
// TrackError by hand: a hand-written pair is easy to miss on one return
// path, which is what resilience-lint's intelcoverage analyzer reports.
//
// # Patterns
//
// An error's fingerprint is its type chain (the types along its Unwrap
// tree, without fmt.Errorf's and errors.Join's generic wrappers) plus its
// message normalised by Normalize, which replaces numbers, UUIDs, hex ids,
// IP addresses, emails, URLs, host names, file paths, durations and quoted
// values with placeholders (hex ids include words of eight or more letters
// a-f, such as "deadbeefcafe"). Messages that differ only in those parts
// group into one Pattern; errors of different types never do. Fingerprint
// returns the id, which is stable across processes. A tracker remembers
// the ids of the last 128 errors it fingerprinted, keyed by their type
// chain and exact message (up to 256 bytes), so that an error seen again
// is not normalised again. Each pattern keeps
// its count, first and last time seen, the workers affected, a scrubbed
// sample message, its trend over 5m, 1h, 6h and 24h, and its ErrorKind
// with the evidence that chose it: rate-limited (HTTP 429, a RetryAfter()
// hint), permission, not-found, validation, connection refused or reset,
// DNS or timeout, read from the error chain (errors.Is/As, StatusCode()
// and RetryAfter() methods) and then from the message.
//
// # Scrubbing
//
// Nothing a tracker keeps or serves holds a secret in the clear, after
// Sentry's default data scrubbing: sample messages, normalised messages and
// logged errors have the values of "key=value" and "key: value" pairs
// whose key names a secret (password, secret, token, api_key,
// authorization, cookie, session, credential, private_key...), bearer and
// basic credentials, well-known API keys and tokens (sk_live_..., ghp_...,
// AKIA..., JWTs), the password of a URL and card-like numbers (13-19
// digits passing the Luhn check) replaced by Redacted, and emails by
// <email>. Attributes are scrubbed at every depth of groups, and inside
// map values (an http.Header's Authorization) by key. WithScrubKeys and
// WithScrubPatterns add a team's own keys and expressions. Scrubbing runs
// when a pattern is created or an error logged, never on a known
// pattern's path, and does not change pattern ids.
//
// # Health
//
// Health is reported per worker and per agent: runs, success and error
// rates, consecutive failures, latency percentiles from a bounded
// log-linear histogram, retry statistics, and a Status judged on the most
// recent window (1h, else 6h, else 72h) holding at least
// Thresholds.MinSamples (20) runs:
//
//	healthy   success rate >= 90%   (Thresholds.Healthy)
//	degraded  success rate >= 70%   (Thresholds.Degraded)
//	failing   below 70%, or 5 consecutive failures (Thresholds.FailingAfter)
//	unknown   too few runs in every window: not enough evidence to judge
//
// A streak of consecutive failures counts for StreakIdle (1h) after its
// last failure; a worker idle longer is judged on its windows like any
// other. Latency percentiles cover runs up to MaxLatency (about 78 hours);
// longer runs are counted in Latency.AboveRange.
//
// # Error budgets
//
// WithObjective sets a success objective for an agent or one worker. Its
// Budget reports the budget remaining over 72h and the burn rate (error
// ratio divided by the allowed error ratio) over 5m, 30m, 1h, 6h and 72h,
// and evaluates the SRE workbook's multi-window alerts: 1h and 5m above
// 14.4 (page), 6h and 30m above 6 (page), 72h and 6h above 1 (ticket; the
// workbook's 3d window). An alert whose long window has fewer than
// Objective.MinEvents (20) runs is not evaluated. Windows up to an hour are
// counted in minute buckets, longer ones in hour buckets; the current
// bucket counts as it fills, so a 6h window spans between 5 and 6 hours.
//
// # Recommendations and learning
//
// Recommendations are rules over health, patterns, retry metadata, budgets
// and fixes, each with the evidence it fired on, ranked by score (see
// Recommendation.Rule for the list). Advice follows the error's kind:
// rate-limited calls are told to back off and honour Retry-After, never to
// be marked permanent; permission, not-found, validation, refused
// connections and DNS failures each get their own rule, with the kind's
// evidence.
//
// RecordFix records a fix for a pattern, seen in this process or not (a
// fix shipped by redeploying). The tracker judges it on the error ratio:
// the pattern's occurrences per run of the operations it affected, in the
// 24h before the fix (whole hours, so the event at the window's edge is
// in) and since. A fix is effective when the ratio halved, ineffective
// when it did not, regressed when the pattern stayed away over enough runs
// and came back at the old ratio, and insufficient_data while fewer than
// FixMinExpected (5) recurrences were expected at the old ratio (a quiet
// hour with little traffic proves nothing) or without a baseline; see
// FixVerdict. An effective fix is suggested for another pattern with the
// same type chain, the same kind and at least half its message's words.
//
// # Retries
//
// RetryObserver adapts a Tracker to recovery.Observer so that attempts,
// retried errors, recoveries, exhaustion and permanent failures reach the
// tracker, without counting a run twice when Track encloses the retry or
// when the retrying call runs inside a later attempt of another
// (recovery.Nested).
//
// # Memory bounds
//
// Whatever the input, memory is bounded by Limits. With the defaults: at
// most MaxOps (4096) operations of about 3.9 KiB of counters each (16
// MiB), 64 of them with about 12 KiB more of stripes once contended (see
// Tracker.Op and docs/bench/intelligence.md); MaxPatterns (1000) patterns
// of at most about 12 KiB each (rings, a normalised message of at most
// MaxMessageLen (1024) bytes, a 256-byte sample, at most MaxAttrs (8)
// attributes per group level and MaxAttrLeaves (64) leaves and
// MaxAttrBytes (4096) bytes per record whatever the nesting, values cut at
// MaxAttrValueLen (256) bytes, MaxWorkersPerPattern (16) workers);
// MaxFixes (256) fixes; the memo of recent errors, about 52 KiB. That is
// about 30 MiB in the worst case, and the
// documented bound is 32 MiB:
// TestMillionDistinctMessages feeds a million distinct messages from 5,000
// operations and checks the retained heap (runtime.GC, then
// runtime.ReadMemStats) stays under it; it measures about 16 MiB.
//
// What a limit keeps out is counted in Snapshot.Overflow, never dropped
// silently: records of operations beyond MaxOps go to an overflow
// operation and errors of patterns beyond MaxPatterns to an overflow
// pattern, both named OverflowName (records of an overflowed operation
// take a lock, unlike those of known ones), and patterns idle for
// PatternTTL (24h) are evicted to make room. Names are cut at 128 bytes.
// Attributes are redacted: keys naming secrets (password, token,
// authorization...) have their values replaced by Redacted at every
// depth, collections longer than 16 and structs are summarised by type
// (and length), and WithRedactor adds rules.
//
// # Output
//
// Snapshot returns everything as one JSON-ready value whose schema_version
// field is SchemaVersion (1). Handler serves it over HTTP: JSON by
// default or with ?format=json, and to browsers (Accept: text/html) or
// with ?format=html a self-contained dashboard page (no external scripts,
// styles or fonts; it works offline) showing health per agent and worker,
// budgets with their burn-rate alerts, top patterns with their trend,
// recommendations with their evidence and fixes with their verdicts,
// refreshed from the JSON every 15 seconds. WithLogger logs each tracked
// error through log/slog with the operation, the pattern id and the
// redacted attributes. Tests inject time with WithClock.
//
// Save writes the tracker's state (operations and their counters,
// patterns, fixes) as versioned JSON (StateFormat, StateVersion) and
// Restore adds it to a tracker, so that a restarted process keeps its
// history and judges fixes against the error ratio measured before them.
//
// # Metrics export
//
// Counters returns each operation's raw cumulative counts (runs, errors,
// the latency histogram with LatencyBounds, retries) for exporters. The
// module github.com/resilience-lint/resilience-lint/exporters/prometheus
// (exporters/prometheus in this repository, a module of its own so that
// this package keeps no dependency) provides a prometheus.Collector over a
// Tracker: runs, errors and retries per operation, a latency histogram,
// health status, error-budget burn rates and alerts, and the counts of the
// patterns with the most errors, with bounded label cardinality. Register
// it once; each scrape reads Counters and Snapshot, so the hot path pays
// nothing for it.
package intelligence
