package driver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// benchModule is the real code base fetched from the module proxy for the
// linter benchmarks; override with RL_BENCH_MODULE=path@version.
const benchModule = "github.com/dave/dst@v0.28.0"

// codeBase is a directory and the patterns to analyze in it.
type codeBase struct {
	name, dir string
	// editable is true for a private copy whose files the benchmark may
	// change.
	editable bool
}

// codeBases returns this repository's examples (agents and workers that
// use the runtime, so Facts flow between packages) and a copy of a real
// module from the proxy (no agents: the cost of adopting the tool).
func codeBases(b *testing.B) []codeBase {
	b.Helper()
	mod := os.Getenv("RL_BENCH_MODULE")
	if mod == "" {
		mod = benchModule
	}
	out, err := exec.Command("go", "mod", "download", "-json", mod).Output()
	if err != nil {
		b.Fatalf("go mod download %s: %v", mod, err)
	}
	var info struct{ Dir string }
	if err := json.Unmarshal(out, &info); err != nil || info.Dir == "" {
		b.Fatalf("go mod download %s: no directory in %s", mod, out)
	}
	// The module cache is read-only; work on a copy whose go.sum the go
	// command may complete.
	dir := b.TempDir()
	if out, err := exec.Command("cp", "-r", info.Dir+"/.", dir).CombinedOutput(); err != nil {
		b.Fatalf("copying %s: %v\n%s", info.Dir, err, out)
	}
	if out, err := exec.Command("chmod", "-R", "u+w", dir).CombinedOutput(); err != nil {
		b.Fatalf("chmod: %v\n%s", err, out)
	}
	dl := exec.Command("go", "mod", "download")
	dl.Dir = dir
	if out, err := dl.CombinedOutput(); err != nil {
		b.Fatalf("go mod download in %s: %v\n%s", dir, err, out)
	}
	// Warm the build cache (export data) for the copy, as a CI build step
	// would before linting.
	build := exec.Command("go", "build", "./...")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build in %s: %v\n%s", dir, err, out)
	}
	root := fixturemod.RepoRoot(b)
	return []codeBase{
		{name: "examples", dir: filepath.Join(root, "examples")},
		{name: filepath.Base(info.Dir), dir: dir, editable: true},
	}
}

// BenchmarkRun reports where a run's time goes: listing the import graph
// with export data (go list -deps -export), loading (parsing and
// type-checking the source packages) and analyzing, and the
// ratio of analysis to loading (the analyzers' overhead over what any
// go/packages-based tool pays). The build cache is warm after the first
// iteration, as it is in CI after the build step.
func BenchmarkRun(b *testing.B) {
	for _, cb := range codeBases(b) {
		b.Run(cb.name, func(b *testing.B) {
			var list, load, analyze time.Duration
			var findings int
			for b.Loop() {
				res, err := driver.Run(context.Background(), driver.Options{Dir: cb.dir, Patterns: []string{"./..."}})
				if err != nil {
					b.Fatal(err)
				}
				list += res.Timing.List
				load += res.Timing.Load
				analyze += res.Timing.Analyze
				findings = len(res.Findings)
			}
			n := float64(b.N)
			b.ReportMetric(float64(list.Milliseconds())/n, "list-ms/op")
			b.ReportMetric(float64(load.Milliseconds())/n, "load-ms/op")
			b.ReportMetric(float64(analyze.Milliseconds())/n, "analyze-ms/op")
			b.ReportMetric(analyze.Seconds()/load.Seconds(), "analyze/load")
			b.ReportMetric(float64(findings), "findings")
		})
	}
}

// BenchmarkWallTime compares the wall time of the resilience-lint binary
// with go vet (its default analyzers) on the same packages, both with a
// warm build cache (compiled export data). go vet also caches its own
// results, so it is measured two ways:
//
//   - go-vet-all: each iteration passes a distinct, harmless -printf.funcs
//     value, which changes the vet configuration, so vet re-analyzes every
//     package and every dependency (standard library included) for its
//     facts: the cost of a first vet run;
//   - go-vet-edit: each iteration edits one file of the module's root
//     package (a comment), so vet re-analyzes that package and its
//     dependents only: the incremental cost while developing.
//
// resilience-lint runs with --no-cache: every run analyzes the named
// packages (and the dependencies that can change a verdict) again
// (BenchmarkVersusNoop measures the cache).
func BenchmarkWallTime(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "resilience-lint")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/resilience-lint").CombinedOutput(); err != nil {
		b.Fatalf("building resilience-lint: %v\n%s", err, out)
	}
	run := func(b *testing.B, dir, name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		// Both exit non-zero when they have findings; only a crash or a
		// tool error is a failure here.
		if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() > 3) {
			b.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	for _, cb := range codeBases(b) {
		run(b, cb.dir, "go", "build", "./...") // warm the build cache
		b.Run(cb.name+"/resilience-lint", func(b *testing.B) {
			for b.Loop() {
				run(b, cb.dir, bin, "--no-cache", "./...")
			}
		})
		i := 0
		stamp := time.Now().UnixNano()
		b.Run(cb.name+"/go-vet-all", func(b *testing.B) {
			for b.Loop() {
				i++
				run(b, cb.dir, "go", "vet", fmt.Sprintf("-printf.funcs=benchNoSuchFunc%d_%d", stamp, i), "./...")
			}
		})
		if !cb.editable {
			continue
		}
		file := firstGoFile(b, cb.dir)
		run(b, cb.dir, "go", "vet", "./...") // cache every package's vet result
		b.Run(cb.name+"/go-vet-edit", func(b *testing.B) {
			for b.Loop() {
				i++
				appendComment(b, file, fmt.Sprintf("// benchmark edit %d_%d\n", stamp, i))
				run(b, cb.dir, "go", "vet", "./...")
			}
		})
	}
}

// firstGoFile returns the first non-test Go file of dir's package.
func firstGoFile(b *testing.B, dir string) string {
	b.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			return f
		}
	}
	b.Fatalf("no Go file in %s", dir)
	return ""
}

// appendComment appends a comment line to file.
func appendComment(b *testing.B, file, comment string) {
	b.Helper()
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.WriteString(comment); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
