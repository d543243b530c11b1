package intelligence

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"
)

// StateFormat and StateVersion identify the files Save writes. Restore
// reads files of this version and older, and refuses newer ones.
const (
	StateFormat  = "resilience-lint/intelligence-state"
	StateVersion = 1
)

// state is the saved form of a Tracker: JSON, times in Unix nanoseconds,
// time-bucket rings as [slot, word] pairs of their non-empty slots (a word
// packs the bucket's epoch and count, see ringAdd).
type state struct {
	Format   string         `json:"format"`
	Version  int            `json:"version"`
	SavedAt  time.Time      `json:"saved_at"`
	Ops      []opState      `json:"ops"`
	Patterns []patternState `json:"patterns"`
	Fixes    []fixState     `json:"fixes"`
}

type opState struct {
	Op
	Errors       uint64            `json:"errors"`
	Consecutive  int64             `json:"consecutive"`
	LastSuccess  int64             `json:"last_success"`
	LastError    int64             `json:"last_error"`
	Latency      [][2]uint64       `json:"latency"`
	MinuteTotal  [][2]uint64       `json:"minute_total"`
	MinuteErrors [][2]uint64       `json:"minute_errors"`
	HourTotal    [][2]uint64       `json:"hour_total"`
	HourErrors   [][2]uint64       `json:"hour_errors"`
	Retry        map[string]uint64 `json:"retry,omitempty"`
}

type patternState struct {
	ID               string         `json:"id"`
	Types            []string       `json:"types"`
	Message          string         `json:"message"`
	Sample           string         `json:"sample"`
	Kind             ErrorKind      `json:"kind,omitempty"`
	KindEvidence     string         `json:"kind_evidence,omitempty"`
	Attrs            map[string]any `json:"attrs,omitempty"`
	Count            uint64         `json:"count"`
	Retried          uint64         `json:"retried"`
	First            int64          `json:"first"`
	Last             int64          `json:"last"`
	Truncated        bool           `json:"truncated,omitempty"`
	Workers          []WorkerCount  `json:"workers"`
	WorkersNotListed uint64         `json:"workers_not_listed,omitempty"`
	Ops              []Op           `json:"ops"`
	Minute           [][2]uint64    `json:"minute"`
	Hour             [][2]uint64    `json:"hour"`
}

type fixState struct {
	Pattern      string    `json:"pattern"`
	Types        []string  `json:"types"`
	Message      string    `json:"message"`
	Kind         ErrorKind `json:"kind,omitempty"`
	Description  string    `json:"description"`
	At           int64     `json:"at"`
	Baseline     bool      `json:"baseline"`
	BeforeErrors uint64    `json:"before_errors"`
	BeforeRuns   uint64    `json:"before_runs"`
	BeforeHours  float64   `json:"before_hours"`
	Ops          []fixOpSt `json:"ops"`
	After        uint64    `json:"after"`
	FirstAfter   int64     `json:"first_after"`
	QuietRuns    uint64    `json:"quiet_runs"`
}

type fixOpSt struct {
	Op
	RunsAt uint64 `json:"runs_at"`
}

// retryFields names the retry counters in the saved form.
func retryFields(c *retryCounters) map[string]*atomic.Uint64 {
	return map[string]*atomic.Uint64{
		"calls": &c.calls, "attempts": &c.attempts, "retries": &c.retries, "first_try": &c.firstTry,
		"recovered": &c.recovered, "exhausted": &c.exhausted, "permanent": &c.permanent,
		"permanent_after_retry": &c.permanentLate, "canceled": &c.canceled, "budget_denied": &c.budgetDenied,
		"max_elapsed": &c.maxElapsed, "deadline": &c.deadline, "panics": &c.panicked, "nested": &c.nested, "attempt_timeouts": &c.attemptTimeout, "fallbacks": &c.fallbacks,
	}
}

func saveRing(ring []atomic.Uint64) [][2]uint64 {
	var out [][2]uint64
	for i := range ring {
		if w := ring[i].Load(); w&countMask != 0 {
			out = append(out, [2]uint64{uint64(i), w})
		}
	}
	return out
}

