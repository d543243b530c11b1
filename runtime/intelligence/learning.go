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
	// ErrUnknownPattern: the pattern id names no pattern the tracker holds.
	ErrUnknownPattern = errors.New("intelligence: unknown pattern")
	// ErrTooManyFixes: Limits.MaxFixes fixes are already recorded.
	ErrTooManyFixes = errors.New("intelligence: too many fixes recorded")
)

// FixObservation is how long a fix is observed before it is judged, and
// how long a pattern must stay away after a fix before its return counts
// as a regression.
const FixObservation = time.Hour

// FixVerdict is the measured effect of a recorded fix.
type FixVerdict string

// Fix verdicts.
const (
	// FixPending: recorded less than FixObservation ago.
	FixPending FixVerdict = "pending"
	// FixEffective: the pattern's hourly rate since the fix is at most half
	// of its rate in the 24h before (or the pattern has not recurred).
	FixEffective FixVerdict = "effective"
	// FixIneffective: the rate did not halve.
	FixIneffective FixVerdict = "ineffective"
	// FixRegressed: the pattern stayed away for FixObservation after the
	// fix, then came back.
	FixRegressed FixVerdict = "regressed"
)

// Fix is a recorded fix and its measured effect, as reported in a Snapshot.
type Fix struct {
	Pattern     string     `json:"pattern"`
	Types       []string   `json:"types"`
	Message     string     `json:"message"`
	Description string     `json:"description"`
	RecordedAt  time.Time  `json:"recorded_at"`
	Verdict     FixVerdict `json:"verdict"`
	// BeforePerHour is the pattern's occurrences per hour over the 24h (or
	// the pattern's lifetime, if shorter) before the fix; AfterPerHour the
	// same since the fix.
	BeforePerHour float64 `json:"before_per_hour"`
	AfterPerHour  float64 `json:"after_per_hour"`
	// Reduction is 1 - AfterPerHour/BeforePerHour (1 when the pattern did
	// not recur).
	Reduction        float64    `json:"reduction"`
	OccurrencesAfter uint64     `json:"occurrences_after"`
	FirstRecurrence  *time.Time `json:"first_recurrence,omitempty"`
	// Rank orders fixes by effect, 1 = best: effective fixes by reduction,
	// then pending, ineffective and regressed ones.
	Rank int `json:"rank"`
}

type fix struct {
	pattern     uint64
	types       []string
	message     string
	description string
	at          int64
	beforeRate  float64
	after       uint64
	firstAfter  int64
}

func (f *fix) occurred(now int64) {
	if now < f.at {
		return
	}
	f.after++
	if f.firstAfter == 0 {
		f.firstAfter = now
	}
}

// RecordFix records that the problem behind pattern (an id from
// Fingerprint or Pattern.ID) was fixed as described. From then on the
// tracker compares the pattern's rate with its rate before, judges the fix
// (see FixVerdict) and ranks it among the others; Recommendations point at
// effective fixes when a similar error appears, and at regressed ones.
// The caller's word is not taken: only the measured rates decide.
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
	p := ps.m[id]
	if p == nil {
		return fmt.Errorf("%w %s (never seen, or evicted after %s idle)", ErrUnknownPattern, pattern, t.cfg.limits.PatternTTL)
	}
	if len(ps.fixes) >= t.cfg.limits.MaxFixes {
		return fmt.Errorf("%w: %d", ErrTooManyFixes, len(ps.fixes))
	}
	span := min(now-p.first, 24*hourNanos)
	span = max(span, minuteNanos)
	before := ringSum(p.hour[:], uint64(now/hourNanos), 24)
	f := &fix{
		pattern:     id,
		types:       p.types,
		message:     p.message,
		description: truncateNote(description, sampleLen),
		at:          now,
		beforeRate:  float64(before) / (float64(span) / float64(hourNanos)),
	}
	ps.fixes = append(ps.fixes, f)
	ps.byPattern[id] = append(ps.byPattern[id], f)
	return nil
}

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
	order := map[FixVerdict]int{FixEffective: 0, FixPending: 1, FixIneffective: 2, FixRegressed: 3}
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
		Description:      f.description,
		RecordedAt:       time.Unix(0, f.at).UTC(),
		BeforePerHour:    f.beforeRate,
		OccurrencesAfter: f.after,
		Reduction:        1,
	}
	elapsed := now - f.at
	if elapsed > 0 {
		r.AfterPerHour = float64(f.after) / (float64(elapsed) / float64(hourNanos))
	}
	if f.firstAfter != 0 {
		tm := time.Unix(0, f.firstAfter).UTC()
		r.FirstRecurrence = &tm
	}
	switch {
	case f.after == 0:
		r.Reduction = 1
	case r.BeforePerHour > 0:
		r.Reduction = 1 - r.AfterPerHour/r.BeforePerHour
	default:
		r.Reduction = -1
	}
	switch {
	case f.after > 0 && f.firstAfter-f.at >= int64(FixObservation):
		r.Verdict = FixRegressed
	case elapsed < int64(FixObservation):
		r.Verdict = FixPending
	case f.after == 0 || r.Reduction >= 0.5:
		r.Verdict = FixEffective
	default:
		r.Verdict = FixIneffective
	}
	return r
}
