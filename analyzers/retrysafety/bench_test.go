package retrysafety_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/packages"

	"github.com/resilience-lint/resilience-lint/analyzers/retrysafety"
	"github.com/resilience-lint/resilience-lint/internal/cpubench"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// BenchmarkAnalyzer measures retrysafety on a real code base, this
// repository's packages with their dependencies loaded from source once
// (loading is not measured). "ctrlflow" runs only what retrysafety
// requires, so retrysafety's own cost is the difference between the two
// sub-benchmarks (time and allocations). cpu-ns/op is the CPU time the
// process used (every thread, the garbage collector's included), steadier
// than wall time on a shared machine.
func BenchmarkAnalyzer(b *testing.B) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Dir: fixturemod.RepoRoot(b), Tests: false}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		b.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		b.Fatalf("%d errors loading the packages", n)
	}
	for _, bc := range []struct {
		name string
		a    *analysis.Analyzer
	}{
		{"ctrlflow", ctrlflow.Analyzer},
		{"retrysafety", retrysafety.Analyzer},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0, cpuOK := cpubench.ProcessCPU()
			for b.Loop() {
				g, err := checker.Analyze([]*analysis.Analyzer{bc.a}, pkgs, &checker.Options{Sequential: true})
				if err != nil {
					b.Fatal(err)
				}
				for act := range g.All() {
					if act.Err != nil {
						b.Fatalf("%s: %v", act, act.Err)
					}
				}
			}
			if cpu1, ok := cpubench.ProcessCPU(); ok && cpuOK {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
