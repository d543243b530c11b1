package driver_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// TestRerunSameAsRun checks that Rerun after an overlay gives the
// verdicts, fixes and results of a full Run with that overlay.
func TestRerunSameAsRun(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"a/a.go": chainAgent("a"),
		"b/b.go": chainAgent("b", "a"),
		"c/c.go": chainAgent("c"),
	})
	cfg := &config.Config{AgentTypes: []string{"Agent"}}
	prev, err := driver.Run(context.Background(), driver.Options{Dir: dir, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	overlay := map[string][]byte{
		filepath.Join(dir, "a", "a.go"): []byte(chainAgent("a") + "\n// Stat does work too.\nfunc (Agent) Stat(ctx context.Context) error { _, err := os.Stat(\"y\"); return err }\n"),
	}
	opts := driver.Options{Dir: dir, Config: cfg, Overlay: overlay}
	full, err := driver.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	again, err := driver.Rerun(context.Background(), prev, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fixEdits(t, again), fixEdits(t, full); !reflect.DeepEqual(got, want) {
		t.Errorf("Rerun findings:\n%q\nwant (Run):\n%q", got, want)
	}
	if got, want := verdicts(again), verdicts(full); !reflect.DeepEqual(got, want) {
		t.Errorf("Rerun results:\n%q\nwant (Run):\n%q", got, want)
	}
	if len(again.Findings) != 4 {
		t.Errorf("%d findings, want 4 (a's two, b, c)", len(again.Findings))
	}
	if len(again.Packages) != 3 {
		t.Errorf("%d packages, want 3", len(again.Packages))
	}
}

// TestRerunAnalyzesOnlyAffected checks that Rerun analyzes the packages
// with a rewritten file and their importers, and no other.
func TestRerunAnalyzesOnlyAffected(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"a/a.go": "package a\n\nfunc F() int { return 1 }\n",
		"b/b.go": "package b\n\nimport \"example.com/fx/a\"\n\nfunc G() int { return a.F() }\n",
		"c/c.go": "package c\n\nimport \"example.com/fx/b\"\n\nfunc H() int { return b.G() }\n",
		"d/d.go": "package d\n\nfunc F() int { return 1 }\n",
	})
	var mu sync.Mutex
	var seen []string
	record := &analysis.Analyzer{
		Name: "record",
		Doc:  "records the packages it runs on",
		Run: func(pass *analysis.Pass) (any, error) {
			mu.Lock()
			seen = append(seen, pass.Pkg.Path())
			mu.Unlock()
			pass.Reportf(pass.Files[0].Package, "seen %s", pass.Pkg.Name())
			return nil, nil
		},
	}
	opts := driver.Options{Dir: dir, Analyzers: []*analysis.Analyzer{record}}
	prev, err := driver.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	seen = nil
	opts.Overlay = map[string][]byte{filepath.Join(dir, "b", "b.go"): []byte("package b\n\nimport \"example.com/fx/a\"\n\n// G is rewritten.\nfunc G() int { return a.F() + 1 }\n")}
	res, err := driver.Rerun(context.Background(), prev, opts)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(seen)
	if want := []string{"example.com/fx/b", "example.com/fx/c"}; !reflect.DeepEqual(seen, want) {
		t.Errorf("analyzed again %v, want %v", seen, want)
	}
	if len(res.Findings) != 4 {
		t.Errorf("findings %v, want one per package", res.Findings)
	}
}

// TestRerunKeepsFactsInMemory checks that the later rounds of -fix take
// the Facts of the packages the overlay does not touch from the first
// round's cache instead of analyzing every dependency again, with the
// verdicts of a full Run: from memory in a run without a cache directory
// (Reanalyze keeps them), from the directory of the first round otherwise,
// even if the options of the later round (as the CLI's) do not name it.
func TestRerunKeepsFactsInMemory(t *testing.T) {
	dir := verdictFixture(t)
	ctx := context.Background()
	for _, cacheDir := range []string{"", t.TempDir()} {
		t.Run(fmt.Sprintf("cache=%q", cacheDir), func(t *testing.T) {
			opts := driver.Options{Dir: dir, Patterns: []string{"./..."}, Reanalyze: true, CacheDir: cacheDir}
			prev, err := driver.Run(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(dir, "agents", "agents.go")
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			opts = driver.Options{Dir: dir, Overlay: map[string][]byte{name: append(src, "\n// Rewritten.\n"...)}}
			again, err := driver.Rerun(ctx, prev, opts)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"example.com/dep/check", "example.com/dep/fetch", "example.com/dep/loop", "example.com/fx/calc", "example.com/fx/store"}; !reflect.DeepEqual(again.FactsCached, want) {
				t.Errorf("Rerun: Facts from the first round for %v, want %v", again.FactsCached, want)
			}
			full, err := driver.Run(ctx, driver.Options{Dir: dir, Patterns: []string{"./..."}, Overlay: opts.Overlay})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := verdicts(again), verdicts(full); !reflect.DeepEqual(got, want) {
				t.Errorf("Rerun verdicts:\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
		})
	}
}
