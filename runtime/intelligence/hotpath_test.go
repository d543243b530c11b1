package intelligence_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// TestHotPathAllocs checks the promise of docs/bench/intelligence.md:
// after an operation's first record, recording a success allocates
// nothing, through every entry point, and so does an error of a known
// pattern.
func TestHotPathAllocs(t *testing.T) {
	tr := intelligence.MustNew()
	rec := tr.Op(opA)
	background := context.Background()
	cancelable, cancel := context.WithCancel(background)
	defer cancel()
	ok := func(context.Context) error { return nil }
	ok1 := func(context.Context) (int, error) { return 1, nil }
	ok2 := func(context.Context) (int, string, error) { return 1, "a", nil }
	known := fmt.Errorf("load batch 42: %w", errors.New("dial tcp 10.0.0.12:5432: connect: connection refused"))
	policy := recovery.MustNewPolicy(recovery.WithObserver(intelligence.RetryObserver(tr, intelligence.Op{})))
	// Errors of the known pattern whose messages all differ, more than the
	// tracker's memo of recent messages holds, and messages longer than it
	// keeps: each is fingerprinted anew.
	varying := make([]error, 4096)
	for i := range varying {
		varying[i] = fmt.Errorf("load batch %d: %w", i, fmt.Errorf("dial tcp 10.0.%d.%d:%d: connect: connection refused", i/256, i%256, 5000+i))
	}
	next := 0
	nextVarying := func() error { next++; return varying[next%len(varying)] }
	long := make([]error, 2)
	for i := range long {
		long[i] = fmt.Errorf("load batch %d: %w", i, errors.New("dial tcp 10.0.0.12:5432: connect: connection refused "+strings.Repeat("while awaiting headers ", 40)))
	}

	tests := []struct {
		name string
		f    func()
	}{
		{"TrackSuccess", func() { tr.TrackSuccess(opA, time.Millisecond) }},
		{"TrackError, known pattern", func() { tr.TrackError(opA, known, time.Millisecond) }},
		{"TrackError, known pattern, a new message each call", func() { tr.TrackError(opA, nextVarying(), time.Millisecond) }},
		{"TrackError, known pattern, messages longer than the memo keeps", func() { next++; tr.TrackError(opA, long[next%2], time.Millisecond) }},
		{"TrackError, known pattern, with attributes", func() { tr.TrackError(opA, known, time.Millisecond, slog.Int("batch", 42)) }},
		{"Track, Background", func() { _, _ = intelligence.Track(background, tr, opA, ok1) }},
		{"Track, cancelable context", func() { _, _ = intelligence.Track(cancelable, tr, opA, ok1) }},
		{"Track, nil context", func() { _, _ = intelligence.Track(nil, tr, opA, ok1) }}, //nolint:staticcheck // nil is documented to work
		{"TrackErr", func() { _ = intelligence.TrackErr(background, tr, opA, ok) }},
		{"Track2", func() { _, _, _ = intelligence.Track2(background, tr, opA, ok2) }},
		{"TrackErr around recovery.Do observed", func() {
			_ = intelligence.TrackErr(background, tr, opA, func(ctx context.Context) error { return recovery.Do(ctx, policy, ok) })
		}},
		{"Track inside Track, one op", func() {
			_ = intelligence.TrackErr(background, tr, opA, func(ctx context.Context) error {
				return intelligence.TrackErr(ctx, tr, opA, ok)
			})
		}},
		{"Recorder.TrackSuccess", func() { rec.TrackSuccess(time.Millisecond) }},
		{"Recorder.TrackError, known pattern", func() { rec.TrackError(known, time.Millisecond) }},
		{"Recorder.Start and Done", func() { rec.Done(rec.Start(), nil) }},
		{"Tracker.Op", func() { _ = tr.Op(opA) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.f() // the first record may create the op, its pattern, its cached context
			if n := testing.AllocsPerRun(1000, tt.f); n != 0 {
				t.Errorf("%v allocations per call, want 0", n)
			}
		})
	}
}

