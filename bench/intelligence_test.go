package bench

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/resilience-lint/resilience-lint/internal/cpubench"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// The tracking benchmarks compare runtime/intelligence with what a Go team
// would write with Prometheus client_golang to record the same thing: a
// run counter and a latency histogram (the default buckets) labelled
// agent, worker and operation. docs/bench/intelligence.md has the command
// and the recorded results.

var (
	trackOp   = intelligence.Op{Agent: "aggregator", Worker: "StatisticsWorker", Operation: "Execute"}
	labels    = []string{"agent", "worker", "operation"}
	runTime   = 3 * time.Millisecond
	sinkNanos atomic.Int64
)

// promPair returns a run counter and a latency histogram vector,
// registered nowhere (registration costs nothing per call).
func promPair() (*prometheus.CounterVec, *prometheus.HistogramVec) {
	runs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "runs_total", Help: "Runs."}, labels)
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "run_duration_seconds", Help: "Run duration.", Buckets: prometheus.DefBuckets,
	}, labels)
	return runs, latency
}

// BenchmarkRecord records one successful run whose duration the caller
// already has. "clock" is one monotonic clock read, the cost TrackSuccess
// adds for the time of the record (Prometheus keeps no time).
func BenchmarkRecord(b *testing.B) {
	b.Run("clock", func(b *testing.B) {
		base := time.Now()
		b.ReportAllocs()
		cpubench.Loop(b, func() {
			sinkNanos.Store(int64(time.Since(base)))
		})
	})
	b.Run("prometheus/labels", func(b *testing.B) {
		runs, latency := promPair()
		b.ReportAllocs()
		cpubench.Loop(b, func() {
			runs.WithLabelValues(trackOp.Agent, trackOp.Worker, trackOp.Operation).Inc()
			latency.WithLabelValues(trackOp.Agent, trackOp.Worker, trackOp.Operation).Observe(runTime.Seconds())
		})
	})
	b.Run("prometheus/preresolved", func(b *testing.B) {
		runs, latency := promPair()
		c := runs.WithLabelValues(trackOp.Agent, trackOp.Worker, trackOp.Operation)
		h := latency.WithLabelValues(trackOp.Agent, trackOp.Worker, trackOp.Operation)
		b.ReportAllocs()
		cpubench.Loop(b, func() {
			c.Inc()
			h.Observe(runTime.Seconds())
		})
	})
	b.Run("intelligence/TrackSuccess", func(b *testing.B) {
		tr := intelligence.MustNew()
		b.ReportAllocs()
		cpubench.Loop(b, func() {
			tr.TrackSuccess(trackOp, runTime)
		})
	})
	b.Run("intelligence/Recorder", func(b *testing.B) {
		rec := intelligence.MustNew().Op(trackOp)
		b.ReportAllocs()
		cpubench.Loop(b, func() {
			rec.TrackSuccess(runTime)
		})
	})
	// The tracker's own work, without the clock read: the same with a
	// clock that returns a constant.
	b.Run("intelligence/Recorder_constant_clock", func(b *testing.B) {
		now := time.Now()
		rec := intelligence.MustNew(intelligence.WithClock(func() time.Time { return now })).Op(trackOp)
		b.ReportAllocs()
		cpubench.Loop(b, func() {
			rec.TrackSuccess(runTime)
		})
	})
}

// work is the measured function: it does nothing, so the benchmarks show
// what measuring and recording a run costs.
var work = func(context.Context) error { return nil }

