package intelligence

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Severity ranks recommendations.
type Severity string

// Severities.
const (
	SeverityCritical Severity = "critical"
	SeverityWarning  Severity = "warning"
	SeverityInfo     Severity = "info"
)

// Recommendation is one finding of the rules over health, patterns, retry
// metadata, budgets and fixes, with the numbers it rests on.
type Recommendation struct {
	// Rule is a stable identifier: budget-burn, failing-worker,
	// degraded-worker, retry-permanent (not for errors of a transient
	// kind), flaky-dependency, attempt-timeout, deadline-errors,
	// retry-budget, unretried-errors, rising-pattern, fix-regressed,
	// fix-ineffective, known-fix, and one per error kind (see ErrorKind):
	// rate-limited, permission-errors, not-found-errors,
	// validation-errors, connection-refused, connection-reset,
	// dns-errors.
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Score orders recommendations: a base per rule plus log2 of the
	// evidence's event count, so that bigger problems of a kind rank first.
	Score   float64 `json:"score"`
	Agent   string  `json:"agent,omitempty"`
	Worker  string  `json:"worker,omitempty"`
	Pattern string  `json:"pattern,omitempty"`
	Summary string  `json:"summary"`
	Action  string  `json:"action"`
	// Evidence holds the numbers the rule fired on.
	Evidence map[string]any `json:"evidence"`
}

// minRuleEvents is the number of events below which the retry and pattern
// rules stay silent.
const minRuleEvents = 5

// Recommendations returns the current recommendations, highest score
// first.
func (t *Tracker) Recommendations() []Recommendation {
	t = t.resolve()
	now := t.now()
	_, workers := t.healthAll(now)
	pats, _, _ := t.pats.snapshot(now)
	return recommend(workers, pats, t.budgets(now), t.fixes(now), t.cfg.thresholds)
}

