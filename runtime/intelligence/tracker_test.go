package intelligence_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery/recoverytest"
)

var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// newTracker returns a tracker on a fake clock that starts at start.
func newTracker(opts ...intelligence.Option) (*intelligence.Tracker, *recoverytest.Clock) {
	clk := recoverytest.NewClock(start)
	return intelligence.MustNew(append([]intelligence.Option{intelligence.WithClock(clk.Now)}, opts...)...), clk
}

var opA = intelligence.Op{Agent: "aggregator", Worker: "StatisticsWorker", Operation: "Execute"}

func TestTrackCounts(t *testing.T) {
	tr, clk := newTracker()
	for i := range 30 {
		tr.TrackSuccess(opA, time.Duration(i+1)*time.Millisecond)
	}
	clk.Advance(time.Second)
	tr.TrackError(opA, errors.New("boom"), 100*time.Millisecond)
	tr.TrackError(opA, errors.New("boom"), 100*time.Millisecond)

	h := tr.WorkerHealth(opA.Agent, opA.Worker)
	if h.Runs != 32 || h.Successes != 30 || h.Errors != 2 {
		t.Errorf("runs/successes/errors = %d/%d/%d, want 32/30/2", h.Runs, h.Successes, h.Errors)
	}
	if h.ConsecutiveFailures != 2 {
		t.Errorf("consecutive failures = %d, want 2", h.ConsecutiveFailures)
	}
	if h.LastError == nil || !h.LastError.Equal(start.Add(time.Second)) {
		t.Errorf("last error = %v, want %v", h.LastError, start.Add(time.Second))
	}
	if h.LastSuccess == nil || !h.LastSuccess.Equal(start) {
		t.Errorf("last success = %v, want %v", h.LastSuccess, start)
	}
	// 32 durations: 1..30ms and 2×100ms. The median is 16ms: its bucket's
	// upper bound is within 25% above.
	if p := h.Latency.P50; p < 16*time.Millisecond || p > 20*time.Millisecond {
		t.Errorf("p50 = %v, want in [16ms, 20ms]", p)
	}
	if p := h.Latency.P99; p < 100*time.Millisecond || p > 125*time.Millisecond {
		t.Errorf("p99 = %v, want in [100ms, 125ms]", p)
	}
	if got := h.Operations; len(got) != 1 || got[0] != "Execute" {
		t.Errorf("operations = %v", got)
	}
	tr.TrackSuccess(opA, 0)
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.ConsecutiveFailures != 0 {
		t.Errorf("consecutive failures after a success = %d, want 0", h.ConsecutiveFailures)
	}
}

func TestStatus(t *testing.T) {
	type run struct {
		ago  time.Duration // how long before the check
		ok   int
		fail int
	}
	tests := []struct {
		name   string
		runs   []run
		want   intelligence.Status
		window string
	}{
		{"no runs", nil, intelligence.StatusUnknown, ""},
		{"one failure is not enough to judge", []run{{0, 0, 1}}, intelligence.StatusUnknown, ""},
		{"19 successes are not enough", []run{{0, 19, 0}}, intelligence.StatusUnknown, ""},
		{"90% is healthy", []run{{0, 18, 2}}, intelligence.StatusHealthy, "1h"},
		{"85% is degraded", []run{{0, 17, 3}}, intelligence.StatusDegraded, "1h"},
		{"70% is degraded", []run{{0, 14, 6}}, intelligence.StatusDegraded, "1h"},
		{"65% is failing", []run{{0, 13, 7}}, intelligence.StatusFailing, "1h"},
		{"5 consecutive failures fail even with few runs", []run{{0, 0, 5}}, intelligence.StatusFailing, ""},
		{"5 consecutive failures after many successes", []run{{0, 100, 0}, {0, 0, 5}}, intelligence.StatusFailing, "1h"},
		{"older runs judged on 6h", []run{{2 * time.Hour, 10, 10}, {0, 1, 0}}, intelligence.StatusFailing, "6h"},
		{"runs older than 72h do not count", []run{{80 * time.Hour, 100, 0}, {0, 3, 0}}, intelligence.StatusUnknown, ""},
		{"the recent hour outweighs the day", []run{{5 * time.Hour, 0, 4}, {0, 40, 0}}, intelligence.StatusHealthy, "1h"},
		{"a streak counts for StreakIdle", []run{{59 * time.Minute, 0, 5}}, intelligence.StatusFailing, ""},
		{"a streak decays when idle", []run{{48 * time.Hour, 0, 5}}, intelligence.StatusUnknown, ""},
		{"a decayed streak leaves the rate to judge", []run{{2 * time.Hour, 50, 0}, {90 * time.Minute, 0, 5}}, intelligence.StatusHealthy, "6h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, clk := newTracker()
			last := time.Duration(0)
			for i, r := range tt.runs {
				if i == 0 {
					last = r.ago
				}
				clk.Advance(last - r.ago)
				last = r.ago
				// Interleaved, failures first, so that only runs
				// made of failures leave consecutive failures.
				for i := range max(r.ok, r.fail) {
					if i < r.fail {
						tr.TrackError(opA, errors.New("x"), time.Millisecond)
					}
					if i < r.ok {
						tr.TrackSuccess(opA, time.Millisecond)
					}
				}
			}
			clk.Advance(last)
			h := tr.WorkerHealth(opA.Agent, opA.Worker)
			if h.Status != tt.want || h.Window != tt.window {
				t.Errorf("status %s over %q (%s), want %s over %q", h.Status, h.Window, h.Reason, tt.want, tt.window)
			}
			if a := tr.AgentHealth(opA.Agent); a.Status != tt.want {
				t.Errorf("agent status %s, want %s", a.Status, tt.want)
			}
		})
	}
}

