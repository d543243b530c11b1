package intelligence

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Errors returned by RecordFix.
var (
	// ErrUnknownPattern is no longer returned: RecordFix accepts a
	// pattern not seen yet in this process (a fix shipped by a redeploy).
	// It is kept so that code comparing against it still compiles.
	ErrUnknownPattern = errors.New("intelligence: unknown pattern")
	// ErrTooManyFixes: Limits.MaxFixes fixes are already recorded.
	ErrTooManyFixes = errors.New("intelligence: too many fixes recorded")
)

// FixObservation is how long a fix is observed before it is judged, and
// how long a pattern must stay away after a fix before its return can
// count as a regression.
const FixObservation = time.Hour

// FixMinExpected is the number of recurrences that must be expected at
// the pattern's error ratio before the fix, over the runs of the affected
// operations since, before a fix is judged: fewer, and a quiet spell
// proves nothing.
const FixMinExpected = 5

// FixVerdict is the measured effect of a recorded fix.
type FixVerdict string

// Fix verdicts. A fix is judged on the error ratio of its pattern:
// occurrences (failed runs and retried attempts) per run of the
// operations the pattern affected, in the window before the fix (the
// 24h before it, rounded out to whole hours, so the event at the
// window's edge is in) and since the fix. Comparing ratios rather than
// hourly rates keeps a fall in traffic from passing for a fix.
const (
	// FixPending: recorded less than FixObservation ago.
	FixPending FixVerdict = "pending"
	// FixInsufficientData: fewer than FixMinExpected recurrences were
	// expected since the fix and fewer were seen, or there is no
	// baseline (the pattern was not seen before the fix in this process
	// and no saved state was restored, or its operations had no runs).
	FixInsufficientData FixVerdict = "insufficient_data"
	// FixEffective: the error ratio since the fix is at most half the
	// ratio before.
	FixEffective FixVerdict = "effective"
	// FixIneffective: the ratio did not halve.
	FixIneffective FixVerdict = "ineffective"
	// FixRegressed: the pattern stayed away for FixObservation after the
	// fix, over runs in which at least FixMinExpected recurrences were
	// expected, then came back at an error ratio of at least half the
	// old one, on FixMinExpected occurrences or expected ones.
	FixRegressed FixVerdict = "regressed"
)

// Fix is a recorded fix and its measured effect, as reported in a Snapshot.
type Fix struct {
	Pattern     string     `json:"pattern"`
	Types       []string   `json:"types"`
	Message     string     `json:"message"`
	Kind        ErrorKind  `json:"kind,omitempty"`
	Description string     `json:"description"`
	RecordedAt  time.Time  `json:"recorded_at"`
	Verdict     FixVerdict `json:"verdict"`
	// Reason explains the verdict with its numbers.
	Reason string `json:"reason"`
	// BeforeErrors and BeforeRuns are the pattern's occurrences and the
	// affected operations' runs in the window before the fix;
	// BeforeErrorRatio is their ratio.
	BeforeErrors     uint64  `json:"before_errors"`
	BeforeRuns       uint64  `json:"before_runs"`
	BeforeErrorRatio float64 `json:"before_error_ratio"`
	// AfterRuns are the affected operations' runs since the fix,
	// OccurrencesAfter the pattern's occurrences, AfterErrorRatio their
	// ratio, and ExpectedAfter the occurrences the ratio before predicts
	// over AfterRuns.
	AfterRuns        uint64  `json:"after_runs"`
	OccurrencesAfter uint64  `json:"occurrences_after"`
	AfterErrorRatio  float64 `json:"after_error_ratio"`
	ExpectedAfter    float64 `json:"expected_after"`
	// BeforePerHour and AfterPerHour are the same occurrences per hour,
	// for reading only: traffic changes move them, so they do not decide.
	BeforePerHour float64 `json:"before_per_hour"`
	AfterPerHour  float64 `json:"after_per_hour"`
	// Reduction is 1 - AfterErrorRatio/BeforeErrorRatio (1 when the
	// pattern did not recur; 0 without a baseline).
	Reduction       float64    `json:"reduction"`
	FirstRecurrence *time.Time `json:"first_recurrence,omitempty"`
	// Rank orders fixes by effect, 1 = best: effective fixes by reduction,
	// then pending, insufficient-data, ineffective and regressed ones.
	Rank int `json:"rank"`
}

