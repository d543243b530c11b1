package intelligence_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

func TestObjectiveValidate(t *testing.T) {
	tests := []struct {
		o       intelligence.Objective
		wantErr string
	}{
		{intelligence.Objective{Agent: "a", Target: 0.99}, ""},
		{intelligence.Objective{Agent: "a", Worker: "w", Target: 0.5, MinEvents: 3}, ""},
		{intelligence.Objective{Target: 0.99}, "without an agent"},
		{intelligence.Objective{Agent: "a", Target: 1}, "want a ratio in (0, 1)"},
		{intelligence.Objective{Agent: "a", Target: 99}, "want a ratio in (0, 1)"},
		{intelligence.Objective{Agent: "a", Target: math.NaN()}, "want a ratio in (0, 1)"},
		{intelligence.Objective{Agent: "a", Target: 0.9, MinEvents: -1}, "min events"},
	}
	for _, tt := range tests {
		err := tt.o.Validate()
		if (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Validate(%+v) = %v, want error containing %q", tt.o, err, tt.wantErr)
		}
	}
}

func alert(b intelligence.Budget, long string) intelligence.BurnAlert {
	for _, a := range b.Alerts {
		if a.Long == long {
			return a
		}
	}
	return intelligence.BurnAlert{}
}

func TestBudgets(t *testing.T) {
	obj := intelligence.Objective{Agent: opA.Agent, Target: 0.99}
	t.Run("fast burn pages", func(t *testing.T) {
		tr, clk := newTracker(intelligence.WithObjective(obj))
		// 50 minutes of clean traffic, then 5 minutes at 50% errors.
		for range 50 {
			for range 10 {
				tr.TrackSuccess(opA, 0)
			}
			clk.Advance(time.Minute)
		}
		for range 5 {
			for i := range 10 {
				if i%2 == 0 {
					tr.TrackError(opA, errors.New("x"), 0)
				} else {
					tr.TrackSuccess(opA, 0)
				}
			}
			clk.Advance(time.Minute)
		}
		b := tr.Budgets()[0]
		a := alert(b, "1h")
		// 1h: 25 errors of 550 runs = 4.5% / 1% = 4.5× — below 14.4, even
		// though the last 5 minutes burn at 50×: both windows must agree.
		if a.Firing || math.Abs(a.LongRate-25.0/550/0.01) > 1e-9 {
			t.Errorf("1h alert = %+v, want long rate %.3f and not firing", a, 25.0/550/0.01)
		}
		// Another 15 minutes of failures push the hour over 14.4.
		for range 15 {
			for range 10 {
				tr.TrackError(opA, errors.New("x"), 0)
			}
			clk.Advance(time.Minute)
		}
		b = tr.Budgets()[0]
		if a := alert(b, "1h"); !a.Firing || a.Severity != "page" || math.Abs(a.ShortRate-100) > 1e-6 {
			t.Errorf("1h alert after 15 minutes of failures = %+v, want firing page, short rate 100", a)
		}
		if !b.Breached || b.Remaining >= 0 {
			t.Errorf("breached %v remaining %v, want breached and overspent", b.Breached, b.Remaining)
		}
	})
	t.Run("minimum events guard", func(t *testing.T) {
		tr, _ := newTracker(intelligence.WithObjective(obj))
		for range 3 {
			tr.TrackError(opA, errors.New("x"), 0)
		}
		b := tr.Budgets()[0]
		for _, a := range b.Alerts {
			if a.Firing || !a.TooFewEvents {
				t.Errorf("alert %s/%s on 3 runs = %+v, want not evaluated", a.Long, a.Short, a)
			}
		}
		if b.Breached {
			t.Error("3 failures breached a budget below the minimum events")
		}
	})
	t.Run("slow burn tickets", func(t *testing.T) {
		tr, clk := newTracker(intelligence.WithObjective(intelligence.Objective{Agent: opA.Agent, Worker: opA.Worker, Target: 0.9}))
		// 20% errors, evenly, for 12 hours: burn 2 everywhere.
		for range 12 * 6 {
			for i := range 10 {
				if i < 2 {
					tr.TrackError(opA, errors.New("x"), 0)
				} else {
					tr.TrackSuccess(opA, 0)
				}
			}
			clk.Advance(10 * time.Minute)
		}
		b := tr.Budgets()[0]
		if a := alert(b, "72h"); !a.Firing || a.Severity != "ticket" || math.Abs(a.LongRate-2) > 1e-9 {
			t.Errorf("72h alert = %+v, want firing ticket at burn 2", a)
		}
		if a := alert(b, "1h"); a.Firing {
			t.Errorf("1h alert fired at burn 2: %+v", a)
		}
		if math.Abs(b.Remaining-(-1)) > 1e-9 {
			t.Errorf("remaining = %v, want -1 (twice the budget spent)", b.Remaining)
		}
	})
	t.Run("other workers do not count", func(t *testing.T) {
		tr, _ := newTracker(intelligence.WithObjective(intelligence.Objective{Agent: "a", Worker: "good", Target: 0.99}))
		for range 100 {
			tr.TrackSuccess(intelligence.Op{Agent: "a", Worker: "good"}, 0)
			tr.TrackError(intelligence.Op{Agent: "a", Worker: "bad"}, errors.New("x"), 0)
		}
		if b := tr.Budgets()[0]; b.Runs != 100 || b.Errors != 0 || b.Remaining != 1 {
			t.Errorf("budget = %+v, want 100 clean runs", b)
		}
	})
}

// TestWindowCounts checks window sums while minute counts move into hour
// buckets: one run per minute for 10 hours, an error every 10th.
func TestWindowCounts(t *testing.T) {
	tr, clk := newTracker(intelligence.WithObjective(intelligence.Objective{Agent: opA.Agent, Target: 0.9}))
	clk.Advance(-time.Duration(start.Minute()) * time.Minute) // start on an hour
	for i := range 600 {
		if i%10 == 0 {
			tr.TrackError(opA, errors.New("x"), 0)
		} else {
			tr.TrackSuccess(opA, 0)
		}
		clk.Advance(time.Minute)
	}
	clk.Advance(-time.Second) // still inside the last run's hour
	want := map[string][2]uint64{
		"5m": {5, 0}, "30m": {30, 3}, "1h": {60, 6},
		// Whole hours: the current (10th) hour and the five before.
		"6h": {360, 36}, "72h": {600, 60},
	}
	for _, r := range tr.Budgets()[0].BurnRates {
		w := want[r.Window]
		if r.Runs != w[0] || r.Errors != w[1] {
			t.Errorf("%s: %d runs, %d errors; want %d and %d", r.Window, r.Runs, r.Errors, w[0], w[1])
		}
	}
}