func TestThresholdsOption(t *testing.T) {
	tr, _ := newTracker(intelligence.WithThresholds(intelligence.Thresholds{Healthy: 0.99, MinSamples: 5}))
	for range 9 {
		tr.TrackSuccess(opA, 0)
	}
	tr.TrackError(opA, errors.New("x"), 0)
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Status != intelligence.StatusDegraded {
		t.Errorf("90%% with Healthy 0.99: %s (%s), want degraded", h.Status, h.Reason)
	}
}

func TestAgentAggregatesWorkers(t *testing.T) {
	tr, _ := newTracker()
	w1 := intelligence.Op{Agent: "loader", Worker: "CSVWorker", Operation: "Execute"}
	w2 := intelligence.Op{Agent: "loader", Worker: "JSONWorker", Operation: "Execute"}
	other := intelligence.Op{Agent: "reporter", Worker: "PDFWorker", Operation: "Execute"}
	for range 10 {
		tr.TrackSuccess(w1, 0)
		tr.TrackError(w2, errors.New("bad json"), 0)
		tr.TrackSuccess(other, 0)
	}
	a := tr.AgentHealth("loader")
	if a.Runs != 20 || a.Errors != 10 || a.Status != intelligence.StatusFailing {
		t.Errorf("agent: runs %d errors %d status %s, want 20 10 failing", a.Runs, a.Errors, a.Status)
	}
	snap := tr.Snapshot()
	if len(snap.Agents) != 2 || len(snap.Workers) != 3 {
		t.Fatalf("snapshot has %d agents and %d workers, want 2 and 3", len(snap.Agents), len(snap.Workers))
	}
	if snap.Workers[0].Worker != "CSVWorker" || snap.Workers[2].Agent != "reporter" {
		t.Errorf("workers not sorted by agent, worker: %+v", snap.Workers)
	}
}

func TestTrackWrappers(t *testing.T) {
	tr, _ := newTracker()
	ctx := context.Background()
	v, err := intelligence.Track(ctx, tr, opA, func(ctx context.Context) (int, error) {
		if got, ok := intelligence.OpFromContext(ctx); !ok || got != opA {
			t.Errorf("OpFromContext = %v, %v", got, ok)
		}
		return 42, nil
	})
	if v != 42 || err != nil {
		t.Errorf("Track = %v, %v", v, err)
	}
	sentinel := errors.New("sentinel")
	if err := intelligence.TrackErr(ctx, tr, opA, func(context.Context) error { return sentinel }); err != sentinel {
		t.Errorf("TrackErr = %v, want the error itself", err)
	}
	a, b, err := intelligence.Track2(ctx, tr, opA, func(context.Context) (string, []int, error) {
		return "x", []int{1}, nil
	})
	if a != "x" || len(b) != 1 || err != nil {
		t.Errorf("Track2 = %v, %v, %v", a, b, err)
	}
	h := tr.WorkerHealth(opA.Agent, opA.Worker)
	if h.Runs != 3 || h.Errors != 1 {
		t.Errorf("runs %d errors %d, want 3 and 1", h.Runs, h.Errors)
	}
}

