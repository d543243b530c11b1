package analyzers_test

import (
	"os"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/cpubench"
	"github.com/resilience-lint/resilience-lint/internal/suite"
)

// BenchmarkSuite runs the analyzers as the CLI does (suite.Analyzers:
// fixes attached) over a code base, dependencies included, against
// retrycoverage's requirements alone (ctrlflow, retrysafety): the
// difference is what retrycoverage and intelcoverage cost, with their
// fixes. cpu-ns/op is the process's CPU time (user and system) per run,
// less sensitive than wall time to other work on the machine. The code
// base is the module (the packages named by RL_BENCH_PATTERN in
// RL_BENCH_DIR, when set, with the .resilience.yml found there).
func BenchmarkSuite(b *testing.B) {
	dir, pattern := "..", "./..."
	if d := os.Getenv("RL_BENCH_DIR"); d != "" {
		dir = d
	}
	if p := os.Getenv("RL_BENCH_PATTERN"); p != "" {
		pattern = p
	}
	cfg := config.Default()
	if f, _ := config.Find(dir); f != "" {
		c, err := config.Load(f)
		if err != nil {
			b.Fatal(err)
		}
		cfg = c
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Tests: false}, pattern)
	if err != nil {
		b.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		b.Fatal("packages do not load")
	}
	for _, bm := range []struct {
		name      string
		analyzers []*analysis.Analyzer
	}{
		{"requires", suite.Analyzers(cfg)[0].Requires},
		{"suite", suite.Analyzers(cfg)},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0, cpuOK := cpubench.ProcessCPU()
			for b.Loop() {
				if _, err := checker.Analyze(bm.analyzers, pkgs, nil); err != nil {
					b.Fatal(err)
				}
			}
			if cpu1, ok := cpubench.ProcessCPU(); ok && cpuOK {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
