// Package analyzers_test runs both analyzers over a real module that
// imports the real runtime packages, through go/packages and the
// go/analysis checker, as the CLI and multichecker drivers do.
package analyzers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/config"
)

var tree = map[string]string{
	"retry/retry.go": `package retry

import (
	"context"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Remove is routed: agents in other packages delegate to it.
func Remove(ctx context.Context, path string) error {
	return recovery.Do(ctx, recovery.Default(), func(ctx context.Context) error { return os.Remove(path) })
}
`,
	"obs/obs.go": `package obs

import "github.com/resilience-lint/resilience-lint/runtime/intelligence"

// Record records the outcome of err.
func Record(t *intelligence.Tracker, op intelligence.Op, err error) {
	if err != nil {
		t.TrackError(op, err, 0)
		return
	}
	t.TrackSuccess(op, 0)
}
`,
	"agents/loader/loader.go": `package loader

import (
	"context"
	"errors"
	"os"

	"example.com/tree/obs"
	"example.com/tree/retry"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

var ErrEmpty = errors.New("empty path")

type DataLoader struct{ dir string }

// LoadCSV is the shape the retry fixer writes.
func (l *DataLoader) LoadCSV(ctx context.Context, path string) ([]byte, error) {
	if path == "" {
		return nil, ErrEmpty
	}
	return recovery.DoValue(ctx, recovery.Default(), func(ctx context.Context) ([]byte, error) {
		return os.ReadFile(path)
	})
}

// Clean delegates to a routed function of another package.
func (l *DataLoader) Clean(ctx context.Context) error { return retry.Remove(ctx, l.dir) }

// Stat is not routed.
func (l *DataLoader) Stat(path string) error {
	_, err := os.Stat(path)
	return err
}

// StatisticsWorker is the shape the tracking fixer writes.
type StatisticsWorker struct{ tracker *intelligence.Tracker }

func (w *StatisticsWorker) Execute(ctx context.Context, in []int) (int, error) {
	return intelligence.Track(ctx, w.tracker, intelligence.Op{Agent: "loader", Worker: "StatisticsWorker", Operation: "Execute"}, func(ctx context.Context) (int, error) {
		return len(in), nil
	})
}

// RecordWorker tracks through a helper of another package.
type RecordWorker struct{ tracker *intelligence.Tracker }

func (w *RecordWorker) Execute(ctx context.Context) error {
	err := os.Remove("x")
	obs.Record(w.tracker, intelligence.Op{}, err)
	return err
}

// SilentWorker records nothing.
type SilentWorker struct{}

func (SilentWorker) Execute(ctx context.Context) error {
	return os.Remove("x")
}
`,
}

func writeTree(t *testing.T) string {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(self))
	dir := t.TempDir()
	gomod := fmt.Sprintf("module example.com/tree\n\ngo 1.26\n\nrequire github.com/resilience-lint/resilience-lint v0.0.0\n\nreplace github.com/resilience-lint/resilience-lint => %s\n", root)
	files := map[string]string{"go.mod": gomod}
	for k, v := range tree {
		files[k] = v
	}
	// The main module's go.sum covers the go.mod files of its requirements.
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files["go.sum"] = string(sum)
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRealTree(t *testing.T) {
	dir := writeTree(t)
	cfg := config.Default()
	rc := retrycoverage.New(retrycoverage.Options{Config: cfg})
	ic := intelcoverage.New(intelcoverage.Options{Config: cfg})
	// One shared config: a flag set through either analyzer reaches both.
	if err := rc.Flags.Set("agent-name", "tree"); err != nil {
		t.Fatal(err)
	}

	pkgs, err := packages.Load(&packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  dir,
		Env:  append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"),
	}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("the tree does not type-check")
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{rc, ic}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}

	var diags []string
	var agents []retrycoverage.Agent
	var workers []intelcoverage.Worker
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
		}
		if !act.IsRoot {
			continue
		}
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			diags = append(diags, fmt.Sprintf("%s:%d: %s", filepath.Base(pos.Filename), pos.Line, d.Message))
		}
		switch res := act.Result.(type) {
		case *retrycoverage.Result:
			agents = append(agents, res.Agents...)
		case *intelcoverage.Result:
			workers = append(workers, res.Workers...)
		}
	}
	slices.Sort(diags)
	want := []string{
		"loader.go:32: DataLoader.Stat returns an error but is not routed through runtime/recovery (run resilience-lint -fix, or mark it //resilience:noretry <reason>)",
		"loader.go:58: SilentWorker.Execute: the result returned at loader.go:59 is not tracked (neither a success nor an error is recorded on this path) (run resilience-lint -fix to wrap the body in intelligence.Track, or record it with TrackSuccess/TrackError)",
	}
	if !slices.Equal(diags, want) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(diags, "\n"), strings.Join(want, "\n"))
	}

	if len(agents) != 1 || agents[0].Name != "DataLoader" || len(agents[0].Methods) != 3 {
		t.Fatalf("agents = %+v", agents)
	}
	for _, m := range agents[0].Methods {
		if wantRouted := m.Name != "Stat"; (m.Status == retrycoverage.Routed) != wantRouted {
			t.Errorf("%s: status %v", m.Name, m.Status)
		}
		if !filepath.IsAbs(m.Pos.Filename) {
			t.Errorf("%s: position %v", m.Name, m.Pos)
		}
	}
	got := map[string]intelcoverage.Status{}
	for _, w := range workers {
		got[w.Name] = w.Status
		if w.Agent != "tree" {
			t.Errorf("%s: agent %q, want the configured %q", w.Name, w.Agent, "tree")
		}
	}
	wantW := map[string]intelcoverage.Status{"StatisticsWorker": intelcoverage.Tracked, "RecordWorker": intelcoverage.Tracked, "SilentWorker": intelcoverage.Untracked}
	if len(got) != len(wantW) {
		t.Errorf("workers = %v", got)
	}
	for k, v := range wantW {
		if got[k] != v {
			t.Errorf("worker %s: %v, want %v", k, got[k], v)
		}
	}
}