func recommend(workers []Health, pats []Pattern, budgets []Budget, fixes []Fix, th Thresholds) []Recommendation {
	var out []Recommendation
	add := func(r Recommendation, base float64, events uint64) {
		r.Score = math.Round((base+math.Min(20, math.Log2(1+float64(events))))*100) / 100
		out = append(out, r)
	}

	for _, b := range budgets {
		var firing []string
		sev := SeverityWarning
		ev := map[string]any{"target": b.Target, "remaining": b.Remaining, "runs_72h": b.Runs, "errors_72h": b.Errors}
		for _, a := range b.Alerts {
			if !a.Firing {
				continue
			}
			firing = append(firing, fmt.Sprintf("%s/%s burn %.1f and %.1f > %g", a.Long, a.Short, a.LongRate, a.ShortRate, a.Threshold))
			if a.Severity == "page" {
				sev = SeverityCritical
			}
			ev["burn_"+a.Long] = a.LongRate
			ev["burn_"+a.Short] = a.ShortRate
		}
		if len(firing) == 0 {
			continue
		}
		add(Recommendation{
			Rule: "budget-burn", Severity: sev, Agent: b.Agent, Worker: b.Worker,
			Summary:  fmt.Sprintf("error budget for %.2f%% is burning: %s", 100*b.Target, strings.Join(firing, "; ")),
			Action:   "alert the owner now; the budget will be spent early at this rate",
			Evidence: ev,
		}, 100, b.Errors)
	}

	for _, h := range workers {
		top := topPattern(pats, h.Agent, h.Worker)
		switch h.Status {
		case StatusFailing, StatusDegraded:
			rule, sev, base := "failing-worker", SeverityCritical, 80.0
			if h.Status == StatusDegraded {
				rule, sev, base = "degraded-worker", SeverityWarning, 50
			}
			ev := map[string]any{
				"window": h.Window, "window_runs": h.WindowRuns, "window_errors": h.WindowErrors,
				"window_success_rate": h.WindowSuccessRate, "consecutive_failures": h.ConsecutiveFailures,
			}
			action := "look at the worker's error patterns"
			r := Recommendation{Rule: rule, Severity: sev, Agent: h.Agent, Worker: h.Worker,
				Summary: fmt.Sprintf("%s is %s: %s", h.Worker, h.Status, h.Reason)}
			if top != nil {
				r.Pattern = top.ID
				ev["top_pattern"] = top.Message
				ev["top_pattern_count"] = top.Count
				action = fmt.Sprintf("start with pattern %s (%q, %d failures)", top.ID, top.Message, top.Count)
			}
			r.Action, r.Evidence = action, ev
			add(r, base, h.WindowErrors)
		}

		rs := h.Retries
		topR := topRetried(pats, h.Agent, h.Worker)
		// Errors of a transient kind (rate limiting, refused or reset
		// connections, DNS, timeouts) are not permanent however often
		// they exhaust the retries: their own rule gives the advice.
		if rs.Exhausted >= minRuleEvents && rs.Recovered*10 < rs.Exhausted && (topR == nil || !topR.Kind.transient()) {
			r := Recommendation{
				Rule: "retry-permanent", Severity: SeverityWarning, Agent: h.Agent, Worker: h.Worker,
				Summary:  fmt.Sprintf("%d calls used every attempt and failed, only %d recovered by retrying", rs.Exhausted, rs.Recovered),
				Action:   "these errors are probably permanent: mark them with recovery.Permanent or a classifier so they fail at once",
				Evidence: map[string]any{"exhausted": rs.Exhausted, "recovered": rs.Recovered, "retries": rs.Retries, "calls": rs.Calls},
			}
			if p := topR; p != nil {
				r.Pattern = p.ID
				r.Evidence["top_retried_pattern"] = p.Message
				r.Evidence["top_retried_pattern_retries"] = p.Retried
				if p.Kind != "" {
					r.Evidence["kind"], r.Evidence["kind_evidence"] = string(p.Kind), p.KindEvidence
				}
			}
			add(r, 60, rs.Exhausted)
		}
		if rs.Recovered >= minRuleEvents && rs.Recovered >= rs.Exhausted {
			add(Recommendation{
				Rule: "flaky-dependency", Severity: SeverityInfo, Agent: h.Agent, Worker: h.Worker,
				Summary:  fmt.Sprintf("retries are working: %d of %d calls succeeded only after a retry", rs.Recovered, rs.Calls),
				Action:   "the dependency is flaky; keep the retries and look at its reliability",
				Evidence: map[string]any{"recovered": rs.Recovered, "calls": rs.Calls, "retries": rs.Retries, "exhausted": rs.Exhausted},
			}, 30, rs.Recovered)
		}
		if rs.AttemptTimeouts >= minRuleEvents {
			add(Recommendation{
				Rule: "attempt-timeout", Severity: SeverityWarning, Agent: h.Agent, Worker: h.Worker,
				Summary:  fmt.Sprintf("%d attempts ran out of their per-attempt timeout", rs.AttemptTimeouts),
				Action:   fmt.Sprintf("raise the attempt timeout above the run latency (p99 %s) or find why the dependency is slow", h.Latency.P99),
				Evidence: map[string]any{"attempt_timeouts": rs.AttemptTimeouts, "p99": h.Latency.P99.String(), "retries": rs.Retries},
			}, 55, rs.AttemptTimeouts)
		}
		if rs.BudgetDenied > 0 {
			add(Recommendation{
				Rule: "retry-budget", Severity: SeverityWarning, Agent: h.Agent, Worker: h.Worker,
				Summary:  fmt.Sprintf("the retry budget refused %d retries", rs.BudgetDenied),
				Action:   "the dependency is failing broadly: alert on it rather than raising the budget",
				Evidence: map[string]any{"budget_denied": rs.BudgetDenied, "calls": rs.Calls},
			}, 70, rs.BudgetDenied)
		}
		if h.Errors >= uint64(th.MinSamples) && rs.Calls == 0 {
			add(Recommendation{
				Rule: "unretried-errors", Severity: SeverityInfo, Agent: h.Agent, Worker: h.Worker,
				Summary:  fmt.Sprintf("%d errors and no retry metadata", h.Errors),
				Action:   "if these errors are transient, route the calls through runtime/recovery with intelligence.RetryObserver",
				Evidence: map[string]any{"errors": h.Errors, "runs": h.Runs},
			}, 20, h.Errors)
		}
	}

	var fixed []Fix // effective fixes
	fixedPattern := map[string]bool{}
	for _, f := range fixes {
		fixedPattern[f.Pattern] = true
		ev := map[string]any{
			"fix": f.Description, "before_error_ratio": f.BeforeErrorRatio, "after_error_ratio": f.AfterErrorRatio,
			"after_runs": f.AfterRuns, "expected_after": f.ExpectedAfter, "occurrences_after": f.OccurrencesAfter,
			"reason": f.Reason,
		}
		switch f.Verdict {
		case FixRegressed:
			add(Recommendation{
				Rule: "fix-regressed", Severity: SeverityWarning, Pattern: f.Pattern,
				Summary:  fmt.Sprintf("pattern %q came back after the fix %q", f.Message, f.Description),
				Action:   "the fix regressed: look at what changed since it went in",
				Evidence: ev,
			}, 65, f.OccurrencesAfter)
		case FixIneffective:
			add(Recommendation{
				Rule: "fix-ineffective", Severity: SeverityWarning, Pattern: f.Pattern,
				Summary:  fmt.Sprintf("the fix %q did not halve the error ratio of pattern %q", f.Description, f.Message),
				Action:   "the fix missed the cause: revisit it",
				Evidence: ev,
			}, 40, f.OccurrencesAfter)
		case FixEffective:
			fixed = append(fixed, f)
		}
	}

	for _, p := range pats {
		if p.Overflow {
			continue
		}
		if p.Trend.Direction == "rising" {
			add(Recommendation{
				Rule: "rising-pattern", Severity: SeverityWarning, Pattern: p.ID,
				Summary:  fmt.Sprintf("pattern %q is rising: %d in the last hour, %d in the last 6h", p.Message, p.Trend.Last1h, p.Trend.Last6h),
				Action:   "find what changed in the last hour",
				Evidence: map[string]any{"last_1h": p.Trend.Last1h, "last_6h": p.Trend.Last6h, "workers": len(p.Workers)},
			}, 45, p.Trend.Last1h)
		}
		if p.Count >= minRuleEvents && slices.ContainsFunc(p.Types, func(s string) bool { return s == "context.deadlineExceededError" }) {
			add(Recommendation{
				Rule: "deadline-errors", Severity: SeverityWarning, Pattern: p.ID,
				Summary:  fmt.Sprintf("%d runs failed on a deadline: %q", p.Count, p.Message),
				Action:   "the deadline or attempt timeout is too low for this work, or the dependency is slow",
				Evidence: map[string]any{"count": p.Count, "workers": len(p.Workers)},
			}, 50, p.Count)
		}
		if adv, ok := kindAdvice[p.Kind]; ok && p.Count+p.Retried >= minRuleEvents {
			ev := map[string]any{
				"kind": string(p.Kind), "kind_evidence": p.KindEvidence, "count": p.Count,
				"retried": p.Retried, "workers": len(p.Workers), "last_1h": p.Trend.Last1h,
			}
			action := adv.action
			if !p.Kind.transient() && p.Retried > 0 {
				action += fmt.Sprintf(" (%d attempts were spent retrying it)", p.Retried)
			}
			add(Recommendation{
				Rule: adv.rule, Severity: adv.severity, Pattern: p.ID,
				Summary:  fmt.Sprintf("%s: pattern %q (%d failures, %d retried attempts; %s)", adv.summary, p.Message, p.Count, p.Retried, p.KindEvidence),
				Action:   action,
				Evidence: ev,
			}, adv.base, p.Count+p.Retried)
		}
		if f, sim, ok := similarFix(p, fixed); ok && !fixedPattern[p.ID] && p.Trend.Last24h > 0 {
			add(Recommendation{
				Rule: "known-fix", Severity: SeverityInfo, Pattern: p.ID,
				Summary: fmt.Sprintf("pattern %q has the error types, the kind and %.0f%% of the words of pattern %s (%q), which the fix %q cut by %.0f%%",
					p.Message, 100*sim, f.Pattern, f.Message, f.Description, 100*f.Reduction),
				Action: fmt.Sprintf("try the same fix: %s", f.Description),
				Evidence: map[string]any{"fix": f.Description, "fixed_pattern": f.Pattern, "fixed_message": f.Message,
					"reduction": f.Reduction, "count": p.Count, "similarity": math.Round(sim*100) / 100,
					"types": strings.Join(p.Types, " > "), "kind": string(p.Kind)},
			}, 35, p.Count)
		}
	}

	slices.SortStableFunc(out, func(a, b Recommendation) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Rule+a.Agent+a.Worker+a.Pattern, b.Rule+b.Agent+b.Worker+b.Pattern)
	})
	return out
}

