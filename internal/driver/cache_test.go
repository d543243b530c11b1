package driver_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// chainAgent is an agent package importing the packages named in imports
// (each must export F) and doing unrouted work, so that each package has
// a finding with a fix.
func chainAgent(name string, imports ...string) string {
	src := "package " + name + "\n\nimport (\n\t\"context\"\n\t\"os\"\n"
	for _, imp := range imports {
		src += "\t\"example.com/fx/" + imp + "\"\n"
	}
	src += ")\n\n// F is used by importers.\nfunc F() int { return 1"
	for _, imp := range imports {
		src += " + " + imp + ".F()"
	}
	src += " }\n\n// Agent is an agent.\ntype Agent struct{}\n\n// Remove does work without retrying.\nfunc (Agent) Remove(ctx context.Context) error { return os.Remove(\"x\") }\n"
	return src
}

// fixEdits renders a result's findings with their fixes as file offsets,
// to compare a result restored from the cache with a fresh one.
func fixEdits(t *testing.T, res *driver.Result) []string {
	t.Helper()
	var out []string
	for _, f := range res.Findings {
		line := fmt.Sprintf("%s %s: %s", f.Pos, f.Analyzer, f.Message)
		for _, fix := range f.Fixes {
			for _, e := range fix.TextEdits {
				tf := res.Fset.File(e.Pos)
				if tf == nil {
					t.Fatalf("%s: fix edit outside the FileSet", f.Pos)
				}
				line += fmt.Sprintf(" | %s %s@%d-%d %q", fix.Message, filepath.Base(tf.Name()), tf.Offset(e.Pos), tf.Offset(e.End), e.NewText)
			}
		}
		out = append(out, line)
	}
	return out
}

// TestCacheInvalidation checks the result cache: a second run serves every
// package from it with the same findings, fixes and results; an edit
// re-analyzes exactly the edited package and those that import it,
// directly or not; another configuration or --no-cache (no CacheDir)
// analyzes everything.
func TestCacheInvalidation(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"a/a.go": chainAgent("a"),
		"b/b.go": chainAgent("b", "a"),
		"c/c.go": chainAgent("c", "b"),
		"d/d.go": chainAgent("d"),
		"e/e.go": chainAgent("e", "a"),
	})
	cacheDir := t.TempDir()
	agents := &config.Config{AgentTypes: []string{"Agent"}}
	run := func(opts driver.Options) *driver.Result {
		t.Helper()
		opts.Dir = dir
		if opts.Config == nil {
			opts.Config = agents
		}
		res, err := driver.Run(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Errors) > 0 {
			t.Fatalf("errors: %v", res.Errors)
		}
		return res
	}
	ids := func(pkgs ...string) []string {
		var out []string
		for _, p := range pkgs {
			out = append(out, "example.com/fx/"+p)
		}
		return out
	}
	cold := run(driver.Options{CacheDir: cacheDir})
	if len(cold.Cached) != 0 {
		t.Fatalf("cold run: cached %v, want none", cold.Cached)
	}
	if len(cold.Findings) != 5 {
		t.Fatalf("cold run: %d findings, want 5", len(cold.Findings))
	}
	for _, f := range cold.Findings {
		if len(f.Fixes) == 0 {
			t.Fatalf("cold run: %s has no fix; the test compares restored fixes", f.Pos)
		}
	}
	warm := run(driver.Options{CacheDir: cacheDir})
	if want := ids("a", "b", "c", "d", "e"); !reflect.DeepEqual(warm.Cached, want) {
		t.Errorf("warm run: cached %v, want %v", warm.Cached, want)
	}
	if got, want := fixEdits(t, warm), fixEdits(t, cold); !reflect.DeepEqual(got, want) {
		t.Errorf("findings from the cache differ:\n got %q\nwant %q", got, want)
	}
	if got, want := verdicts(warm), verdicts(cold); !reflect.DeepEqual(got, want) {
		t.Errorf("results from the cache differ:\n got %q\nwant %q", got, want)
	}

	// Edit b: b and c (which imports b) are analyzed again; a, d and e
	// are not.
	f, err := os.OpenFile(filepath.Join(dir, "b", "b.go"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\n// G is new.\nfunc G() {}\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	edited := run(driver.Options{CacheDir: cacheDir})
	if want := ids("a", "d", "e"); !reflect.DeepEqual(edited.Cached, want) {
		t.Errorf("after editing b: cached %v, want %v", edited.Cached, want)
	}
	if len(edited.Findings) != 5 {
		t.Errorf("after editing b: %d findings, want 5", len(edited.Findings))
	}
	// Edit a, imported by all but d.
	if err := os.WriteFile(filepath.Join(dir, "a", "a.go"), []byte(chainAgent("a")+"\n// H is new.\nfunc H() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := run(driver.Options{CacheDir: cacheDir}).Cached; !reflect.DeepEqual(got, ids("d")) {
		t.Errorf("after editing a: cached %v, want [d]", got)
	}
	// Another configuration: nothing from the cache.
	cfg := &config.Config{AgentTypes: []string{"Agent", "Other"}}
	if got := run(driver.Options{CacheDir: cacheDir, Config: cfg}).Cached; len(got) != 0 {
		t.Errorf("other configuration: cached %v, want none", got)
	}
	// No cache directory: nothing from the cache.
	if got := run(driver.Options{}).Cached; len(got) != 0 {
		t.Errorf("no cache: cached %v", got)
	}
}

// TestCacheConcurrentRuns runs the driver several times at once on one
// cache directory: every run succeeds with the same findings, and a run
// after them is served entirely from the cache.
func TestCacheConcurrentRuns(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"a/a.go": chainAgent("a"),
		"b/b.go": chainAgent("b", "a"),
	})
	cacheDir := t.TempDir()
	agents := &config.Config{AgentTypes: []string{"Agent"}}
	var wg sync.WaitGroup
	results := make([][]string, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each run its own configuration, as separate processes
			// have (binding the analyzers' flags writes to it).
			cfg := &config.Config{AgentTypes: []string{"Agent"}}
			res, err := driver.Run(context.Background(), driver.Options{Dir: dir, CacheDir: cacheDir, Config: cfg})
			if err != nil {
				t.Error(err)
				return
			}
			if len(res.Findings) != 2 {
				t.Errorf("%d findings, want 2", len(res.Findings))
			}
			results[i] = verdicts(res)
		}()
	}
	wg.Wait()
	for i := 1; i < len(results); i++ {
		if !reflect.DeepEqual(results[i], results[0]) {
			t.Errorf("run %d: %q, want %q", i, results[i], results[0])
		}
	}
	res, err := driver.Run(context.Background(), driver.Options{Dir: dir, CacheDir: cacheDir, Config: agents})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(res.Cached)
	if len(res.Cached) != 2 {
		t.Errorf("cached %v, want both packages", res.Cached)
	}
	// No temporary files are left behind.
	tmps, err := filepath.Glob(filepath.Join(cacheDir, "*", "*.tmp"))
	if err != nil || len(tmps) > 0 {
		t.Errorf("temporary files left: %v %v", tmps, err)
	}
}