// fixOp is an operation a fixed pattern affected, with its run count
// when the fix was recorded.
type fixOp struct {
	s      *series
	runsAt uint64
}

type fix struct {
	pattern     uint64
	types       []string
	message     string
	kind        ErrorKind
	description string
	at          int64
	// baseline is false when the pattern was unknown at the fix.
	baseline     bool
	beforeErrors uint64
	beforeRuns   uint64
	beforeHours  float64
	ops          []fixOp
	after        uint64
	firstAfter   int64
	// quietRuns are the runs of ops between the fix and the first
	// recurrence.
	quietRuns uint64
}

// runsSince returns the runs of the fix's operations since it was
// recorded.
func (f *fix) runsSince() uint64 {
	var n uint64
	for _, o := range f.ops {
		if r := o.s.runs(); r > o.runsAt {
			n += r - o.runsAt
		}
	}
	return n
}

func (f *fix) occurred(now int64) {
	if now < f.at {
		return
	}
	f.after++
	if f.firstAfter == 0 {
		f.firstAfter = now
		f.quietRuns = f.runsSince()
	}
}

// bind fills what a fix recorded for an unknown pattern learns when the
// pattern appears.
func (f *fix) bind(p *pattern) {
	if f.types == nil {
		f.types, f.message, f.kind = p.types, p.message, p.kind
	}
}

// RecordFix records that the problem behind pattern (an id from
// Fingerprint or Pattern.ID) was fixed as described. From then on the
// tracker compares the pattern's error ratio with its ratio before,
// judges the fix (see FixVerdict) and ranks it among the others;
// Recommendations point at effective fixes when a similar error appears,
// and at regressed ones. The caller's word is not taken: only the
// measured ratios decide.
//
// The pattern need not have been seen in this process: a fix shipped by
// redeploying is recorded in the new process before its pattern can
// recur. Without a baseline (restore one with Restore) such a fix stays
// FixInsufficientData, but its recurrences are still counted.
func (t *Tracker) RecordFix(pattern, description string) error {
	t = t.resolve()
	id, err := parsePatternID(pattern)
	if err != nil {
		return err
	}
	description = strings.TrimSpace(description)
	if description == "" {
		return fmt.Errorf("intelligence: fix for pattern %s: empty description", pattern)
	}
	now := t.now()
	ps := &t.pats
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if len(ps.fixes) >= t.cfg.limits.MaxFixes {
		return fmt.Errorf("%w: %d", ErrTooManyFixes, len(ps.fixes))
	}
	f := &fix{pattern: id, description: truncateNote(description, sampleLen), at: now}
	if p := ps.m[id]; p != nil {
		f.bind(p)
		f.baseline = true
		curM := uint64(now / minuteNanos)
		// beforeBuckets whole hours, so that the window reaches at
		// least 24h back and includes the event at its edge.
		f.beforeErrors = ringSum(p.hour[:], curM/60, beforeBuckets)
		for _, s := range p.ops {
			f.ops = append(f.ops, fixOp{s: s, runsAt: s.runs()})
			f.beforeRuns += s.rolledTotal(curM, beforeBuckets) // every stripe
		}
		span := max(min(now-p.first, int64(beforeBuckets)*hourNanos), minuteNanos)
		f.beforeHours = float64(span) / float64(hourNanos)
	}
	ps.fixes = append(ps.fixes, f)
	ps.byPattern[id] = append(ps.byPattern[id], f)
	return nil
}

// beforeBuckets is the number of hour buckets of the window before a fix:
// 25, so that it always spans the full 24 hours before.
const beforeBuckets = 25

// Fixes returns the recorded fixes, best first (see Fix.Rank).
func (t *Tracker) Fixes() []Fix {
	t = t.resolve()
	return t.fixes(t.now())
}

