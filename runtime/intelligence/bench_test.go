package intelligence_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/internal/cpubench"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

func TestTrackSuccessAllocs(t *testing.T) {
	tr := intelligence.MustNew()
	var nilT *intelligence.Tracker
	tr.TrackSuccess(opA, time.Millisecond) // register the op
	nilT.TrackSuccess(opA, time.Millisecond)
	for name, f := range map[string]func(){
		"tracker": func() { tr.TrackSuccess(opA, time.Millisecond) },
		"nil":     func() { nilT.TrackSuccess(opA, time.Millisecond) },
	} {
		if n := testing.AllocsPerRun(1000, f); n != 0 {
			t.Errorf("%s: TrackSuccess allocates %v times per call, want 0", name, n)
		}
	}
}

// BenchmarkTrackSuccess measures the hot path with the default clock, and
// with a constant clock to separate the tracker's own cost from the cost of
// reading the system clock (see BenchmarkClock).
func BenchmarkTrackSuccess(b *testing.B) {
	b.Run("system clock", func(b *testing.B) {
		tr := intelligence.MustNew()
		b.ReportAllocs()
		cpubench.Loop(b, func() { tr.TrackSuccess(opA, time.Millisecond) })
	})
	b.Run("constant clock", func(b *testing.B) {
		now := time.Now()
		tr := intelligence.MustNew(intelligence.WithClock(func() time.Time { return now }))
		b.ReportAllocs()
		cpubench.Loop(b, func() { tr.TrackSuccess(opA, time.Millisecond) })
	})
}

var sinkDuration time.Duration

// BenchmarkClock is the floor every timestamp costs: one monotonic clock
// read, as the default clock makes.
func BenchmarkClock(b *testing.B) {
	base := time.Now()
	cpubench.Loop(b, func() { sinkDuration += time.Since(base) })
}

var sinkControl atomic.Uint64

// BenchmarkTrackSuccessParallel runs TrackSuccess from GOMAXPROCS
// goroutines (see parallel): "distinct ops" gives each goroutine its own
// worker (the usual case: no shared cache line but the index, which is
// only read); "one op" has all goroutines hit one worker's counters.
// "control" is arithmetic on goroutine-local state, which scales
// perfectly when cores are free: it shows, in the same run, how much
// parallelism the machine actually offered.
func BenchmarkTrackSuccessParallel(b *testing.B) {
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
	// A positive control for cpu-ns/op: each goroutine increments its own
	// counter, but the counters are neighbours in one cache line (a
	// 128-byte object is 128-byte aligned), so that when the goroutines
	// run at once each increment waits for the line. Its cpu-ns/op with
	// two goroutines, against one, shows how much the run could see of
	// false sharing.
	b.Run("control shared line", func(b *testing.B) {
		counters := new([16]atomic.Uint64)
		cpubench.Parallel(b, func(id, n int) {
			c := &counters[id%2]
			for range n {
				c.Add(1)
			}
		})
	})
	b.Run("distinct ops", func(b *testing.B) {
		tr := intelligence.MustNew()
		b.ReportAllocs()
		cpubench.Parallel(b, func(id, n int) {
			op := intelligence.Op{Agent: "bench", Worker: fmt.Sprintf("Worker%d", id), Operation: "Execute"}
			for range n {
				tr.TrackSuccess(op, time.Millisecond)
			}
		})
	})
	// The same with a clock that returns a constant: what scales of the
	// tracker's own work, without the clock reads.
	b.Run("distinct ops constant clock", func(b *testing.B) {
		now := time.Now()
		tr := intelligence.MustNew(intelligence.WithClock(func() time.Time { return now }))
		b.ReportAllocs()
		cpubench.Parallel(b, func(id, n int) {
			op := intelligence.Op{Agent: "bench", Worker: fmt.Sprintf("Worker%d", id), Operation: "Execute"}
			for range n {
				tr.TrackSuccess(op, time.Millisecond)
			}
		})
	})
	// Each goroutine records to a tracker of its own: nothing of a tracker
	// is shared, so "distinct ops" scaling less than this would point at
	// something the goroutines share inside one tracker.
	b.Run("distinct trackers", func(b *testing.B) {
		trs := []*intelligence.Tracker{}
		for range runtime.GOMAXPROCS(0) {
			trs = append(trs, intelligence.MustNew())
		}
		b.ReportAllocs()
		cpubench.Parallel(b, func(id, n int) {
			tr := trs[id]
			op := intelligence.Op{Agent: "bench", Worker: fmt.Sprintf("Worker%d", id), Operation: "Execute"}
			for range n {
				tr.TrackSuccess(op, time.Millisecond)
			}
		})
	})
	b.Run("one op", func(b *testing.B) {
		tr := intelligence.MustNew()
		b.ReportAllocs()
		cpubench.Parallel(b, func(_, n int) {
			for range n {
				tr.TrackSuccess(opA, time.Millisecond)
			}
		})
	})
	// "one op" again, with every goroutine but the first recording from
	// shift stack frames of 2 KiB deeper: the stack addresses from which
	// the tracker picks each goroutine's stripe differ from one variant to
	// the next, so that some variant puts two goroutines on one stripe
	// (with 8 stripes, about one variant in eight) in every run, instead
	// of whatever the harness's goroutine stacks give.
	for shift := range 8 {
		b.Run(fmt.Sprintf("one op shifted %d", shift), func(b *testing.B) {
			tr := intelligence.MustNew()
			b.ReportAllocs()
			cpubench.Parallel(b, func(id, n int) {
				record := func() {
					for range n {
						tr.TrackSuccess(opA, time.Millisecond)
					}
				}
				if id == 0 {
					record()
					return
				}
				atDepth(shift, record)
			})
		})
	}
}

