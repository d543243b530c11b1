// Package driver loads Go packages and runs the resilience-lint analyzers
// (suite.Analyzers) over them with golang.org/x/tools/go/analysis/checker.
//
// It is the one analysis driver behind the CLI's lint, -fix, -diff and
// report commands. Unlike multichecker, which type-checks every dependency
// from source, Run analyzes the packages named by the patterns plus the
// dependencies that can carry the analyzers' Facts: every dependency outside
// the standard library (a helper there may be a validator, a routed function
// or a tracking helper, and a verdict must not depend on which packages the
// patterns happen to name) and any package that imports the resilience
// runtime. The standard library is read from compiler export data; the
// analyzers draw no Facts from it, so go vet -vettool, which analyzes it
// from source, reaches the same verdicts.
//
// Errors in one package (syntax, type or analysis errors) are returned in
// Result.Errors; they never hide the findings of the other packages.
package driver

import (
	"context"
	"errors"
	"fmt"
	"go/token"
	"runtime/debug"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/coverage"
	"github.com/resilience-lint/resilience-lint/internal/suite"
)

// Options configures Run.
type Options struct {
	// Dir is the directory in which the go command runs ("" = the
	// current directory); relative patterns are resolved against it.
	Dir string
	// Patterns are package patterns as for go build ("./..." if empty).
	Patterns []string
	// Config is the analyzers' configuration (nil: the defaults).
	Config *config.Config
	// Tests also loads and analyzes the packages' test files.
	Tests bool
	// Env is the environment of the go command (nil: the process's).
	Env []string
	// BuildFlags are passed to the go command (e.g. "-tags=integration").
	BuildFlags []string
	// Overlay maps absolute file names to contents that replace the files
	// on disk, as in packages.Config.Overlay.
	Overlay map[string][]byte
	// Analyzers replaces suite.Analyzers(Config), e.g. in tests.
	Analyzers []*analysis.Analyzer
	// Progress, if set, is called as the run advances. It may be called
	// from several goroutines at once.
	Progress func(Progress)
}

// Stage is a phase of a run, for progress reports.
type Stage int

// Stages of a run, in order.
const (
	Listing   Stage = iota // resolving the patterns with go list
	Loading                // parsing and type-checking
	Analyzing              // running the analyzers
)

func (s Stage) String() string {
	switch s {
	case Listing:
		return "listing packages"
	case Loading:
		return "loading packages"
	case Analyzing:
		return "analyzing"
	}
	return fmt.Sprintf("Stage(%d)", int(s))
}

// Progress is one progress report. Done and Total count packages; Total is
// 0 while unknown.
type Progress struct {
	Stage       Stage
	Done, Total int
}

// Finding is one diagnostic of an analyzer in a named package.
type Finding struct {
	Analyzer string // retrycoverage.Name or intelcoverage.Name
	Category string
	Package  string         // import path of the package reported on
	Pos, End token.Position // End is the zero Position if unknown
	Message  string
	URL      string
	// Fixes are the analyzer's suggested fixes; their token.Pos values
	// belong to Result.Fset.
	Fixes []analysis.SuggestedFix
	// Related are the diagnostic's related locations, if any.
	Related []analysis.RelatedInformation
	// Subject is the method or worker the finding is a verdict on
	// (package, type, method, kind), nil for findings about something
	// else (a malformed directive).
	Subject *coverage.Finding
}

// PackageError is a problem that stopped (part of) the analysis of one
// package: a syntax error, a type error, a go list error, or an analyzer
// failure.
type PackageError struct {
	Package string // import path (or ID) of the package
	Pos     string // "file:line:col", or "" if the error has no position
	Msg     string
	Kind    string // "list", "parse", "type", "analysis"
}

