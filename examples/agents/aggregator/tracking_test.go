package aggregator

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// hiccupSource fails its first open with a network error naming a
// different peer each time, then serves data.
type hiccupSource struct {
	data   string
	fail   error
	opened bool
}

func (s *hiccupSource) Name() string { return "sales.csv" }

func (s *hiccupSource) Open(context.Context) (io.ReadCloser, error) {
	if !s.opened {
		s.opened = true
		return nil, s.fail
	}
	return io.NopCloser(strings.NewReader(s.data)), nil
}

// TestTrackerSeesFlakySource runs AggregateAll over a store that fails
// every first attempt, alternately with a timeout and a reset, each time
// from another address. Every call succeeds after a retry, and the
// tracker's snapshot shows what an operator needs: two patterns (the
// addresses normalised away), the fetch worker failing half its runs while
// the others are healthy, the retries (through intelligence.RetryObserver,
// the bridge from runtime/recovery) recovering every call, and
// recommendations that say so.
func TestTrackerSeesFlakySource(t *testing.T) {
	const calls = 12
	tr := intelligence.MustNew()
	retried := intelligence.Op{Agent: agentName, Worker: "Aggregator", Operation: "AggregateAll"}
	a := New(fast.With(recovery.WithObserver(intelligence.RetryObserver(tr, retried))), tr)
	data := salesCSV(t)
	spec := dataset.AggregateSpec{GroupBy: "region", Value: "units", Window: 5}
	for i := range calls {
		fail := tcpError("dial", "", fmt.Sprintf("10.0.%d.9:%d", i, 9000+i), os.ErrDeadlineExceeded) // i/o timeout
		if i%2 == 1 {
			fail = tcpError("read", fmt.Sprintf("10.0.0.7:%d", 50000+i), fmt.Sprintf("10.1.%d.9:9000", i), syscall.ECONNRESET)
		}
		if _, err := a.AggregateAll(context.Background(), &hiccupSource{data: data, fail: fail}, spec); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	snap := tr.Snapshot()

	// Patterns: one per kind of failure, whatever the addresses; each seen
	// by the worker that failed and by the retry that recovered from it.
	var timeouts, resets uint64
	for _, p := range snap.Patterns {
		workers := map[string]uint64{}
		for _, w := range p.Workers {
			workers[w.Worker] = w.Count
		}
		if p.Retried != calls/2 || workers["FetchWorker"] != calls/2 || workers["Aggregator"] != calls/2 {
			t.Errorf("pattern %q: %d retried, workers %+v; want %d retried, by FetchWorker and Aggregator", p.Message, p.Retried, p.Workers, calls/2)
		}
		switch {
		case strings.Contains(p.Message, "i/o timeout"):
			timeouts += p.Count
		case strings.Contains(p.Message, "connection reset"):
			resets += p.Count
		}
	}
	if len(snap.Patterns) != 2 || timeouts != calls/2 || resets != calls/2 {
		for _, p := range snap.Patterns {
			t.Logf("pattern %s: %q x%d", p.ID, p.Message, p.Count)
		}
		t.Fatalf("%d patterns, %d timeouts, %d resets; want 2 patterns, %d of each", len(snap.Patterns), timeouts, resets, calls/2)
	}

	// Health: FetchWorker failed half its runs; the computing workers never.
	health := map[string]intelligence.Health{}
	for _, h := range snap.Workers {
		health[h.Worker] = h
	}
	fetch := health["FetchWorker"]
	if fetch.Runs != 2*calls || fetch.Errors != calls || fetch.Status != intelligence.StatusFailing {
		t.Errorf("FetchWorker health: %d runs, %d errors, %s (%s); want %d, %d, failing", fetch.Runs, fetch.Errors, fetch.Status, fetch.Reason, 2*calls, calls)
	}
	for _, w := range []string{"StatisticsWorker", "WindowWorker"} {
		if h := health[w]; h.Errors != 0 || h.Successes == 0 || h.Status == intelligence.StatusFailing {
			t.Errorf("%s health: %d successes, %d errors, %s; want successes only", w, h.Successes, h.Errors, h.Status)
		}
	}

	// Retry metadata: every call recovered, none exhausted: many small
	// transient failures, not one hard one.
	rs := health["Aggregator"].Retries
	if rs.Calls != calls || rs.Recovered != calls || rs.Retries != calls || rs.Exhausted != 0 {
		t.Errorf("retry stats %+v; want %d calls, all recovered after one retry", rs, calls)
	}

	// Recommendations: the failing fetch worker, with its top pattern as
	// evidence, and the flaky dependency that the retries are absorbing.
	rules := map[string]bool{}
	for _, r := range snap.Recommendations {
		t.Logf("recommendation %s (%s) %s: %s — %s", r.Rule, r.Severity, r.Worker, r.Summary, r.Action)
		if r.Rule == "failing-worker" && r.Worker == "FetchWorker" && r.Pattern != "" {
			rules[r.Rule] = true
		}
		if r.Rule == "flaky-dependency" && r.Worker == "Aggregator" {
			rules[r.Rule] = true
		}
	}
	if !rules["failing-worker"] || !rules["flaky-dependency"] {
		t.Errorf("recommendations %v: want failing-worker (FetchWorker, with its pattern) and flaky-dependency (Aggregator)", rules)
	}
}