// TestCacheFactsOfUnexportedImplementations checks that a dependency's
// Facts read from the cache give the verdicts a run from source gives when
// the Fact is on a method of a type its export data does not have: an
// unexported type returned only as an interface by a constructor that is
// not inlined (etcd's clientv3.lessor, returned by NewLease as Lease). A
// call through the interface nests the type's retry; with the Fact
// dropped (the cache attaches Facts to export data's objects), a warm run
// offered a fix that nests it (-fix wrapped etcd's Lease.Grant after a
// lint run had filled the cache). retrycoverage's package Fact
// RetryingImpls carries such methods now.
func TestCacheFactsOfUnexportedImplementations(t *testing.T) {
	retryLoop := `
	var err error
	for i := 0; i < 3; i++ {
		var b []byte
		if b, err = os.ReadFile(key); err == nil {
			return b, nil
		}
		time.Sleep(time.Second)
	}
	return nil, err
}
`
	dir := fixturemod.Write(t, map[string]string{
		// An interface of another package, implemented in dep.
		"api/api.go": "package api\n\nimport \"context\"\n\n// Fetcher fetches.\ntype Fetcher interface {\n\tFetch(ctx context.Context, key string) ([]byte, error)\n}\n",
		"dep/dep.go": `package dep

import (
	"context"
	"os"
	"time"

	"example.com/fx/api"
)

// Getter gets.
type Getter interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Close() error
}

type retrying struct{}

// New returns a Getter that retries.
//
//go:noinline
func New() Getter { return &retrying{} }

func (*retrying) Close() error { return nil }

func (*retrying) Get(ctx context.Context, key string) ([]byte, error) {` + retryLoop + `
type fetcher struct{}

// NewFetcher returns an api.Fetcher that retries.
//
//go:noinline
func NewFetcher() api.Fetcher { return fetcher{} }

func (fetcher) Fetch(ctx context.Context, key string) ([]byte, error) {` + retryLoop,
		"agents/agents.go": `package agents

import (
	"context"

	"example.com/fx/api"
	"example.com/fx/dep"
)

// Store is an agent.
type Store struct {
	G dep.Getter
	F api.Fetcher
}

// Load gets through dep.Getter.
func (s *Store) Load(ctx context.Context) ([]byte, error) { return s.G.Get(ctx, "k") }

// Fetch fetches through api.Fetcher.
func (s *Store) Fetch(ctx context.Context) ([]byte, error) { return s.F.Fetch(ctx, "k") }
`,
	})
	cacheDir := t.TempDir()
	run := func() *driver.Result {
		t.Helper()
		res, err := driver.Run(context.Background(), driver.Options{Dir: dir, CacheDir: cacheDir, Config: &config.Config{AgentTypes: []string{"example.com/fx/agents.Store"}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Errors) > 0 {
			t.Fatalf("errors: %v", res.Errors)
		}
		return res
	}
	cold := run()
	if len(cold.Findings) != 2 {
		t.Fatalf("cold run: %d findings, want 2: %q", len(cold.Findings), fixEdits(t, cold))
	}
	for _, f := range cold.Findings {
		if len(f.Fixes) != 0 || !strings.Contains(f.Message, "already retries") {
			t.Fatalf("cold run: %s: %s; want a refusal for nesting, with no fix", f.Pos, f.Message)
		}
	}
	// An edit of the agents: they are analyzed again, dep and api are
	// read from export data with their Facts from the cache.
	f, err := os.OpenFile(filepath.Join(dir, "agents", "agents.go"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\n// edited\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	warm := run()
	if !slices.Contains(warm.Cached, "example.com/fx/dep") {
		t.Fatalf("warm run: cached %v, want dep among them", warm.Cached)
	}
	if got, want := fixEdits(t, warm), fixEdits(t, cold); !reflect.DeepEqual(got, want) {
		t.Errorf("findings with dep's Facts from the cache differ:\n got %q\nwant %q", got, want)
	}
}
