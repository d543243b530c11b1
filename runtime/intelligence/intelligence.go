package intelligence

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/internal/unwind"
)

// Op names one tracked operation: the agent it belongs to, the worker that
// ran it and the operation (usually the run method's name). Names longer
// than 128 bytes are truncated.
type Op struct {
	Agent     string
	Worker    string
	Operation string
}

// maxNameLen bounds each Op field; longer names are truncated so that an
// attacker-controlled name cannot grow memory.
const maxNameLen = 128

// bounded returns op with its names cut at maxNameLen bytes (at a rune
// boundary).
func (op Op) bounded() Op {
	if !op.long() {
		return op
	}
	return op.truncated()
}

// long reports whether a name of op is longer than maxNameLen. The hot
// paths test it before calling truncated, rather than reassign op through
// bounded: names are almost never long, and the copy is measurable there.
func (op *Op) long() bool {
	return len(op.Agent) > maxNameLen || len(op.Worker) > maxNameLen || len(op.Operation) > maxNameLen
}

func (op Op) truncated() Op {
	if len(op.Agent) > maxNameLen {
		op.Agent = truncate(op.Agent, maxNameLen)
	}
	if len(op.Worker) > maxNameLen {
		op.Worker = truncate(op.Worker, maxNameLen)
	}
	if len(op.Operation) > maxNameLen {
		op.Operation = truncate(op.Operation, maxNameLen)
	}
	return op
}

// Tracker aggregates successes and errors into health, patterns, budgets,
// recommendations and fix evaluations. It is safe for concurrent use. A nil
// *Tracker means Default(); the zero Tracker is usable and has the default
// configuration.
type Tracker struct {
	once sync.Once
	cfg  config

	hot    [hotSlots]atomic.Pointer[series]
	seed   maphash.Seed
	shards [shardCount]shard
	nops   atomic.Int64
	// overflowOp receives the records of operations that arrive after
	// Limits.MaxOps distinct operations exist.
	overflowOp *series

	// baseWall and baseMono anchor the default clock: now is baseWall plus
	// the monotonic time since baseMono, which costs one monotonic clock
	// read instead of the two of time.Now.
	baseWall int64
	baseMono time.Time

	pats patternStore
	// memo remembers the fingerprints of recent errors; it is allocated
	// with the first error.
	memo atomic.Pointer[fpMemo]

	// striped counts the series given extra stripes (see series.note).
	striped atomic.Int64

	overflowOps       atomic.Uint64
	attrsDropped      atomic.Uint64
	messagesTruncated atomic.Uint64
	trackPanics       atomic.Uint64
}

// MustNew is New for trackers built once at start-up from options known to
// be valid: it panics with New's error (naming the option) instead of
// returning it, as regexp.MustCompile does.
func MustNew(opts ...Option) *Tracker {
	t, err := New(opts...)
	if err != nil {
		panic(err)
	}
	return t
}

// New returns a Tracker configured by opts, or an error naming the option
// whose value is invalid.
func New(opts ...Option) (*Tracker, error) {
	t := &Tracker{}
	for _, o := range opts {
		if o != nil {
			o(t)
		}
	}
	if t.cfg.err != nil {
		return nil, fmt.Errorf("intelligence: invalid tracker options: %w", t.cfg.err)
	}
	t.init()
	return t, nil
}

var defaultTracker = MustNew()

// Default returns the process-wide tracker.
func Default() *Tracker { return defaultTracker }

// init completes the configuration with defaults; it runs once, from New
// or from the first use of a zero Tracker.
func (t *Tracker) init() {
	t.once.Do(func() {
		t.cfg.complete()
		t.seed = maphash.MakeSeed()
		t.baseMono = time.Now()
		t.baseWall = t.baseMono.UnixNano()
		t.overflowOp = newSeries(t, Op{Agent: OverflowName, Worker: OverflowName, Operation: OverflowName})
		t.pats.init(&t.cfg)
	})
}

// OverflowName is the agent, worker and operation name under which records
// are counted once a limit on distinct operations or patterns is reached.
const OverflowName = "(overflow)"

// resolve maps nil to Default and makes sure t is initialised.
func (t *Tracker) resolve() *Tracker {
	if t == nil {
		return defaultTracker
	}
	t.init()
	return t
}

// now returns the current time in Unix nanoseconds from the injected
// clock, or from the cheap default clock.
func (t *Tracker) now() int64 {
	if t.cfg.clock != nil {
		return t.cfg.clock().UnixNano()
	}
	return t.baseWall + int64(time.Since(t.baseMono))
}

