package fixers_test

import (
	"context"
	"fmt"
	"go/ast"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixers"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// bothModes are fix hooks that compute every fix twice, written out and
// decided only (fixers.FactsOnly), record any difference between the two
// answers, and return the written-out one (so that analysistest's
// expectations hold as with the suite).
type bothModes struct {
	mu    sync.Mutex
	calls map[string]int // by outcome kind: "fix", "none", "refused"
	diffs []string
}

// outcome is what the analyzers read of a fixer's answer: whether a fix
// exists, and otherwise the refusal they append to the diagnostic.
func outcome(fixes []analysis.SuggestedFix, err error) (kind, text string) {
	switch {
	case err != nil:
		return "refused", err.Error()
	case len(fixes) == 0:
		return "none", ""
	default:
		return "fix", fmt.Sprintf("%d fixes, first %q", len(fixes), fixes[0].Message)
	}
}

func (m *bothModes) compare(pass *analysis.Pass, decl string, fix func() ([]analysis.SuggestedFix, error)) ([]analysis.SuggestedFix, error) {
	var full, decided []analysis.SuggestedFix
	var fullErr, decidedErr error
	fixers.WithDecideOnly(pass, false, func() { full, fullErr = fix() })
	fixers.WithDecideOnly(pass, true, func() { decided, decidedErr = fix() })
	kind, text := outcome(full, fullErr)
	dkind, dtext := outcome(decided, decidedErr)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.calls == nil {
		m.calls = map[string]int{}
	}
	m.calls[kind]++
	if kind != dkind || text != dtext {
		m.diffs = append(m.diffs, fmt.Sprintf("%s: %s %s, decided only: %s %s", decl, kind, text, dkind, dtext))
	}
	return full, fullErr
}

func (m *bothModes) retry(pass *analysis.Pass, t *retrycoverage.Target) ([]analysis.SuggestedFix, error) {
	return m.compare(pass, declName(pass, t.Decl), func() ([]analysis.SuggestedFix, error) { return fixers.Retry(pass, t) })
}

func (m *bothModes) track(pass *analysis.Pass, t *intelcoverage.Target) ([]analysis.SuggestedFix, error) {
	return m.compare(pass, declName(pass, t.Decl), func() ([]analysis.SuggestedFix, error) { return fixers.Track(pass, t) })
}

// declName names a method and where it is, for the differences.
func declName(pass *analysis.Pass, decl *ast.FuncDecl) string {
	return decl.Name.Name + " at " + pass.Fset.Position(decl.Pos()).String()
}

func (m *bothModes) analyzers(cfg *config.Config) []*analysis.Analyzer {
	return []*analysis.Analyzer{
		retrycoverage.New(retrycoverage.Options{Config: cfg, Fix: m.retry}),
		intelcoverage.New(intelcoverage.Options{Config: cfg, Fix: m.track}),
	}
}

func (m *bothModes) check(t *testing.T, minFixes, minRefused int) {
	t.Helper()
	for _, d := range m.diffs {
		t.Error(d)
	}
	t.Logf("fixer calls by outcome: %v", m.calls)
	if m.calls["fix"] < minFixes || m.calls["refused"] < minRefused {
		t.Errorf("%d fixes and %d refusals compared, want at least %d and %d", m.calls["fix"], m.calls["refused"], minFixes, minRefused)
	}
}

// TestDecideOnly checks that deciding whether a fix exists without
// writing it (what the driver does for the dependencies it analyzes for
// their Facts) gives every method the answer that writing the fix gives:
// a fix, no fix, or the same refusal. It compares the two on every case
// of testdata/rewrite, on the fixers' golden test packages, and on every
// method of this module and of every dependency it has outside the
// standard library taken as an agent's (agent-types "*") or a worker's.
func TestDecideOnly(t *testing.T) {
	t.Run("rewrite", func(t *testing.T) {
		var m bothModes
		for file, cases := range rewriteCases {
			c := checkRewriteFile(t, file)
			extra := []rewriteCase{
				// A policy that parses and type-checks but ends in a
				// comment, which comments out the rest of the wrapper:
				// only the parse of the wrapper refuses it.
				{method: cases[0].method, track: cases[0].track, policy: "nil // no policy"},
			}
			for _, rc := range append(cases, extra...) {
				_, _ = m.compare(c.pass, file+" "+rc.method, func() ([]analysis.SuggestedFix, error) { return rc.run(t, c) })
			}
		}
		m.check(t, 20, 5)
	})
	t.Run("testdata", func(t *testing.T) {
		var m bothModes
		for _, tc := range []struct {
			policy   string
			analyzer int // 0: retrycoverage, 1: intelcoverage
			pkgs     []string
		}{
			{"", 0, []string{"example.com/agents/shapes", "example.com/agents/refusals", "example.com/agents/imports", "example.com/agents/nested", "example.com/agents/validation", "example.com/agents/partial", "example.com/agents/lastvalue", "example.com/agents/polled"}},
			{"", 1, []string{"example.com/workers", "example.com/helperworkers"}},
			{"example.com/platform.DefaultPolicy", 0, []string{"example.com/agents/policy"}},
			{"example.com/elsewhere/rules/v2.Default()", 0, []string{"example.com/agents/policyunknown"}},
		} {
			a := m.analyzers(&config.Config{Policy: tc.policy})[tc.analyzer]
			analysistest.Run(t, analysistest.TestData(), a, tc.pkgs...)
		}
		m.check(t, 20, 5)
	})
	t.Run("module", func(t *testing.T) {
		root := fixturemod.RepoRoot(t)
		for _, cfg := range []*config.Config{
			{AgentTypes: []string{"*"}},
			{WorkerTypes: []string{"*"}},
		} {
			var m bothModes
			res, err := driver.Run(context.Background(), driver.Options{Dir: root, Patterns: []string{"./..."}, Config: cfg, Analyzers: m.analyzers(cfg)})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range res.Errors {
				if !strings.Contains(e.Error(), "testdata") {
					t.Errorf("%s", e.Error())
				}
			}
			m.check(t, 10, 0)
		}
	})
}
