package coverage_test

import (
	"fmt"
	"os"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/internal/coverage"
)

// The analyzers' results, as a driver returns them (one per package).
var (
	retryResults = []*retrycoverage.Result{{Agents: []retrycoverage.Agent{{
		Pkg: "example.com/app/agents/loader", Name: "DataLoader",
		Methods: []retrycoverage.Method{
			{Name: "Load", Status: retrycoverage.Routed},
			{Name: "Save", Status: retrycoverage.Unrouted, Reason: "no recovery entry point is called"},
			{Name: "Read", Status: retrycoverage.Exempt, Reason: "consumes a one-shot reader"},
		},
	}}}}
	intelResults = []*intelcoverage.Result{{Workers: []intelcoverage.Worker{
		{Pkg: "example.com/app/agents/loader", Name: "CSVWorker", Method: "Execute", Status: intelcoverage.Tracked},
	}}}
)

func ExampleBuild() {
	r := coverage.Build(retryResults, intelResults, coverage.Options{})
	fmt.Println("retry:  ", r.Totals.Retry)
	fmt.Println("methods:", r.Totals.Methods, "exempt:", r.Totals.ExemptMethods)
	fmt.Println("intel:  ", r.Totals.Intel)
	score, _ := r.Metric("score")
	fmt.Printf("score:   %.1f (%s)\n", score, r.Score.Formula)
	// Output:
	// retry:   0/1 (0.0%)
	// methods: 1/2 (50.0%) exempt: 1
	// intel:   1/1 (100.0%)
	// score:   75.0 (score = mean of the defined values among (methods, intel))
}

func ExampleReport_CheckGates() {
	r := coverage.Build(retryResults, intelResults, coverage.Options{})
	gates, err := coverage.ParseGates("methods=50,intel=90", "retry=100")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range r.CheckGates(gates) {
		fmt.Println(g.Pass, g)
	}
	// Output:
	// true methods 50.0% >= 50
	// true intel 100.0% >= 90
	// false retry 0.0% < 100
}

func ExampleBaseline() {
	dir, err := os.MkdirTemp("", "baseline")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = os.RemoveAll(dir) }()
	file := dir + "/baseline.json"

	// Adopt the tool: record today's findings.
	before := coverage.Build(retryResults, intelResults, coverage.Options{})
	if err := coverage.WriteBaseline(file, before.Findings()); err != nil {
		fmt.Println(err)
		return
	}

	// Later: Save is routed, but a new method is not.
	later := []*retrycoverage.Result{{Agents: []retrycoverage.Agent{{
		Pkg: "example.com/app/agents/loader", Name: "DataLoader",
		Methods: []retrycoverage.Method{
			{Name: "Save", Status: retrycoverage.Routed},
			{Name: "Delete", Status: retrycoverage.Unrouted},
		},
	}}}}
	b, err := coverage.LoadBaseline(file)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := coverage.Build(later, nil, coverage.Options{})
	p := r.Compare(b, file)
	for _, f := range r.Findings() {
		fmt.Println(f.Type+"."+f.Method, "in baseline:", b.Contains(f))
	}
	fmt.Println("fixed:", len(p.Fixed), "new:", len(p.New), "remaining:", p.Remaining)
	// Output:
	// DataLoader.Delete in baseline: false
	// fixed: 1 new: 1 remaining: 0
}