// TrackSuccess records a successful run of op that took d. It allocates
// nothing and takes no lock once op has been seen. attrs are only logged,
// at debug level, when a logger is configured.
func (t *Tracker) TrackSuccess(op Op, d time.Duration, attrs ...slog.Attr) {
	t = t.resolve()
	if op.long() {
		op = op.truncated()
	}
	t.lookup(op).success(t.now(), d)
	if t.cfg.logger != nil {
		t.logSuccess(op, d, attrs)
	}
}

// TrackError records a failed run of op that took d and groups err into a
// pattern. A nil err is recorded as an error of type "<nil>": the caller
// said the run failed. TrackError never panics, even when err.Error()
// does.
func (t *Tracker) TrackError(op Op, err error, d time.Duration, attrs ...slog.Attr) {
	t = t.resolve()
	if op.long() {
		op = op.truncated()
	}
	t.failure(t.lookup(op), op, err, t.now(), d, attrs)
}

func (t *Tracker) success(s *series, op Op, now int64, d time.Duration, attrs []slog.Attr) {
	s.success(now, d)
	if t.cfg.logger != nil {
		t.logSuccess(op, d, attrs)
	}
}

func (t *Tracker) failure(s *series, op Op, err error, now int64, d time.Duration, attrs []slog.Attr) {
	s.failure(now, d)
	t.recordPattern(s, op, err, now, false, attrs)
}

// recordPattern fingerprints err, updates its pattern and logs it. A panic
// from err.Error() or from a logging handler is contained: tracking never
// fails the caller.
func (t *Tracker) recordPattern(s *series, op Op, err error, now int64, retried bool, attrs []slog.Attr) {
	defer func() {
		if recover() != nil {
			t.trackPanics.Add(1)
		}
	}()
	fp := t.fingerprint(err)
	// Attributes are redacted only when they are logged or kept with a
	// new pattern: most errors belong to a known pattern.
	var kept []slog.Attr
	if len(attrs) > 0 && (t.cfg.logger != nil || !t.pats.has(fp.id)) {
		kept = t.redactAttrs(attrs)
	}
	id := t.pats.record(fp, err, s, now, retried, kept)
	if t.cfg.logger != nil {
		t.logError(op, err, id, retried, kept)
	}
}

func (t *Tracker) logSuccess(op Op, d time.Duration, attrs []slog.Attr) {
	defer func() {
		if recover() != nil {
			t.trackPanics.Add(1)
		}
	}()
	ctx := context.Background()
	if !t.cfg.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	all := make([]slog.Attr, 0, 4+len(attrs))
	all = append(all,
		slog.String("agent", op.Agent), slog.String("worker", op.Worker),
		slog.String("operation", op.Operation), slog.Duration("duration", d))
	all = append(all, t.redactAttrs(attrs)...)
	t.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "operation succeeded", all...)
}

func (t *Tracker) logError(op Op, err error, pattern uint64, retried bool, attrs []slog.Attr) {
	level, msg := slog.LevelError, "operation failed"
	if retried {
		level, msg = slog.LevelDebug, "attempt failed, retrying"
	}
	ctx := context.Background()
	if !t.cfg.logger.Enabled(ctx, level) {
		return
	}
	all := make([]slog.Attr, 0, 5+len(attrs))
	all = append(all,
		slog.String("agent", op.Agent), slog.String("worker", op.Worker),
		slog.String("operation", op.Operation), slog.String("pattern", patternID(pattern)),
		slog.String("error", t.cfg.scrub.text(errorString(err, t.cfg.limits.MaxMessageLen))))
	all = append(all, attrs...)
	t.cfg.logger.LogAttrs(ctx, level, msg, all...)
}

// ErrGoexit is the error Track records when the tracked function calls
// runtime.Goexit (as testing's FailNow and SkipNow do): the run never
// returned, so it counts as failed; the goroutine then exits as Goexit
// requires.
var ErrGoexit = errors.New("intelligence: tracked function called runtime.Goexit")