var sinkDepth byte

// atDepth calls f from n stack frames of 2 KiB each below its caller.
//
//go:noinline
func atDepth(n int, f func()) {
	var pad [2048]byte
	if n == 0 {
		f()
		return
	}
	pad[n] = byte(n)
	atDepth(n-1, f)
	sinkDepth += pad[n]
}

// BenchmarkTrackError records an error of a known pattern: the same error
// value each time, 64 errors whose messages differ in their numbers and
// addresses (one pattern), as real errors do, and 8192 such errors in
// turn, more than the tracker's memo of recent messages holds, so that
// every message is fingerprinted anew (Normalize and the hash).
func BenchmarkTrackError(b *testing.B) {
	b.Run("same error", func(b *testing.B) {
		tr := intelligence.MustNew()
		err := fmt.Errorf("load batch 42: %w", errors.New("dial tcp 10.0.0.12:5432: connect: connection refused"))
		b.ReportAllocs()
		cpubench.Loop(b, func() { tr.TrackError(opA, err, time.Millisecond) })
	})
	b.Run("varying message", func(b *testing.B) {
		tr := intelligence.MustNew()
		errs := make([]error, 64)
		for i := range errs {
			errs[i] = fmt.Errorf("load batch %d: %w", 40+i, fmt.Errorf("dial tcp 10.0.%d.12:%d: connect: connection refused", i, 5000+i))
		}
		b.ReportAllocs()
		i := 0
		cpubench.Loop(b, func() {
			tr.TrackError(opA, errs[i%len(errs)], time.Millisecond)
			i++
		})
		if n := len(tr.Patterns()); n != 1 {
			b.Fatalf("%d patterns, want 1", n)
		}
	})
	b.Run("new message each time", func(b *testing.B) {
		tr := intelligence.MustNew()
		errs := make([]error, 8192)
		for i := range errs {
			errs[i] = fmt.Errorf("load batch %d: %w", 40+i, fmt.Errorf("dial tcp 10.%d.%d.12:%d: connect: connection refused", i/256, i%256, 5000+i))
		}
		b.ReportAllocs()
		i := 0
		cpubench.Loop(b, func() {
			tr.TrackError(opA, errs[i%len(errs)], time.Millisecond)
			i++
		})
		if n := len(tr.Patterns()); n != 1 {
			b.Fatalf("%d patterns, want 1", n)
		}
	})
}

