package driver

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// TestSpeculation checks the export plan: a run with a cache directory
// records the export data it read; the next run with the same options
// reads it while go list runs and adopts it, with the same verdicts as a
// run without a cache; a plan that no longer matches the packages (a
// dependency's export data changed, a package now loaded from source) is
// not adopted, and a damaged plan is ignored.
func TestSpeculation(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"dep/dep.go": "package dep\n\nimport \"strings\"\n\n// Up is used by the agent.\nfunc Up(s string) string { return strings.ToUpper(s) }\n",
		"agent/agent.go": "package agent\n\nimport (\n\t\"context\"\n\t\"os\"\n\n\t\"example.com/fx/dep\"\n)\n\n" +
			"// Agent is an agent.\ntype Agent struct{}\n\n// Read reads.\nfunc (Agent) Read(ctx context.Context) error { _, err := os.ReadFile(dep.Up(\"x\")); return err }\n",
	})
	ctx := context.Background()
	cfg := &config.Config{AgentTypes: []string{"Agent"}}
	cacheDir := t.TempDir()
	run := func(t *testing.T, opts Options) *Result {
		t.Helper()
		res, err := Run(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// Only the agent is named: dep's Facts come from the cache after the
	// first run, and its export data is read.
	opts := Options{Dir: dir, Patterns: []string{"./agent"}, Config: cfg, CacheDir: cacheDir, Reanalyze: true}
	want := findingsOf(run(t, Options{Dir: dir, Patterns: []string{"./agent"}, Config: cfg}))
	if len(want) == 0 {
		t.Fatal("no findings: the fixture tests nothing")
	}

	first := run(t, opts)
	if first.readAhead != 0 {
		t.Errorf("first run: %d packages read ahead, want 0 (no plan yet)", first.readAhead)
	}
	plans, _ := filepath.Glob(filepath.Join(cacheDir, "*", "*-p"))
	if len(plans) != 1 {
		t.Fatalf("export plans %v, want one", plans)
	}
	second := run(t, opts)
	if second.readAhead == 0 {
		t.Error("second run: nothing read ahead")
	}
	if len(second.FactsCached) == 0 {
		t.Error("second run: no Facts from the cache")
	}
	if got := findingsOf(second); !reflect.DeepEqual(got, want) {
		t.Errorf("second run findings:\n%q\nwant\n%q", got, want)
	}

	// dep changes: its export data (and its key) too; the plan names the
	// old file, and is not adopted.
	if err := os.WriteFile(filepath.Join(dir, "dep", "dep.go"), []byte("package dep\n\nimport \"strings\"\n\n// Up is used by the agent.\nfunc Up(s string) string { return strings.ToLower(s) }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := run(t, opts)
	if third.readAhead != 0 {
		t.Errorf("after dep changed: %d packages read ahead, want 0", third.readAhead)
	}
	if got := findingsOf(third); !reflect.DeepEqual(got, want) {
		t.Errorf("after dep changed, findings:\n%q\nwant\n%q", got, want)
	}

	// dep's Facts are no longer cached: it is loaded from source, and a
	// plan that reads it from export data (from an unchanged file) is
	// not adopted.
	run(t, opts) // dep's Facts cached again
	if res := run(t, opts); res.readAhead == 0 {
		t.Fatal("dep changed, then two runs: nothing read ahead")
	}
	facts, _ := filepath.Glob(filepath.Join(cacheDir, "*", "*-f"))
	for _, f := range facts {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	if res := run(t, opts); res.readAhead != 0 || !reflect.DeepEqual(findingsOf(res), want) {
		t.Errorf("a plan reading a package now loaded from source: %d packages read ahead, findings %q", res.readAhead, findingsOf(res))
	}

	// A damaged plan is ignored.
	plans, _ = filepath.Glob(filepath.Join(cacheDir, "*", "*-p"))
	for _, p := range plans {
		if err := os.WriteFile(p, []byte("resilience-lint export plan v1 wrong\nfmt\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if res := run(t, opts); res.readAhead != 0 || !reflect.DeepEqual(findingsOf(res), want) {
		t.Errorf("damaged plan: %d packages read ahead, findings %q", res.readAhead, findingsOf(res))
	}
}

// TestRerunAdoptsExportData checks that a Rerun adopts the packages the
// run before it read from export data (the overlay leaves their export
// data unchanged) instead of reading them again, with the findings of a
// full Run with the overlay.
func TestRerunAdoptsExportData(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"dep/dep.go": "package dep\n\nimport \"strings\"\n\n// Up is used by the agent.\nfunc Up(s string) string { return strings.ToUpper(s) }\n",
		"agent/agent.go": "package agent\n\nimport (\n\t\"context\"\n\t\"os\"\n\n\t\"example.com/fx/dep\"\n)\n\n" +
			"// Agent is an agent.\ntype Agent struct{}\n\n// Read reads.\nfunc (Agent) Read(ctx context.Context) error { _, err := os.ReadFile(dep.Up(\"x\")); return err }\n",
	})
	ctx := context.Background()
	cfg := &config.Config{AgentTypes: []string{"Agent"}}
	for _, cacheDir := range []string{"", t.TempDir()} {
		opts := Options{Dir: dir, Config: cfg, CacheDir: cacheDir, Reanalyze: true}
		prev, err := Run(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, "agent", "agent.go")
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		overlay := map[string][]byte{name: append(src, "\n// Write writes.\nfunc (Agent) Write(ctx context.Context) error { return os.WriteFile(dep.Up(\"y\"), nil, 0o644) }\n"...)}
		again, err := Rerun(ctx, prev, Options{Dir: dir, Config: cfg, Overlay: overlay})
		if err != nil {
			t.Fatal(err)
		}
		if again.readAhead == 0 {
			t.Errorf("cache %q: the Rerun read everything from export data again", cacheDir)
		}
		full, err := Run(ctx, Options{Dir: dir, Config: cfg, Overlay: overlay})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := findingsOf(again), findingsOf(full); !reflect.DeepEqual(got, want) || len(got) < 2 {
			t.Errorf("cache %q: Rerun findings\n%q\nwant (Run)\n%q", cacheDir, got, want)
		}
	}
}

// findingsOf returns the findings of res as "position: message" lines.
func findingsOf(res *Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Pos.String()+": "+f.Message)
	}
	return out
}