// TestTrackErrorAllocsOnlyErrorString checks that TrackError of a known
// pattern allocates nothing beyond what the error's own Error method
// allocates: the standard library's errors that build their message on
// each call (a *net.OpError, a *url.Error, a *fs.PathError) cost their
// allocations, which tracking does not add to, because it calls Error
// once per record.
func TestTrackErrorAllocsOnlyErrorString(t *testing.T) {
	tr := intelligence.MustNew()
	errs := map[string]error{
		"*net.OpError": &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(10, 0, 0, 12), Port: 5432},
			Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)},
		"*url.Error":    &url.Error{Op: "Get", URL: "https://api.example.com/v1/users?id=7", Err: context.DeadlineExceeded},
		"*fs.PathError": &fs.PathError{Op: "open", Path: "/var/data/2024/report.csv", Err: fs.ErrPermission},
		"wrapped *fs.PathError": fmt.Errorf("load batch 42: %w",
			&fs.PathError{Op: "open", Path: "/var/data/2024/report.csv", Err: fs.ErrPermission}),
	}
	for name, err := range errs {
		t.Run(name, func(t *testing.T) {
			tr.TrackError(opA, err, time.Millisecond)
			own := testing.AllocsPerRun(1000, func() { _ = err.Error() })
			got := testing.AllocsPerRun(1000, func() { tr.TrackError(opA, err, time.Millisecond) })
			t.Logf("%s: Error allocates %v times, TrackError %v", name, own, got)
			// Error's own count varies by one under -race (see raceEnabled).
			if slack := map[bool]float64{true: 1}[raceEnabled]; got > own+slack || got < own-slack {
				t.Errorf("TrackError: %v allocations per call, want %v (those of Error)", got, own)
			}
		})
	}
}

// valueCtx is a context of a comparable struct type, compared by value.
type valueCtx struct {
	context.Context
	name string
}

// mapCtx is a context of an uncomparable type: == on it panics.
type mapCtx struct {
	context.Context
	m map[string]string
}

type ctxKey string

