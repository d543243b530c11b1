package intelligence_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

func TestPatternAggregation(t *testing.T) {
	tr, clk := newTracker()
	w2 := intelligence.Op{Agent: "aggregator", Worker: "MeanWorker", Operation: "Execute"}
	tr.TrackError(opA, fmt.Errorf("row %d: bad value %q", 7, "x"), 0, slog.Int("row", 7))
	clk.Advance(10 * time.Minute)
	tr.TrackError(opA, fmt.Errorf("row %d: bad value %q", 9, "yy"), 0)
	clk.Advance(10 * time.Minute)
	tr.TrackError(w2, fmt.Errorf("row %d: bad value %q", 1234, "z"), 0)
	tr.TrackError(w2, errors.New("disk full"), 0)

	ps := tr.Patterns()
	if len(ps) != 2 {
		t.Fatalf("got %d patterns, want 2: %+v", len(ps), ps)
	}
	p := ps[0]
	if p.Count != 3 || p.Message != "row <num>: bad value <str>" || p.Sample != `row 7: bad value "x"` {
		t.Errorf("pattern = count %d message %q sample %q", p.Count, p.Message, p.Sample)
	}
	if !p.FirstSeen.Equal(start) || !p.LastSeen.Equal(start.Add(20*time.Minute)) {
		t.Errorf("first/last = %v/%v", p.FirstSeen, p.LastSeen)
	}
	if len(p.Workers) != 2 || p.Workers[0] != (intelligence.WorkerCount{Agent: "aggregator", Worker: "StatisticsWorker", Count: 2}) {
		t.Errorf("workers = %+v", p.Workers)
	}
	if p.Attrs["row"] != int64(7) {
		t.Errorf("attrs = %v, want row=7 from the first record", p.Attrs)
	}
	if p.Trend.Last5m != 1 || p.Trend.Last1h != 3 || p.Trend.Direction != "new" {
		t.Errorf("trend = %+v, want 1 in 5m, 3 in 1h, new", p.Trend)
	}
	if ps[1].Message != "disk full" || ps[1].Count != 1 {
		t.Errorf("second pattern = %+v", ps[1])
	}
}

func TestPatternTrend(t *testing.T) {
	tests := []struct {
		name     string
		perHour  []int // occurrences per hour, oldest first; the last is the current hour
		want     string
		wantLast uint64
	}{
		{"rising", []int{1, 1, 1, 1, 1, 1, 10}, "rising", 10},
		{"steady", []int{4, 4, 4, 4, 4, 4, 4}, "steady", 4},
		{"falling", []int{10, 10, 10, 10, 10, 10, 2}, "falling", 2},
		{"quiet", []int{5, 5, 0}, "quiet", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, clk := newTracker()
			for i, n := range tt.perHour {
				if i > 0 {
					clk.Advance(time.Hour)
				}
				for range n {
					tr.TrackError(opA, errors.New("flaky"), 0)
				}
			}
			clk.Advance(30 * time.Minute) // the last hour's events are 30m old
			p := tr.Patterns()[0]
			if p.Trend.Direction != tt.want || p.Trend.Last1h != tt.wantLast {
				t.Errorf("trend = %+v, want %s with %d in the last hour", p.Trend, tt.want, tt.wantLast)
			}
		})
	}
}

func TestOpsLimit(t *testing.T) {
	tr, _ := newTracker(intelligence.WithLimits(intelligence.Limits{MaxOps: 2}))
	for i := range 5 {
		op := intelligence.Op{Agent: "a", Worker: fmt.Sprintf("W%d", i), Operation: "Run"}
		tr.TrackSuccess(op, 0)
		tr.TrackSuccess(op, 0)
	}
	snap := tr.Snapshot()
	if snap.Overflow.Ops != 6 {
		t.Errorf("overflow ops = %d, want 6 (3 operations × 2 runs)", snap.Overflow.Ops)
	}
	var names []string
	var total uint64
	for _, w := range snap.Workers {
		names = append(names, w.Worker)
		total += w.Runs
	}
	if strings.Join(names, ",") != "(overflow),W0,W1" || total != 10 {
		t.Errorf("workers = %v with %d runs, want W0, W1 and the overflow with all 10", names, total)
	}
}

func TestPatternLimitAndEviction(t *testing.T) {
	tr, clk := newTracker(intelligence.WithLimits(intelligence.Limits{MaxPatterns: 3, PatternTTL: time.Hour}))
	for _, w := range []string{"alpha", "beta", "gamma", "delta", "epsilon"} {
		tr.TrackError(opA, errors.New("failure "+w), 0)
	}
	snap := tr.Snapshot()
	if len(snap.Patterns) != 4 || !snap.Patterns[3].Overflow || snap.Patterns[3].Count != 2 || snap.Overflow.Patterns != 2 {
		t.Fatalf("patterns %d (last %+v), overflow %d; want 3 + an overflow bucket of 2",
			len(snap.Patterns), snap.Patterns[len(snap.Patterns)-1], snap.Overflow.Patterns)
	}
	// Known patterns keep counting when the store is full.
	tr.TrackError(opA, errors.New("failure alpha"), 0)
	clk.Advance(30 * time.Minute)
	tr.TrackError(opA, errors.New("failure alpha"), 0)

	// At 61m beta and gamma (last seen at 0) are idle past the TTL, alpha
	// (30m) is not: a new pattern evicts the idle ones and gets in.
	clk.Advance(31 * time.Minute)
	tr.TrackError(opA, errors.New("failure zeta"), 0)
	snap = tr.Snapshot()
	var msgs []string
	for _, p := range snap.Patterns {
		msgs = append(msgs, p.Message)
	}
	if got := strings.Join(msgs, ","); got != "failure alpha,failure zeta,(overflow)" {
		t.Errorf("patterns after eviction = %s", got)
	}
	if snap.Overflow.PatternsEvicted != 2 {
		t.Errorf("evicted = %d, want 2", snap.Overflow.PatternsEvicted)
	}
}

