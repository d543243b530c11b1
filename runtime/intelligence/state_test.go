package intelligence_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery/recoverytest"
)

// TestSaveRestore: a tracker restored from a saved state reports what the
// saved one did, and judges a fix recorded before the restart.
func TestSaveRestore(t *testing.T) {
	tr, clk := newTracker(intelligence.WithObjective(intelligence.Objective{Agent: opA.Agent, Target: 0.99}))
	errA := &schemaError{"column age: want int"}
	other := intelligence.Op{Agent: "loader", Worker: "CSVWorker", Operation: "Load"}
	for range 50 {
		traffic(tr, clk, errA, 6*time.Minute, 9, 1)
		tr.TrackError(other, errors.New("disk full on /dev/sda1"), 90*time.Minute, slog.String("volume", "data"))
	}
	if err := tr.RecordFix(intelligence.Fingerprint(errA), "cast the column"); err != nil {
		t.Fatal(err)
	}
	traffic(tr, clk, errA, 30*time.Minute, 10, 0)
	// Scrubbed text survives a second scrubbing on restore unchanged.
	tr.TrackError(other, errors.New("login: password=hunter2 token=abc12345xyz Authorization: Bearer eyJhbGciOi.x.y"), 0,
		slog.Any("headers", map[string][]string{"Authorization": {"Bearer x"}}))

	var saved bytes.Buffer
	if err := tr.Save(&saved); err != nil {
		t.Fatal(err)
	}
	// A new process, at the same instant.
	clk2 := recoverytest.NewClock(clk.Now())
	tr2 := intelligence.MustNew(intelligence.WithClock(clk2.Now), intelligence.WithObjective(intelligence.Objective{Agent: opA.Agent, Target: 0.99}))
	if err := tr2.Restore(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(tr.Snapshot())
	got, _ := json.Marshal(tr2.Snapshot())
	if !bytes.Equal(got, want) {
		t.Errorf("restored snapshot differs:\n got %s\nwant %s", got, want)
	}

	// The fix is judged in the new process, against the old baseline.
	traffic(tr2, clk2, errA, 2*time.Hour, 10, 0)
	f := tr2.Fixes()[0]
	if f.Verdict != intelligence.FixEffective || f.BeforeRuns != 500 || f.AfterRuns != 250 {
		t.Errorf("fix after restore = %+v, want effective over 500 runs before and 250 after", f)
	}

	// A pattern known only from the saved state can be fixed with a baseline.
	tr3, _ := newTracker()
	if err := tr3.Restore(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}
	if err := tr3.RecordFix(intelligence.Fingerprint(errors.New("disk full on /dev/sdb2")), "grow the volume"); err != nil {
		t.Fatal(err)
	}
	fixes := tr3.Fixes()
	if len(fixes) != 2 {
		t.Fatalf("fixes = %+v", fixes)
	}
	for _, f := range fixes {
		if f.Description == "grow the volume" && (f.BeforeErrors == 0 || f.BeforeRuns == 0 || f.Message != "disk full on <path>") {
			t.Errorf("fix of a restored pattern has no baseline: %+v", f)
		}
	}
}

func TestRestoreRejects(t *testing.T) {
	tests := []struct{ in, want string }{
		{`not json`, "restoring state"},
		{`{"format":"something-else","version":1}`, "format"},
		{`{"format":"resilience-lint/intelligence-state","version":99}`, "version 99"},
		{`{"format":"resilience-lint/intelligence-state","version":1,"ops":[{"Agent":"a","latency":[[9999,1]]}]}`, "out of range"},
		{`{"format":"resilience-lint/intelligence-state","version":1,"ops":[{"Agent":"a","errors":5,"latency":[[1,1]]}]}`, "5 errors of 1 runs"},
		{`{"format":"resilience-lint/intelligence-state","version":1,"patterns":[{"id":"nope"}]}`, "16 hex digits"},
	}
	for _, tt := range tests {
		tr, _ := newTracker()
		err := tr.Restore(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Restore(%s) = %v, want an error containing %q", tt.in, err, tt.want)
		}
		if s := tr.Snapshot(); len(s.Workers) != 0 || len(s.Patterns) != 0 {
			t.Errorf("Restore(%s) changed the tracker: %+v", tt.in, s)
		}
	}
}
