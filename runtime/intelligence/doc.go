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
// run, records its success or error, and records a panic as a *PanicError
// before re-panicking with the original value. A nil *Tracker means
// Default(), the process-wide tracker; New builds one for injection and
// tests (it panics on an invalid option, like recovery.NewPolicy; Build
// returns the error instead). Tracking never panics and never fails the
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
// line (at most 64 striped operations per tracker, about 11 KiB each).
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
// values with placeholders. Messages that differ only in those parts group
// into one Pattern; errors of different types never do. Fingerprint
// returns the id, which is stable across processes. Each pattern keeps
// its count, first and last time seen, the workers affected, a sample
// message and its trend over 5m, 1h, 6h and 24h.
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
// Recommendation.Rule for the list). RecordFix records a fix for a
// pattern; the tracker then compares the pattern's rate after the fix with
// the rate before and judges the fix effective, ineffective or regressed
// (see FixVerdict), ranks the fixes, and recommends an effective fix when
// an error of the same types appears elsewhere.
//
// # Retries
//
// RetryObserver adapts a Tracker to recovery.Observer so that attempts,
// retried errors, recoveries, exhaustion and permanent failures reach the
// tracker, without counting a run twice when Track encloses the retry.
//
// # Memory bounds
//
// Whatever the input, memory is bounded by Limits. With the defaults: at
// most MaxOps (4096) operations of about 3.7 KiB of counters each (15
// MiB), 64 of them with 11 KiB more of stripes once contended; MaxPatterns (1000) patterns of at most about 10 KiB each (rings,
// a normalised message of at most MaxMessageLen (1024) bytes, a 256-byte
// sample, MaxAttrs (8) attributes with values cut at MaxAttrValueLen (256)
// bytes, MaxWorkersPerPattern (16) workers); MaxFixes (256) fixes. That is
// about 27 MiB in the worst case, and the documented bound is 32 MiB:
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
// authorization...) have their values replaced by Redacted, collections
// longer than 16 and structs are summarised by type (and length), and
// WithRedactor adds rules.
//
// # Output
//
// Snapshot returns everything as one JSON-ready value whose schema_version
// field is SchemaVersion (1); Handler serves it over HTTP. WithLogger logs
// each tracked error through log/slog with the operation, the pattern id
// and the redacted attributes. Tests inject time with WithClock.
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