func (t *Tracker) fixes(now int64) []Fix {
	ps := &t.pats
	ps.mu.Lock()
	out := make([]Fix, 0, len(ps.fixes))
	for _, f := range ps.fixes {
		out = append(out, f.report(now))
	}
	ps.mu.Unlock()
	order := map[FixVerdict]int{FixEffective: 0, FixPending: 1, FixInsufficientData: 2, FixIneffective: 3, FixRegressed: 4}
	slices.SortStableFunc(out, func(a, b Fix) int {
		if c := cmp.Compare(order[a.Verdict], order[b.Verdict]); c != 0 {
			return c
		}
		return cmp.Compare(b.Reduction, a.Reduction)
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

func (f *fix) report(now int64) Fix {
	r := Fix{
		Pattern:          patternID(f.pattern),
		Types:            slices.Clone(f.types),
		Message:          f.message,
		Kind:             f.kind,
		Description:      f.description,
		RecordedAt:       time.Unix(0, f.at).UTC(),
		BeforeErrors:     f.beforeErrors,
		BeforeRuns:       f.beforeRuns,
		OccurrencesAfter: f.after,
		AfterRuns:        f.runsSince(),
	}
	if f.beforeHours > 0 {
		r.BeforePerHour = float64(f.beforeErrors) / f.beforeHours
	}
	elapsed := now - f.at
	if elapsed > 0 {
		r.AfterPerHour = float64(f.after) / (float64(elapsed) / float64(hourNanos))
	}
	if f.firstAfter != 0 {
		tm := time.Unix(0, f.firstAfter).UTC()
		r.FirstRecurrence = &tm
	}
	if r.AfterRuns > 0 {
		r.AfterErrorRatio = float64(f.after) / float64(r.AfterRuns)
	}
	baseline := f.baseline && f.beforeRuns > 0 && f.beforeErrors > 0
	if baseline {
		r.BeforeErrorRatio = float64(f.beforeErrors) / float64(f.beforeRuns)
		r.ExpectedAfter = r.BeforeErrorRatio * float64(r.AfterRuns)
		r.Reduction = 1 - r.AfterErrorRatio/r.BeforeErrorRatio
	}
	quietExpected := r.BeforeErrorRatio * float64(f.quietRuns)
	// Since the pattern came back: has its ratio returned to at least
	// half the old one, on enough evidence?
	var backRatio, backExpected float64
	if back := r.AfterRuns - min(r.AfterRuns, f.quietRuns); back > 0 {
		backRatio = float64(f.after) / float64(back)
		backExpected = r.BeforeErrorRatio * float64(back)
	}
	cameBack := f.after > 0 && f.firstAfter-f.at >= int64(FixObservation) && quietExpected >= FixMinExpected &&
		backRatio >= r.BeforeErrorRatio/2 && (f.after >= FixMinExpected || backExpected >= FixMinExpected)
	switch {
	case elapsed < int64(FixObservation):
		r.Verdict = FixPending
		r.Reason = fmt.Sprintf("recorded %s ago; judged after %s", time.Duration(elapsed).Round(time.Second), FixObservation)
	case !baseline:
		r.Verdict = FixInsufficientData
		r.Reason = "no baseline: the pattern had no occurrences or its operations no runs in this process before the fix (restore saved state to judge it)"
	case cameBack:
		r.Verdict = FixRegressed
		r.Reason = fmt.Sprintf("absent for %s over %d runs (%.1f occurrences expected), then back at error ratio %.4f (%.4f before): %d since the fix",
			time.Duration(f.firstAfter-f.at).Round(time.Minute), f.quietRuns, quietExpected, backRatio, r.BeforeErrorRatio, f.after)
	case r.ExpectedAfter < FixMinExpected && f.after < FixMinExpected:
		r.Verdict = FixInsufficientData
		r.Reason = fmt.Sprintf("%.1f occurrences expected at the ratio before (%.4f) over %d runs since the fix, %d seen; %d expected are needed to judge",
			r.ExpectedAfter, r.BeforeErrorRatio, r.AfterRuns, f.after, FixMinExpected)
	case r.Reduction >= 0.5:
		r.Verdict = FixEffective
		r.Reason = fmt.Sprintf("error ratio %.4f → %.4f (%.0f%% lower): %d occurrences over %d runs, %.1f expected",
			r.BeforeErrorRatio, r.AfterErrorRatio, 100*r.Reduction, f.after, r.AfterRuns, r.ExpectedAfter)
	default:
		r.Verdict = FixIneffective
		r.Reason = fmt.Sprintf("error ratio %.4f → %.4f did not halve: %d occurrences over %d runs, %.1f expected",
			r.BeforeErrorRatio, r.AfterErrorRatio, f.after, r.AfterRuns, r.ExpectedAfter)
	}
	return r
}