// TestTrackContext checks the context Track passes to its function: it is
// the caller's context (values, cancellation, deadline) plus the Op, for
// any kind of context, whether or not Track reused it from an earlier
// call; and one a function kept keeps its op and parent.
func TestTrackContext(t *testing.T) {
	tr, _ := newTracker()
	opB := intelligence.Op{Agent: "aggregator", Worker: "OtherWorker", Operation: "Execute"}
	deadline := start.Add(time.Hour)
	withValue := context.WithValue(context.Background(), ctxKey("k"), "v")
	withDeadline, cancel := context.WithDeadline(withValue, deadline)
	defer cancel()
	contexts := map[string]context.Context{
		"Background":                 context.Background(),
		"value and deadline":         withDeadline,
		"comparable struct":          valueCtx{withValue, "x"},
		"uncomparable struct":        mapCtx{withValue, map[string]string{}},
		"struct, uncomparable field": valueCtx{mapCtx{withValue, nil}, "y"},
	}
	for name, parent := range contexts {
		t.Run(name, func(t *testing.T) {
			var kept []context.Context
			for _, op := range []intelligence.Op{opA, opA, opB, opA} {
				err := intelligence.TrackErr(parent, tr, op, func(ctx context.Context) error {
					if got, ok := intelligence.OpFromContext(ctx); !ok || got != op {
						t.Errorf("OpFromContext = %v, %v, want %v", got, ok, op)
					}
					if got, want := ctx.Value(ctxKey("k")), parent.Value(ctxKey("k")); got != want {
						t.Errorf("value %v, want the parent's %v", got, want)
					}
					gotD, gotOK := ctx.Deadline()
					wantD, wantOK := parent.Deadline()
					if gotD != wantD || gotOK != wantOK || ctx.Done() != parent.Done() {
						t.Errorf("deadline %v %v, want the parent's %v %v", gotD, gotOK, wantD, wantOK)
					}
					kept = append(kept, ctx)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			// A context kept from the first call still names its op.
			if got, _ := intelligence.OpFromContext(kept[0]); got != opA {
				t.Errorf("kept context names %v, want %v", got, opA)
			}
			if got, _ := intelligence.OpFromContext(kept[2]); got != opB {
				t.Errorf("kept context names %v, want %v", got, opB)
			}
		})
	}
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Runs != 3*uint64(len(contexts)) {
		t.Errorf("runs of %v = %d, want %d", opA, h.Runs, 3*len(contexts))
	}
}

// TestTrackContextCancel checks that cancellation still flows from the
// caller's context through the one Track passes, to contexts derived
// from it, on the first call and on a call that reuses the context.
func TestTrackContextCancel(t *testing.T) {
	tr, _ := newTracker()
	for i := range 2 {
		parent, cancel := context.WithCancelCause(context.Background())
		cause := fmt.Errorf("stop %d", i)
		err := intelligence.TrackErr(parent, tr, opA, func(ctx context.Context) error {
			for range 2 { // the second Track inside reuses the first's context
				if err := intelligence.TrackErr(parent, tr, opA, func(context.Context) error { return nil }); err != nil {
					return err
				}
			}
			child, stop := context.WithCancel(ctx)
			defer stop()
			cancel(cause)
			select {
			case <-child.Done():
			case <-time.After(10 * time.Second):
				t.Fatal("a context derived from Track's was not canceled with the caller's")
			}
			if got := context.Cause(child); got != cause {
				t.Errorf("cause %v, want %v", got, cause)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestTrackConcurrentContexts runs Track from goroutines sharing one op,
// each with its own context and some with a shared one: each function
// sees its own caller's context.
func TestTrackConcurrentContexts(t *testing.T) {
	tr, _ := newTracker()
	shared := context.WithValue(context.Background(), ctxKey("g"), "shared")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			mine := context.WithValue(context.Background(), ctxKey("g"), g)
			for i := range 200 {
				parent := mine
				if i%3 == 0 {
					parent = shared
				}
				_ = intelligence.TrackErr(parent, tr, opA, func(ctx context.Context) error {
					if got, want := ctx.Value(ctxKey("g")), parent.Value(ctxKey("g")); got != want {
						t.Errorf("goroutine %d sees value %v, want %v", g, got, want)
					}
					return nil
				})
			}
		})
	}
	wg.Wait()
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Runs != 8*200 {
		t.Errorf("runs = %d, want %d", h.Runs, 8*200)
	}
}

func TestRecorder(t *testing.T) {
	tr, clk := newTracker()
	rec := tr.Op(opA)
	if rec.Op() != opA {
		t.Errorf("Op() = %v, want %v", rec.Op(), opA)
	}
	rec.TrackSuccess(2 * time.Millisecond)
	begin := rec.Start()
	clk.Advance(30 * time.Millisecond)
	if d := rec.Done(begin, nil); d != 30*time.Millisecond {
		t.Errorf("Done measured %v, want 30ms", d)
	}
	begin = rec.Start()
	clk.Advance(time.Second)
	if d := rec.Done(begin, errors.New("boom")); d != time.Second {
		t.Errorf("Done measured %v, want 1s", d)
	}
	rec.TrackError(errors.New("boom"), time.Millisecond)
	tr.TrackSuccess(opA, time.Millisecond) // the same counters as the Recorder's

	h := tr.WorkerHealth(opA.Agent, opA.Worker)
	if h.Runs != 5 || h.Errors != 2 {
		t.Errorf("runs %d errors %d, want 5 and 2", h.Runs, h.Errors)
	}
	if h.LastError == nil || !h.LastError.Equal(start.Add(1030*time.Millisecond)) {
		t.Errorf("last error at %v, want the Done time", h.LastError)
	}
	if ps := tr.Patterns(); len(ps) != 1 || ps[0].Count != 2 {
		t.Errorf("patterns = %+v, want one of 2 errors", ps)
	}

	// Names are bounded like TrackSuccess's; beyond MaxOps a Recorder
	// records to the overflow operation.
	small, _ := newTracker(intelligence.WithLimits(intelligence.Limits{MaxOps: 1}))
	small.Op(opA).TrackSuccess(0)
	over := small.Op(intelligence.Op{Agent: "x", Worker: "y", Operation: "z"})
	over.TrackSuccess(0)
	if got := small.Snapshot().Overflow.Ops; got != 1 {
		t.Errorf("overflow ops = %d, want 1", got)
	}
	if h := small.WorkerHealth(intelligence.OverflowName, intelligence.OverflowName); h.Runs != 1 {
		t.Errorf("overflow runs = %d, want 1", h.Runs)
	}
}

// TestRecorderSystemClock checks Done on the default clock, where one
// clock read gives the duration and the time of the record.
func TestRecorderSystemClock(t *testing.T) {
	tr := intelligence.MustNew()
	rec := tr.Op(opA)
	before := time.Now()
	d := rec.Done(before.Add(-50*time.Millisecond), errors.New("boom"))
	after := time.Now()
	if d < 50*time.Millisecond || d > 50*time.Millisecond+after.Sub(before) {
		t.Errorf("Done measured %v, want 50ms plus at most %v", d, after.Sub(before))
	}
	h := tr.WorkerHealth(opA.Agent, opA.Worker)
	if h.LastError == nil || h.LastError.Before(before.Add(-time.Millisecond)) || h.LastError.After(after.Add(time.Millisecond)) {
		t.Errorf("last error at %v, want between %v and %v", h.LastError, before, after)
	}
	if h.Latency.P50 < 50*time.Millisecond || h.Latency.P50 > 63*time.Millisecond {
		t.Errorf("p50 = %v, want the 50ms run's bucket", h.Latency.P50)
	}
}

func TestZeroRecorder(t *testing.T) {
	var rec intelligence.Recorder
	before := intelligence.Default().WorkerHealth("", "").Runs
	rec.TrackSuccess(time.Millisecond)
	rec.Done(rec.Start(), nil)
	if got := intelligence.Default().WorkerHealth("", "").Runs; got != before+2 {
		t.Errorf("zero Recorder: Default has %d runs of the zero Op, want %d", got, before+2)
	}
}

func TestCounters(t *testing.T) {
	tr, _ := newTracker()
	opB := intelligence.Op{Agent: "aggregator", Worker: "AWorker", Operation: "Execute"}
	bounds := intelligence.LatencyBounds()
	tr.TrackSuccess(opA, 3*time.Millisecond)
	tr.TrackSuccess(opA, 3*time.Millisecond)
	tr.TrackError(opA, errors.New("boom"), 2*bounds[len(bounds)-1])
	tr.TrackSuccess(opB, 0)
	cs := tr.Counters()
	if len(cs) != 2 || cs[0].Op != opB || cs[1].Op != opA {
		t.Fatalf("counters = %+v, want opB then opA", cs)
	}
	if !slices.IsSorted(bounds) || bounds[0] > time.Microsecond+100 || bounds[len(bounds)-1] < time.Hour {
		t.Errorf("bounds from %v to %v, want ascending from about 1µs past an hour", bounds[0], bounds[len(bounds)-1])
	}
	c := cs[1]
	if c.Runs != 3 || c.Errors != 1 || len(c.Latency) != len(bounds) {
		t.Fatalf("opA: runs %d errors %d, %d buckets, want 3, 1, %d", c.Runs, c.Errors, len(c.Latency), len(bounds))
	}
	for i, n := range c.Latency {
		var want uint64
		switch {
		case i > 0 && bounds[i-1] < 3*time.Millisecond && 3*time.Millisecond <= bounds[i]:
			want = 2
		case i == len(bounds)-1:
			want = 1 // past the last bound
		}
		if n != want {
			t.Errorf("bucket %d (≤ %v) holds %d runs, want %d", i, bounds[i], n, want)
		}
	}
}
