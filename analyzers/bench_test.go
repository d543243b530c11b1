package analyzers_test

import (
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/packages"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrysafety"
	"github.com/resilience-lint/resilience-lint/config"
)

// BenchmarkAnalyzeExamples runs both analyzers over the example code base
// and the runtime packages (dependencies included, as facts require). It
// reports analyze/load: the cost of the analysis relative to loading and
// type-checking the same packages. The ctrlflow sub-benchmark is the
// control-flow graphs alone, which both analyzers require; retrysafety
// (required by retrycoverage, so part of "both") is measured alone too.
func BenchmarkAnalyzeExamples(b *testing.B) {
	patterns := []string{"../examples/...", "../runtime/..."}
	start := time.Now()
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: "."}, patterns...)
	if err != nil {
		b.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		b.Fatal("packages do not load")
	}
	loadTime := time.Since(start)

	cfg := config.Default()
	for _, bm := range []struct {
		name      string
		analyzers []*analysis.Analyzer
	}{
		{"ctrlflow", []*analysis.Analyzer{ctrlflow.Analyzer}},
		{"retrysafety", []*analysis.Analyzer{retrysafety.Analyzer}},
		{"both", []*analysis.Analyzer{
			retrycoverage.New(retrycoverage.Options{Config: cfg}),
			intelcoverage.New(intelcoverage.Options{Config: cfg}),
		}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := checker.Analyze(bm.analyzers, pkgs, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(loadTime), "analyze/load")
		})
	}
}
