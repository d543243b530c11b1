package coverage

import (
	"go/token"
	"testing"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

// TestSubjects: diagnostics are tied to their method or worker by analyzer
// and exact position, whatever their messages say.
func TestSubjects(t *testing.T) {
	at := func(line, col int) token.Position {
		return token.Position{Filename: "/m/agents/store/store.go", Offset: line * 100, Line: line, Column: col}
	}
	retry := []*retrycoverage.Result{{Agents: []retrycoverage.Agent{{
		Pkg: "example.com/m/agents/store", Name: "Store",
		Methods: []retrycoverage.Method{
			{Name: "Get", Pos: at(13, 17), Status: retrycoverage.Unrouted, Reported: []token.Position{at(13, 17)}},
			{Name: "Put", Pos: at(20, 17), Status: retrycoverage.Routed},
		},
	}}}}
	intel := []*intelcoverage.Result{{Workers: []intelcoverage.Worker{{
		Pkg: "example.com/m/agents/store", Name: "SyncWorker", Method: "Execute", Pos: at(30, 22),
		Status: intelcoverage.Untracked, Reported: []token.Position{at(33, 3), at(35, 3)},
	}}}}
	s := NewSubjects(retry, intel)
	tests := []struct {
		analyzer string
		pos      token.Position
		want     string // Finding.String(); "" = no subject
	}{
		{retrycoverage.Name, at(13, 17), "example.com/m/agents/store.Store.Get (retrycoverage: unrouted)"},
		{intelcoverage.Name, at(35, 3), "example.com/m/agents/store.SyncWorker.Execute (intelcoverage: untracked)"},
		{intelcoverage.Name, at(33, 3), "example.com/m/agents/store.SyncWorker.Execute (intelcoverage: untracked)"},
		// A position without its offset (another file set) still matches.
		{retrycoverage.Name, token.Position{Filename: "/m/agents/store/store.go", Line: 13, Column: 17}, "example.com/m/agents/store.Store.Get (retrycoverage: unrouted)"},
		{retrycoverage.Name, at(13, 18), ""}, // another column: a directive on the same line
		{intelcoverage.Name, at(13, 17), ""}, // another analyzer
		{retrycoverage.Name, at(20, 17), ""}, // routed: nothing reported
		{intelcoverage.Name, at(30, 22), ""}, // the worker's declaration is not where it was reported
	}
	for _, tt := range tests {
		f, ok := s.Lookup(tt.analyzer, tt.pos)
		got := ""
		if ok {
			got = f.String()
		}
		if got != tt.want {
			t.Errorf("Lookup(%s, %v) = %q, want %q", tt.analyzer, tt.pos, got, tt.want)
		}
	}
}
