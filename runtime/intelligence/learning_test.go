package intelligence_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

type schemaError struct{ msg string }

func (e *schemaError) Error() string { return e.msg }

// traffic runs op for d in 6-minute steps of ok successes and bad errors.
func traffic(tr *intelligence.Tracker, clk interface{ Advance(time.Duration) }, err error, d time.Duration, ok, bad int) {
	for range int(d / (6 * time.Minute)) {
		for range ok {
			tr.TrackSuccess(opA, 0)
		}
		for range bad {
			tr.TrackError(opA, err, 0)
		}
		clk.Advance(6 * time.Minute)
	}
}

func TestRecordFix(t *testing.T) {
	errA := &schemaError{"column age: want int"}
	type clock = interface{ Advance(time.Duration) }
	tests := []struct {
		name      string
		after     func(tr *intelligence.Tracker, clk clock)
		want      intelligence.FixVerdict
		reduction float64 // minimum
	}{
		{"gone under the same traffic", func(tr *intelligence.Tracker, clk clock) {
			traffic(tr, clk, errA, 2*time.Hour, 10, 0)
		}, intelligence.FixEffective, 1},
		{"ratio fell by 95%", func(tr *intelligence.Tracker, clk clock) {
			traffic(tr, clk, errA, 2*time.Hour, 10, 0)
			tr.TrackError(opA, errA, 0)
		}, intelligence.FixEffective, 0.9},
		{"ratio unchanged", func(tr *intelligence.Tracker, clk clock) {
			traffic(tr, clk, errA, 2*time.Hour, 9, 1)
		}, intelligence.FixIneffective, -1},
		// Traffic fell tenfold: occurrences per hour fell tenfold too,
		// which a rate comparison took for a fix; the ratio did not move.
		{"traffic fell, ratio unchanged", func(tr *intelligence.Tracker, clk clock) {
			for range 6 {
				traffic(tr, clk, errA, 6*time.Minute, 9, 1)
				clk.Advance(54 * time.Minute)
			}
		}, intelligence.FixIneffective, -1},
		// A quiet hour with little traffic: one recurrence was expected.
		{"quiet but idle", func(tr *intelligence.Tracker, clk clock) {
			traffic(tr, clk, errA, 6*time.Minute, 10, 0)
			clk.Advance(2 * time.Hour)
		}, intelligence.FixInsufficientData, -1},
		{"came back after a quiet hour", func(tr *intelligence.Tracker, clk clock) {
			traffic(tr, clk, errA, 90*time.Minute, 10, 0)
			traffic(tr, clk, errA, 30*time.Minute, 9, 1)
		}, intelligence.FixRegressed, -1},
		{"too early to judge", func(tr *intelligence.Tracker, clk clock) {
			traffic(tr, clk, errA, 30*time.Minute, 10, 0)
		}, intelligence.FixPending, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, clk := newTracker()
			traffic(tr, clk, errA, 10*time.Hour, 9, 1) // ratio 0.1, 10 per hour
			id := intelligence.Fingerprint(errA)
			if err := tr.RecordFix(id, "  cast the column before loading  "); err != nil {
				t.Fatal(err)
			}
			tt.after(tr, clk)
			fixes := tr.Fixes()
			if len(fixes) != 1 {
				t.Fatalf("got %d fixes", len(fixes))
			}
			f := fixes[0]
			if f.Verdict != tt.want || f.Reduction < tt.reduction || f.Reason == "" {
				t.Errorf("verdict %s reduction %.2f (%s), want %s and >= %.2f", f.Verdict, f.Reduction, f.Reason, tt.want, tt.reduction)
			}
			if f.BeforeErrors != 100 || f.BeforeRuns != 1000 || f.BeforeErrorRatio != 0.1 ||
				f.Description != "cast the column before loading" || f.Pattern != id {
				t.Errorf("fix = %+v, want 100 errors over 1000 runs before", f)
			}
		})
	}
}

// TestFixBeforeWindowEdge: an occurrence exactly 24h before the fix is in
// the window before it.
func TestFixBeforeWindowEdge(t *testing.T) {
	for _, offset := range []time.Duration{0, 30 * time.Minute, 59 * time.Minute} {
		tr, clk := newTracker()
		clk.Advance(offset)
		errA := errors.New("edge failure")
		tr.TrackError(opA, errA, 0)
		clk.Advance(24 * time.Hour)
		if err := tr.RecordFix(intelligence.Fingerprint(errA), "fixed"); err != nil {
			t.Fatal(err)
		}
		if f := tr.Fixes()[0]; f.BeforeErrors != 1 || f.BeforeRuns != 1 {
			t.Errorf("offset %s: before window holds %d errors over %d runs, want the edge event", offset, f.BeforeErrors, f.BeforeRuns)
		}
	}
}

