package intelligence

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Status is the health verdict of a worker or agent.
type Status string

// Statuses. See Thresholds for how they are decided.
const (
	// StatusUnknown: fewer runs than Thresholds.MinSamples in every window
	// (1h, 6h, 3d) and no run of Thresholds.FailingAfter failures.
	StatusUnknown Status = "unknown"
	// StatusHealthy: success rate at least Thresholds.Healthy (0.90).
	StatusHealthy Status = "healthy"
	// StatusDegraded: success rate at least Thresholds.Degraded (0.70).
	StatusDegraded Status = "degraded"
	// StatusFailing: a lower success rate, or Thresholds.FailingAfter (5)
	// consecutive failures.
	StatusFailing Status = "failing"
)

// Health describes a worker (Worker set) or an agent (Worker empty, all of
// its workers together).
type Health struct {
	Agent      string   `json:"agent"`
	Worker     string   `json:"worker,omitempty"`
	Operations []string `json:"operations,omitempty"`
	Status     Status   `json:"status"`
	// Reason explains Status with the numbers it was decided on.
	Reason string `json:"reason"`

	// Runs, Successes and Errors count every run since the tracker
	// started; SuccessRate and ErrorRate are over them (0 without runs).
	Runs        uint64  `json:"runs"`
	Successes   uint64  `json:"successes"`
	Errors      uint64  `json:"errors"`
	SuccessRate float64 `json:"success_rate"`
	ErrorRate   float64 `json:"error_rate"`

	// Window is the most recent window ("1h", "6h" or "72h") with at least
	// Thresholds.MinSamples runs: the one Status was judged on. It is
	// empty when no window had enough runs.
	Window            string  `json:"window,omitempty"`
	WindowRuns        uint64  `json:"window_runs"`
	WindowErrors      uint64  `json:"window_errors"`
	WindowSuccessRate float64 `json:"window_success_rate"`

	// ConsecutiveFailures is the current run of failures; for an agent or a
	// worker with several operations, the longest among its operations. A
	// run whose last failure is older than StreakIdle has decayed and
	// counts 0.
	ConsecutiveFailures int64 `json:"consecutive_failures"`

	Latency     Latency    `json:"latency"`
	LastSuccess *time.Time `json:"last_success,omitempty"`
	LastError   *time.Time `json:"last_error,omitempty"`
	Retries     RetryStats `json:"retries"`
}

// Latency holds run-duration percentiles from a log-linear histogram over
// every run; each is its bucket's upper bound (at most 25% high). The
// histogram reaches MaxLatency (about 78 hours): a percentile that falls
// among the AboveRange runs reads MaxLatency and is a lower bound.
type Latency struct {
	P50 time.Duration `json:"p50_ns"`
	P90 time.Duration `json:"p90_ns"`
	P99 time.Duration `json:"p99_ns"`
	// AboveRange counts the runs that took MaxLatency or longer.
	AboveRange uint64 `json:"above_range,omitempty"`
}

// MaxLatency is the top of the latency histogram: longer runs are counted
// in Latency.AboveRange.
const MaxLatency = time.Duration(1) << histMaxShift

// RetryStats is what RetryObserver reported about retried calls.
type RetryStats struct {
	// Calls is the number of recovery calls that finished.
	Calls    uint64 `json:"calls"`
	Attempts uint64 `json:"attempts"`
	Retries  uint64 `json:"retries"`
	// FirstTry calls succeeded at once; Recovered succeeded after retries.
	FirstTry  uint64 `json:"first_try"`
	Recovered uint64 `json:"recovered"`
	// Exhausted calls failed after using every attempt on transient errors.
	Exhausted uint64 `json:"exhausted"`
	// Permanent calls stopped on an error classified permanent;
	// PermanentAfterRetry of them had retried transient errors first.
	Permanent           uint64 `json:"permanent"`
	PermanentAfterRetry uint64 `json:"permanent_after_retry"`
	Canceled            uint64 `json:"canceled"`
	BudgetDenied        uint64 `json:"budget_denied"`
	MaxElapsed          uint64 `json:"max_elapsed"`
	// Deadline counts calls that stopped at once because the next delay
	// would have ended after the caller's deadline (recovery.StopDeadline).
	Deadline uint64 `json:"deadline"`
	// Panics counts calls whose function panicked or called
	// runtime.Goexit (recovery.StopPanic).
	Panics uint64 `json:"panics"`
	Nested uint64 `json:"nested"`
	// AttemptTimeouts counts retried failures that were deadline errors:
	// attempts cut by the per-attempt timeout.
	AttemptTimeouts uint64 `json:"attempt_timeouts"`
	// Fallbacks counts failed calls handed to a fallback function.
	Fallbacks uint64 `json:"fallbacks"`
}

