package intelligence_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
	"github.com/resilience-lint/resilience-lint/runtime/recovery/recoverytest"
)

// failing returns a function that fails n times with err, then succeeds.
func failing(n int, err error) func(context.Context) error {
	return func(context.Context) error {
		if n > 0 {
			n--
			return err
		}
		return nil
	}
}

func TestRetryObserver(t *testing.T) {
	transient := recovery.Transient(errors.New("connection reset by peer 10.0.0.1:5432"))
	tests := []struct {
		name        string
		fn          func(context.Context) error
		inTrack     bool
		wantErr     bool
		wantRetries intelligence.RetryStats
		wantRuns    uint64
		wantErrors  uint64
		wantCount   uint64 // the pattern's failed runs
		wantRetried uint64 // the pattern's retried attempts
	}{
		{"first try", failing(0, nil), true, false,
			intelligence.RetryStats{Calls: 1, Attempts: 1, FirstTry: 1}, 1, 0, 0, 0},
		{"recovered inside Track", failing(2, transient), true, false,
			intelligence.RetryStats{Calls: 1, Attempts: 3, Retries: 2, Recovered: 1}, 1, 0, 0, 2},
		{"recovered without Track", failing(2, transient), false, false,
			intelligence.RetryStats{Calls: 1, Attempts: 3, Retries: 2, Recovered: 1}, 1, 0, 0, 2},
		{"exhausted", failing(5, transient), true, true,
			intelligence.RetryStats{Calls: 1, Attempts: 3, Retries: 2, Exhausted: 1}, 1, 1, 1, 2},
		{"exhausted without Track", failing(5, transient), false, true,
			intelligence.RetryStats{Calls: 1, Attempts: 3, Retries: 2, Exhausted: 1}, 1, 1, 1, 2},
		{"permanent at once", failing(1, recovery.Permanent(transient)), true, true,
			intelligence.RetryStats{Calls: 1, Attempts: 1, Permanent: 1}, 1, 1, 1, 0},
		{"attempt timeouts", failing(1, fmt.Errorf("query: %w", context.DeadlineExceeded)), true, false,
			intelligence.RetryStats{Calls: 1, Attempts: 2, Retries: 1, Recovered: 1, AttemptTimeouts: 1}, 1, 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, clk := newTracker()
			policy := recovery.MustNewPolicy(
				recovery.WithMaxAttempts(3),
				recovery.WithClock(clk),
				recovery.WithObserver(intelligence.RetryObserver(tr, opA)),
			)
			var err error
			if tt.inTrack {
				err = intelligence.TrackErr(context.Background(), tr, opA, func(ctx context.Context) error {
					return recovery.Do(ctx, policy, tt.fn)
				})
			} else {
				err = recovery.Do(context.Background(), policy, tt.fn)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			h := tr.WorkerHealth(opA.Agent, opA.Worker)
			if h.Retries != tt.wantRetries {
				t.Errorf("retries = %+v\nwant      %+v", h.Retries, tt.wantRetries)
			}
			if h.Runs != tt.wantRuns || h.Errors != tt.wantErrors {
				t.Errorf("runs %d errors %d, want %d and %d: a run must be counted once", h.Runs, h.Errors, tt.wantRuns, tt.wantErrors)
			}
			var count, retried uint64
			for _, p := range tr.Patterns() {
				count += p.Count
				retried += p.Retried
			}
			if count != tt.wantCount || retried != tt.wantRetried {
				t.Errorf("patterns: %d failed runs, %d retried attempts; want %d and %d", count, retried, tt.wantCount, tt.wantRetried)
			}
		})
	}
}

func TestRetryObserverOpFromContext(t *testing.T) {
	tr, clk := newTracker()
	// One observer on one shared policy serves every worker.
	policy := recovery.MustNewPolicy(recovery.WithClock(clk), recovery.WithObserver(intelligence.RetryObserver(tr, intelligence.Op{})))
	load := intelligence.Op{Agent: "loader", Worker: "CSVWorker", Operation: "Execute"}
	stats := intelligence.Op{Agent: "aggregator", Worker: "StatsWorker", Operation: "Execute"}
	for _, op := range []intelligence.Op{load, stats, load} {
		_ = intelligence.TrackErr(context.Background(), tr, op, func(ctx context.Context) error {
			return recovery.Do(ctx, policy, failing(1, recovery.Transient(errors.New("flaky"))))
		})
	}
	_ = recovery.Do(intelligence.WithOp(context.Background(), stats), policy, failing(0, nil))
	_ = recovery.Do(context.Background(), policy, failing(0, nil))

	if h := tr.WorkerHealth(load.Agent, load.Worker); h.Runs != 2 || h.Retries.Recovered != 2 {
		t.Errorf("loader: runs %d recovered %d, want 2 and 2", h.Runs, h.Retries.Recovered)
	}
	if h := tr.WorkerHealth(stats.Agent, stats.Worker); h.Runs != 2 || h.Retries.Calls != 2 || h.Retries.FirstTry != 1 {
		t.Errorf("stats: runs %d, retry calls %d, first try %d; want 2, 2, 1 (WithOp does not mark a Track)", h.Runs, h.Retries.Calls, h.Retries.FirstTry)
	}
	u := intelligence.Unattributed
	if h := tr.WorkerHealth(u, u); h.Runs != 1 {
		t.Errorf("unattributed runs = %d, want 1", h.Runs)
	}
}

