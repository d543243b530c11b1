package intelligence_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// caught is what a recover above a panicking function sees.
type caught struct {
	value any
	// at is the file and line asynq's processor writes into a task's
	// error: the frame that called panic, or its caller when that frame
	// is in a path containing "runtime/" (hibiken/asynq v0.26.0's
	// processor.go, perform).
	at string
	// top is the function of the first frame outside package runtime
	// above the recovering function: where the panic started.
	top string
}

// catch runs fn, which must panic, and returns what a deferred recover in
// its caller sees.
func catch(fn func()) caught {
	var c caught
	catchInto(&c, fn)
	return c
}

// catchInto runs fn and stores in c what a deferred recover in its caller
// sees: through a pointer, because a panic recovered while runtime.Goexit
// unwinds lets the Goexit resume, and catchInto then never returns.
func catchInto(c *caught, fn func()) {
	defer func() {
		c.value = recover()
		_, file, line, ok := runtime.Caller(1)
		if ok && strings.Contains(file, "runtime/") {
			_, file, line, _ = runtime.Caller(2)
		}
		c.at = fmt.Sprintf("%s:%d", filepath.Base(file), line)
		var pcs [16]uintptr
		frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs[:])])
		for {
			f, more := frames.Next()
			if !strings.HasPrefix(f.Function, "runtime.") {
				c.top = f.Function
				return
			}
			if !more {
				return
			}
		}
	}()
	fn()
}

var errPanic = errors.New("an error value")

// TestTrackKeepsPanic checks that a panic goes through Track, TrackErr and
// Track2 exactly as it goes through a direct call: the same value, the
// same frame for a recover above (asynq's "panic [file:line]"), the same
// function at the top of the stack; and that the tracker records it as a
// failed run with a *PanicError naming the function that panicked.
func TestTrackKeepsPanic(t *testing.T) {
	bodies := []struct {
		name string
		body func() error
		// site is the start of the function name the recorded error
		// names (the body's closure).
		site string
	}{
		{"panic with a string", func() error { panic("email task without a recipient") }, "intelligence_test.TestTrackKeepsPanic.func"},
		{"panic with an error", func() error { panic(errPanic) }, "intelligence_test.TestTrackKeepsPanic.func"},
		{"index out of range", func() error {
			var s []int
			return fmt.Errorf("%d", s[3])
		}, "intelligence_test.TestTrackKeepsPanic.func"},
		{"nil dereference", func() error {
			var p *struct{ n int }
			return fmt.Errorf("%d", p.n)
		}, "intelligence_test.TestTrackKeepsPanic.func"},
		{"panic in a deferred function after a Goexit", func() error {
			defer func() { panic("after Goexit") }()
			runtime.Goexit()
			return nil
		}, "intelligence_test.TestTrackKeepsPanic.func"},
	}
	wrappers := []struct {
		name string
		wrap func(tr *intelligence.Tracker, body func() error)
	}{
		{"TrackErr", func(tr *intelligence.Tracker, body func() error) {
			_ = intelligence.TrackErr(context.Background(), tr, opA, func(context.Context) error { return body() })
		}},
		{"Track", func(tr *intelligence.Tracker, body func() error) {
			_, _ = intelligence.Track(context.Background(), tr, opA, func(context.Context) (int, error) { return 1, body() })
		}},
		{"Track2", func(tr *intelligence.Tracker, body func() error) {
			_, _, _ = intelligence.Track2(context.Background(), tr, opA, func(context.Context) (int, string, error) { return 1, "", body() })
		}},
		{"TrackErr around an observed recovery.Do", func(tr *intelligence.Tracker, body func() error) {
			policy := recovery.MustNewPolicy(recovery.WithObserver(intelligence.RetryObserver(tr, intelligence.Op{})))
			_ = intelligence.TrackErr(context.Background(), tr, opA, func(ctx context.Context) error {
				return recovery.Do(ctx, policy, func(context.Context) error { return body() })
			})
		}},
		{"TrackErr inside TrackErr", func(tr *intelligence.Tracker, body func() error) {
			_ = intelligence.TrackErr(context.Background(), tr, opA, func(ctx context.Context) error {
				return intelligence.TrackErr(ctx, tr, opA, func(context.Context) error { return body() })
			})
		}},
	}
	for _, b := range bodies {
		// Goexit unwinds a goroutine: run each catch on a goroutine of
		// its own, as the panic after a Goexit needs.
		direct := catchOnGoroutine(func() { _ = b.body() })
		if direct.value == nil {
			t.Fatalf("%s: the body did not panic", b.name)
		}
		for _, w := range wrappers {
			t.Run(b.name+"/"+w.name, func(t *testing.T) {
				tr, _ := newTracker()
				got := catchOnGoroutine(func() { w.wrap(tr, b.body) })
				if fmt.Sprint(got.value) != fmt.Sprint(direct.value) || fmt.Sprintf("%T", got.value) != fmt.Sprintf("%T", direct.value) {
					t.Errorf("recovered %T %v, want %T %v", got.value, got.value, direct.value, direct.value)
				}
				if err, ok := direct.value.(error); ok && !errors.Is(got.value.(error), err) {
					t.Errorf("recovered %v, not the panic's error", got.value)
				}
				// The body's line is the same in both runs, since the
				// same closure panics.
				if got.at != direct.at || got.top != direct.top {
					t.Errorf("panic seen at %s in %s, want %s in %s (as without Track)", got.at, got.top, direct.at, direct.top)
				}
				if strings.Contains(got.at, "intelligence.go") {
					t.Errorf("panic seen in the runtime's file: %s", got.at)
				}
				h := tr.WorkerHealth(opA.Agent, opA.Worker)
				wantRuns := uint64(1)
				if strings.Contains(w.name, "inside") {
					wantRuns = 2
				}
				if h.Runs != wantRuns || h.Errors != wantRuns {
					t.Errorf("runs/errors = %d/%d, want %d/%d", h.Runs, h.Errors, wantRuns, wantRuns)
				}
				ps := tr.Patterns()
				if len(ps) != 1 || strings.Join(ps[0].Types, ",") != "*intelligence.PanicError" {
					t.Fatalf("patterns = %+v, want one *intelligence.PanicError", ps)
				}
				wantMsg := "panic in " + b.site
				if !strings.HasPrefix(ps[0].Sample, wantMsg) || !strings.Contains(ps[0].Sample, " at panic_test.go:") {
					t.Errorf("sample %q, want %q... at panic_test.go:<line>", ps[0].Sample, wantMsg)
				}
			})
		}
	}
}

