package driver_test

import (
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"

	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/internal/driver"
)

const agentSrc = `package agents

import (
	"context"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Loader is an agent.
type Loader struct{}

// Load is routed.
func (l *Loader) Load(ctx context.Context) error {
	return recovery.Do(ctx, nil, func(ctx context.Context) error { return nil })
}
`

func TestRun(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"agents/agents.go": agentSrc,
		"broken/broken.go": "package broken\n\nfunc F() int { return \"x\" }\n",
		"syntax/syntax.go": "package syntax\n\nfunc F( {\n",
		"plain/plain.go":   "package plain\n\nimport \"strings\"\n\nfunc F() string { return strings.ToUpper(\"x\") }\n",
	})
	var (
		mu     sync.Mutex // Progress may be called from several goroutines
		stages []driver.Stage
	)
	res, err := driver.Run(context.Background(), driver.Options{
		Dir:      dir,
		Patterns: []string{"./..."},
		Progress: func(p driver.Progress) {
			mu.Lock()
			defer mu.Unlock()
			if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
				stages = append(stages, p.Stage)
			}
		},
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	// The two good packages were analyzed despite the two bad ones.
	if got := len(res.Retry); got != 2 {
		t.Errorf("got %d retrycoverage results, want 2 (agents, plain)", got)
	}
	if got := len(res.Intel); got != 2 {
		t.Errorf("got %d intelcoverage results, want 2", got)
	}
	kinds := make(map[string]string)
	for _, e := range res.Errors {
		kinds[e.Package] = e.Kind
		if e.Pos == "" || !strings.Contains(e.Error(), ".go:") {
			t.Errorf("error without position: %v", e)
		}
	}
	if kinds["example.com/fx/broken"] != "type" {
		t.Errorf("broken: got kind %q, want type; errors: %v", kinds["example.com/fx/broken"], res.Errors)
	}
	if kinds["example.com/fx/syntax"] != "parse" {
		t.Errorf("syntax: got kind %q, want parse; errors: %v", kinds["example.com/fx/syntax"], res.Errors)
	}
	if len(kinds) != 2 {
		t.Errorf("errors name %d packages, want 2: %v", len(kinds), res.Errors)
	}
	if len(stages) != 3 || stages[2] != driver.Analyzing {
		t.Errorf("stages = %v, want listing, loading, analyzing", stages)
	}
	if len(res.Packages) != 4 {
		t.Errorf("got %d named packages, want 4", len(res.Packages))
	}
}

func TestRunNoPackages(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{"a/a.go": "package a\n"})
	_, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: []string{"./nothing/..."}})
	if !errors.Is(err, driver.ErrNoPackages) {
		t.Fatalf("got %v, want ErrNoPackages", err)
	}
}

func TestRunTests(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"agents/agents.go":      agentSrc,
		"agents/agents_test.go": "package agents\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) {}\n",
		"agents/x_test.go":      "package agents_test\n\nimport \"testing\"\n\nfunc TestY(t *testing.T) {}\n",
	})
	res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Tests: true})
	if err != nil {
		t.Fatal(err)
	}
	// agents [agents.test] and agents_test [agents.test]; not the plain
	// package (same files) nor the test main.
	var ids []string
	for _, p := range res.Packages {
		ids = append(ids, p.ID)
	}
	if len(ids) != 2 || !strings.Contains(ids[0], "[") || !strings.Contains(ids[1], "[") {
		t.Errorf("named packages = %v, want the two test variants", ids)
	}
	if len(res.Errors) != 0 {
		t.Errorf("unexpected errors: %v", res.Errors)
	}
}

func TestRunFiles(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{"agents/agents.go": agentSrc})
	res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: []string{"agents/agents.go"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 || len(res.Packages) != 1 || len(res.Retry) != 1 {
		t.Errorf("errors %v, %d packages, %d results; want the one file's package analyzed", res.Errors, len(res.Packages), len(res.Retry))
	}
}

// TestRunFactsFromUnnamedDependency checks that a dependency the patterns
// do not name, but which imports the runtime, is analyzed for its Facts:
// the agent method delegates to a routed helper in it.
func TestRunFactsFromUnnamedDependency(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"fetch/fetch.go": `package fetch

import (
	"context"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Get reads name with retries.
func Get(ctx context.Context, name string) ([]byte, error) {
	return recovery.DoValue(ctx, nil, func(ctx context.Context) ([]byte, error) {
		return os.ReadFile(name)
	})
}
`,
		"agents/client/client.go": `package client

import (
	"context"
	"os"

	"example.com/fx/fetch"
)

// Client is an agent.
type Client struct{}

// Fetch delegates to a routed helper.
func (Client) Fetch(ctx context.Context, name string) ([]byte, error) {
	return fetch.Get(ctx, name)
}

// Remove does fallible work without retrying.
func (Client) Remove(ctx context.Context, name string) error {
	return os.Remove(name)
}
`,
	})
	res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: []string{"./agents/..."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Packages) != 1 {
		t.Errorf("named packages: got %d, want only agents/client", len(res.Packages))
	}
	var msgs []string
	for _, f := range res.Findings {
		msgs = append(msgs, f.Message)
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "Remove") {
		t.Errorf("findings = %q, want only Client.Remove (Fetch is routed through fetch.Get's Fact)", msgs)
	}
}

func TestRunAnalyzerPanic(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"a/a.go": "package a\n",
		"b/b.go": "package b\n",
	})
	crash := &analysis.Analyzer{
		Name: "crash",
		Doc:  "crashes on package a",
		Run: func(pass *analysis.Pass) (any, error) {
			if pass.Pkg.Name() == "a" {
				panic("boom")
			}
			pass.Reportf(pass.Files[0].Package, "seen %s", pass.Pkg.Name())
			return nil, nil
		},
	}
	res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Analyzers: []*analysis.Analyzer{crash}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || res.Errors[0].Package != "example.com/fx/a" || !strings.Contains(res.Errors[0].Msg, "panic: boom") {
		t.Errorf("errors = %v, want the panic as package a's error", res.Errors)
	}
	if len(res.Findings) != 1 || res.Findings[0].Message != "seen b" {
		t.Errorf("findings = %+v, want package b's", res.Findings)
	}
}

// TestVerdictIndependentOfPatterns: a validator in a dependency that does
// not import the runtime carries its Fact whether or not the patterns name
// its package, so the agent's verdict is the same for ./agents/... and ./...
func TestVerdictIndependentOfPatterns(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"agents/agents.go": `package agents

import "example.com/fx/calc"

// Fitter is an agent.
type Fitter struct{}

// Fit only calls a validator: nothing that can fail transiently.
func (f *Fitter) Fit(xs []float64) (float64, error) { return calc.Mean(xs) }
`,
		"calc/calc.go": `package calc

import "errors"

// ErrEmpty is returned for no values.
var ErrEmpty = errors.New("no values")

// Mean returns the mean of xs.
func Mean(xs []float64) (float64, error) {
	if len(xs) == 0 {
		return 0, ErrEmpty
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs)), nil
}
`,
	})
	for _, pattern := range []string{"./agents/...", "./..."} {
		res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: []string{pattern}})
		if err != nil {
			t.Fatalf("%s: %v", pattern, err)
		}
		if len(res.Findings) != 0 {
			t.Errorf("%s: findings %v, want none (calc.Mean is a validator)", pattern, res.Findings)
		}
	}
}
