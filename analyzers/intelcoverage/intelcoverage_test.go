package intelcoverage_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/config"
)

func TestDefaults(t *testing.T) {
	a := intelcoverage.New(intelcoverage.Options{})
	analysistest.Run(t, analysistest.TestData(), a, "example.com/workers", "example.com/trackhelp", "example.com/delegating")
}

func TestConfigured(t *testing.T) {
	a := intelcoverage.New(intelcoverage.Options{})
	for k, v := range map[string]string{
		"worker-types":      "Job*",
		"worker-methods":    "Run",
		"worker-interfaces": "example.com/configured.Runner",
		"track-funcs":       "example.com/configured.Observe=outcome",
	} {
		if err := a.Flags.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	analysistest.Run(t, analysistest.TestData(), a, "example.com/configured")
}

func TestFixHookAndResult(t *testing.T) {
	seen := map[string]*intelcoverage.Target{}
	fix := func(pass *analysis.Pass, tg *intelcoverage.Target) ([]analysis.SuggestedFix, error) {
		seen[tg.Worker.Name()] = tg
		if tg.Ctx == nil {
			return nil, errors.New("no context for the test")
		}
		return []analysis.SuggestedFix{{Message: "track " + tg.Worker.Name(), TextEdits: []analysis.TextEdit{{Pos: tg.Decl.Body.Lbrace + 1, End: tg.Decl.Body.Lbrace + 1, NewText: []byte("\n")}}}}, nil
	}
	a := intelcoverage.New(intelcoverage.Options{Config: &config.Config{AgentName: "stats"}, Fix: fix})
	results := analysistest.Run(t, analysistest.TestData(), a, "example.com/fixworkers")
	var pkgs int
	for _, r := range results {
		if r.Action.Package.PkgPath == "example.com/fixworkers" {
			pkgs++
		}
	}
	if pkgs != 2 { // the package and its test variant
		t.Fatalf("%d results for the package", pkgs)
	}
	st := seen["StatsWorker"]
	if st == nil || st.TrackerField != "tracker" || st.Agent != "stats" || st.Ctx == nil || st.Ctx.Name() != "ctx" || st.File == nil || st.Decl.Name.Name != "Execute" {
		t.Fatalf("StatsWorker target = %+v", st)
	}
	if _, ok := seen["TestWorker"]; ok {
		t.Error("test file checked without include-tests")
	}
	for _, r := range results {
		if r.Action.Package.PkgPath != "example.com/fixworkers" {
			continue // the test main package
		}
		fixes := map[string]int{}
		for _, d := range r.Diagnostics {
			for _, f := range d.SuggestedFixes {
				fixes[f.Message]++
			}
		}
		// StatsWorker has one diagnostic with the one rewrite, and its
		// two untracked returns as related information; BareWorker's fix
		// was refused.
		if want := map[string]int{"track StatsWorker": 1}; !maps.Equal(fixes, want) {
			t.Errorf("%s: suggested fixes %v, want %v", r.Action, fixes, want)
		}
		var related []string
		for _, d := range r.Diagnostics {
			if strings.HasPrefix(d.Message, "StatsWorker.Execute:") {
				for _, ri := range d.Related {
					related = append(related, fmt.Sprintf("%d: %s", r.Action.Package.Fset.Position(ri.Pos).Line, ri.Message))
				}
			}
		}
		if want := []string{
			"20: the error returned at fixworkers.go:20 is not tracked (no error record on this path)",
			"22: the success returned at fixworkers.go:22 is not tracked (no success record on this path)",
		}; !slices.Equal(related, want) {
			t.Errorf("StatsWorker.Execute related information:\n%s\nwant:\n%s", strings.Join(related, "\n"), strings.Join(want, "\n"))
		}
		res := r.Result.(*intelcoverage.Result)
		got := map[string]intelcoverage.Status{}
		for _, w := range res.Workers {
			got[w.Name+"."+w.Method] = w.Status
			if w.Status == intelcoverage.Exempt && w.Reason != "//resilience:ignore tracked by the orchestrator" {
				t.Errorf("exempt reason %q", w.Reason)
			}
			if w.Status == intelcoverage.Untracked && !strings.Contains(w.Reason, "is not tracked") {
				t.Errorf("untracked reason %q", w.Reason)
			}
			if w.Agent != "stats" || w.Pkg != "example.com/fixworkers" || !strings.HasSuffix(w.Pos.Filename, ".go") {
				t.Errorf("worker %+v", w)
			}
		}
		want := map[string]intelcoverage.Status{"StatsWorker.Execute": intelcoverage.Untracked, "BareWorker.Execute": intelcoverage.Untracked,
			"DoneWorker.Execute": intelcoverage.Tracked, "IgnoredWorker.Execute": intelcoverage.Exempt}
		if !maps.Equal(got, want) {
			t.Errorf("%s: workers = %v, want %v", r.Action, got, want)
		}
	}
}