func TestMessageAndWorkerLimits(t *testing.T) {
	tr, _ := newTracker(intelligence.WithLimits(intelligence.Limits{MaxMessageLen: 32, MaxWorkersPerPattern: 2}))
	long := "prefix that is the same " + strings.Repeat("x", 1000)
	for i := range 4 {
		op := intelligence.Op{Agent: "a", Worker: fmt.Sprintf("W%d", i), Operation: "Run"}
		tr.TrackError(op, errors.New(long+fmt.Sprint(i)), 0)
	}
	snap := tr.Snapshot()
	p := snap.Patterns[0]
	if len(snap.Patterns) != 1 || !p.Truncated || len(p.Message) > 32 || len(p.Sample) > 256 {
		t.Errorf("pattern: %d patterns, truncated %v, message %d bytes, sample %d bytes", len(snap.Patterns), p.Truncated, len(p.Message), len(p.Sample))
	}
	if len(p.Workers) != 2 || p.WorkersNotListed != 2 {
		t.Errorf("workers listed %d, not listed %d, want 2 and 2", len(p.Workers), p.WorkersNotListed)
	}
	if snap.Overflow.MessagesTruncated != 4 {
		t.Errorf("messages truncated = %d, want 4", snap.Overflow.MessagesTruncated)
	}
}

func TestRedaction(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	tr, _ := newTracker(
		intelligence.WithLogger(logger),
		intelligence.WithLimits(intelligence.Limits{MaxAttrs: 5, MaxAttrValueLen: 10}),
		intelligence.WithRedactor(func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == "customer" {
				a.Value = slog.StringValue("anon")
			}
			return a
		}),
	)
	frame := make([]float64, 100000)
	tr.TrackError(opA, errors.New("load failed"), 0,
		slog.String("api_token", "s3cr3t-value"),
		slog.String("query", "SELECT * FROM a_very_long_table_name"),
		slog.Any("frame", frame),
		slog.String("customer", "Alice"),
		slog.Group("db", slog.String("Password", "hunter2"), slog.Int("port", 5432)),
		slog.Int("extra1", 1),
		slog.Int("extra2", 2),
	)
	attrs := tr.Patterns()[0].Attrs
	want := map[string]any{
		"api_token":     intelligence.Redacted,
		"query":         "SELECT * F…(+26 bytes)",
		"frame":         "[]float64 len=100000",
		"customer":      "anon",
		"db":            map[string]any{"Password": intelligence.Redacted, "port": int64(5432)},
		"attrs_dropped": int64(2),
	}
	if fmt.Sprint(attrs) != fmt.Sprint(want) {
		t.Errorf("attrs =\n%v\nwant\n%v", attrs, want)
	}
	out := logs.String()
	if strings.Contains(out, "s3cr3t") || strings.Contains(out, "hunter2") || strings.Contains(out, "Alice") {
		t.Errorf("log leaks a secret: %s", out)
	}
	var rec map[string]any
	if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
		t.Fatalf("log is not one JSON record: %v\n%s", err, out)
	}
	if rec["level"] != "ERROR" || rec["worker"] != opA.Worker || rec["pattern"] != tr.Patterns()[0].ID || rec["error"] != "load failed" {
		t.Errorf("log record = %v", rec)
	}
	if tr.Snapshot().Overflow.AttrsDropped != 2 {
		t.Errorf("attrs dropped = %d, want 2", tr.Snapshot().Overflow.AttrsDropped)
	}
}

func TestWithoutSampleMessages(t *testing.T) {
	tr, _ := newTracker(intelligence.WithoutSampleMessages())
	tr.TrackError(opA, errors.New("no account for bob@example.com"), 0)
	if p := tr.Patterns()[0]; p.Sample != "no account for <email>" {
		t.Errorf("sample = %q, want the normalised message", p.Sample)
	}
}

func TestOpsLimitConcurrent(t *testing.T) {
	tr, _ := newTracker(intelligence.WithLimits(intelligence.Limits{MaxOps: 10}))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				tr.TrackSuccess(intelligence.Op{Agent: "a", Worker: fmt.Sprintf("W%d-%d", g, i)}, 0)
			}
		})
	}
	wg.Wait()
	snap := tr.Snapshot()
	if len(snap.Workers) != 11 || snap.Overflow.Ops != 400-10 {
		t.Errorf("%d workers (want 10 and the overflow), %d overflowed runs (want 390)", len(snap.Workers), snap.Overflow.Ops)
	}
}
