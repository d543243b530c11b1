package driver_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// measurement is one process run: wall time and peak resident memory.
type measurement struct {
	wall time.Duration
	rss  int64 // KiB
}

// measure runs name with args in dir and env and returns its wall time
// and peak RSS. Exit statuses up to 3 (findings) are not failures.
func measure(b *testing.B, dir string, env []string, name string, args ...string) measurement {
	b.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() > 3) {
		b.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss // KiB on Linux
	}
	return measurement{wall, rss}
}

// variant is one command measured by BenchmarkVersusNoop.
type variant struct {
	name string
	bin  string
	args []string
	// before, if set, runs before each measurement (not measured).
	before func()
}

// median returns the median of xs.
func median[T int64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// withRuntime makes the copy of a module in dir require this checkout's
// runtime (replaced by the checkout), as an adopting module does, so that
// -diff can verify fixes that import it.
func withRuntime(b *testing.B, dir string) {
	b.Helper()
	root := fixturemod.RepoRoot(b)
	steps := [][]string{
		{"go", "mod", "edit", "-require=" + fixturemod.Repo + "@v0.0.0", "-replace=" + fixturemod.Repo + "=" + root},
	}
	for _, s := range steps {
		cmd := exec.Command(s[0], s[1:]...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", s, err, out)
		}
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "go.sum"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.Write(sum); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	pkg := "package x\n"
	if m, _ := filepath.Glob(filepath.Join(dir, "*.go")); len(m) > 0 {
		src, err := os.ReadFile(m[0])
		if err != nil {
			b.Fatal(err)
		}
		for _, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(line, "package ") {
				pkg = line + "\n"
				break
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "zz_resilience.go"), []byte(pkg+"\nimport _ \""+fixturemod.Repo+"/runtime/recovery\"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, s := range [][]string{{"go", "mod", "tidy"}, {"go", "build", "./..."}} {
		cmd := exec.Command(s[0], s[1:]...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", s, err, out)
		}
	}
}

// BenchmarkVersusNoop measures resilience-lint against a no-op go/analysis
// driver (testdata/noopdriver: singlechecker with an analyzer that does
// nothing, run with -test=false like the lint) on the same packages, as
// whole processes, side by side: five rounds, each running every variant
// once in turn, medians reported as ratios to the no-op driver's wall time
// and peak RSS:
//
//   - lint-cold: resilience-lint --no-cache ./... (no cache: every package
//     and every dependency outside the standard library is parsed,
//     type-checked and analyzed, as on a machine's first run);
//   - lint-named: resilience-lint ./... after every named package changed
//     and none of their dependencies did (the cached outcomes of the named
//     packages are deleted before each run; their dependencies' Facts
//     come from the cache): the cost of a run after edits;
//   - lint-edit: resilience-lint ./... after an edit of one file of a
//     package no other named package imports (a comment appended before
//     each run): the everyday re-run while working on one package;
//   - lint-warm: resilience-lint ./... on an unchanged tree, results from
//     the cache (primed once before the rounds);
//   - diff: resilience-lint -diff ./... (the -fix machinery without
//     writing: rounds of re-analysis and verification), where the module
//     can import the runtime; the dependencies' Facts come from the cache;
//   - go-vet-warm: go vet ./... with its results cached (primed), the
//     warm re-run to match;
//   - noop-facts: testdata/noopfactsdriver, a singlechecker whose
//     analyzer declares a Fact type and does nothing: what the standard
//     go/analysis driver pays on every run to give an analyzer the Facts
//     of the dependencies (all of them, the standard library included,
//     parsed and type-checked from source), the reference for lint-cold;
//   - go-vet-cold: go vet ./... with a configuration no run has used, so
//     that every package and dependency, the standard library included,
//     is vetted again: go vet's own first run, the other reference for
//     lint-cold.
//
// The code bases are this repository and a module from the proxy
// (RL_BENCH_MODULE, default github.com/spf13/cobra) copied with
// agent-types ["*"] (every method is an agent's: the most work) and made
// to require the runtime. Run with -benchtime 1x: one iteration is five
// rounds. RL_BENCH_BEFORE=/path/to/an/older/resilience-lint adds its lint
// and -diff runs, for before/after comparisons in the same rounds;
// RL_BENCH_STATICCHECK=/path/to/staticcheck adds staticcheck's cold and
// warm runs, a linter built the same way (Facts of every dependency from
// source, an on-disk cache), for reference.
func BenchmarkVersusNoop(b *testing.B) {
	tmp := b.TempDir()
	noop := filepath.Join(tmp, "noopdriver")
	noopFacts := filepath.Join(tmp, "noopfactsdriver")
	rl := filepath.Join(tmp, "resilience-lint")
	for bin, pkg := range map[string]string{noop: "./testdata/noopdriver", noopFacts: "./testdata/noopfactsdriver", rl: "../../cmd/resilience-lint"} {
		if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			b.Fatalf("building %s: %v\n%s", pkg, err, out)
		}
	}
	mod := os.Getenv("RL_BENCH_MODULE")
	if mod == "" {
		mod = "github.com/spf13/cobra@v1.10.2"
	}
	proxy := copyModule(b, mod)
	if err := os.WriteFile(filepath.Join(proxy, ".resilience.yml"), []byte("agent-types: [\"*\"]\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	withRuntime(b, proxy)
	bases := []struct{ name, dir string }{
		{"resilience-lint", copyRepo(b)},
		{filepath.Base(strings.Split(mod, "@")[0]), proxy},
	}
	for _, cb := range bases {
		b.Run(cb.name, func(b *testing.B) {
			cacheDir := b.TempDir()
			env := append(os.Environ(), driver.CacheEnv+"="+cacheDir)
			dropOutcomes := func() {
				outcomes, _ := filepath.Glob(filepath.Join(cacheDir, "*", "*-r"))
				for _, name := range outcomes {
					if err := os.Remove(name); err != nil {
						b.Fatal(err)
					}
				}
			}
			leaf := leafFile(b, cb.dir)
			edits := 0
			edit := func() {
				f, err := os.OpenFile(leaf, os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					b.Fatal(err)
				}
				edits++
				if _, err := fmt.Fprintf(f, "\n// benchmark edit %d\n", edits); err != nil {
					b.Fatal(err)
				}
				if err := f.Close(); err != nil {
					b.Fatal(err)
				}
			}
			variants := []variant{
				{"noop", noop, []string{"-test=false", "./..."}, nil},
				{"lint-cold", rl, []string{"--no-cache", "./..."}, nil},
				{"lint-named", rl, []string{"./..."}, dropOutcomes},
				{"lint-edit", rl, []string{"./..."}, edit},
				{"lint-warm", rl, []string{"./..."}, nil},
				{"diff", rl, []string{"-diff", "./..."}, nil},
				{"go-vet-warm", "go", []string{"vet", "./..."}, nil},
				{"noop-facts", noopFacts, []string{"-test=false", "./..."}, nil},
			}
			// go vet's own first run, for reference: a -printf.funcs
			// value no run has used changes vet's configuration, so
			// every package and every dependency (the standard library
			// included) is vetted again for its Facts, as on a machine
			// whose build cache holds export data but no vet results.
			vetCold := []string{"vet", "", "./..."}
			stamp, runs := time.Now().UnixNano(), 0
			variants = append(variants, variant{"go-vet-cold", "go", vetCold, func() {
				runs++
				vetCold[1] = fmt.Sprintf("-printf.funcs=rlBenchNoSuchFunc%d_%d", stamp, runs)
			}})
			if sc := os.Getenv("RL_BENCH_STATICCHECK"); sc != "" {
				// A reference, not a goal: staticcheck also analyzes
				// every dependency from source for its Facts and keeps
				// them in a cache of its own, emptied before each
				// cold run.
				scCache := filepath.Join(b.TempDir(), "staticcheck")
				env = append(env, "STATICCHECK_CACHE="+scCache)
				variants = append(variants,
					variant{"staticcheck-cold", sc, []string{"./..."}, func() {
						if err := os.RemoveAll(scCache); err != nil {
							b.Fatal(err)
						}
					}},
					variant{"staticcheck-warm", sc, []string{"./..."}, nil})
			}
			if before := os.Getenv("RL_BENCH_BEFORE"); before != "" {
				// An earlier build, for before/after tables (it may not
				// know --no-cache; RESILIENCE_LINT_CACHE=off below
				// covers builds that have a cache).
				variants = append(variants,
					variant{"before-lint", before, []string{"./..."}, nil},
					variant{"before-diff", before, []string{"-diff", "./..."}, nil})
			}
			for b.Loop() {
				// Prime the caches and the build cache.
				measure(b, cb.dir, env, "go", "build", "./...")
				measure(b, cb.dir, env, rl, "./...")
				measure(b, cb.dir, env, "go", "vet", "./...")
				walls := make(map[string][]time.Duration)
				rsss := make(map[string][]int64)
				for range 5 {
					for _, v := range variants {
						e := env
						if strings.HasPrefix(v.name, "before-") {
							e = append(os.Environ(), driver.CacheEnv+"=off")
						}
						if v.before != nil {
							v.before()
						}
						m := measure(b, cb.dir, e, v.bin, v.args...)
						walls[v.name] = append(walls[v.name], m.wall)
						rsss[v.name] = append(rsss[v.name], m.rss)
					}
				}
				base := median(walls["noop"])
				baseRSS := median(rsss["noop"])
				var line []string
				for _, v := range variants {
					w, r := median(walls[v.name]), median(rsss[v.name])
					b.ReportMetric(w.Seconds()/base.Seconds(), v.name+"-wall/noop")
					if v.bin != "go" { // go vet's children do the work: its RSS says nothing
						b.ReportMetric(float64(r)/float64(baseRSS), v.name+"-rss/noop")
					}
					line = append(line, fmt.Sprintf("%s %.2fs %dMiB", v.name, w.Seconds(), r/1024))
				}
				b.Log(strings.Join(line, "; "))
			}
		})
	}
}

// copyRepo copies this repository (its files, not its history) to a
// temporary directory, where lint-edit may edit a file.
func copyRepo(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	root := fixturemod.RepoRoot(b)
	entries, err := os.ReadDir(root)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		switch e.Name() {
		case ".git", "bin", ".cache", "resilience-lint": // history and what .gitignore leaves out
			continue
		}
		if out, err := exec.Command("cp", "-r", filepath.Join(root, e.Name()), dir).CombinedOutput(); err != nil {
			b.Fatalf("copying %s: %v\n%s", e.Name(), err, out)
		}
	}
	return dir
}

// leafFile returns a Go file (not a test) of a package in dir that no
// other package of ./... imports, the last such package by import path:
// editing it changes that package's cache key and no other's.
func leafFile(b *testing.B, dir string) string {
	b.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{.Dir}}|{{join .GoFiles \" \"}}|{{join .Imports \" \"}}", "./...")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("go list: %v", err)
	}
	type pkg struct{ path, dir, file string }
	var pkgs []pkg
	imported := make(map[string]bool)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 4 {
			continue
		}
		for _, imp := range strings.Fields(f[3]) {
			imported[imp] = true
		}
		if files := strings.Fields(f[2]); len(files) > 0 {
			pkgs = append(pkgs, pkg{f[0], f[1], filepath.Join(f[1], files[0])})
		}
	}
	var leaf string
	last := ""
	for _, p := range pkgs {
		if !imported[p.path] && p.path > last {
			last, leaf = p.path, p.file
		}
	}
	if leaf == "" {
		b.Fatalf("no package of %s is a leaf", dir)
	}
	return leaf
}

// copyModule fetches mod (path@version) from the module proxy and copies it
// to a writable temporary directory.
func copyModule(b *testing.B, mod string) string {
	b.Helper()
	out, err := exec.Command("go", "mod", "download", "-json", mod).Output()
	if err != nil {
		b.Fatalf("go mod download %s: %v", mod, err)
	}
	var info struct{ Dir string }
	if err := json.Unmarshal(out, &info); err != nil || info.Dir == "" {
		b.Fatalf("go mod download %s: no directory in %s", mod, out)
	}
	dir := b.TempDir()
	for _, s := range [][]string{{"cp", "-r", info.Dir + "/.", dir}, {"chmod", "-R", "u+w", dir}} {
		if out, err := exec.Command(s[0], s[1:]...).CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", s, err, out)
		}
	}
	return dir
}