// catchOnGoroutine is catch on a goroutine of its own.
func catchOnGoroutine(fn func()) caught {
	var c caught
	var wg sync.WaitGroup
	wg.Go(func() { catchInto(&c, fn) })
	wg.Wait()
	return c
}

// TestTrackGoexitNotPanic checks that runtime.Goexit, as testing's FailNow
// calls it, is recorded as ErrGoexit (not as a panic) and still ends the
// goroutine, running its deferred functions and nothing after Track.
func TestTrackGoexitNotPanic(t *testing.T) {
	for _, name := range []string{"Goexit", "Goexit after a recovered panic", "Goexit in a deferred function"} {
		t.Run(name, func(t *testing.T) {
			tr, _ := newTracker()
			var after, deferred bool
			var wg sync.WaitGroup
			wg.Go(func() {
				defer func() { deferred = true }()
				_ = intelligence.TrackErr(context.Background(), tr, opA, func(context.Context) error {
					switch name {
					case "Goexit after a recovered panic":
						func() {
							defer func() { _ = recover() }()
							panic("recovered inside")
						}()
						runtime.Goexit()
					case "Goexit in a deferred function":
						defer runtime.Goexit()
					default:
						runtime.Goexit()
					}
					return nil
				})
				after = true
			})
			wg.Wait()
			if after || !deferred {
				t.Errorf("after Track ran: %v, deferred ran: %v; want false, true", after, deferred)
			}
			if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Runs != 1 || h.Errors != 1 {
				t.Errorf("runs/errors = %d/%d, want 1/1", h.Runs, h.Errors)
			}
			if ps := tr.Patterns(); len(ps) != 1 || ps[0].ID != intelligence.Fingerprint(intelligence.ErrGoexit) {
				t.Errorf("patterns = %+v, want ErrGoexit's", ps)
			}
		})
	}
}

// TestTrackRecoveredInside checks that a panic the function recovers
// itself is no panic of the run: it returned.
func TestTrackRecoveredInside(t *testing.T) {
	tr, _ := newTracker()
	err := intelligence.TrackErr(context.Background(), tr, opA, func(context.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("recovered: %v", r)
			}
		}()
		panic("inside")
	})
	if err == nil || err.Error() != "recovered: inside" {
		t.Errorf("err = %v", err)
	}
	ps := tr.Patterns()
	if len(ps) != 1 || ps[0].Sample != "recovered: inside" {
		t.Errorf("patterns = %+v, want the returned error's", ps)
	}
}

// panickyHandler is a slog.Handler that panics when it handles a record.
type panickyHandler struct{ slog.Handler }

func (panickyHandler) Enabled(context.Context, slog.Level) bool { return true }
func (panickyHandler) Handle(context.Context, slog.Record) error {
	panic("handler panicked")
}

// TestTrackPanicWithPanickingLogger checks that a panic of the tracker's
// own (here its logging handler's) while it records a panic is contained:
// the function's panic goes on with its value and place.
func TestTrackPanicWithPanickingLogger(t *testing.T) {
	tr, _ := newTracker(intelligence.WithLogger(slog.New(panickyHandler{})))
	body := func() error { panic("the body's") }
	direct := catch(func() { _ = body() })
	got := catch(func() {
		_ = intelligence.TrackErr(context.Background(), tr, opA, func(context.Context) error { return body() })
	})
	if got != direct {
		t.Errorf("recovered %+v, want %+v", got, direct)
	}
	if n := tr.Snapshot().Overflow.TrackingPanics; n != 1 {
		t.Errorf("tracking panics = %d, want 1", n)
	}
	if h := tr.WorkerHealth(opA.Agent, opA.Worker); h.Errors != 1 {
		t.Errorf("errors = %d, want 1", h.Errors)
	}
}

// TestPanicErrorText checks the two texts of a PanicError: with a value (a
// caller that recovered it) and as Track records it.
func TestPanicErrorText(t *testing.T) {
	withValue := &intelligence.PanicError{Value: errPanic}
	if withValue.Error() != "panic: an error value" || !errors.Is(withValue, errPanic) {
		t.Errorf("PanicError{Value: err} = %q, Is(err) = %v", withValue.Error(), errors.Is(withValue, errPanic))
	}
	if (&intelligence.PanicError{}).Error() != "panic: <nil>" {
		t.Errorf("zero PanicError = %q", (&intelligence.PanicError{}).Error())
	}
}
