package suite_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/internal/suite"
)

// TestPerPackage: each package gets the configuration file nearest to it
// (agents/off selects no agents; agents/on has none and gets the
// defaults), and an invalid file is the error of the packages under it.
func TestPerPackage(t *testing.T) {
	as := suite.PerPackage()
	if len(as) != 2 || as[0].Name != "retrycoverage" || as[1].Name != "intelcoverage" {
		t.Fatalf("PerPackage() = %v", as)
	}
	dir := analysistest.TestData()
	analysistest.Run(t, dir, as[0], "agents/on", "agents/off")

	results := analysistest.Run(&errorRecorder{T: t}, dir, as[0], "agents/bad")
	if len(results) != 1 || results[0].Err == nil || !strings.Contains(results[0].Err.Error(), ".resilience.yml:2") {
		t.Errorf("agents/bad: want an error naming .resilience.yml:2, got %+v", results)
	}
}

// errorRecorder lets analysistest report an analysis error without
// failing the test, which checks the error itself.
type errorRecorder struct{ *testing.T }

func (e *errorRecorder) Errorf(format string, args ...any) {}

// TestWithFixCommand: the messages name the driver's fix command, and
// nothing else changes.
func TestWithFixCommand(t *testing.T) {
	as := suite.WithFixCommand(suite.PerPackage(), "golangci-lint run --fix")
	analysistest.Run(t, analysistest.TestData(), as[0], "agents/fixcmd")
}

// TestPerPackageRepeatable: retrysafety, which retrycoverage requires,
// is configured per package too: agents/repeat's file names Counter.Inc
// in repeatable-funcs, so the count is retried with the read, while with
// the defaults it is kept out of the retry. The flag (go vet -vettool
// sets only flags) reaches retrysafety through retrycoverage's.
func TestPerPackageRepeatable(t *testing.T) {
	const kept = "-fix retries only the statements after"
	flagged := suite.Analyzers(nil)
	if err := flagged[0].Flags.Set("repeatable-funcs", "agents/repeat.Counter.Inc"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		as   []*analysis.Analyzer
		kept bool
	}{
		{"per package", suite.PerPackage(), false},
		{"defaults", suite.Analyzers(nil), true},
		{"flag", flagged, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			results := analysistest.Run(&errorRecorder{T: t}, analysistest.TestData(), tt.as[0], "agents/repeat")
			if len(results) != 1 || results[0].Err != nil || len(results[0].Diagnostics) != 1 {
				t.Fatalf("want one diagnostic, got %+v", results)
			}
			msg := results[0].Diagnostics[0].Message
			if strings.Contains(msg, kept) != tt.kept {
				t.Errorf("message %q: contains %q = %v, want %v", msg, kept, !tt.kept, tt.kept)
			}
		})
	}
}
