// Package intelcoverage defines an Analyzer that reports worker run methods
// whose successes and errors are not tracked by runtime/intelligence.
//
// # Analyzer intelcoverage
//
// intelcoverage: report worker run methods whose outcomes are not tracked by runtime/intelligence
//
// # Workers
//
// A named type declared in the package (not an alias, not an interface) is
// a worker when its declaration carries //resilience:worker, or when it
// matches a worker-types pattern (default "*Worker"; path.Match against
// "Name" and "import/path.Name") or implements a worker-interfaces
// interface ("import/path.Name", looked up among the package's imports)
// and has a run method. Run methods are the methods named in
// worker-methods (default "Execute") whose last result is identical to
// error; a run method without an error result is out of scope. Workers
// are never agents. Classification lives in package targets.
//
// Methods declared in generated files are never checked; those in _test.go
// files only with include-tests.
//
// # Tracked
//
// The analysis runs on the run method's control-flow graph (ctrlflow, as
// passes/lostcancel does). On every path from the entry to a return:
//
//   - a return of a nil error needs a success record before it;
//   - a return of an error known to be non-nil (a package-level sentinel,
//     errors.New, fmt.Errorf, errors.Join, a composite literal, or the
//     variable tested by the enclosing "if err != nil") needs an error
//     record;
//   - a return of an error that may be nil or not (return err, bare
//     returns, return f()) needs a record of either kind on every path;
//   - a return reached after the Track wrapper (intelligence.Track,
//     TrackErr, Track2, or a wrap helper) needs nothing: the wrapper
//     tracks what it returns.
//
// Records are Tracker.TrackSuccess and Tracker.TrackError of
// github.com/resilience-lint/resilience-lint/runtime/intelligence
// (recognised by object, on any Tracker expression), configured
// track-funcs ("import/path.Func=kind", kind success, error, outcome or
// wrap; default outcome), and functions carrying the TrackingFunc fact.
// Records in go statements and in function literals do not count; a
// deferred record counts for every later return, and a deferred function
// literal recording both kinds is taken as dispatching on the outcome.
// Paths ending in panic, os.Exit, log.Fatal or any function known never
// to return need no record.
//
// Creating a Tracker inside the run method (intelligence.New or a
// Tracker composite literal, closures included) is reported: it loses
// aggregation across calls.
//
// # Facts
//
// Every function or method of the package gets a TrackingFunc fact when
// all its normal exits record: success, error, outcome (either, or both),
// wrap (all exits follow the Track wrapper, or it returns an error tracked
// by the run-method rule above, e.g. a tracked run method another worker
// delegates to). Facts within a package are found as a fixed point. A
// missing fact means "records nothing known".
//
// # Directives
//
//   - //resilience:worker on a type declaration makes it a worker.
//   - //resilience:ignore <reason> on the run method or the worker type
//     exempts it (Status Exempt); without a reason it is reported.
//   - //nolint:intelcoverage is handled by golangci-lint.
//
// # Diagnostics
//
// One per untracked run method, at its name, saying what is missing on
// which path for each untracked return: "StatisticsWorker.Execute: the
// error returned at stats.go:42 is not tracked (no error record on this
// path); the success returned at stats.go:50 is not tracked (...) (run
// resilience-lint -fix to wrap the body in intelligence.Track, or record
// it with TrackSuccess/TrackError)". Each untracked return is attached as
// related information at its position. Options.Fix is called once per
// reported method; its fix (one rewrite of the whole method) is attached
// to the diagnostic, its refusal added to the message. A Tracker built in
// the run method is reported at the call that builds it. The diagnostic
// shape is the one of retrycoverage (package analyzers/internal/report).
//
// # Flags
//
// The same flags as retrycoverage (every key of package config).
//
// # Result
//
// *Result lists one Worker per run method of every worker of the package,
// tracked or not, with the agent name (agent-name, or the package name),
// for the coverage report.
package intelcoverage