func (r *RetryStats) add(c *retryCounters) {
	r.Calls += c.calls.Load()
	r.Attempts += c.attempts.Load()
	r.Retries += c.retries.Load()
	r.FirstTry += c.firstTry.Load()
	r.Recovered += c.recovered.Load()
	r.Exhausted += c.exhausted.Load()
	r.Permanent += c.permanent.Load()
	r.PermanentAfterRetry += c.permanentLate.Load()
	r.Canceled += c.canceled.Load()
	r.BudgetDenied += c.budgetDenied.Load()
	r.MaxElapsed += c.maxElapsed.Load()
	r.Deadline += c.deadline.Load()
	r.Panics += c.panicked.Load()
	r.Nested += c.nested.Load()
	r.AttemptTimeouts += c.attemptTimeout.Load()
	r.Fallbacks += c.fallbacks.Load()
}

// statusWindows are tried in order for a window with enough runs.
var statusWindows = []window{{"1h", time.Hour}, {"6h", 6 * time.Hour}, {"72h", 72 * time.Hour}}

// aggregate sums the series of one worker or agent.
type aggregate struct {
	h      Health
	hist   [histBuckets]uint64
	series []*series
}

func (a *aggregate) add(s *series) {
	a.series = append(a.series, s)
	errs := s.errors.Load() // before the runs: see series.failure
	runs := s.addLatency(&a.hist)
	a.h.Runs += runs
	a.h.Errors += min(errs, runs)
	if ls := s.lastSuccess.Load(); ls != 0 && (a.h.LastSuccess == nil || ls > a.h.LastSuccess.UnixNano()) {
		tm := time.Unix(0, ls).UTC()
		a.h.LastSuccess = &tm
	}
	if le := s.lastError.Load(); le != 0 && (a.h.LastError == nil || le > a.h.LastError.UnixNano()) {
		tm := time.Unix(0, le).UTC()
		a.h.LastError = &tm
	}
	a.h.Retries.add(&s.retry)
	if s.op.Operation != "" && !slices.Contains(a.h.Operations, s.op.Operation) {
		a.h.Operations = append(a.h.Operations, s.op.Operation)
	}
}

// windowCounts sums the window counts of the aggregate's series.
func (a *aggregate) windowCounts(now int64, w time.Duration) (total, errs uint64) {
	for _, s := range a.series {
		t, e := s.windowCounts(now, w)
		total += t
		errs += min(e, t)
	}
	return total, errs
}

// StreakIdle is how long a run of consecutive failures keeps counting
// without a further run: a streak whose last failure is older no longer
// makes a status failing (a worker idle for days after five failures is
// judged on its windows, like any other) and reads as 0 in
// Health.ConsecutiveFailures. A success ends a streak at once.
const StreakIdle = time.Hour

func (a *aggregate) finish(now int64, th Thresholds) Health {
	h := a.h
	h.ConsecutiveFailures = 0
	for _, s := range a.series {
		if c := s.consecutive.Load(); c > 0 && now-s.lastError.Load() <= int64(StreakIdle) {
			h.ConsecutiveFailures = max(h.ConsecutiveFailures, c)
		}
	}
	h.Successes = h.Runs - h.Errors
	if h.Runs > 0 {
		h.SuccessRate = float64(h.Successes) / float64(h.Runs)
		h.ErrorRate = float64(h.Errors) / float64(h.Runs)
	}
	slices.Sort(h.Operations)
	h.Latency = Latency{P50: percentile(&a.hist, 0.50), P90: percentile(&a.hist, 0.90), P99: percentile(&a.hist, 0.99),
		AboveRange: a.hist[histBuckets-1]}
	for _, w := range statusWindows {
		total, errs := a.windowCounts(now, w.d)
		if total >= uint64(th.MinSamples) {
			h.Window, h.WindowRuns, h.WindowErrors = w.name, total, errs
			h.WindowSuccessRate = float64(total-errs) / float64(total)
			break
		}
		h.WindowRuns, h.WindowErrors = total, errs // the widest, if none qualifies
	}
	h.Status, h.Reason = judge(h, th)
	return h
}

