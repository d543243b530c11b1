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

func TestRecordFix(t *testing.T) {
	errA := &schemaError{"column age: want int"}
	tests := []struct {
		name      string
		after     func(tr *intelligence.Tracker, clk interface{ Advance(time.Duration) })
		want      intelligence.FixVerdict
		reduction float64 // minimum
	}{
		{"gone", func(tr *intelligence.Tracker, clk interface{ Advance(time.Duration) }) {
			clk.Advance(2 * time.Hour)
		}, intelligence.FixEffective, 1},
		{"rate fell by 95%", func(tr *intelligence.Tracker, clk interface{ Advance(time.Duration) }) {
			tr.TrackError(opA, errA, 0)
			clk.Advance(2 * time.Hour)
		}, intelligence.FixEffective, 0.9},
		{"rate unchanged", func(tr *intelligence.Tracker, clk interface{ Advance(time.Duration) }) {
			for range 20 {
				tr.TrackError(opA, errA, 0)
				clk.Advance(6 * time.Minute)
			}
		}, intelligence.FixIneffective, -1},
		{"came back after a quiet hour", func(tr *intelligence.Tracker, clk interface{ Advance(time.Duration) }) {
			clk.Advance(90 * time.Minute)
			tr.TrackError(opA, errA, 0)
			clk.Advance(10 * time.Hour)
		}, intelligence.FixRegressed, -1},
		{"too early to judge", func(tr *intelligence.Tracker, clk interface{ Advance(time.Duration) }) {
			clk.Advance(30 * time.Minute)
		}, intelligence.FixPending, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, clk := newTracker()
			for range 10 { // 10 per hour for 10 hours
				for range 10 {
					tr.TrackError(opA, errA, 0)
					clk.Advance(6 * time.Minute)
				}
			}
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
			if f.Verdict != tt.want || f.Reduction < tt.reduction {
				t.Errorf("verdict %s reduction %.2f (before %.2f/h after %.2f/h), want %s and >= %.2f",
					f.Verdict, f.Reduction, f.BeforePerHour, f.AfterPerHour, tt.want, tt.reduction)
			}
			if f.BeforePerHour < 9.9 || f.BeforePerHour > 10.1 || f.Description != "cast the column before loading" || f.Pattern != id {
				t.Errorf("fix = %+v, want before 10/h", f)
			}
		})
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
		{intelligence.Fingerprint(errors.New("never seen")), "d", intelligence.ErrUnknownPattern, "never seen"},
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
