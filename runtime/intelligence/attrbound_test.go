package intelligence_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// nestedGroup returns a group of width attributes per level, depth levels
// deep, with long string leaves.
func nestedGroup(key string, depth, width int) slog.Attr {
	if depth == 0 {
		return slog.String(key, strings.Repeat("v", 200))
	}
	var sub []any
	for i := range width {
		sub = append(sub, nestedGroup(fmt.Sprintf("%s.%d", key, i), depth-1, width))
	}
	return slog.Group(key, sub...)
}

// countLeaves counts the non-map values of an attribute map.
func countLeaves(m map[string]any) int {
	n := 0
	for _, v := range m {
		if sub, ok := v.(map[string]any); ok {
			n += countLeaves(sub)
		} else {
			n++
		}
	}
	return n
}

// TestAttrsBoundedWhateverTheNesting: the attributes kept per record are
// bounded in leaves and bytes as a whole, not per group level.
func TestAttrsBoundedWhateverTheNesting(t *testing.T) {
	tr, _ := newTracker()
	var attrs []slog.Attr
	for i := range 8 {
		attrs = append(attrs, nestedGroup(fmt.Sprintf("g%d", i), 8, 3))
	}
	tr.TrackError(opA, errors.New("deep"), 0, attrs...)
	p := tr.Patterns()[0]
	d := intelligence.DefaultLimits()
	if n := countLeaves(p.Attrs); n > d.MaxAttrLeaves+1 { // +1: attrs_dropped
		t.Errorf("%d leaves kept, want at most %d", n, d.MaxAttrLeaves+1)
	}
	b, _ := json.Marshal(p.Attrs)
	if len(b) > 2*d.MaxAttrBytes {
		t.Errorf("attributes take %d bytes of JSON, want at most about %d", len(b), d.MaxAttrBytes)
	}
	if p.Attrs["attrs_dropped"] == nil || tr.Snapshot().Overflow.AttrsDropped == 0 {
		t.Errorf("dropped attributes not counted: %v, overflow %d", p.Attrs["attrs_dropped"], tr.Snapshot().Overflow.AttrsDropped)
	}

	// Smaller limits apply too.
	tr2, _ := newTracker(intelligence.WithLimits(intelligence.Limits{MaxAttrLeaves: 3, MaxAttrBytes: 100000}))
	tr2.TrackError(opA, errors.New("deep"), 0, attrs...)
	if n := countLeaves(tr2.Patterns()[0].Attrs); n != 4 {
		t.Errorf("%d leaves with MaxAttrLeaves 3, want 3 and attrs_dropped", n)
	}
}