// Save writes the tracker's state (operations and their counters,
// patterns, fixes) to w as versioned JSON (StateFormat, StateVersion), for
// Restore in a later process: a fix shipped by a redeploy is then judged
// against the error ratio measured before it. The configuration
// (objectives, limits, clock) is not saved. Records made while Save runs
// may or may not be included.
func (t *Tracker) Save(w io.Writer) error {
	t = t.resolve()
	now := t.now()
	st := state{Format: StateFormat, Version: StateVersion, SavedAt: time.Unix(0, now).UTC()}
	t.forEachSeries(func(s *series) {
		// A contended series spreads its runs over stripes: save them
		// folded into one histogram and one pair of rings.
		errs := s.errors.Load() // before the runs: see series.failure
		minutes, hours := s.foldedTotals(uint64(now / minuteNanos))
		var hist [histBuckets]uint64
		s.addLatency(&hist)
		o := opState{
			Op:           s.op,
			Errors:       errs,
			Consecutive:  s.consecutive.Load(),
			LastSuccess:  s.lastSuccess.Load(),
			LastError:    s.lastError.Load(),
			MinuteTotal:  saveRing(minutes[:]),
			MinuteErrors: saveRing(s.minErr[:]),
			HourTotal:    saveRing(hours[:]),
			HourErrors:   saveRing(s.hourErr[:]),
			Retry:        map[string]uint64{},
		}
		for i, n := range hist {
			if n > 0 {
				o.Latency = append(o.Latency, [2]uint64{uint64(i), n})
			}
		}
		for k, c := range retryFields(&s.retry) {
			if n := c.Load(); n > 0 {
				o.Retry[k] = n
			}
		}
		st.Ops = append(st.Ops, o)
	})
	slices.SortFunc(st.Ops, func(a, b opState) int { return compareOps(a.Op, b.Op) })

	ps := &t.pats
	ps.mu.Lock()
	for _, p := range ps.m {
		pst := patternState{
			ID: patternID(p.id), Types: p.types, Message: p.message, Sample: p.sample,
			Kind: p.kind, KindEvidence: p.kindWhy, Attrs: attrsToMap(p.attrs),
			Count: p.count, Retried: p.retried, First: p.first, Last: p.last, Truncated: p.truncated,
			WorkersNotListed: p.workersDropped,
			Minute:           saveRing(p.minute[:]), Hour: saveRing(p.hour[:]),
		}
		for k, n := range p.workers {
			pst.Workers = append(pst.Workers, WorkerCount{Agent: k.agent, Worker: k.worker, Count: n})
		}
		slices.SortFunc(pst.Workers, func(a, b WorkerCount) int {
			return compareOps(Op{Agent: a.Agent, Worker: a.Worker}, Op{Agent: b.Agent, Worker: b.Worker})
		})
		for _, s := range p.ops {
			pst.Ops = append(pst.Ops, s.op)
		}
		st.Patterns = append(st.Patterns, pst)
	}
	for _, f := range ps.fixes {
		fs := fixState{
			Pattern: patternID(f.pattern), Types: f.types, Message: f.message, Kind: f.kind,
			Description: f.description, At: f.at, Baseline: f.baseline, BeforeErrors: f.beforeErrors,
			BeforeRuns: f.beforeRuns, BeforeHours: f.beforeHours, After: f.after, FirstAfter: f.firstAfter,
			QuietRuns: f.quietRuns,
		}
		for _, o := range f.ops {
			fs.Ops = append(fs.Ops, fixOpSt{Op: o.s.op, RunsAt: o.runsAt})
		}
		st.Fixes = append(st.Fixes, fs)
	}
	ps.mu.Unlock()
	slices.SortFunc(st.Patterns, func(a, b patternState) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(st); err != nil {
		return fmt.Errorf("intelligence: saving state: %w", err)
	}
	return nil
}

func compareOps(a, b Op) int {
	for _, c := range [][2]string{{a.Agent, b.Agent}, {a.Worker, b.Worker}, {a.Operation, b.Operation}} {
		if c[0] != c[1] {
			if c[0] < c[1] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Restore adds the state Save wrote to the tracker: counters are added to
// those of the same operations, patterns merged with those of the same id
// (new ones kept within Limits.MaxPatterns), fixes appended (within
// Limits.MaxFixes) and judged from then on. Call it at start-up, before
// tracking, to continue where the last process stopped; restoring the
// same state twice counts it twice. It refuses another format, a newer
// version and malformed data, and then changes nothing; fixes beyond
// Limits.MaxFixes are reported with ErrTooManyFixes after the rest is
// restored.
func (t *Tracker) Restore(r io.Reader) error {
	t = t.resolve()
	var st state
	dec := json.NewDecoder(r)
	if err := dec.Decode(&st); err != nil {
		return fmt.Errorf("intelligence: restoring state: %w", err)
	}
	if st.Format != StateFormat {
		return fmt.Errorf("intelligence: restoring state: format %q, want %q", st.Format, StateFormat)
	}
	if st.Version < 1 || st.Version > StateVersion {
		return fmt.Errorf("intelligence: restoring state: version %d, this tracker reads versions 1 to %d", st.Version, StateVersion)
	}
	if err := st.validate(); err != nil {
		return fmt.Errorf("intelligence: restoring state: %w", err)
	}

	curM := uint64(t.now() / minuteNanos)
	for _, o := range st.Ops {
		s := t.lookup(o.bounded())
		s.errors.Add(o.Errors)
		s.consecutive.Add(o.Consecutive)
		storeMax(&s.lastSuccess, o.LastSuccess)
		storeMax(&s.lastError, o.LastError)
		for _, l := range o.Latency {
			s.latency[l[0]].Add(l[1])
		}
		for _, e := range o.MinuteTotal {
			mergeMinute(s.minTotal[:], s.hourTotal[:], e, curM)
		}
		for _, e := range o.MinuteErrors {
			mergeMinute(s.minErr[:], s.hourErr[:], e, curM)
		}
		for _, e := range o.HourTotal {
			mergeWord(s.hourTotal[:], e)
		}
		for _, e := range o.HourErrors {
			mergeWord(s.hourErr[:], e)
		}
		fields := retryFields(&s.retry)
		for k, n := range o.Retry {
			if c := fields[k]; c != nil {
				c.Add(n)
			}
		}
	}

	// Series first (lookup takes shard locks), then the pattern store.
	opsOf := func(ops []Op) []*series {
		out := make([]*series, 0, len(ops))
		for _, op := range ops {
			if s := t.lookup(op.bounded()); s != t.overflowOp && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		return out
	}
	patOps := make([][]*series, len(st.Patterns))
	for i, p := range st.Patterns {
		patOps[i] = opsOf(p.Ops)
	}
	fixOps := make([][]fixOp, len(st.Fixes))
	for i, f := range st.Fixes {
		for _, o := range f.Ops {
			if s := t.lookup(o.bounded()); s != t.overflowOp {
				fixOps[i] = append(fixOps[i], fixOp{s: s, runsAt: o.RunsAt})
			}
		}
	}

	ps := &t.pats
	ps.mu.Lock()
	defer ps.mu.Unlock()
	lim := t.cfg.limits
	for i, sp := range st.Patterns {
		id, _ := parsePatternID(sp.ID)
		p := ps.m[id]
		if p == nil {
			if len(ps.m) >= lim.MaxPatterns {
				ps.overflow.count += sp.Count
				ps.overflow.retried += sp.Retried
				continue
			}
			p = &pattern{
				id: id, types: slices.Clone(sp.Types), message: ps.cfg.scrub.text(sp.Message),
				sample: truncate(ps.cfg.scrub.text(sp.Sample), sampleLen), kind: sp.Kind, kindWhy: sp.KindEvidence,
				attrs: t.redactAttrs(attrsFromMap(sp.Attrs)), first: sp.First, truncated: sp.Truncated,
				workers: map[workerKey]uint64{},
			}
			ps.m[id] = p
			for _, f := range ps.byPattern[id] {
				f.bind(p)
			}
		}
		p.count += sp.Count
		p.retried += sp.Retried
		p.first = min(p.first, sp.First)
		p.last = max(p.last, sp.Last)
		p.workersDropped += sp.WorkersNotListed
		for _, w := range sp.Workers {
			wk := workerKey{truncate(w.Agent, maxNameLen), truncate(w.Worker, maxNameLen)}
			if _, ok := p.workers[wk]; ok || len(p.workers) < lim.MaxWorkersPerPattern {
				p.workers[wk] += w.Count
			} else {
				p.workersDropped += w.Count
			}
		}
		for _, s := range patOps[i] {
			if !slices.Contains(p.ops, s) && len(p.ops) < lim.MaxWorkersPerPattern {
				p.ops = append(p.ops, s)
			}
		}
		for _, e := range sp.Minute {
			mergeWord(p.minute[:], e)
		}
		for _, e := range sp.Hour {
			mergeWord(p.hour[:], e)
		}
	}
	for i, sf := range st.Fixes {
		if len(ps.fixes) >= lim.MaxFixes {
			return fmt.Errorf("intelligence: restoring state: %w: %d, %d fixes not restored", ErrTooManyFixes, lim.MaxFixes, len(st.Fixes)-i)
		}
		id, _ := parsePatternID(sf.Pattern)
		f := &fix{
			pattern: id, types: slices.Clone(sf.Types), message: sf.Message, kind: sf.Kind,
			description: truncateNote(sf.Description, sampleLen), at: sf.At, baseline: sf.Baseline,
			beforeErrors: sf.BeforeErrors, beforeRuns: sf.BeforeRuns, beforeHours: sf.BeforeHours,
			ops: fixOps[i], after: sf.After, firstAfter: sf.FirstAfter, quietRuns: sf.QuietRuns,
		}
		if p := ps.m[id]; p != nil {
			f.bind(p)
		}
		ps.fixes = append(ps.fixes, f)
		ps.byPattern[id] = append(ps.byPattern[id], f)
	}
	return nil
}

// validate checks what would index out of range or break an invariant.
func (st *state) validate() error {
	ring := func(what string, entries [][2]uint64, n int) error {
		for _, e := range entries {
			if e[0] >= uint64(n) {
				return fmt.Errorf("%s: slot %d out of range [0, %d)", what, e[0], n)
			}
		}
		return nil
	}
	for _, o := range st.Ops {
		for _, err := range []error{
			ring("latency of "+o.Worker, o.Latency, histBuckets),
			ring("minutes of "+o.Worker, o.MinuteTotal, minuteBuckets),
			ring("minutes of "+o.Worker, o.MinuteErrors, minuteBuckets),
			ring("hours of "+o.Worker, o.HourTotal, hourBuckets),
			ring("hours of "+o.Worker, o.HourErrors, hourBuckets),
		} {
			if err != nil {
				return err
			}
		}
		var runs uint64
		for _, l := range o.Latency {
			runs += l[1]
		}
		if o.Errors > runs || o.Consecutive < 0 {
			return fmt.Errorf("operation %s/%s/%s: %d errors of %d runs, %d consecutive failures", o.Agent, o.Worker, o.Operation, o.Errors, runs, o.Consecutive)
		}
	}
	for _, p := range st.Patterns {
		if _, err := parsePatternID(p.ID); err != nil {
			return err
		}
		if err := ring("pattern "+p.ID, p.Minute, minuteBuckets); err != nil {
			return err
		}
		if err := ring("pattern "+p.ID, p.Hour, hourBuckets); err != nil {
			return err
		}
		if len(p.Types) > maxChainTypes {
			return fmt.Errorf("pattern %s: %d types, at most %d", p.ID, len(p.Types), maxChainTypes)
		}
	}
	for _, f := range st.Fixes {
		if _, err := parsePatternID(f.Pattern); err != nil {
			return err
		}
	}
	return nil
}

// mergeWord adds a saved bucket word to ring: into the slot's count when
// it holds the same epoch, replacing it when it holds an older one, and
// not at all when it holds a newer one.
func mergeWord(ring []atomic.Uint64, e [2]uint64) {
	mergeSlot(&ring[e[0]], e[1], nil, 0)
}

// mergeMinute is mergeWord for a series' minute ring, whose slots move
// their count into the hour ring when a newer minute replaces them (see
// rollAdd); curM, the current minute, dates the words' epochs.
func mergeMinute(minutes, hours []atomic.Uint64, e [2]uint64, curM uint64) {
	mergeSlot(&minutes[e[0]], e[1], hours, curM)
}

func mergeSlot(slot *atomic.Uint64, w uint64, hours []atomic.Uint64, curM uint64) {
	n := w & countMask
	if n == 0 {
		return
	}
	epoch := w >> countBits
	for {
		old := slot.Load()
		switch {
		case old != 0 && old>>countBits == epoch:
			if old&countMask <= countMask-n {
				slot.Add(n)
			}
			return
		case newer(old, epoch):
			if hours != nil { // an older minute: count it in its hour
				ringAddN(hours, fullEpoch(curM, w)/60, n)
			}
			return
		}
		if slot.CompareAndSwap(old, w) {
			if c := old & countMask; hours != nil && c > 0 {
				ringAddN(hours, fullEpoch(curM, old)/60, c)
			}
			return
		}
	}
}

func storeMax(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if v <= old || a.CompareAndSwap(old, v) {
			return
		}
	}
}

// attrsFromMap rebuilds attributes from their saved JSON form.
func attrsFromMap(m map[string]any) []slog.Attr {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]slog.Attr, 0, len(m))
	for _, k := range keys {
		switch v := m[k].(type) {
		case map[string]any:
			out = append(out, slog.Attr{Key: k, Value: slog.GroupValue(attrsFromMap(v)...)})
		case string:
			out = append(out, slog.String(k, v))
		case float64:
			if v == float64(int64(v)) {
				out = append(out, slog.Int64(k, int64(v)))
			} else {
				out = append(out, slog.Float64(k, v))
			}
		case bool:
			out = append(out, slog.Bool(k, v))
		default:
			out = append(out, slog.String(k, fmt.Sprint(v)))
		}
	}
	return out
}