func TestTrackPanic(t *testing.T) {
	tr, _ := newTracker()
	func() {
		defer func() {
			if r := recover(); r != "kaboom 17" {
				t.Errorf("panicked with %v, want the original value", r)
			}
		}()
		_ = intelligence.TrackErr(context.Background(), tr, opA, func(context.Context) error {
			panic("kaboom 17")
		})
		t.Error("Track returned after a panic")
	}()
	ps := tr.Patterns()
	// The value is not recovered (see PanicError): the pattern names the
	// function that panicked, its line normalised away.
	if len(ps) != 1 || ps[0].Types[0] != "*intelligence.PanicError" || ps[0].Message != "panic in intelligence_test.TestTrackPanic.func<num>.<num> at tracker_test.go:<num>" {
		t.Fatalf("patterns = %+v, want one PanicError pattern", ps)
	}
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Errors != 1 {
		t.Errorf("errors = %d, want 1", h.Errors)
	}
}

func TestTrackGoexit(t *testing.T) {
	tr, _ := newTracker()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = intelligence.TrackErr(context.Background(), tr, opA, func(context.Context) error {
			runtime.Goexit()
			return nil
		})
	}()
	<-done
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Runs != 1 || h.Errors != 1 {
		t.Errorf("runtime.Goexit recorded %d runs and %d errors, want one failed run", h.Runs, h.Errors)
	}
	if ps := tr.Patterns(); len(ps) != 1 || ps[0].ID != intelligence.Fingerprint(intelligence.ErrGoexit) {
		t.Errorf("patterns = %+v, want ErrGoexit's", ps)
	}
}

type panickyError struct{}

func (*panickyError) Error() string { panic("Error() panicked") }

func TestTrackingNeverPanics(t *testing.T) {
	tr, _ := newTracker()
	var nilErr *panickyError
	tr.TrackError(opA, nilErr, 0)
	tr.TrackError(opA, &panickyError{}, 0)
	tr.TrackError(opA, nil, 0)
	snap := tr.Snapshot()
	if snap.Overflow.TrackingPanics != 2 {
		t.Errorf("tracking panics = %d, want 2", snap.Overflow.TrackingPanics)
	}
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Errors != 3 {
		t.Errorf("errors = %d, want 3 (a panicking Error method still counts)", h.Errors)
	}
}

func TestNilAndZeroTracker(t *testing.T) {
	var nilT *intelligence.Tracker
	op := intelligence.Op{Agent: "nil-tracker-test", Worker: "W", Operation: "Run"}
	nilT.TrackSuccess(op, time.Millisecond)
	nilT.TrackError(op, errors.New("x"), time.Millisecond)
	if err := intelligence.TrackErr(context.Background(), nil, op, func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if h := intelligence.Default().WorkerHealth(op.Agent, op.Worker); h.Runs != 3 {
		t.Errorf("nil tracker: Default has %d runs, want 3", h.Runs)
	}
	if h := nilT.WorkerHealth(op.Agent, op.Worker); h.Runs != 3 {
		t.Errorf("nil tracker WorkerHealth: %d runs, want 3", h.Runs)
	}

	var zero intelligence.Tracker
	zero.TrackSuccess(op, 0)
	zero.TrackError(op, errors.New("y"), 0)
	if h := zero.WorkerHealth(op.Agent, op.Worker); h.Runs != 2 {
		t.Errorf("zero tracker: %d runs, want 2", h.Runs)
	}
	_ = zero.Snapshot()
}

func TestLongNamesAreBounded(t *testing.T) {
	tr, _ := newTracker()
	long := strings.Repeat("n", 1000)
	tr.TrackSuccess(intelligence.Op{Agent: long, Worker: long, Operation: long}, 0)
	tr.TrackSuccess(intelligence.Op{Agent: long + "x", Worker: long, Operation: long}, 0)
	ws := tr.Snapshot().Workers
	if len(ws) != 1 || len(ws[0].Agent) != 128 || ws[0].Runs != 2 {
		t.Errorf("workers = %d, agent name %d bytes, want 1 worker, 128 bytes, 2 runs", len(ws), len(ws[0].Agent))
	}
}

func TestConcurrentTracking(t *testing.T) {
	tr, _ := newTracker()
	const goroutines, perG = 8, 500
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			op := intelligence.Op{Agent: "a", Worker: fmt.Sprintf("W%d", g%3), Operation: "Run"}
			for i := range perG {
				if i%10 == 0 {
					tr.TrackError(op, fmt.Errorf("item %d failed", i), time.Millisecond)
				} else {
					tr.TrackSuccess(op, time.Millisecond)
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			_ = tr.Snapshot()
		}
	})
	wg.Wait()
	a := tr.AgentHealth("a")
	if a.Runs != goroutines*perG || a.Errors != goroutines*perG/10 {
		t.Errorf("runs %d errors %d, want %d and %d", a.Runs, a.Errors, goroutines*perG, goroutines*perG/10)
	}
	ps := tr.Patterns()
	if len(ps) != 1 || ps[0].Count != goroutines*perG/10 || len(ps[0].Workers) != 3 {
		t.Errorf("patterns = %+v, want one with %d errors from 3 workers", ps, goroutines*perG/10)
	}
}

