package driver

import (
	"context"
	"sort"

	"golang.org/x/tools/go/packages"
)

// Rerun analyzes again, with opts (whose Overlay holds rewritten files, as
// between two rounds of -fix), only the named packages of prev that the
// overlay can change: those with a file in it and those that import one of
// them, directly or not (a fix can change the verdicts of importers through
// Facts, never of imported packages). The other named packages keep prev's
// findings, results and errors. The returned Result has the same shape as
// Run's; its Fset is prev's, so the fixes of kept findings stay valid.
//
// Rerun consumes prev: its packages lose their syntax and types (keeping
// the import graph), so that the memory of the previous round is freed
// while this one loads. opts.Patterns and opts.CacheDir are ignored: the
// packages are prev's, and so is the cache, the directory of prev's run
// or, without one, the Facts it kept in memory (Options.Reanalyze). The
// packages the overlay does not touch are never analyzed again for their
// Facts.
func Rerun(ctx context.Context, prev *Result, opts Options) (*Result, error) {
	stripSyntax(prev.Packages)
	changed := make(map[string]bool, len(opts.Overlay))
	for name := range opts.Overlay {
		changed[name] = true
	}
	affected := make(map[*packages.Package]bool)
	var touches func(p *packages.Package) bool
	touches = func(p *packages.Package) bool {
		if v, ok := affected[p]; ok {
			return v
		}
		affected[p] = false
		v := false
		for _, list := range [][]string{p.CompiledGoFiles, p.GoFiles} {
			for _, f := range list {
				v = v || changed[f]
			}
		}
		for _, imp := range p.Imports {
			if touches(imp) {
				v = true
			}
		}
		affected[p] = v
		return v
	}
	var patterns []string
	seen := make(map[string]bool)
	again := make(map[string]bool) // package paths analyzed again
	for _, p := range prev.Packages {
		if !touches(p) {
			continue
		}
		path := p.PkgPath
		if p.ForTest != "" {
			path = p.ForTest // an external test package is listed through its package
		}
		if !seen[path] {
			seen[path] = true
			patterns = append(patterns, path)
		}
		again[p.PkgPath] = true
		again[path] = true
	}
	if len(patterns) == 0 {
		return prev, nil
	}
	sort.Strings(patterns)
	opts.Patterns = patterns
	opts.CacheDir = prev.cacheDir
	mem := prev.mem
	if opts.CacheDir != "" {
		mem = nil // the directory holds them
	}
	// The packages prev read from export data are adopted where this run
	// lists the same export data (the overlay changes only the rewritten
	// packages' and their importers'): not read again.
	prior := prev.exported
	prev.exported = nil // adopted or dropped by this run: not held through it
	res, err := run(ctx, opts, prev.Fset, mem, prior)
	if err != nil {
		return nil, err
	}

	// Keep prev's outcomes of the packages not analyzed again.
	kept := func(pkg string) bool { return !again[pkg] }
	for _, p := range prev.Packages {
		if kept(p.PkgPath) {
			res.Packages = append(res.Packages, p)
			res.outcomes[p.ID] = prev.outcomes[p.ID]
		}
	}
	sort.Slice(res.Packages, func(i, j int) bool { return res.Packages[i].ID < res.Packages[j].ID })
	for _, e := range prev.Errors {
		if kept(e.Package) {
			res.Errors = append(res.Errors, e)
		}
	}
	for _, f := range prev.Findings {
		if kept(f.Package) {
			res.Findings = append(res.Findings, f)
		}
	}
	res.Retry, res.Intel = nil, nil
	for _, p := range res.Packages {
		if o := res.outcomes[p.ID]; o != nil {
			if o.Retry != nil {
				res.Retry = append(res.Retry, o.Retry)
			}
			if o.Intel != nil {
				res.Intel = append(res.Intel, o.Intel)
			}
		}
	}
	finishFindings(res)
	return res, nil
}

// stripSyntax drops the syntax, types and type information of pkgs and
// everything they import, keeping the import graph and file lists.
func stripSyntax(pkgs []*packages.Package) {
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		p.Syntax, p.Types, p.TypesInfo, p.TypeErrors = nil, nil, nil, nil
	})
}
