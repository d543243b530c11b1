package driver_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// depModule is a module outside the one linted (required and replaced
// by a local directory, as a module from the cache would be): one package
// that imports the runtime (its routed helper carries a Fact the driver
// must compute from source) and one that does not (its validator
// carries no Fact under any driver, so the driver reads it from export
// data).
var depModule = map[string]string{
	"dep/go.mod": "module example.com/dep\n\ngo 1.26\n\nrequire " + fixturemod.Repo + " v0.0.0\n",
	"dep/fetch/fetch.go": `package fetch

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
	"dep/loop/loop.go": `package loop

import (
	"context"
	"os"
	"time"
)

// Read reads name, trying again on failure: a retry loop of its own.
func Read(ctx context.Context, name string) ([]byte, error) {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var b []byte
		if b, err = os.ReadFile(name); err == nil {
			return b, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(attempt) * 10 * time.Millisecond):
		}
	}
	return nil, err
}

// Counter numbers what it checks.
type Counter struct{ n int }

// Next counts, then does work that can fail: a retry would count twice.
func (c *Counter) Next(name string) (int, error) {
	c.n++
	_, err := os.Stat(name)
	return c.n, err
}
`,
	"dep/check/check.go": `package check

import "errors"

// Name validates a name.
func Name(s string) error {
	if s == "" {
		return errors.New("empty name")
	}
	return nil
}
`,
}

// verdictFixture is a multi-package module: agents that delegate to
// routed helpers and validators of their own module and of depModule,
// and a helper package between them.
func verdictFixture(t *testing.T) string {
	files := map[string]string{
		"go.mod": "module example.com/fx\n\ngo 1.26\n\nrequire (\n\t" + fixturemod.Repo + " v0.0.0\n\texample.com/dep v0.0.0\n)\n\nreplace " +
			fixturemod.Repo + " => " + fixturemod.RepoRoot(t) + "\n\nreplace example.com/dep => ./dep\n",
		"calc/calc.go": `package calc

import "errors"

// Mean returns the mean of xs (a validator: no call that can fail).
func Mean(xs []float64) (float64, error) {
	if len(xs) == 0 {
		return 0, errors.New("no values")
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs)), nil
}
`,
		"store/store.go": `package store

