package fixers_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/suite"
)

// suiteAnalyzer returns the suite's analyzer called name, fixers attached.
func suiteAnalyzer(t *testing.T, name string) *analysis.Analyzer {
	t.Helper()
	for _, a := range suite.Analyzers(&config.Config{}) {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("suite has no analyzer %s", name)
	return nil
}

// TestGolden runs the suite's analyzers over testdata/src and compares
// the result of applying every suggested fix with the .golden files.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		analyzer string
		pkgs     []string
	}{
		{"retrycoverage", []string{"example.com/agents/shapes", "example.com/agents/refusals", "example.com/agents/imports", "example.com/agents/nested", "example.com/agents/validation", "example.com/agents/partial", "example.com/agents/lastvalue", "example.com/agents/polled", "example.com/agents/streams"}},
		{"intelcoverage", []string{"example.com/workers", "example.com/helperworkers"}},
	} {
		t.Run(tc.analyzer, func(t *testing.T) {
			a := suiteAnalyzer(t, tc.analyzer)
			if *update {
				writeGoldens(t, a, tc.pkgs...)
			}
			analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), a, tc.pkgs...)
		})
	}
}

// TestGoldenPolicy fixes agents with a policy configured in the full
// import path form: the fixer imports its package (reusing an import,
// aliasing it where its name is taken, naming it when the package is not
// a dependency and its name is not known).
func TestGoldenPolicy(t *testing.T) {
	for policy, pkg := range map[string]string{
		"example.com/platform.DefaultPolicy":       "example.com/agents/policy",
		"example.com/elsewhere/rules/v2.Default()": "example.com/agents/policyunknown",
	} {
		t.Run(pkg, func(t *testing.T) {
			var a *analysis.Analyzer
			for _, x := range suite.Analyzers(&config.Config{Policy: policy}) {
				if x.Name == "retrycoverage" {
					a = x
				}
			}
			if *update {
				writeGoldens(t, a, pkg)
			}
			analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), a, pkg)
		})
	}
}

// writeGoldens writes, for each file with suggested fixes, the file with
// all of them applied (for review before committing).
func writeGoldens(t *testing.T, a *analysis.Analyzer, pkgs ...string) {
	t.Helper()
	results := analysistest.Run(t, analysistest.TestData(), a, pkgs...)
	type edit struct {
		start, end int
		text       string
	}
	byFile := map[string][]edit{}
	for _, r := range results {
		fset := r.Action.Package.Fset
		for _, d := range r.Action.Diagnostics {
			for _, f := range d.SuggestedFixes {
				for _, e := range f.TextEdits {
					tf := fset.File(e.Pos)
					ed := edit{tf.Offset(e.Pos), tf.Offset(e.End), string(e.NewText)}
					if !slices.Contains(byFile[tf.Name()], ed) {
						byFile[tf.Name()] = append(byFile[tf.Name()], ed)
					}
				}
			}
		}
	}
	for name, edits := range byFile {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortStableFunc(edits, func(a, b edit) int { return a.start - b.start })
		var out []byte
		last := 0
		for _, e := range edits {
			out = append(append(out, src[last:e.start]...), e.text...)
			last = e.end
		}
		out = append(out, src[last:]...)
		if err := os.WriteFile(name+".golden", out, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", filepath.Base(name)+".golden")
	}
}