func TestBuildRejectsInvalidOptions(t *testing.T) {
	tests := []struct {
		opt  intelligence.Option
		want string
	}{
		{intelligence.WithLimits(intelligence.Limits{MaxPatterns: -1}), "negative MaxPatterns -1"},
		{intelligence.WithLimits(intelligence.Limits{PatternTTL: -time.Second}), "negative PatternTTL"},
		{intelligence.WithThresholds(intelligence.Thresholds{Healthy: 90}), "Healthy 90: want a success rate in (0, 1]"},
		{intelligence.WithThresholds(intelligence.Thresholds{Healthy: 0.8, Degraded: 0.9}), "Degraded 0.9 above Healthy 0.8"},
		{intelligence.WithThresholds(intelligence.Thresholds{Degraded: 0.95}), "Degraded 0.95 above Healthy 0.9"},
		{intelligence.WithThresholds(intelligence.Thresholds{MinSamples: -1}), "negative MinSamples"},
		{intelligence.WithObjective(intelligence.Objective{Agent: "a", Target: 99}), "WithObjective: objective target 99 for a"},
		{intelligence.WithObjective(intelligence.Objective{Target: 0.9}), "WithObjective: objective without an agent"},
	}
	for _, tt := range tests {
		tr, err := intelligence.New(tt.opt)
		if err == nil || tr != nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "intelligence: invalid tracker options: ") {
			t.Errorf("New = %v, %v; want an error containing %q", tr, err, tt.want)
		}
	}
	func() {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "negative MaxOps") {
				t.Errorf("New with an invalid option: recovered %v, want a panic naming it", r)
			}
		}()
		intelligence.MustNew(intelligence.WithLimits(intelligence.Limits{MaxOps: -5}))
	}()
	if _, err := intelligence.New(intelligence.WithThresholds(intelligence.Thresholds{Healthy: 0.5}), nil); err != nil {
		t.Errorf("Healthy 0.5 alone (Degraded follows it down): %v", err)
	}
}

// TestSimilarNames tracks operations whose names differ only where the
// hot cache does not look (same lengths, same first, middle and last
// bytes): each keeps its own counts.
func TestSimilarNames(t *testing.T) {
	tr, _ := newTracker()
	a := intelligence.Op{Agent: "agent", Worker: "WxxxyW", Operation: "Run"}
	b := intelligence.Op{Agent: "agent", Worker: "WyxxxW", Operation: "Run"}
	c := intelligence.Op{Agent: "agent", Worker: "WxxxyW", Operation: "Ran"}
	for i, op := range []intelligence.Op{a, b, b, c, c, c} {
		tr.TrackSuccess(op, 0)
		if i%2 == 0 {
			tr.TrackError(op, errors.New("x"), 0)
		}
	}
	for _, tt := range []struct {
		worker     string
		runs, errs uint64
	}{{"WxxxyW", 6, 2}, {"WyxxxW", 3, 1}} {
		if h := tr.WorkerHealth("agent", tt.worker); h.Runs != tt.runs || h.Errors != tt.errs {
			t.Errorf("%s: runs %d errors %d, want %d and %d", tt.worker, h.Runs, h.Errors, tt.runs, tt.errs)
		}
	}
	if h := tr.WorkerHealth("agent", "WxxxyW"); len(h.Operations) != 2 {
		t.Errorf("operations = %v, want Ran and Run", h.Operations)
	}
}