func TestRetryObserverStops(t *testing.T) {
	tr, _ := newTracker()
	obs := intelligence.RetryObserver(tr, opA)
	ctx := context.Background()
	boom := errors.New("boom")
	for _, o := range []recovery.Outcome{
		{Attempts: 1, Err: boom, Stop: recovery.StopNested},
		{Attempts: 2, Err: boom, Stop: recovery.StopBudget, Transient: true},
		{Attempts: 1, Err: context.Canceled, Stop: recovery.StopCanceled},
		{Attempts: 3, Err: boom, Stop: recovery.StopMaxElapsed, Transient: true},
		{Attempts: 3, Err: boom, Stop: recovery.StopPermanent, Fallback: true},
		{Attempts: 2, Err: boom, Stop: recovery.StopDeadline, Transient: true},
		{Attempts: 1, Err: recovery.ErrPanicked, Stop: recovery.StopPanic},
	} {
		obs.OnAttempt(ctx, recovery.AttemptInfo{Attempt: 1})
		obs.OnDone(ctx, o)
	}
	h := tr.WorkerHealth(opA.Agent, opA.Worker)
	want := intelligence.RetryStats{Calls: 6, Attempts: 12, Nested: 1, BudgetDenied: 1, Canceled: 1, MaxElapsed: 1, Deadline: 1, Panics: 1, Permanent: 1, PermanentAfterRetry: 1, Fallbacks: 1}
	if h.Retries != want {
		t.Errorf("retries = %+v\nwant      %+v", h.Retries, want)
	}
	if h.Runs != 6 || h.Errors != 6 {
		t.Errorf("runs %d errors %d, want 6 and 6 (the nested call is left to its enclosing call)", h.Runs, h.Errors)
	}
}