func (e PackageError) Error() string {
	if e.Pos != "" {
		return fmt.Sprintf("%s: %s", e.Pos, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Package, e.Msg)
}

// Result is the outcome of Run.
type Result struct {
	// Fset positions every file of every loaded package.
	Fset *token.FileSet
	// Findings are the diagnostics of the named packages, sorted by
	// position and without duplicates (a file analyzed both as part of a
	// package and of its test variant is reported once).
	Findings []Finding
	// Retry and Intel are the analyzers' results, one per named package
	// that was analyzed successfully.
	Retry []*retrycoverage.Result
	Intel []*intelcoverage.Result
	// Errors are the per-package problems, sorted; the packages they name
	// have no (or partial) findings and results.
	Errors []PackageError
	// Packages are the named packages, as loaded (with syntax).
	Packages []*packages.Package
	// Timing is where the run's wall time went.
	Timing Timing
}

// Timing splits a run's wall time into its stages.
type Timing struct {
	List    time.Duration // go list of the import graph
	Load    time.Duration // go list -export, parsing and type-checking
	Analyze time.Duration // running the analyzers
}

// ErrNoPackages is returned (wrapped) by Run when the patterns match no
// package.
var ErrNoPackages = errors.New("no packages matched")

// runtimePrefix is the import-path prefix of the runtime libraries whose
// entry points the analyzers look for; only dependencies that import them
// can carry Facts.
const runtimePrefix = "github.com/resilience-lint/resilience-lint/runtime/"

// Run loads the packages named by opts.Patterns and runs the analyzers over
// them. The error is non-nil only when nothing could be analyzed (the go
// command failed, the patterns matched nothing, ctx was cancelled);
// per-package problems are in Result.Errors.
func Run(ctx context.Context, opts Options) (*Result, error) {
	patterns := opts.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	report := func(p Progress) {
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	fset := token.NewFileSet()
	base := packages.Config{
		Context:    ctx,
		Dir:        opts.Dir,
		Env:        opts.Env,
		BuildFlags: opts.BuildFlags,
		Tests:      opts.Tests,
		Overlay:    opts.Overlay,
		Fset:       fset,
	}

	// Phase 1: the import graph, without parsing anything.
	report(Progress{Stage: Listing})
	var timing Timing
	t0 := time.Now()
	listCfg := base
	listCfg.Mode = packages.NeedName | packages.NeedImports | packages.NeedDeps | packages.NeedFiles | packages.NeedForTest | packages.NeedModule
	listed, err := packages.Load(&listCfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("listing packages: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	timing.List = time.Since(t0)
	listed, bad := splitPatternErrors(listed)
	named, analyzed := selectPackages(listed, opts.Config)
	if len(named) == 0 {
		msg := strings.Join(patterns, " ")
		for _, e := range bad {
			msg += "\n\t" + e.Msg
		}
		return nil, fmt.Errorf("%w: %s", ErrNoPackages, msg)
	}

	// Phase 2: syntax and types for the named packages and the Fact
	// carriers; everything else from export data.
	paths := make([]string, 0, len(analyzed))
	for p := range analyzed {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if fileArgs(patterns) {
		// Files named on the command line form one ad-hoc package
		// ("command-line-arguments") that only the same file list can
		// load, and go list does not mix files with package paths: its
		// dependencies, Fact carriers included, come from export data.
		paths = patterns
	}
	report(Progress{Stage: Loading, Total: len(paths)})
	t0 = time.Now()
	loadCfg := base
	loadCfg.Mode = packages.LoadSyntax | packages.NeedModule | packages.NeedForTest
	loaded, err := packages.Load(&loadCfg, paths...)
	if err != nil {
		return nil, fmt.Errorf("loading packages: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	report(Progress{Stage: Loading, Done: len(paths), Total: len(paths)})
	timing.Load = time.Since(t0)

	res := &Result{Fset: fset, Errors: bad}
	roots := rootPackages(loaded, named, opts.Tests)
	res.Packages = roots
	res.Errors = append(res.Errors, packageErrors(roots)...)

	// Analyze the roots; their Fact-carrying imports are analyzed too, but
	// nothing else: prune each package's imports to the analyzed set (the
	// checker walks Imports to schedule Fact computations).
	pruned := pruneImports(loaded, analyzed)
	rootsPruned := make([]*packages.Package, len(roots))
	for i, p := range roots {
		rootsPruned[i] = pruned[p]
	}

	var done atomic.Int64
	total := len(rootsPruned)
	analyzers := opts.Analyzers
	if analyzers == nil {
		analyzers = suite.Analyzers(opts.Config)
	}
	counted := make([]*analysis.Analyzer, len(analyzers))
	for i, a := range analyzers {
		c := *a
		run := a.Run
		first := i == 0
		c.Run = func(pass *analysis.Pass) (res any, err error) {
			if first {
				// Count packages once, on the first analyzer.
				defer func() {
					report(Progress{Stage: Analyzing, Done: int(done.Add(1)), Total: total})
				}()
			}
			// A crash on one package is that package's error, not the
			// end of the run.
			defer func() {
				if r := recover(); r != nil {
					res, err = nil, fmt.Errorf("internal error (please report it): panic: %v\n%s", r, debug.Stack())
				}
			}()
			return run(pass)
		}
		counted[i] = &c
	}
	report(Progress{Stage: Analyzing, Total: total})
	t0 = time.Now()
	graph, err := checker.Analyze(counted, rootsPruned, nil)
	if err != nil {
		return nil, fmt.Errorf("analysis: %w", err)
	}
	timing.Analyze = time.Since(t0)
	collect(res, graph, roots)
	res.Timing = timing
	return res, nil
}

// fileArgs reports whether the patterns are Go files, as in "go vet a.go b.go".
func fileArgs(patterns []string) bool {
	for _, p := range patterns {
		if strings.HasSuffix(p, ".go") {
			return true
		}
	}
	return false
}

// splitPatternErrors separates the pseudo-packages go list makes of
// patterns that match nothing (no name, no files, an error) from real ones.
func splitPatternErrors(listed []*packages.Package) (pkgs []*packages.Package, bad []PackageError) {
	for _, p := range listed {
		if p.Name == "" && len(p.GoFiles) == 0 && len(p.Errors) > 0 {
			for _, e := range p.Errors {
				bad = append(bad, PackageError{Package: p.ID, Msg: e.Msg, Kind: "list"})
			}
			continue
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, bad
}

// selectPackages returns the import paths of the packages the patterns name
// and of the set to load with syntax: those plus every dependency outside
// the standard library (it belongs to a module) and every one that imports
// the resilience runtime (directly or transitively) or a package named in
// the configuration's extra entry points.
func selectPackages(listed []*packages.Package, cfg *config.Config) (named, analyzed map[string]bool) {
	named = make(map[string]bool)
	analyzed = make(map[string]bool)
	extra := extraPackages(cfg)
	carries := make(map[*packages.Package]bool)
	var visit func(p *packages.Package) bool
	visit = func(p *packages.Package) bool {
		if v, ok := carries[p]; ok {
			return v
		}
		carries[p] = false // cycles cannot occur, but be safe
		v := false
		for path, imp := range p.Imports {
			if strings.HasPrefix(path, runtimePrefix) || extra[path] {
				v = true
			}
			if visit(imp) {
				v = true
			}
		}
		carries[p] = v
		return v
	}
	var all []*packages.Package
	packages.Visit(listed, nil, func(p *packages.Package) { all = append(all, p) })
	for _, p := range listed {
		if isTestMain(p) {
			continue
		}
		named[p.PkgPath] = true
		// An external test package is loaded through the package it tests.
		if p.ForTest != "" {
			analyzed[p.ForTest] = true
		} else {
			analyzed[p.PkgPath] = true
		}
	}
	for _, p := range all {
		if strings.HasPrefix(p.PkgPath, runtimePrefix) || p.PkgPath == "unsafe" || p.PkgPath == "C" {
			continue // recognised by object; nothing to learn from their bodies
		}
		// Test-only packages (external tests, test mains) are loaded
		// through the packages they test, never as dependencies.
		dep := p.Module != nil && p.ForTest == "" && !isTestMain(p)
		if len(p.GoFiles) > 0 && (dep || visit(p)) {
			analyzed[p.PkgPath] = true
		}
	}
	return named, analyzed
}

// extraPackages returns the packages of configured retry and tracking
// functions ("import/path.Func" or "import/path.Type.Method").
func extraPackages(cfg *config.Config) map[string]bool {
	m := make(map[string]bool)
	if cfg == nil {
		return m
	}
	for _, list := range [][]string{cfg.RetryFuncs, cfg.TrackFuncs} {
		for _, f := range list {
			slash := strings.LastIndex(f, "/")
			dot := strings.Index(f[slash+1:], ".")
			if dot > 0 {
				m[f[:slash+1+dot]] = true
			}
		}
	}
	return m
}

// isTestMain reports whether p is a synthesized test main package.
func isTestMain(p *packages.Package) bool {
	return strings.HasSuffix(p.ID, ".test") && p.Name == "main" && strings.HasSuffix(p.PkgPath, ".test")
}

// rootPackages returns the loaded packages the patterns named. With tests,
// a package's test variant ("p [p.test]") replaces p, since it holds the
// same files and more.
func rootPackages(loaded []*packages.Package, named map[string]bool, tests bool) []*packages.Package {
	hasVariant := make(map[string]bool)
	if tests {
		for _, p := range loaded {
			if p.ForTest != "" && p.ForTest == p.PkgPath {
				hasVariant[p.PkgPath] = true
			}
		}
	}
	var roots []*packages.Package
	for _, p := range loaded {
		testsNamed := p.ForTest != "" && named[p.ForTest]
		if isTestMain(p) || !named[p.PkgPath] && !testsNamed {
			continue
		}
		if p.ForTest == "" && hasVariant[p.PkgPath] {
			continue
		}
		roots = append(roots, p)
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].ID < roots[j].ID })
	return roots
}

// pruneImports returns shallow copies of every loaded package (and its
// dependencies) whose Imports keep only packages in the analyzed set.
func pruneImports(loaded []*packages.Package, analyzed map[string]bool) map[*packages.Package]*packages.Package {
	copies := make(map[*packages.Package]*packages.Package)
	var cp func(p *packages.Package) *packages.Package
	cp = func(p *packages.Package) *packages.Package {
		if c, ok := copies[p]; ok {
			return c
		}
		c := *p
		copies[p] = &c
		c.Imports = make(map[string]*packages.Package)
		for path, imp := range p.Imports {
			if analyzed[imp.PkgPath] && len(imp.Syntax) > 0 {
				c.Imports[path] = cp(imp)
			}
		}
		return &c
	}
	for _, p := range loaded {
		cp(p)
	}
	return copies
}

// packageErrors converts the load errors of the roots (and, once, of their
// dependencies) into PackageErrors.
func packageErrors(roots []*packages.Package) []PackageError {
	var out []PackageError
	seen := make(map[string]bool)
	packages.Visit(roots, nil, func(p *packages.Package) {
		compiled := false // parse or type errors found: skip the compiler's copy
		for _, e := range p.Errors {
			compiled = compiled || e.Kind == packages.ParseError || e.Kind == packages.TypeError
		}
		for _, e := range p.Errors {
			if compiled && e.Kind != packages.ParseError && e.Kind != packages.TypeError && strings.HasPrefix(e.Msg, "# ") {
				continue
			}
			kind := "list"
			switch e.Kind {
			case packages.ParseError:
				kind = "parse"
			case packages.TypeError:
				kind = "type"
			}
			pe := PackageError{Package: p.PkgPath, Pos: e.Pos, Msg: e.Msg, Kind: kind}
			if pe.Pos == "-" {
				pe.Pos = ""
			}
			key := pe.Pos + "\x00" + pe.Msg
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, pe)
		}
	})
	return out
}

// collect gathers findings, results and analysis errors of the roots.
func collect(res *Result, graph *checker.Graph, roots []*packages.Package) {
	type key struct {
		pos, end token.Position
		analyzer string
		msg      string
	}
	seen := make(map[key]bool)
	isRoot := make(map[string]bool)
	for _, p := range roots {
		isRoot[p.ID] = true
	}
	errSeen := make(map[string]bool)
	for _, act := range graph.Roots {
		if !isRoot[act.Package.ID] {
			continue
		}
		if act.Err != nil {
			// A package with load errors is already reported; the
			// checker's "skipped due to errors" adds nothing.
			if len(act.Package.Errors) == 0 && !act.Package.IllTyped {
				msg := act.Analyzer.Name + ": " + act.Err.Error()
				if !errSeen[act.Package.ID+msg] {
					errSeen[act.Package.ID+msg] = true
					res.Errors = append(res.Errors, PackageError{Package: act.Package.PkgPath, Msg: msg, Kind: "analysis"})
				}
			} else if len(act.Package.Errors) == 0 && !errSeen[act.Package.ID] {
				// Ill-typed only through a dependency: say so.
				errSeen[act.Package.ID] = true
				res.Errors = append(res.Errors, PackageError{Package: act.Package.PkgPath, Msg: "not analyzed: a dependency has errors", Kind: "type"})
			}
			continue
		}
		switch r := act.Result.(type) {
		case *retrycoverage.Result:
			if r != nil {
				res.Retry = append(res.Retry, r)
			}
		case *intelcoverage.Result:
			if r != nil {
				res.Intel = append(res.Intel, r)
			}
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			f := Finding{
				Analyzer: act.Analyzer.Name,
				Category: d.Category,
				Package:  act.Package.PkgPath,
				Pos:      fset.Position(d.Pos),
				Message:  d.Message,
				URL:      d.URL,
				Fixes:    d.SuggestedFixes,
				Related:  d.Related,
			}
			if d.End.IsValid() {
				f.End = fset.Position(d.End)
			}
			k := key{f.Pos, f.End, f.Analyzer, f.Message}
			if seen[k] {
				continue
			}
			seen[k] = true
			res.Findings = append(res.Findings, f)
		}
	}
	// What each finding is about, as data: from the analyzers' results,
	// by analyzer and position, never from message text.
	subjects := coverage.NewSubjects(res.Retry, res.Intel)
	for i, f := range res.Findings {
		if s, ok := subjects.Lookup(f.Analyzer, f.Pos); ok {
			res.Findings[i].Subject = &s
		}
	}
	sort.SliceStable(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i].Pos, res.Findings[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return res.Findings[i].Analyzer < res.Findings[j].Analyzer
	})
	sort.SliceStable(res.Errors, func(i, j int) bool {
		if res.Errors[i].Package != res.Errors[j].Package {
			return res.Errors[i].Package < res.Errors[j].Package
		}
		return res.Errors[i].Pos < res.Errors[j].Pos
	})
}
