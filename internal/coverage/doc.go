// Package coverage is the coverage model behind "resilience-lint report":
// the honest health score.
//
// Build turns the analyzers' results (one *retrycoverage.Result and one
// *intelcoverage.Result per package) into a Report: every agent with its
// in-scope methods (routed, exempt with the reason, or missing with what is
// missing on which path), every worker with its run method (tracked, exempt,
// or which path is not tracked), the totals and the health score. A Report
// renders as an aligned table (terminals), JSON (a versioned schema) or
// Markdown (PR comments and tracking issues: a checklist per package).
//
// # Metrics
//
// Exempt methods and workers (//resilience:noretry <reason>,
// //resilience:ignore <reason>) are listed with their reasons and counted
// on their own; they are left out of every denominator, so that an
// exemption neither raises nor lowers a percentage.
//
//	retry    agents fully covered / agents       an agent counts when it has at least one
//	                                              non-exempt in-scope method; it is covered
//	                                              when all of them are routed
//	methods  routed methods / non-exempt in-scope methods
//	intel    tracked workers / non-exempt workers
//
// # Health score
//
//	score = mean of the defined values among (methods, intel)
//
// that is (methods + intel) / 2 when the code base has both agent methods
// and workers in scope, the one defined value when it has only one kind,
// and undefined ("n/a", JSON null) when it has neither. The score has no
// other input: no weights, no caps, no constants. A metric whose
// denominator is zero is reported as n/a and never counted as 0% or 100%
// (the score this replaces silently averaged in an input that was always
// zero). The inputs are printed next to the score in every rendering.
//
// # Gates
//
// ParseGates reads "--fail-under" values such as "retry=100,intel=90"
// (metrics: retry, methods, intel, score; thresholds in percent, 0 to 100).
// Report.CheckGates lists the gates a report fails. A gate over an
// undefined metric passes and says so (there is nothing in scope to
// cover).
//
// # Baselines
//
// A Baseline records the findings of one run (Report.Findings: the unrouted
// methods and untracked workers) so that a legacy code base can adopt the
// tool and fail CI only on regressions. Findings are matched by analyzer,
// package path, type, method and kind ("unrouted", "untracked"), never by
// file, line or message text, so that editing code around a finding does
// not turn it into a new one. Renaming a method or moving a type to another
// package does: the old finding shows as fixed and the new one as new.
//
//	b, err := coverage.LoadBaseline("resilience-baseline.json")
//	if b.Contains(f) { /* known, legacy finding */ }
//	err = coverage.WriteBaseline("resilience-baseline.json", report.Findings())
//
// Report.Compare(b) records the progress against a baseline: the findings
// fixed since it was written, the new ones, and the ones that remain.
//
// # JSON schema (schema_version 1)
//
//	{
//	  "schema_version": 1,
//	  "agents":  [{"package", "name", "file", "line", "status",
//	               "in_scope", "routed", "exempt", "missing",
//	               "methods": [{"name", "status", "reason", "file", "line"}]}],
//	  "workers": [{"package", "name", "method", "agent", "status", "reason", "file", "line"}],
//	  "totals":  {"retry", "methods", "intel": {"covered", "total", "percent"},
//	              "in_scope_methods", "exempt_methods", "exempt_workers"},
//	  "score":   {"value", "formula", "inputs": [{"metric", "percent"}]},
//	  "baseline": {"file", "recorded", "remaining", "fixed": [finding], "new": [finding]},
//	  "errors":  ["packages that could not be analyzed"]
//	}
//
// Statuses: agent "covered", "partial", "uncovered", "exempt" (every
// in-scope method exempt), "empty" (no in-scope method); method "routed",
// "exempt", "missing"; worker "tracked", "exempt", "missing". "percent"
// and "value" are null when undefined. "baseline" is present only when a
// baseline was given; "errors" only when packages could not be analyzed
// (the report is then incomplete). File paths are relative to Options.Dir when they are
// under it. Fields may be added within a schema version; a field is never
// renamed or removed without incrementing schema_version.
package coverage
