package retrycoverage_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/config"
)

func TestDefaults(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{})
	analysistest.Run(t, analysistest.TestData(), a,
		"example.com/agents/loader", "example.com/helpers", "example.com/agents/delegate",
		"example.com/marked", "example.com/agents/gen", "example.com/agents/withtests",
		"example.com/agents/nested", "example.com/agents/front", "example.com/agents/fallback",
		"example.com/agents/after", "example.com/agents/deferred", "example.com/agents/tracked",
		"example.com/agents/unsafe")
}

// TestNestedRetries checks that a method whose only work is calls to
// unrouted agent methods gets no fix (in its package and, through the
// UnroutedMethod fact, in another), so that -fix does not nest retries.
func TestNestedRetries(t *testing.T) {
	fix := func(pass *analysis.Pass, tg *retrycoverage.Target) ([]analysis.SuggestedFix, error) {
		return []analysis.SuggestedFix{{Message: "route " + tg.Decl.Name.Name}}, nil
	}
	a := retrycoverage.New(retrycoverage.Options{Fix: fix})
	results := analysistest.Run(t, analysistest.TestData(), a, "example.com/agents/nested", "example.com/agents/front", "example.com/agents/fallback")
	want := map[string][]string{
		"example.com/agents/nested": {"Both", "Call", "Get", "Help", "Hook", "Ping", "Pong", "Send", "Walk"},
		"example.com/agents/front":  {"Mixed", "Upload"},
	}
	for _, r := range results {
		pkg := r.Action.Package.PkgPath
		if _, ok := want[pkg]; !ok {
			continue
		}
		var fixed []string
		for _, d := range r.Diagnostics {
			for _, f := range d.SuggestedFixes {
				fixed = append(fixed, strings.TrimPrefix(f.Message, "route "))
			}
		}
		slices.Sort(fixed)
		if !slices.Equal(fixed, want[pkg]) {
			t.Errorf("%s: fixes for %v, want %v", pkg, fixed, want[pkg])
		}
		delete(want, pkg)
	}
	if len(want) > 0 {
		t.Errorf("packages not analyzed: %v", want)
	}
}

func TestTestFilesSkipped(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/withtests")
	for _, r := range results {
		res, ok := r.Action.Result.(*retrycoverage.Result)
		if !ok || r.Action.Package.PkgPath != "example.com/agents/withtests" {
			continue
		}
		if len(res.Agents) != 1 || res.Agents[0].Name != "Agent" || len(res.Agents[0].Methods) != 1 || res.Agents[0].Methods[0].Name != "Put" {
			t.Errorf("%s: agents %+v: the test file's agent and method must be left out", r.Action, res.Agents)
		}
	}
}

func TestConfiguredAgentTypes(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{})
	if err := a.Flags.Set("agent-types", "Repo,example.com/configured.Svc*"); err != nil {
		t.Fatal(err)
	}
	if err := a.Flags.Set("retry-funcs", "example.com/configured.Retry,example.com/configured.Runner.Run"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), a, "example.com/configured")
}

func TestBadConfigIsAnError(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{Config: &config.Config{AgentTypes: []string{"[bad"}}})
	results := analysistest.Run(&collect{T: t}, analysistest.TestData(), a, "example.com/configured")
	for _, r := range results {
		if r.Err == nil {
			t.Errorf("%s: no error for a bad pattern", r.Action)
		}
	}
}

// collect lets an expected analysis error through without failing the test.
type collect struct{ *testing.T }

func (c *collect) Errorf(format string, args ...any) {}

func TestIncludeTests(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{Config: &config.Config{IncludeTests: true}})
	analysistest.Run(t, analysistest.TestData(), a, "example.com/agents/testsincluded")
}