// PanicError is the error Track records when the tracked function panics.
//
// Track does not recover the panic: recovering and panicking again would
// move the panic to Track's own frame, which a program can see (asynq, for
// one, writes the file and line of the frame that panicked into the task's
// error, and a crash's trace would start in Track). The panic therefore
// continues untouched, with its original value and stack, and the tracker
// never learns the value, which the runtime gives only to recover: Value is
// nil in the errors Track records, and the error names the function and
// the line that panicked instead. A PanicError built with a Value (by a
// caller of TrackError that recovered the panic itself) prints and unwraps
// that value.
type PanicError struct {
	// Value is the value the function panicked with, when it is known:
	// nil in the errors Track records.
	Value any
	// Stack is the goroutine's stack at the panic, truncated to 4 KiB.
	Stack []byte

	// at is where the panic happened ("jobs.(*Handler).Run at
	// handlers.go:37"), when Value is not known.
	at string
}

func (e *PanicError) Error() string {
	if e.Value == nil && e.at != "" {
		return "panic in " + e.at
	}
	return fmt.Sprintf("panic: %v", e.Value)
}

// Unwrap returns the panic value when it is an error, so that the pattern's
// type chain shows what panicked (for example a runtime.Error).
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Track runs fn, recording its success, error or panic on t (nil means
// Default()) with the time it took. fn receives ctx carrying op (see
// OpFromContext), so a recovery.Do inside fn observed by RetryObserver
// attributes its retries to op without counting the run twice.
//
// Track changes nothing fn does: it returns fn's results as they are, and
// when fn panics or calls runtime.Goexit it records the run as failed and
// lets the panic or the Goexit go on untouched, without recovering it (see
// PanicError): the panic keeps its value, its stack and the frame it
// started from, so that a recover further up sees exactly what it would
// see without Track. A panic is recorded as a *PanicError naming where it
// happened, runtime.Goexit (testing's FailNow) as ErrGoexit. A run
// returning an error registered as control flow (RegisterControlFlow) is
// not recorded.
func Track[T any](ctx context.Context, t *Tracker, op Op, fn func(context.Context) (T, error)) (v T, err error) {
	t = t.resolve()
	if op.long() {
		op = op.truncated()
	}
	s := t.lookup(op)
	if ctx == nil {
		ctx = context.Background()
	}
	// The series marks the context: RetryObserver finds the op and sees
	// that this Track records the outcome. The marked context is cached
	// per series, so a loop on one context allocates nothing.
	ctx = s.context(ctx)
	start := t.now()
	finished := false
	defer func() {
		// fn did not return: it panicked or called runtime.Goexit, and
		// this runs while the panic or the Goexit unwinds the stack.
		// Nothing here recovers: the unwinding continues once the run
		// is recorded.
		if !finished {
			t.abnormal(s, op, start)
		}
	}()
	v, err = fn(ctx)
	finished = true
	switch {
	case err == nil:
		now := t.now()
		t.success(s, op, now, time.Duration(now-start), nil)
	case t.isControlFlow(err):
		// Control flow (see RegisterControlFlow): neither a success nor
		// a failure, nothing to record.
	default:
		now := t.now()
		t.failure(s, op, err, now, time.Duration(now-start), nil)
	}
	return v, err
}

// abnormal records a run of op that began at start and did not return: it
// is called by Track's deferred function while a panic or runtime.Goexit
// unwinds the stack, and tells the two apart by the frames above it (see
// unwind.Panicking). It never recovers, and it contains its own panics,
// so the unwinding goes on as if Track were not there.
func (t *Tracker) abnormal(s *series, op Op, start int64) {
	defer func() {
		if recover() != nil {
			t.trackPanics.Add(1)
		}
	}()
	panicking, at := unwind.Panicking()
	var err = ErrGoexit
	if panicking {
		if at == "" {
			at = "an unknown function"
		}
		stack := debug.Stack()
		if len(stack) > maxPanicStack {
			stack = stack[:maxPanicStack]
		}
		err = &PanicError{Stack: stack, at: at}
	}
	now := t.now()
	t.failure(s, op, err, now, time.Duration(now-start), nil)
}

// maxPanicStack bounds PanicError.Stack.
const maxPanicStack = 4096

// TrackErr is Track for a function with only an error result.
func TrackErr(ctx context.Context, t *Tracker, op Op, fn func(context.Context) error) error {
	_, err := Track(ctx, t, op, func(ctx context.Context) (struct{}, error) { return struct{}{}, fn(ctx) })
	return err
}

// Track2 is Track for a function with two results.
func Track2[A, B any](ctx context.Context, t *Tracker, op Op, fn func(context.Context) (A, B, error)) (A, B, error) {
	var b B
	a, err := Track(ctx, t, op, func(ctx context.Context) (A, error) {
		var a A
		var err error
		a, b, err = fn(ctx)
		return a, err
	})
	return a, b, err
}