// BenchmarkTrack measures the wrappers around a function that succeeds
// (two clock reads, start and end, and the record) and around one that
// returns an error of a known pattern.
func BenchmarkTrack(b *testing.B) {
	tr := intelligence.MustNew()
	ctx := context.Background()
	b.Run("Track", func(b *testing.B) {
		fn := func(context.Context) (int, error) { return 1, nil }
		b.ReportAllocs()
		cpubench.Loop(b, func() { _, _ = intelligence.Track(ctx, tr, opA, fn) })
	})
	b.Run("TrackErr", func(b *testing.B) {
		fn := func(context.Context) error { return nil }
		b.ReportAllocs()
		cpubench.Loop(b, func() { _ = intelligence.TrackErr(ctx, tr, opA, fn) })
	})
	b.Run("Track2", func(b *testing.B) {
		fn := func(context.Context) (int, string, error) { return 1, "", nil }
		b.ReportAllocs()
		cpubench.Loop(b, func() { _, _, _ = intelligence.Track2(ctx, tr, opA, fn) })
	})
	b.Run("Recorder.Start+Done", func(b *testing.B) {
		rec := tr.Op(opA)
		b.ReportAllocs()
		cpubench.Loop(b, func() { rec.Done(rec.Start(), nil) })
	})
	// The error path: an error of a known pattern, without control-flow
	// matchers (unless a test registered them in this process) and then
	// with the two of controlflow_test.go (errors.As and errors.Is), which
	// this sub-benchmark registers for the rest of the process.
	known := errors.New("upstream unavailable")
	failing := func(context.Context) error { return known }
	b.Run("TrackErr error", func(b *testing.B) {
		b.ReportAllocs()
		cpubench.Loop(b, func() { _ = intelligence.TrackErr(ctx, tr, opA, failing) })
	})
	b.Run("TrackErr error, control-flow matchers", func(b *testing.B) {
		registerTestControlFlow()
		b.ReportAllocs()
		cpubench.Loop(b, func() { _ = intelligence.TrackErr(ctx, tr, opA, failing) })
	})
}

// BenchmarkRecorder is TrackSuccess through a pre-resolved Recorder: no
// lookup, one clock read (none with the constant clock).
func BenchmarkRecorder(b *testing.B) {
	b.Run("system clock", func(b *testing.B) {
		rec := intelligence.MustNew().Op(opA)
		b.ReportAllocs()
		for b.Loop() {
			rec.TrackSuccess(time.Millisecond)
		}
	})
	b.Run("constant clock", func(b *testing.B) {
		now := time.Now()
		rec := intelligence.MustNew(intelligence.WithClock(func() time.Time { return now })).Op(opA)
		b.ReportAllocs()
		for b.Loop() {
			rec.TrackSuccess(time.Millisecond)
		}
	})
}

func BenchmarkSnapshot(b *testing.B) {
	tr := intelligence.MustNew()
	for i := range 100 {
		op := intelligence.Op{Agent: fmt.Sprintf("agent%d", i%10), Worker: fmt.Sprintf("Worker%d", i), Operation: "Execute"}
		tr.TrackSuccess(op, time.Millisecond)
		tr.TrackError(op, fmt.Errorf("failure kind %s", word(i)), time.Millisecond)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = tr.Snapshot()
	}
}

// BenchmarkRetryObserver is a successful first try through recovery.Do
// with the bridge observing, inside Track: what tracking adds to a
// retried call that does not need its retries.
func BenchmarkRetryObserver(b *testing.B) {
	tr := intelligence.MustNew()
	policy := recovery.MustNewPolicy(recovery.WithObserver(intelligence.RetryObserver(tr, intelligence.Op{})))
	ctx := context.Background()
	ok := func(context.Context) error { return nil }
	b.ReportAllocs()
	for b.Loop() {
		_ = intelligence.TrackErr(ctx, tr, opA, func(ctx context.Context) error {
			return recovery.Do(ctx, policy, ok)
		})
	}
}
