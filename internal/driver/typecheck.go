package driver

import (
	"context"
	"fmt"
	"go/token"
	"path/filepath"
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