func TestFixHookAndResult(t *testing.T) {
	seen := map[string]*retrycoverage.Target{}
	fix := func(pass *analysis.Pass, tg *retrycoverage.Target) ([]analysis.SuggestedFix, error) {
		seen[tg.Decl.Name.Name] = tg
		if tg.Decl.Name.Name == "Refused" {
			return nil, errors.New("refused for the test")
		}
		return []analysis.SuggestedFix{{Message: "route " + tg.Decl.Name.Name, TextEdits: []analysis.TextEdit{{Pos: tg.Decl.Body.Lbrace + 1, End: tg.Decl.Body.Lbrace + 1, NewText: []byte("\n")}}}}, nil
	}
	cfg := &config.Config{Policy: "s.policy"}
	a := retrycoverage.New(retrycoverage.Options{Config: cfg, Fix: fix})
	results := analysistest.Run(t, analysistest.TestData(), a, "example.com/agents/fixhook")
	if len(results) != 1 {
		t.Fatalf("%d results", len(results))
	}

	fixable := seen["Fixable"]
	if fixable == nil {
		t.Fatal("Fix not called for Fixable")
	}
	if fixable.Guards != 3 || fixable.Ctx == nil || fixable.Ctx.Name() != "ctx" || fixable.Policy != "s.policy" || fixable.OneShot != "" || fixable.Agent.Name() != "Svc" || fixable.File == nil {
		t.Errorf("Fixable target = %+v", fixable)
	}
	if nc := seen["NoCtx"]; nc == nil || nc.Ctx == nil || nc.Ctx.Name() != "_" {
		t.Errorf("NoCtx target = %+v: Ctx must be the blank context parameter (the fixer names it)", nc)
	}
	if _, ok := seen["Done"]; ok {
		t.Error("Fix called for a routed method")
	}
	fixes := map[string]int{}
	for _, d := range results[0].Diagnostics {
		for _, f := range d.SuggestedFixes {
			fixes[f.Message]++
		}
	}
	if fixes["route Fixable"] != 1 || fixes["route NoCtx"] != 1 || len(fixes) != 2 {
		t.Errorf("suggested fixes = %v", fixes)
	}

	res := results[0].Result.(*retrycoverage.Result)
	if len(res.Agents) != 1 || res.Agents[0].Name != "Svc" || res.Agents[0].Pkg != "example.com/agents/fixhook" {
		t.Fatalf("agents = %+v", res.Agents)
	}
	status := map[string]retrycoverage.Status{}
	for _, m := range res.Agents[0].Methods {
		status[m.Name] = m.Status
		if !strings.HasSuffix(m.Pos.Filename, "fixhook.go") || m.Pos.Line == 0 {
			t.Errorf("%s: position %v", m.Name, m.Pos)
		}
		if m.Status == retrycoverage.Exempt && m.Reason != "//resilience:noretry deletes are not idempotent here" {
			t.Errorf("exempt reason = %q", m.Reason)
		}
	}
	want := map[string]retrycoverage.Status{"Refused": retrycoverage.Unrouted, "Fixable": retrycoverage.Unrouted, "NoCtx": retrycoverage.Unrouted,
		"Done": retrycoverage.Routed, "Exempted": retrycoverage.Exempt}
	if !maps.Equal(status, want) {
		t.Errorf("statuses = %v, want %v", status, want)
	}
}

// TestRoutedReasons checks the reasons the Result gives routed methods:
// none for a direct recovery call, the callee for delegation.
func TestRoutedReasons(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/delegate", "example.com/agents/loader")
	got := map[string]string{}
	for _, r := range results {
		res, ok := r.Action.Result.(*retrycoverage.Result)
		if !ok {
			continue
		}
		for _, a := range res.Agents {
			for _, m := range a.Methods {
				if m.Status == retrycoverage.Routed {
					got[a.Name+"."+m.Name] = m.Reason
				}
			}
		}
	}
	want := map[string]string{
		"Cleaner.Clean":      "delegates to helpers.Indirect, which is routed",
		"Cleaner.Fetch":      "delegates to helpers.Client.Get, which is routed",
		"Cleaner.Checked":    "delegates to helpers.Remove, which is routed",
		"DataLoader.Helper":  "delegates to DataLoader.retried, which is routed",
		"DataLoader.LoadCSV": "",
		"DataLoader.Nothing": "does no work that can fail",
	}
	for name, reason := range want {
		if r, ok := got[name]; !ok || r != reason {
			t.Errorf("%s: routed %v, reason %q; want routed, reason %q", name, ok, r, reason)
		}
	}
}