// BenchmarkMeasure times a run and records it: time.Now before and one
// clock read after, for everyone.
func BenchmarkMeasure(b *testing.B) {
	ctx := context.Background()
	b.Run("prometheus/preresolved", func(b *testing.B) {
		runs, latency := promPair()
		c := runs.WithLabelValues(trackOp.Agent, trackOp.Worker, trackOp.Operation)
		h := latency.WithLabelValues(trackOp.Agent, trackOp.Worker, trackOp.Operation)
		b.ReportAllocs()
		cpubench.Loop(b, func() {
			start := time.Now()
			if err := work(ctx); err != nil {
				b.Fatal(err)
			}
			c.Inc()
			h.Observe(time.Since(start).Seconds())
		})
	})
	b.Run("intelligence/TrackErr", func(b *testing.B) {
		tr := intelligence.MustNew()
		b.ReportAllocs()
		cpubench.Loop(b, func() {
			if err := intelligence.TrackErr(ctx, tr, trackOp, work); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("intelligence/Recorder.Done", func(b *testing.B) {
		rec := intelligence.MustNew().Op(trackOp)
		b.ReportAllocs()
		cpubench.Loop(b, func() {
			start := time.Now()
			rec.Done(start, work(ctx))
		})
	})
}

var sinkControl atomic.Uint64

// BenchmarkRecordParallel records from GOMAXPROCS goroutines (see
// parallel). "control" is arithmetic on goroutine-local state: it scales
// perfectly when a core is free, and shows how much parallelism the
// machine gave in this run. "one_op" has every goroutine record the same
// operation (one Prometheus series); "distinct_ops" gives each goroutine
// its own worker.
func BenchmarkRecordParallel(b *testing.B) {
	b.Run("control", func(b *testing.B) {
		cpubench.Parallel(b, func(_, n int) {
			x := uint64(1)
			for range n {
				for range 40 {
					x = x*6364136223846793005 + 1442695040888963407
				}
			}
			sinkControl.Add(x)
		})
	})
	b.Run("prometheus/preresolved_one_op", func(b *testing.B) {
		runs, latency := promPair()
		c := runs.WithLabelValues(trackOp.Agent, trackOp.Worker, trackOp.Operation)
		h := latency.WithLabelValues(trackOp.Agent, trackOp.Worker, trackOp.Operation)
		b.ReportAllocs()
		cpubench.Parallel(b, func(_, n int) {
			for range n {
				c.Inc()
				h.Observe(runTime.Seconds())
			}
		})
	})
	b.Run("intelligence/one_op", func(b *testing.B) {
		tr := intelligence.MustNew()
		b.ReportAllocs()
		cpubench.Parallel(b, func(_, n int) {
			for range n {
				tr.TrackSuccess(trackOp, runTime)
			}
		})
	})
	b.Run("intelligence/distinct_ops", func(b *testing.B) {
		tr := intelligence.MustNew()
		b.ReportAllocs()
		cpubench.Parallel(b, func(id, n int) {
			op := intelligence.Op{Agent: "bench", Worker: fmt.Sprintf("Worker%d", id), Operation: "Execute"}
			for range n {
				tr.TrackSuccess(op, runTime)
			}
		})
	})
}

// TestRecordersAgree checks that the benchmarked recorders record: every
// intelligence path counts its runs, and the Prometheus pair counts as
// many.
func TestRecordersAgree(t *testing.T) {
	tr := intelligence.MustNew()
	rec := tr.Op(trackOp)
	runs, latency := promPair()
	c := runs.WithLabelValues(trackOp.Agent, trackOp.Worker, trackOp.Operation)
	h := latency.WithLabelValues(trackOp.Agent, trackOp.Worker, trackOp.Operation)
	ctx := context.Background()
	for range 10 {
		tr.TrackSuccess(trackOp, runTime)
		rec.TrackSuccess(runTime)
		rec.Done(rec.Start(), work(ctx))
		if err := intelligence.TrackErr(ctx, tr, trackOp, work); err != nil {
			t.Fatal(err)
		}
		c.Inc()
		h.Observe(runTime.Seconds())
	}
	boom := errors.New("boom")
	rec.Done(rec.Start(), boom)
	got := tr.WorkerHealth(trackOp.Agent, trackOp.Worker)
	if got.Runs != 41 || got.Errors != 1 {
		t.Errorf("intelligence: runs %d, errors %d, want 41 and 1", got.Runs, got.Errors)
	}
	if n := testutil.ToFloat64(runs); n != 10 {
		t.Errorf("prometheus: counter %v, want 10", n)
	}
}
