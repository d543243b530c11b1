package intelligence

import (
	"cmp"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Pattern is a group of errors with the same fingerprint, as reported in a
// Snapshot.
type Pattern struct {
	// ID is the fingerprint, as returned by Fingerprint; pass it to
	// RecordFix.
	ID string `json:"id"`
	// Types is the error's type chain, outermost first, without the generic
	// wrappers of fmt.Errorf and errors.Join.
	Types []string `json:"types"`
	// Message is the normalised message (see Normalize).
	Message string `json:"message"`
	// Sample is the first message seen, at most 256 bytes (the normalised
	// message with WithoutSampleMessages).
	Sample string `json:"sample"`
	// Kind is what the first error said about its cause (see ErrorKind),
	// and KindEvidence what in the error chose it; both are empty when
	// nothing did.
	Kind         ErrorKind `json:"kind,omitempty"`
	KindEvidence string    `json:"kind_evidence,omitempty"`
	// Attrs are the redacted attributes of the first record.
	Attrs map[string]any `json:"attrs,omitempty"`
	// Count is the number of failed runs (TrackError) in the pattern.
	Count uint64 `json:"count"`
	// Retried is the number of failed attempts that were then retried, as
	// reported by RetryObserver; they are not failed runs.
	Retried   uint64    `json:"retried"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	// Workers are the workers affected, most affected first.
	Workers []WorkerCount `json:"workers"`
	// WorkersNotListed counts records from workers beyond
	// Limits.MaxWorkersPerPattern.
	WorkersNotListed uint64 `json:"workers_not_listed,omitempty"`
	Trend            Trend  `json:"trend"`
	// Truncated reports that messages were longer than
	// Limits.MaxMessageLen and fingerprinted on their prefix.
	Truncated bool `json:"truncated,omitempty"`
	// Overflow marks the bucket counting errors of patterns beyond
	// Limits.MaxPatterns.
	Overflow bool `json:"overflow,omitempty"`
}

// WorkerCount is one worker's share of a pattern.
type WorkerCount struct {
	Agent  string `json:"agent"`
	Worker string `json:"worker"`
	Count  uint64 `json:"count"`
}

// Trend is a pattern's occurrences (failed runs and retried attempts) over
// recent windows, with a direction: "new" (first seen within the hour),
// "rising" (the last hour is at least twice the hourly average of the five
// before, and at least 3), "falling" (at most half), "steady", or "quiet"
// (nothing for an hour).
type Trend struct {
	Last5m    uint64 `json:"last_5m"`
	Last1h    uint64 `json:"last_1h"`
	Last6h    uint64 `json:"last_6h"`
	Last24h   uint64 `json:"last_24h"`
	Direction string `json:"direction"`
}

type workerKey struct{ agent, worker string }

type pattern struct {
	id        uint64
	types     []string
	message   string
	sample    string
	kind      ErrorKind
	kindWhy   string
	attrs     []slog.Attr
	count     uint64
	retried   uint64
	first     int64
	last      int64
	truncated bool
	overflow  bool

	workers        map[workerKey]uint64
	workersDropped uint64
	// ops are the operations the pattern affected (at most
	// MaxWorkersPerPattern), whose runs are the denominator of the error
	// ratio a fix is judged on.
	ops []*series

	minute [minuteBuckets]atomic.Uint64
	hour   [hourBuckets]atomic.Uint64
}

// patternStore keeps at most Limits.MaxPatterns patterns. It is only
// touched on the error path, so one mutex is enough.
type patternStore struct {
	mu        sync.Mutex
	cfg       *config
	m         map[uint64]*pattern
	overflow  *pattern
	evicted   uint64
	lastSweep int64

	fixes     []*fix
	byPattern map[uint64][]*fix
}

func (ps *patternStore) init(cfg *config) {
	ps.cfg = cfg
	ps.m = make(map[uint64]*pattern)
	ps.byPattern = make(map[uint64][]*fix)
	ps.overflow = &pattern{
		types: []string{OverflowName}, message: OverflowName, sample: OverflowName,
		overflow: true, workers: map[workerKey]uint64{},
	}
}

// fingerprint computes err's fingerprint with the tracker's limits,
// through the tracker's memo of recent errors (see fpMemo). The caller
// must release it.
func (t *Tracker) fingerprint(err error) fingerprint {
	memo := t.memo.Load()
	if memo == nil {
		t.memo.CompareAndSwap(nil, newMemo())
		memo = t.memo.Load()
	}
	var fp fingerprint
	fp.computeWith(err, t.cfg.limits.MaxMessageLen, memo)
	if fp.truncated {
		t.messagesTruncated.Add(1)
	}
	return fp
}

// has reports whether the pattern id is kept.
func (ps *patternStore) has(id uint64) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.m[id] != nil
}

// record adds one occurrence of fp by op and returns its pattern id (0 for
// the overflow bucket). It takes ownership of fp's buffer.
func (ps *patternStore) record(fp fingerprint, err error, s *series, now int64, retried bool, attrs []slog.Attr) uint64 {
	op := s.op
	defer fp.release()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p := ps.m[fp.id]
	if p == nil {
		if len(ps.m) >= ps.cfg.limits.MaxPatterns {
			ps.sweep(now)
		}
		if len(ps.m) < ps.cfg.limits.MaxPatterns {
			fp.normalize() // an id from the memo comes without the message
			p = ps.newPattern(&fp, err, now, attrs)
			ps.m[fp.id] = p
			for _, f := range ps.byPattern[p.id] {
				f.bind(p)
			}
		} else {
			p = ps.overflow
			if p.first == 0 {
				p.first = now
			}
		}
	}
	if retried {
		p.retried++
	} else {
		p.count++
	}
	p.last = max(p.last, now)
	ringAdd(p.minute[:], uint64(now/minuteNanos))
	ringAdd(p.hour[:], uint64(now/hourNanos))
	wk := workerKey{op.Agent, op.Worker}
	if _, ok := p.workers[wk]; ok || len(p.workers) < ps.cfg.limits.MaxWorkersPerPattern {
		p.workers[wk]++
	} else {
		p.workersDropped++
	}
	if !p.overflow && !slices.Contains(p.ops, s) && len(p.ops) < ps.cfg.limits.MaxWorkersPerPattern {
		p.ops = append(p.ops, s)
	}
	if !p.overflow {
		for _, f := range ps.byPattern[p.id] {
			f.occurred(now)
		}
	}
	return p.id
}

func (ps *patternStore) newPattern(fp *fingerprint, err error, now int64, attrs []slog.Attr) *pattern {
	p := &pattern{
		id:        fp.id,
		types:     slices.Clone(fp.types[:fp.ntypes]),
		message:   ps.cfg.scrub.text(string(*fp.msg)),
		first:     now,
		truncated: fp.truncated,
		workers:   make(map[workerKey]uint64, 1),
		attrs:     cloneAttrs(attrs),
	}
	p.kind, p.kindWhy = classify(err)
	if ps.cfg.noSamples {
		p.sample = p.message
	} else {
		// Scrub the whole message before cutting it, so that a secret
		// straddling the cut is still recognised; the result is a copy,
		// which does not retain a large error string.
		full := fullErrorString(err)
		p.sample = strings.Clone(truncate(ps.cfg.scrub.text(truncate(full, 4*sampleLen)), sampleLen))
	}
	return p
}

// cloneAttrs copies the strings of redacted attributes, which may be
// slices of a caller's large buffer, so that a pattern retains only them.
func cloneAttrs(attrs []slog.Attr) []slog.Attr {
	if len(attrs) == 0 {
		return nil
	}
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		a.Key = strings.Clone(a.Key)
		switch a.Value.Kind() {
		case slog.KindString:
			a.Value = slog.StringValue(strings.Clone(a.Value.String()))
		case slog.KindGroup:
			a.Value = slog.GroupValue(cloneAttrs(a.Value.Group())...)
		}
		out[i] = a
	}
	return out
}

// sampleLen bounds a pattern's sample message.
const sampleLen = 256

// sweep evicts patterns idle for longer than PatternTTL. It runs at most
// once a minute, so that a flood of new patterns against a full store costs
// a map lookup each, not a scan.
func (ps *patternStore) sweep(now int64) {
	if now-ps.lastSweep < minuteNanos {
		return
	}
	ps.lastSweep = now
	cutoff := now - int64(ps.cfg.limits.PatternTTL)
	for id, p := range ps.m {
		if p.last < cutoff {
			delete(ps.m, id)
			ps.evicted++
		}
	}
}

// snapshot returns the patterns, most frequent first, the overflow bucket
// last.
func (ps *patternStore) snapshot(now int64) ([]Pattern, uint64, uint64) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := make([]Pattern, 0, len(ps.m)+1)
	for _, p := range ps.m {
		out = append(out, p.export(now))
	}
	slices.SortFunc(out, func(a, b Pattern) int {
		if c := cmp.Compare(b.Count+b.Retried, a.Count+a.Retried); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if o := ps.overflow; o.count+o.retried > 0 {
		out = append(out, o.export(now))
	}
	return out, ps.overflow.count + ps.overflow.retried, ps.evicted
}

func (p *pattern) export(now int64) Pattern {
	out := Pattern{
		ID:               patternID(p.id),
		Types:            slices.Clone(p.types),
		Message:          p.message,
		Sample:           p.sample,
		Kind:             p.kind,
		KindEvidence:     p.kindWhy,
		Attrs:            attrsToMap(p.attrs),
		Count:            p.count,
		Retried:          p.retried,
		FirstSeen:        time.Unix(0, p.first).UTC(),
		LastSeen:         time.Unix(0, p.last).UTC(),
		WorkersNotListed: p.workersDropped,
		Truncated:        p.truncated,
		Overflow:         p.overflow,
	}
	if p.overflow {
		out.ID = OverflowName
	}
	for k, n := range p.workers {
		out.Workers = append(out.Workers, WorkerCount{Agent: k.agent, Worker: k.worker, Count: n})
	}
	slices.SortFunc(out.Workers, func(a, b WorkerCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Agent+"\x00"+a.Worker, b.Agent+"\x00"+b.Worker)
	})
	m, h := uint64(now/minuteNanos), uint64(now/hourNanos)
	tr := Trend{
		Last5m:  ringSum(p.minute[:], m, 5),
		Last1h:  ringSum(p.minute[:], m, 60),
		Last6h:  ringSum(p.hour[:], h, 6),
		Last24h: ringSum(p.hour[:], h, 24),
	}
	tr.Last6h = max(tr.Last6h, tr.Last1h)
	tr.Last24h = max(tr.Last24h, tr.Last6h)
	base := float64(tr.Last6h-tr.Last1h) / 5
	switch {
	case tr.Last1h == 0:
		tr.Direction = "quiet"
	case now-p.first < hourNanos:
		tr.Direction = "new"
	case tr.Last1h >= 3 && float64(tr.Last1h) >= 2*base:
		tr.Direction = "rising"
	case float64(tr.Last1h) <= base/2:
		tr.Direction = "falling"
	default:
		tr.Direction = "steady"
	}
	out.Trend = tr
	return out
}

// Patterns returns the error patterns, most frequent first; the overflow
// bucket, if it counted anything, comes last.
func (t *Tracker) Patterns() []Pattern {
	t = t.resolve()
	ps, _, _ := t.pats.snapshot(t.now())
	return ps
}