// minFixSimilarity is the share of words a pattern's normalised message
// must have in common with a fixed pattern's for the fix to be suggested.
const minFixSimilarity = 0.5

// similarFix returns the effective fix whose pattern is most like p: the
// same type chain, the same kind, and messages sharing at least
// minFixSimilarity of their words. The type chain alone is not enough:
// every network error has the same one.
func similarFix(p Pattern, fixes []Fix) (Fix, float64, bool) {
	var best Fix
	bestSim := -1.0
	for _, f := range fixes {
		if f.Pattern == p.ID || !slices.Equal(f.Types, p.Types) || f.Kind != p.Kind {
			continue
		}
		if sim := messageSimilarity(f.Message, p.Message); sim >= minFixSimilarity && sim > bestSim {
			best, bestSim = f, sim
		}
	}
	return best, bestSim, bestSim >= 0
}

// topRetried returns the pattern with the most retried attempts among
// those that affected one worker.
func topRetried(pats []Pattern, agent, worker string) *Pattern {
	var best *Pattern
	for i := range pats {
		p := &pats[i]
		if p.Overflow || p.Retried == 0 || (best != nil && p.Retried <= best.Retried) {
			continue
		}
		if slices.ContainsFunc(p.Workers, func(w WorkerCount) bool { return w.Agent == agent && w.Worker == worker }) {
			best = p
		}
	}
	return best
}

// topPattern returns the pattern with the most failures of one worker.
func topPattern(pats []Pattern, agent, worker string) *Pattern {
	var best *Pattern
	var bestN uint64
	for i := range pats {
		if pats[i].Overflow {
			continue
		}
		for _, w := range pats[i].Workers {
			if w.Agent == agent && w.Worker == worker && w.Count > bestN {
				best, bestN = &pats[i], w.Count
			}
		}
	}
	return best
}
