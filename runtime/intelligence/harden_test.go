package intelligence_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// TestLongLatencies: percentiles of batch runs longer than 73 minutes are
// measured, and runs beyond the histogram are counted.
func TestLongLatencies(t *testing.T) {
	tr, _ := newTracker()
	for range 10 {
		tr.TrackSuccess(opA, 2*time.Hour)
	}
	tr.TrackSuccess(opA, 100*time.Hour)
	tr.TrackSuccess(opA, 100*time.Hour)
	l := tr.WorkerHealth(opA.Agent, opA.Worker).Latency
	if l.P50 < 2*time.Hour || l.P50 > 150*time.Minute {
		t.Errorf("p50 = %v, want within 25%% above 2h", l.P50)
	}
	if l.P99 != intelligence.MaxLatency || l.AboveRange != 2 {
		t.Errorf("p99 = %v above range %d, want %v and 2", l.P99, l.AboveRange, intelligence.MaxLatency)
	}
}

// TestNestedRetrySuccessIsOneRun: an inner retrying call made in the
// second attempt of an outer one, both observed, is one run.
func TestNestedRetrySuccessIsOneRun(t *testing.T) {
	tr, clk := newTracker()
	obs := intelligence.RetryObserver(tr, opA)
	policy := recovery.NewPolicy(recovery.WithMaxAttempts(3), recovery.WithClock(clk), recovery.WithObserver(obs))
	attempt := 0
	err := recovery.Do(context.Background(), policy, func(ctx context.Context) error {
		attempt++
		if attempt == 1 {
			return errors.New("connection reset by peer")
		}
		return recovery.Do(ctx, policy, func(context.Context) error { return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Runs != 1 || h.Errors != 0 {
		t.Errorf("runs %d errors %d, want one successful run", h.Runs, h.Errors)
	}
}
