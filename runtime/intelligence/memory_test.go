package intelligence_test

import (
	"errors"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// retainedBound is the documented bound on what a Tracker with the default
// Limits retains (see the package doc, "Memory bounds").
const retainedBound = 32 << 20

// word spells i in letters, so that Normalize keeps it: every message is a
// distinct pattern.
func word(i int) string {
	var b [8]byte
	n := len(b)
	for {
		n--
		b[n] = byte('a' + i%26)
		i /= 26
		if i == 0 {
			break
		}
	}
	return string(b[n:])
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestMillionDistinctMessages feeds distinctMessages (1,000,000; fewer
// under the race detector, see race_test.go) distinct error messages from
// 5,000 operations, some of them 64 KiB long, and checks that the
// tracker's retained heap stays under retainedBound with everything beyond
// the limits counted.
func TestMillionDistinctMessages(t *testing.T) {
	before := heapInUse()
	tr, clk := newTracker()
	long := strings.Repeat("z", 64<<10)
	for i := range distinctMessages {
		op := intelligence.Op{Agent: "agent-" + word(i%50), Worker: "worker-" + word(i%5000), Operation: "Execute"}
		msg := "cannot parse token " + word(i) + " near field"
		if i%1000 == 0 {
			msg += long
		}
		tr.TrackError(op, errors.New(msg), time.Millisecond, slog.String("input", msg), slog.Int("attempt", i))
		if i%100000 == 0 {
			clk.Advance(time.Minute)
		}
	}
	after := heapInUse()
	retained := int64(after) - int64(before)

	snap := tr.Snapshot()
	runtime.KeepAlive(tr)
	t.Logf("%d messages: retained heap %.1f MiB (bound %d MiB); %d patterns kept, %d errors in the overflow pattern, %d records in the overflow operation",
		distinctMessages, float64(retained)/(1<<20), retainedBound>>20, len(snap.Patterns)-1, snap.Overflow.Patterns, snap.Overflow.Ops)
	if retained > retainedBound {
		t.Errorf("retained heap %d bytes, over the %d-byte bound", retained, retainedBound)
	}

	lim := intelligence.DefaultLimits()
	var counted uint64
	for _, p := range snap.Patterns {
		counted += p.Count
	}
	if counted != distinctMessages {
		t.Errorf("patterns count %d errors, want all %d (overflow included)", counted, distinctMessages)
	}
	if got := len(snap.Patterns); got != lim.MaxPatterns+1 || !snap.Patterns[got-1].Overflow {
		t.Errorf("%d patterns, want %d and the overflow bucket", got, lim.MaxPatterns)
	}
	if want := uint64(distinctMessages - lim.MaxPatterns); snap.Overflow.Patterns != want {
		t.Errorf("overflow patterns = %d, want %d", snap.Overflow.Patterns, want)
	}
	var runs uint64
	for _, w := range snap.Workers {
		runs += w.Runs
	}
	// Operations 4096 to 4999 of each cycle of 5000 are beyond MaxOps.
	wantOverflowOps := uint64(distinctMessages / 5000 * (5000 - lim.MaxOps))
	if runs != distinctMessages || snap.Overflow.Ops != wantOverflowOps {
		t.Errorf("runs %d (want %d), overflow ops %d (want %d)", runs, distinctMessages, snap.Overflow.Ops, wantOverflowOps)
	}
	if want := uint64(distinctMessages / 1000); snap.Overflow.MessagesTruncated != want {
		t.Errorf("messages truncated = %d, want %d", snap.Overflow.MessagesTruncated, want)
	}
	if snap.Overflow.AttrsDropped != 0 {
		t.Errorf("attrs dropped = %d, want 0 (2 attributes, limit 8)", snap.Overflow.AttrsDropped)
	}
	if in := snap.Patterns[0].Attrs["input"].(string); len(in) > lim.MaxAttrValueLen+32 {
		t.Errorf("kept attribute of %d bytes, want <= %d", len(in), lim.MaxAttrValueLen)
	}
}
