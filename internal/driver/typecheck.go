package driver

import (
	"bytes"
	"context"
	"fmt"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// TypeCheck type-checks, with opts.Overlay, the packages holding the
// given files (and, for _test.go files, their test variants), reading
// every dependency from the export data the go command builds with the
// overlay, and returns their errors as "file:line:col: message" (or
// "package: message") lines. It is how -fix verifies rewritten code before
// writing it.
//
// go/packages, given an overlay, type-checks every dependency from source,
// the standard library included (it cannot tell which export data the
// overlay invalidates): several times the memory of the lint run. The go
// command can, and builds export data that reflects the overlay.
func TypeCheck(ctx context.Context, opts Options, files []string) ([]string, error) {
	var patterns []string
	seen := make(map[string]bool)
	named := make(map[string]bool)
	for _, f := range files {
		opts.Tests = opts.Tests || strings.HasSuffix(f, "_test.go")
		named[f] = true
		if d := filepath.Dir(f); !seen[d] {
			seen[d] = true
			patterns = append(patterns, d)
		}
	}
	if len(patterns) == 0 {
		return nil, nil
	}
	sort.Strings(patterns)
	fset := token.NewFileSet()
	cfg := packages.Config{
		Context:    ctx,
		Dir:        opts.Dir,
		Env:        opts.Env,
		BuildFlags: opts.BuildFlags,
		Tests:      opts.Tests,
		Overlay:    opts.Overlay,
		Fset:       fset,
		Mode:       listMode,
	}
	listed, err := packages.Load(&cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("listing packages: %w", err)
	}
	// The packages that hold a named file (a test variant holds its
	// package's files too), without test mains.
	var roots []*packages.Package
	source := make(map[*packages.Package]bool)
	for _, p := range listed {
		if isTestMain(p) {
			continue
		}
		for _, f := range append(p.CompiledGoFiles, p.GoFiles...) {
			if named[f] {
				roots = append(roots, p)
				source[p] = true
				break
			}
		}
	}
	ld := newLoader(ctx, fset, opts.Overlay, roots, source, nil)
	ld.load(roots)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []string
	done := make(map[string]bool)
	for _, e := range packageErrors(roots) {
		if s := e.Error(); !done[s] {
			done[s] = true
			out = append(out, s)
		}
	}
	return out, nil
}

// checkedRun records what one run (Run, or the run of a Rerun)
// type-checked from source, and under which options, so that a
// verification of the same code can be answered without type-checking it
// again (Result.TypeCheckedClean).
type checkedRun struct {
	dir        string
	env        []string
	buildFlags []string
	tests      bool
	overlay    map[string][]byte
	// listed are the packages go list returned (their imports, the
	// graph); source are those type-checked from source.
	listed []*packages.Package
	source map[*packages.Package]bool
}

func newCheckedRun(opts Options, listed []*packages.Package, source map[*packages.Package]bool) *checkedRun {
	return &checkedRun{
		dir:        opts.Dir,
		env:        slices.Clone(opts.Env),
		buildFlags: slices.Clone(opts.BuildFlags),
		tests:      opts.Tests,
		overlay:    maps.Clone(opts.Overlay),
		listed:     listed,
		source:     source,
	}
}

// TypeCheckedClean reports whether the run of res (the last round of
// -fix's Rerun) already proves that TypeCheck(ctx, opts, files) returns no
// error, so that verifying the fixed code need not list and type-check it
// again. It is true only if that run had the same options (directory,
// environment, build flags, no test files) and the same overlay, listed
// every package holding one of the Go files (with -export: the go command
// compiled each package of the graph with the overlay), type-checked
// each of those packages from source, and found no error, of any kind, in
// them or in anything they import. TypeCheck, given the same code, lists
// the same packages with the same errors and type-checks the same files
// against export data of the same dependencies: it would find nothing
// either. In every other case (false) the caller must call TypeCheck.
func (res *Result) TypeCheckedClean(opts Options, files []string) bool {
	c := res.checked
	if c == nil || opts.Dir != c.dir || !slices.Equal(opts.Env, c.env) || !slices.Equal(opts.BuildFlags, c.buildFlags) {
		return false
	}
	// With tests, TypeCheck also checks test variants that the run may
	// not have listed.
	if opts.Tests || c.tests {
		return false
	}
	if len(opts.Overlay) != len(c.overlay) {
		return false
	}
	for name, src := range opts.Overlay {
		if had, ok := c.overlay[name]; !ok || !bytes.Equal(had, src) {
			return false
		}
	}
	holding := make(map[string][]*packages.Package)
	packages.Visit(c.listed, nil, func(p *packages.Package) {
		if isTestMain(p) {
			return
		}
		for _, f := range append(slices.Clone(p.CompiledGoFiles), p.GoFiles...) {
			if !slices.Contains(holding[f], p) {
				holding[f] = append(holding[f], p)
			}
		}
	})
	var roots []*packages.Package
	for _, f := range files {
		if filepath.Ext(f) != ".go" {
			continue // go.mod, go.sum: in the overlay, not a package
		}
		if strings.HasSuffix(f, "_test.go") {
			return false
		}
		pkgs := holding[f]
		if len(pkgs) != 1 || !c.source[pkgs[0]] {
			return false
		}
		roots = append(roots, pkgs[0])
	}
	if len(roots) == 0 {
		return false
	}
	clean := true
	packages.Visit(roots, nil, func(p *packages.Package) {
		clean = clean && len(p.Errors) == 0 && len(p.TypeErrors) == 0 && !p.IllTyped
	})
	return clean
}