// TestRecordFixUnseenPattern: a fix shipped by a redeploy is recorded
// before its pattern recurs in the new process.
func TestRecordFixUnseenPattern(t *testing.T) {
	tr, clk := newTracker()
	errA := &schemaError{"column age: want int"}
	if err := tr.RecordFix(intelligence.Fingerprint(errA), "cast columns"); err != nil {
		t.Fatalf("RecordFix of an unseen pattern: %v", err)
	}
	traffic(tr, clk, errA, 2*time.Hour, 10, 0)
	tr.TrackError(opA, errA, 0)
	f := tr.Fixes()[0]
	if f.Verdict != intelligence.FixInsufficientData || f.OccurrencesAfter != 1 || f.Message != "column age: want int" ||
		len(f.Types) != 1 || !strings.Contains(f.Reason, "no baseline") {
		t.Errorf("fix = %+v, want insufficient data, one recurrence, and the pattern's message once seen", f)
	}
}

func TestRecordFixErrors(t *testing.T) {
	tr, _ := newTracker(intelligence.WithLimits(intelligence.Limits{MaxFixes: 1}))
	known := errors.New("known failure")
	tr.TrackError(opA, known, 0)
	tr.TrackError(opA, errors.New("other failure"), 0)
	tests := []struct {
		pattern, desc string
		wantIs        error
		wantText      string
	}{
		{"xyz", "d", nil, "want 16 hex digits"},
		{"zzzzzzzzzzzzzzzz", "d", nil, "want 16 hex digits"},
		{intelligence.Fingerprint(known), "   ", nil, "empty description"},
		{intelligence.Fingerprint(known), "fixed", nil, ""},
		{intelligence.Fingerprint(errors.New("other failure")), "fixed too", intelligence.ErrTooManyFixes, ""},
	}
	for _, tt := range tests {
		err := tr.RecordFix(tt.pattern, tt.desc)
		switch {
		case tt.wantIs == nil && tt.wantText == "":
			if err != nil {
				t.Errorf("RecordFix(%q, %q) = %v", tt.pattern, tt.desc, err)
			}
		case err == nil:
			t.Errorf("RecordFix(%q, %q) succeeded, want an error", tt.pattern, tt.desc)
		case tt.wantIs != nil && !errors.Is(err, tt.wantIs), !strings.Contains(err.Error(), tt.wantText):
			t.Errorf("RecordFix(%q, %q) = %v, want %v / %q", tt.pattern, tt.desc, err, tt.wantIs, tt.wantText)
		}
	}
	if n := len(tr.Fixes()); n != 1 {
		t.Errorf("%d fixes recorded, want 1", n)
	}
}

func TestFixRankingAndFeedback(t *testing.T) {
	tr, clk := newTracker()
	fixedErr := &schemaError{"column age: want int"}
	stubborn := errors.New("upstream returned garbage")
	for range 20 {
		tr.TrackError(opA, fixedErr, 0)
		tr.TrackError(opA, stubborn, 0)
		clk.Advance(3 * time.Minute)
	}
	if err := tr.RecordFix(intelligence.Fingerprint(stubborn), "ask upstream nicely"); err != nil {
		t.Fatal(err)
	}
	if err := tr.RecordFix(intelligence.Fingerprint(fixedErr), "cast columns on load"); err != nil {
		t.Fatal(err)
	}
	for range 40 {
		tr.TrackError(opA, stubborn, 0)
		clk.Advance(3 * time.Minute)
	}
	// A new error of the same type as the fixed one appears elsewhere.
	other := intelligence.Op{Agent: "loader", Worker: "ParquetWorker", Operation: "Execute"}
	similar := &schemaError{"column height: want int"}
	tr.TrackError(other, similar, 0)

	fixes := tr.Fixes()
	if len(fixes) != 2 || fixes[0].Description != "cast columns on load" || fixes[0].Rank != 1 ||
		fixes[0].Verdict != intelligence.FixEffective || fixes[1].Verdict != intelligence.FixIneffective {
		t.Fatalf("fixes = %+v, want the effective one ranked first", fixes)
	}
	var known, ineffective *intelligence.Recommendation
	recs := tr.Recommendations()
	for i, r := range recs {
		switch r.Rule {
		case "known-fix":
			known = &recs[i]
		case "fix-ineffective":
			ineffective = &recs[i]
		}
	}
	if known == nil || known.Pattern != intelligence.Fingerprint(similar) || known.Evidence["fix"] != "cast columns on load" {
		t.Errorf("known-fix recommendation = %+v", known)
	}
	if ineffective == nil || ineffective.Pattern != intelligence.Fingerprint(stubborn) {
		t.Errorf("fix-ineffective recommendation = %+v", ineffective)
	}
}
