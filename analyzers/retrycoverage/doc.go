// Package retrycoverage defines an Analyzer that reports exported agent
// methods whose work is not routed through runtime/recovery.
//
// # Analyzer retrycoverage
//
// retrycoverage: report exported agent methods not routed through runtime/recovery
//
// # Agents
//
// A named type declared in the package (not an alias, not an interface) is
// an agent when
//
//   - its declaration carries //resilience:agent (in a grouped type
//     declaration, on the spec; for a single spec, on the declaration), or
//   - it matches an agent-types pattern (path.Match against "Name" and
//     "import/path.Name"), or
//   - its package matches an agent-packages pattern (default "agents": a
//     pattern without "/" matches any element of the import path) and it
//     has at least one method in scope (so option structs and value types
//     of an agents package are not agents),
//
// and it is not a worker (see intelcoverage): //resilience:worker, or a
// worker-types match or worker-interfaces implementation that has a run
// method. Classification lives in package targets, shared with
// intelcoverage, the fixers and the report.
//
// # Methods in scope
//
// Exported methods declared on an agent, with a value or pointer receiver,
// generic receivers included, whose last result is identical to error
// (aliases of error count). Out of scope: unexported methods, methods
// whose last result is not error, functions, methods declared in generated
// files ("// Code generated ... DO NOT EDIT."), and methods declared in
// _test.go files unless include-tests is set.
//
// # Routed
//
// The analysis runs on the method's control-flow graph (ctrlflow, so
// paths ending in panic, os.Exit, log.Fatal or any function known never
// to return need nothing). A method is routed when every return statement
// is either
//
//   - reached, on every path from the entry, after a call to a recovery
//     entry point, or itself returns such a call; or
//   - a validation return: no call that can fail happened on any path
//     before it and it makes none itself (so "return nil", sentinel errors
//     and errors built on the spot with errors.New or fmt.Errorf are fine
//     before the retry).
//
// Recovery entry points are recognised by type-checked object, never by
// spelling (aliased imports and generic instantiations work):
// recovery.Do, recovery.DoValue, recovery.DoValue2 and their fallback
// forms recovery.DoFallback, recovery.DoValueFallback,
// recovery.DoValue2Fallback of
// github.com/resilience-lint/resilience-lint/runtime/recovery, configured
// retry-funcs ("import/path.Func" or "import/path.Type.Method"), and any
// function carrying the RoutedFunc fact. A call that can fail is a call
// whose callee's last result is error, other than errors.New, errors.Join,
// fmt.Errorf and validators: functions that return an error and make no
// call that can fail themselves (checkPlan(plan) that only returns
// sentinels or errors built on the spot), in this package or, through the
// ValidatorFunc fact, in another package of the module (or workspace) or
// one that imports a retry or tracking entry point, directly or not
// (targets.Classifier.ExportsFacts). Drivers differ in whether they analyze
// the standard library and the other dependencies from source, and a
// verdict must not depend on the driver: a function of the standard
// library, or of a module from the module cache that uses no retry or
// tracking API, returning an error is always work. A tracking wrapper
// (intelligence.Track, TrackErr, Track2, track-funcs of kind wrap) returns
// the error of the function literal it runs, so its call fails or routes
// exactly as that literal's calls do: tracking a worker does not make the
// deterministic method that calls it one to retry. A defer statement that turns a
// recovered panic into the function's named error result (a deferred
// function literal calling recover() and assigning err, or
// defer handleErr(&err) where handleErr, of this package, calls
// recover()) is work that can fail too, from where it is deferred on:
// such functions fail through panics (gopkg.in/yaml.v3's Decode). A
// deferred call that only wraps the error (defer wrap(&err, "op")) is not.
// Calls inside function literals count only where the
// literal is called; calls in go and defer statements count neither as
// routing nor as work (a retry started in a goroutine does not count).
// The closure of the entry point is not inspected: whatever runs inside it
// is retried.
//
// Work after the retry is checked too: on a path to a return whose error
// may be non-nil (anything but a literal nil; a bare return counts), every
// call that can fail made after a recovery call must itself route (an
// entry point or a routed function). Otherwise the method is unrouted:
// "the error returned at f.go:N comes from X at f.go:M, which runs after
// the recovery call at f.go:K, outside it". Work whose error is dropped
// before a "return nil" is fine. Such a method gets no fix, as wrapping a
// body that already retries would nest that retry: when its work after
// the retry is only calls to unrouted agent methods that this run's fixes
// will route, it is routed by delegation once they are (see Nested
// retries); otherwise the message says to move that work into the retry
// closure by hand or to mark the method //resilience:noretry <reason>.
//
// A method that does no work that can fail at all is reported as Routed in
// the Result with the reason "does no work that can fail".
//
// A routed method that reaches its retries only through routed functions
// has the reason "delegates to X.Y, which is routed" in the Result.
//
// # Nested retries
//
// Wrapping both a method and an agent method it calls multiplies their
// attempts (3 x 3 when both use the default policy): a retry storm. So an
// unrouted method whose only work that can fail is calls to unrouted
// in-scope agent methods that this run's fixes will route (they get a fix,
// or they delegate in turn) is still reported, but its message says which
// callees must be routed first, and it gets no fix. Once they are routed
// (the next fix round of resilience-lint -fix, or the next run), the
// method is routed by delegation. Callees in the package are decided
// first (Tarjan's strongly connected components of the calls between
// unrouted methods); a call within a cycle (recursion, methods calling
// each other) is ordinary work, as a cycle has no callee to route first.
// Callees in other packages are known through the UnroutedMethod fact.
// A callee that no fix will route (a one-shot input, a refusal of
// Options.Fix, an exempt or unexported method) is ordinary work too.
//
// A method that does other work as well gets its fix, and its message
// warns that the retry will nest the retries of the callees it names:
// route them by hand, split the method, or accept the product of the
// attempts.
//
// # Facts
//
// Every function or method of the package (not only agent methods) whose
// last result is error, that is routed by the rule above and reaches at
// least one return through a recovery call, gets the RoutedFunc fact, so
// that a method delegating to it, in any package, is routed. Facts within
// a package are found as a fixed point (helpers calling helpers). A
// missing fact means "not known to be routed". Validators get the
// ValidatorFunc fact. Unrouted in-scope agent methods that this run's
// fixes will route get the UnroutedMethod fact (see Nested retries).
//
// # Directives
//
//   - //resilience:noretry <reason> in a method's doc exempts it (Status
//     Exempt, with the reason). Without a reason the directive is itself
//     reported and the method is checked as usual. A trailing "// ..."
//     comment is not a reason.
//   - //resilience:ignore <reason> on a method or on the agent type exempts
//     from both analyzers.
//   - //nolint:retrycoverage is handled by golangci-lint.
//
// # Diagnostics
//
// One per unrouted method, at its name: "DataLoader.LoadCSV returns an
// error but is not routed through runtime/recovery: <what is missing, on
// which path, with file:line> (run resilience-lint -fix, or mark it
// //resilience:noretry <reason>)". When the method is not safe to run
// twice (targets.OneShot: it consumes an io.Reader that is not an
// io.Seeker, receives from a channel parameter, or writes to an io.Writer
// that is not an io.Seeker, where an attempt after a partial write would
// write the data again) the message says why -fix refuses it, and
// Target.OneShot carries the same reason to the fixer; when Options.Fix
// refuses, its reason is added the same way.
//
// # Flags
//
// Every setting of package config is a flag named by its YAML key:
// -agent-types, -extra-agent-types, -agent-packages, -extra-agent-packages,
// -worker-types, -extra-worker-types, -worker-interfaces, -worker-methods,
// -extra-worker-methods, -retry-funcs, -track-funcs, -policy, -agent-name,
// -include-tests. Lists are comma-separated; setting a replacing list to
// "" replaces its default with nothing. Analyzers from suite.Analyzers
// share one Config, so either analyzer's flags set it.
//
// # Result
//
// *Result lists every agent of the package with every in-scope method
// and its Status (Routed, Exempt with the reason, Unrouted with what is
// missing), for the coverage report. Positions are as the pass's FileSet
// gives them.
package retrycoverage