func TestRecommendations(t *testing.T) {
	transient := recovery.Transient(errors.New("503 from upstream"))
	tests := []struct {
		name  string
		feed  func(tr *intelligence.Tracker, clk *recoverytest.Clock, p *recovery.Policy)
		opts  []intelligence.Option
		rule  string
		sev   intelligence.Severity
		check func(t *testing.T, r intelligence.Recommendation)
	}{
		{name: "flaky dependency", rule: "flaky-dependency", sev: intelligence.SeverityInfo,
			feed: func(tr *intelligence.Tracker, _ *recoverytest.Clock, p *recovery.Policy) {
				for range 10 {
					_ = intelligence.TrackErr(context.Background(), tr, opA, func(ctx context.Context) error {
						return recovery.Do(ctx, p, failing(1, transient))
					})
				}
			},
			check: func(t *testing.T, r intelligence.Recommendation) {
				if r.Evidence["recovered"] != uint64(10) {
					t.Errorf("evidence = %v", r.Evidence)
				}
			}},
		{name: "permanent errors retried", rule: "retry-permanent", sev: intelligence.SeverityWarning,
			feed: func(tr *intelligence.Tracker, _ *recoverytest.Clock, p *recovery.Policy) {
				for range 6 {
					_ = intelligence.TrackErr(context.Background(), tr, opA, func(ctx context.Context) error {
						return recovery.Do(ctx, p, failing(9, recovery.Transient(errors.New("invalid schema"))))
					})
				}
			},
			check: func(t *testing.T, r intelligence.Recommendation) {
				if r.Evidence["exhausted"] != uint64(6) || r.Evidence["retries"] != uint64(12) ||
					r.Evidence["top_retried_pattern"] != "invalid schema" || r.Pattern != intelligence.Fingerprint(errors.New("invalid schema")) {
					t.Errorf("evidence = %v", r.Evidence)
				}
			}},
		{name: "attempt timeouts", rule: "attempt-timeout", sev: intelligence.SeverityWarning,
			feed: func(tr *intelligence.Tracker, _ *recoverytest.Clock, p *recovery.Policy) {
				for range 5 {
					_ = recovery.Do(context.Background(), p, failing(1, context.DeadlineExceeded))
				}
			}},
		{name: "retry budget refusals", rule: "retry-budget", sev: intelligence.SeverityWarning,
			feed: func(tr *intelligence.Tracker, _ *recoverytest.Clock, _ *recovery.Policy) {
				intelligence.RetryObserver(tr, opA).OnDone(context.Background(), recovery.Outcome{Attempts: 1, Err: transient, Stop: recovery.StopBudget})
			}},
		{name: "failing worker names its top pattern", rule: "failing-worker", sev: intelligence.SeverityCritical,
			feed: func(tr *intelligence.Tracker, _ *recoverytest.Clock, _ *recovery.Policy) {
				for i := range 30 {
					tr.TrackError(opA, fmt.Errorf("row %d: bad date", i), 0)
					tr.TrackSuccess(opA, 0)
					if i%3 == 0 {
						tr.TrackError(opA, errors.New("disk full"), 0)
					}
				}
			},
			check: func(t *testing.T, r intelligence.Recommendation) {
				if r.Pattern != intelligence.Fingerprint(errors.New("row 1: bad date")) || r.Evidence["top_pattern"] != "row <num>: bad date" {
					t.Errorf("recommendation = %+v, want the row pattern as the top one", r)
				}
			}},
		{name: "unretried errors", rule: "unretried-errors", sev: intelligence.SeverityInfo,
			feed: func(tr *intelligence.Tracker, _ *recoverytest.Clock, _ *recovery.Policy) {
				for range 25 {
					tr.TrackError(opA, transient, 0)
				}
			}},
		{name: "deadline errors", rule: "deadline-errors", sev: intelligence.SeverityWarning,
			feed: func(tr *intelligence.Tracker, _ *recoverytest.Clock, _ *recovery.Policy) {
				for range 5 {
					tr.TrackError(opA, fmt.Errorf("fetch: %w", context.DeadlineExceeded), 0)
				}
			}},
		{name: "burning budget", rule: "budget-burn", sev: intelligence.SeverityCritical,
			opts: []intelligence.Option{intelligence.WithObjective(intelligence.Objective{Agent: opA.Agent, Target: 0.999})},
			feed: func(tr *intelligence.Tracker, clk *recoverytest.Clock, _ *recovery.Policy) {
				for range 30 {
					tr.TrackSuccess(opA, 0)
					tr.TrackError(opA, transient, 0)
					clk.Advance(time.Second)
				}
			},
			check: func(t *testing.T, r intelligence.Recommendation) {
				if r.Score < 100 {
					t.Errorf("score %v, want >= 100 (the highest base)", r.Score)
				}
			}},
		{name: "rising pattern", rule: "rising-pattern", sev: intelligence.SeverityWarning,
			feed: func(tr *intelligence.Tracker, clk *recoverytest.Clock, _ *recovery.Policy) {
				for h := range 7 {
					n := 1
					if h == 6 {
						n = 12
					}
					for range n {
						tr.TrackError(opA, transient, 0)
					}
					clk.Advance(time.Hour)
				}
				clk.Advance(-30 * time.Minute)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, clk := newTracker(tt.opts...)
			policy := recovery.MustNewPolicy(recovery.WithMaxAttempts(3), recovery.WithClock(clk),
				recovery.WithObserver(intelligence.RetryObserver(tr, opA)))
			tt.feed(tr, clk, policy)
			recs := tr.Recommendations()
			for i, r := range recs {
				if i > 0 && r.Score > recs[i-1].Score {
					t.Errorf("recommendations not ranked: %v after %v", r.Score, recs[i-1].Score)
				}
			}
			for _, r := range recs {
				if r.Rule != tt.rule {
					continue
				}
				if r.Severity != tt.sev || r.Summary == "" || r.Action == "" || len(r.Evidence) == 0 {
					t.Errorf("recommendation = %+v, want severity %s with summary, action and evidence", r, tt.sev)
				}
				if tt.check != nil {
					tt.check(t, r)
				}
				return
			}
			var rules []string
			for _, r := range recs {
				rules = append(rules, r.Rule)
			}
			t.Errorf("no %s recommendation among %v", tt.rule, rules)
		})
	}
}

func TestNoRecommendationsWhenHealthy(t *testing.T) {
	tr, _ := newTracker(intelligence.WithObjective(intelligence.Objective{Agent: opA.Agent, Target: 0.99}))
	for range 1000 {
		tr.TrackSuccess(opA, time.Millisecond)
	}
	tr.TrackError(opA, errors.New("one-off"), 0)
	if recs := tr.Recommendations(); len(recs) != 0 {
		t.Errorf("healthy worker got recommendations: %+v", recs)
	}
}

func TestRetryObserverOverflowedOp(t *testing.T) {
	tr, clk := newTracker(intelligence.WithLimits(intelligence.Limits{MaxOps: 1}))
	tr.TrackSuccess(intelligence.Op{Agent: "first"}, 0)
	policy := recovery.MustNewPolicy(recovery.WithClock(clk), recovery.WithObserver(intelligence.RetryObserver(tr, opA)))
	_ = intelligence.TrackErr(context.Background(), tr, opA, func(ctx context.Context) error {
		return recovery.Do(ctx, policy, failing(1, recovery.Transient(errors.New("flaky"))))
	})
	o := intelligence.OverflowName
	if h := tr.WorkerHealth(o, o); h.Runs != 1 || h.Retries.Recovered != 1 {
		t.Errorf("overflow op: runs %d recovered %d, want 1 and 1 (counted once)", h.Runs, h.Retries.Recovered)
	}
}