import (
	"context"
	"os"

	"example.com/dep/fetch"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Load is routed through the dependency's helper.
func Load(ctx context.Context, name string) ([]byte, error) { return fetch.Get(ctx, name) }

// Save is routed here.
func Save(ctx context.Context, name string, b []byte) error {
	return recovery.Do(ctx, nil, func(ctx context.Context) error { return os.WriteFile(name, b, 0o600) })
}
`,
		"agents/agents.go": `package agents

import (
	"context"
	"os"

	"example.com/dep/check"
	"example.com/dep/fetch"
	"example.com/dep/loop"
	"example.com/fx/calc"
	"example.com/fx/store"
)

// Fitter is an agent.
type Fitter struct{ c *loop.Counter }

// Poll delegates to a dependency's own retry loop: routed by it.
func (Fitter) Poll(ctx context.Context) ([]byte, error) { return loop.Read(ctx, "x") }

// Count calls a dependency that writes state before it can fail: no
// retry may be added around it.
func (f *Fitter) Count(ctx context.Context) (int, error) { return f.c.Next("x") }

// Fit calls a validator of this module: not work.
func (Fitter) Fit(xs []float64) (float64, error) { return calc.Mean(xs) }

// Fetch delegates to a routed helper of another module.
func (Fitter) Fetch(ctx context.Context) ([]byte, error) { return fetch.Get(ctx, "x") }

// Load delegates to a routed helper of this module.
func (Fitter) Load(ctx context.Context) ([]byte, error) { return store.Load(ctx, "x") }

// Check calls a helper of another module that uses no retry API: work,
// whichever driver runs.
func (Fitter) Check(ctx context.Context, name string) error { return check.Name(name) }

// Remove does work without retrying.
func (Fitter) Remove(ctx context.Context) error { return os.Remove("x") }
`,
	}
	for name, src := range depModule {
		files[name] = src
	}
	return fixturemod.Write(t, files)
}

// verdicts summarises a result: findings by position and message, and
// every method's status in the results.
func verdicts(res *driver.Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, fmt.Sprintf("%s:%d:%d %s: %s", f.Pos.Filename, f.Pos.Line, f.Pos.Column, f.Analyzer, f.Message))
	}
	for _, r := range res.Retry {
		for _, a := range r.Agents {
			for _, m := range a.Methods {
				out = append(out, fmt.Sprintf("retry %s.%s.%s %d %s", a.Pkg, a.Name, m.Name, m.Status, m.Reason))
			}
		}
	}
	for _, r := range res.Intel {
		for _, w := range r.Workers {
			out = append(out, fmt.Sprintf("intel %s.%s.%s %d %s", w.Pkg, w.Name, w.Method, w.Status, w.Reason))
		}
	}
	sort.Strings(out)
	return out
}

// TestVerdictsSameWhateverPatterns checks that the verdicts on a package
// do not depend on which packages the patterns name: every dependency
// outside the standard library is analyzed from source for its Facts (a
// validator of a dependency module makes Fitter.Check do no work that can
// fail, its own retry loop routes Fitter.Poll, its write before a failing
// call makes Fitter.Count unsafe to wrap), and with EntryDependenciesOnly
// those dependencies are read from export data, so their Facts are lost:
// Check and Poll are reported, and Count gets a fix that would repeat the
// write.
func TestVerdictsSameWhateverPatterns(t *testing.T) {
	dir := verdictFixture(t)
	var first []string
	for _, patterns := range [][]string{{"./..."}, {"./agents"}, {"./agents", "./calc"}} {
		t.Run(strings.Join(patterns, ","), func(t *testing.T) {
			res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: patterns})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errors) > 0 {
				t.Fatalf("errors %v", res.Errors)
			}
			got := verdicts(res)
			if first == nil {
				first = got
			} else if !reflect.DeepEqual(got, first) {
				t.Errorf("verdicts differ from ./...'s:\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(first, "\n\t"))
			}
			if want := []string{"Fitter.Count", "Fitter.Remove"}; !reflect.DeepEqual(reported(got), want) {
				t.Errorf("reported %q, want %q", reported(got), want)
			}
			if fixed := fixable(res); !reflect.DeepEqual(fixed, []string{"Fitter.Remove"}) {
				t.Errorf("fixes for %q, want only Fitter.Remove's (Count's dependency writes c.n first)", fixed)
			}
		})
	}
	res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: []string{"./agents"}, EntryDependenciesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Fitter.Check", "Fitter.Count", "Fitter.Poll", "Fitter.Remove"}; !reflect.DeepEqual(reported(verdicts(res)), want) {
		t.Errorf("EntryDependenciesOnly: reported %q, want %q", reported(verdicts(res)), want)
	}
	if fixed := fixable(res); !slices.Contains(fixed, "Fitter.Count") {
		t.Errorf("EntryDependenciesOnly: fixes for %q; the lost Fact should have let Count be wrapped", fixed)
	}
}

// TestVerdictsSameWithCachedFacts checks that the verdicts, fixes and
// results of a run whose dependencies' Facts come from the cache (decoded
// onto their export data; the dependencies are neither parsed nor
// analyzed) are those of a run that analyzes everything, and that an edit
// of a dependency makes it and its importers analyzed again, and nothing
// else.
func TestVerdictsSameWithCachedFacts(t *testing.T) {
	dir := verdictFixture(t)
	ctx := context.Background()
	for _, patterns := range [][]string{{"./..."}, {"./agents"}} {
		t.Run(strings.Join(patterns, ","), func(t *testing.T) {
			full, err := driver.Run(ctx, driver.Options{Dir: dir, Patterns: patterns})
			if err != nil {
				t.Fatal(err)
			}
			cacheDir := t.TempDir()
			opts := driver.Options{Dir: dir, Patterns: patterns, CacheDir: cacheDir}
			first, err := driver.Run(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(first.FactsCached) != 0 {
				t.Errorf("first run: Facts from an empty cache: %v", first.FactsCached)
			}
			// The named packages' outcomes go; their dependencies' Facts stay.
			outcomes, _ := filepath.Glob(filepath.Join(cacheDir, "*", "*-r"))
			if len(outcomes) == 0 {
				t.Fatal("no outcome entries written")
			}
			for _, name := range outcomes {
				if err := os.Remove(name); err != nil {
					t.Fatal(err)
				}
			}
			second, err := driver.Run(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, dep := range []string{"example.com/dep/check", "example.com/dep/fetch", "example.com/dep/loop"} {
				if !slices.Contains(second.FactsCached, dep) {
					t.Errorf("second run: %s analyzed again; Facts from the cache: %v", dep, second.FactsCached)
				}
			}
			for _, res := range []*driver.Result{first, second} {
				if got, want := verdicts(res), verdicts(full); !reflect.DeepEqual(got, want) {
					t.Errorf("verdicts:\n\t%s\nwant (no cache)\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
				}
				if got, want := fixEdits(t, res), fixEdits(t, full); !reflect.DeepEqual(got, want) {
					t.Errorf("fixes:\n%q\nwant (no cache):\n%q", got, want)
				}
			}
		})
	}

	// An edit of a dependency: it is analyzed again, with the packages
	// that import it; the other dependencies' Facts still come from the
	// cache.
	cacheDir := t.TempDir()
	opts := driver.Options{Dir: dir, Patterns: []string{"./agents"}, CacheDir: cacheDir}
	if _, err := driver.Run(ctx, opts); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "dep", "check", "check.go")
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, append(src, "\n// Edited.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	edited, err := driver.Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := edited.FactsCached, []string{"example.com/dep/fetch", "example.com/dep/loop", "example.com/fx/calc", "example.com/fx/store"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after an edit of dep/check, Facts from the cache: %v, want %v", got, want)
	}
	full, err := driver.Run(ctx, driver.Options{Dir: dir, Patterns: []string{"./agents"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := verdicts(edited), verdicts(full); !reflect.DeepEqual(got, want) {
		t.Errorf("after an edit, verdicts:\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// fixable returns the methods whose findings carry a suggested fix.
func fixable(res *driver.Result) []string {
	var out []string
	for _, f := range res.Findings {
		if f.Analyzer == "retrycoverage" && len(f.Fixes) > 0 {
			method, _, _ := strings.Cut(f.Message, " ")
			out = append(out, method)
		}
	}
	sort.Strings(out)
	return out
}

// reported returns the methods retrycoverage reported among verdicts.
func reported(verdicts []string) []string {
	var out []string
	for _, v := range verdicts {
		if _, msg, ok := strings.Cut(v, " retrycoverage: "); ok {
			method, _, _ := strings.Cut(msg, " ")
			out = append(out, method)
		}
	}
	sort.Strings(out)
	return out
}

// TestCachedFactsInFreshProcess checks that a process that did not
// analyze anything itself decodes the cached Facts (their types must be
// known to gob before the first entry is read): the second run, in a
// child process, reads every dependency's Facts from the cache and reaches
// the verdicts of a run without cache.
func TestCachedFactsInFreshProcess(t *testing.T) {
	if dir := os.Getenv("RL_TEST_CHILD_DIR"); dir != "" {
		res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: []string{"./agents"}, CacheDir: os.Getenv("RL_TEST_CHILD_CACHE"), Reanalyze: true})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("cached %s\n", strings.Join(res.FactsCached, " "))
		for _, v := range verdicts(res) {
			fmt.Printf("verdict %s\n", v)
		}
		return
	}
	dir := verdictFixture(t)
	cacheDir := t.TempDir()
	first, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: []string{"./agents"}, CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCachedFactsInFreshProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "RL_TEST_CHILD_DIR="+dir, "RL_TEST_CHILD_CACHE="+cacheDir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var cached string
	var got []string
	for _, line := range strings.Split(string(out), "\n") {
		if c, ok := strings.CutPrefix(line, "cached "); ok {
			cached = c
		} else if v, ok := strings.CutPrefix(line, "verdict "); ok {
			got = append(got, v)
		}
	}
	if want := "example.com/dep/check example.com/dep/fetch example.com/dep/loop example.com/fx/calc example.com/fx/store"; cached != want {
		t.Errorf("child: Facts from the cache for %q, want %q\n%s", cached, want, out)
	}
	if want := verdicts(first); !reflect.DeepEqual(got, want) {
		t.Errorf("child verdicts:\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// TestVerdictsSameWithDamagedFacts checks that a cached Facts entry whose
// body cannot be decoded (they are decoded while the run loads, after it
// chose which packages to analyze) costs the run a second attempt, never
// a verdict: the verdicts are those of a run without cache, and the
// damaged entries are written again.
func TestVerdictsSameWithDamagedFacts(t *testing.T) {
	dir := verdictFixture(t)
	ctx := context.Background()
	full, err := driver.Run(ctx, driver.Options{Dir: dir, Patterns: []string{"./agents"}})
	if err != nil {
		t.Fatal(err)
	}
	cacheDir := t.TempDir()
	opts := driver.Options{Dir: dir, Patterns: []string{"./agents"}, CacheDir: cacheDir}
	if _, err := driver.Run(ctx, opts); err != nil {
		t.Fatal(err)
	}
	outcomes, _ := filepath.Glob(filepath.Join(cacheDir, "*", "*-r"))
	for _, name := range outcomes {
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := filepath.Glob(filepath.Join(cacheDir, "*", "*-f"))
	damaged := 0
	for _, name := range entries {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		header, body, _ := strings.Cut(string(b), "\n")
		if body == "" {
			continue // an empty entry: nothing to decode
		}
		damaged++
		if err := os.WriteFile(name, []byte(header+"\n"+strings.Repeat("x", len(body))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if damaged == 0 {
		t.Fatal("no Facts entry with Facts to damage")
	}
	second, err := driver.Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := verdicts(second), verdicts(full); !reflect.DeepEqual(got, want) {
		t.Errorf("with damaged Facts entries, verdicts:\n\t%s\nwant (no cache)\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	for _, name := range outcomes {
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
	}
	third, err := driver.Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"example.com/dep/check", "example.com/dep/fetch", "example.com/dep/loop", "example.com/fx/calc", "example.com/fx/store"}; !reflect.DeepEqual(third.FactsCached, want) {
		t.Errorf("after the damaged entries were written again, Facts from the cache: %v, want %v", third.FactsCached, want)
	}
	if got, want := verdicts(third), verdicts(full); !reflect.DeepEqual(got, want) {
		t.Errorf("third run, verdicts:\n\t%s\nwant (no cache)\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
