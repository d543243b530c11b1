package intelligence

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
)

// SchemaVersion is the version of the Snapshot JSON schema. It changes
// only when a field is removed or changes meaning; new fields may appear
// in any version.
const SchemaVersion = 1

// Snapshot is everything a Tracker knows at one instant, in a stable JSON
// form (see SchemaVersion).
type Snapshot struct {
	SchemaVersion   int              `json:"schema_version"`
	GeneratedAt     time.Time        `json:"generated_at"`
	Agents          []Health         `json:"agents"`
	Workers         []Health         `json:"workers"`
	Patterns        []Pattern        `json:"patterns"`
	Budgets         []Budget         `json:"budgets"`
	Recommendations []Recommendation `json:"recommendations"`
	Fixes           []Fix            `json:"fixes"`
	Overflow        Overflow         `json:"overflow"`
}

// Overflow counts what the memory limits kept out, so that nothing is
// dropped silently.
type Overflow struct {
	// Ops counts records of operations beyond Limits.MaxOps, kept under
	// the OverflowName operation.
	Ops uint64 `json:"ops"`
	// Patterns counts errors of patterns beyond Limits.MaxPatterns, kept
	// in the overflow pattern.
	Patterns uint64 `json:"patterns"`
	// PatternsEvicted counts patterns removed after Limits.PatternTTL idle.
	PatternsEvicted uint64 `json:"patterns_evicted"`
	// AttrsDropped counts attributes beyond Limits.MaxAttrs in the records
	// that were logged or kept with a new pattern (attributes of other
	// records are not looked at).
	AttrsDropped uint64 `json:"attrs_dropped"`
	// MessagesTruncated counts messages longer than Limits.MaxMessageLen.
	MessagesTruncated uint64 `json:"messages_truncated"`
	// TrackingPanics counts panics contained while tracking (an Error
	// method or a log handler that panicked).
	TrackingPanics uint64 `json:"tracking_panics"`
}

// Snapshot returns the tracker's current state.
func (t *Tracker) Snapshot() Snapshot {
	t = t.resolve()
	now := t.now()
	agents, workers := t.healthAll(now)
	pats, overflowed, evicted := t.pats.snapshot(now)
	budgets := t.budgets(now)
	fixes := t.fixes(now)
	s := Snapshot{
		SchemaVersion:   SchemaVersion,
		GeneratedAt:     time.Unix(0, now).UTC(),
		Agents:          nonNil(agents),
		Workers:         nonNil(workers),
		Patterns:        nonNil(pats),
		Budgets:         nonNil(budgets),
		Recommendations: nonNil(recommend(workers, pats, budgets, fixes, t.cfg.thresholds)),
		Fixes:           nonNil(fixes),
		Overflow: Overflow{
			Ops:               t.overflowOps.Load(),
			Patterns:          overflowed,
			PatternsEvicted:   evicted,
			AttrsDropped:      t.attrsDropped.Load(),
			MessagesTruncated: t.messagesTruncated.Load(),
			TrackingPanics:    t.trackPanics.Load(),
		},
	}
	return s
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Handler returns an http.Handler serving the Snapshot on GET and HEAD:
// as JSON (indented with ?pretty) by default, and as a self-contained HTML
// dashboard to browsers (an Accept header naming text/html) or with
// ?format=html; ?format=json forces JSON. The dashboard shows health per
// agent and worker, error budgets with their burn-rate alerts, the top
// patterns with their trend, recommendations with their evidence, and
// fixes with their verdicts; it loads nothing from elsewhere (it works
// offline, under a strict Content-Security-Policy) and refreshes itself
// from the JSON every 15 seconds. Mount it where operators look, for
// example mux.Handle("/debug/intelligence", t.Handler()).
func (t *Tracker) Handler() http.Handler {
	t = t.resolve()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if wantsHTML(r) {
			serveDashboard(w, r, t.Snapshot())
			return
		}
		var body bytes.Buffer
		enc := json.NewEncoder(&body)
		enc.SetEscapeHTML(false) // keep placeholders such as <num> readable
		if _, ok := r.URL.Query()["pretty"]; ok {
			enc.SetIndent("", "  ")
		}
		// Encode into a buffer first, so that a failure is a clean 500.
		if err := enc.Encode(t.Snapshot()); err != nil {
			http.Error(w, "intelligence: encoding snapshot: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Vary", "Accept")
		if r.Method == http.MethodHead {
			return
		}
		// A failed write means the client went away; there is no one to tell.
		_, _ = w.Write(body.Bytes())
	})
}