// judge decides a status from a completed Health.
func judge(h Health, th Thresholds) (Status, string) {
	if h.ConsecutiveFailures >= int64(th.FailingAfter) {
		return StatusFailing, fmt.Sprintf("%d consecutive failures (failing at %d)", h.ConsecutiveFailures, th.FailingAfter)
	}
	if h.Window == "" {
		return StatusUnknown, fmt.Sprintf("%d runs in the last 72h, fewer than the %d needed to judge", h.WindowRuns, th.MinSamples)
	}
	r := h.WindowSuccessRate
	why := fmt.Sprintf("success rate %.1f%% over %d runs in the last %s", 100*r, h.WindowRuns, h.Window)
	switch {
	case r >= th.Healthy:
		return StatusHealthy, fmt.Sprintf("%s (healthy at %.0f%%)", why, 100*th.Healthy)
	case r >= th.Degraded:
		return StatusDegraded, fmt.Sprintf("%s (healthy at %.0f%%, degraded at %.0f%%)", why, 100*th.Healthy, 100*th.Degraded)
	default:
		return StatusFailing, fmt.Sprintf("%s (below %.0f%%)", why, 100*th.Degraded)
	}
}

func percentile(hist *[histBuckets]uint64, q float64) time.Duration {
	var total uint64
	for _, n := range hist {
		total += n
	}
	if total == 0 {
		return 0
	}
	rank := uint64(q*float64(total-1)) + 1
	var cum uint64
	for i, n := range hist {
		cum += n
		if cum >= rank {
			return histUpper(i)
		}
	}
	return histUpper(histBuckets - 1)
}

// healthAll returns the health of every worker and of every agent, sorted
// by name.
func (t *Tracker) healthAll(now int64) (agents, workers []Health) {
	byWorker := map[workerKey]*aggregate{}
	byAgent := map[string]*aggregate{}
	t.forEachSeries(func(s *series) {
		wk := workerKey{s.op.Agent, s.op.Worker}
		if byWorker[wk] == nil {
			byWorker[wk] = &aggregate{h: Health{Agent: s.op.Agent, Worker: s.op.Worker}}
		}
		byWorker[wk].add(s)
		if byAgent[s.op.Agent] == nil {
			byAgent[s.op.Agent] = &aggregate{h: Health{Agent: s.op.Agent}}
		}
		byAgent[s.op.Agent].add(s)
	})
	for _, a := range byWorker {
		workers = append(workers, a.finish(now, t.cfg.thresholds))
	}
	for _, a := range byAgent {
		h := a.finish(now, t.cfg.thresholds)
		h.Operations = nil // an agent's operations are listed per worker
		agents = append(agents, h)
	}
	byName := func(a, b Health) int {
		if c := cmp.Compare(a.Agent, b.Agent); c != 0 {
			return c
		}
		return cmp.Compare(a.Worker, b.Worker)
	}
	slices.SortFunc(agents, byName)
	slices.SortFunc(workers, byName)
	return agents, workers
}

// WorkerHealth returns the health of one worker of agent. A worker never
// seen has StatusUnknown.
func (t *Tracker) WorkerHealth(agent, worker string) Health {
	t = t.resolve()
	now := t.now()
	a := &aggregate{h: Health{Agent: agent, Worker: worker}}
	t.forEachSeries(func(s *series) {
		if s.op.Agent == agent && s.op.Worker == worker {
			a.add(s)
		}
	})
	return a.finish(now, t.cfg.thresholds)
}

// AgentHealth returns the health of an agent, all its workers together.
func (t *Tracker) AgentHealth(agent string) Health {
	t = t.resolve()
	now := t.now()
	a := &aggregate{h: Health{Agent: agent}}
	t.forEachSeries(func(s *series) {
		if s.op.Agent == agent {
			a.add(s)
		}
	})
	h := a.finish(now, t.cfg.thresholds)
	h.Operations = nil
	return h
}
