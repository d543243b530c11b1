// Package driver loads Go packages and runs the resilience-lint analyzers
// (suite.Analyzers) over them.
//
// It is the one analysis driver behind the CLI's lint, -fix, -diff and
// report commands. One go list call (go list -deps -export) gives the
// import graph and compiler export data. The named packages and every
// dependency outside the standard library are analyzed, as go vet
// -vettool analyzes them: any of them can carry a Fact that changes a
// verdict (an SDK's own retry loop routes its callers, a helper's write
// before a call that can fail makes its callers unsafe to retry; see
// targets.Classifier.ExportsFacts). The standard library and the
// resilience runtime are read from export data.
//
// Each package is parsed, type-checked and analyzed in a pipeline
// (loader.load): it is type-checked as soon as the packages it imports
// are, and analyzed (runner) once they are analyzed, so an importer is
// type-checked while its imports are still being analyzed. Only its types
// and Facts outlive its analysis, and work done ahead is bounded, so a run
// holds a few packages' syntax per CPU rather than the whole graph's.
//
// With Options.CacheDir, results are kept on disk under keys that hash a
// package's files, its imports' keys, the configuration and the tool
// (resultCache): the outcome of each named package (a package whose key
// is unchanged is neither loaded nor analyzed), and the Facts of every
// package analyzed. A dependency whose Facts are cached is read from
// export data and its Facts decoded onto it (factStore.decode): after the
// first run, only the packages that changed and those that import them
// are parsed and analyzed. The export data a run reads is recorded (an
// export plan) and read again by the next run while go list runs
// (speculation). Rerun analyzes again only the packages an
// overlay changes and their importers (the later rounds of -fix), and
// TypeCheck type-checks rewritten code with export data.
//
// Errors in one package (syntax, type or analysis errors) are returned in
// Result.Errors; they never hide the findings of the other packages.
package driver

import (
	"context"
	"errors"
	"fmt"
	"go/token"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/coverage"
	"github.com/resilience-lint/resilience-lint/internal/suite"
	"github.com/resilience-lint/resilience-lint/internal/targets"
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
	// CacheDir is the directory of the on-disk result cache ("": no
	// cache; DefaultCacheDir is the CLI's). Roots whose files, imports,
	// configuration and tool are unchanged since a run that stored them
	// are served from it without loading or analyzing them. Runs with an
	// Overlay bypass it.
	CacheDir string
	// Reanalyze analyzes every named package even if its outcome is in
	// the cache (the Facts of the packages below them still come from
	// it): for -fix and -diff, which rewrite what this run analyzes.
	// Without a CacheDir, it keeps the Facts of the run in memory, for
	// the Rerun of the next round.
	Reanalyze bool
	// EntryDependenciesOnly analyzes from source only the dependencies
	// that import the runtime, a known retry library or a configured
	// entry point, and reads the others from export data: faster, but
	// blind to what the others' Facts say (a dependency's own retry loop,
	// a write a retry would repeat), so verdicts may differ from go vet
	// -vettool's. By default every dependency outside the standard
	// library is analyzed from source, as go vet -vettool does.
	EntryDependenciesOnly bool
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
	// Cached is the number of named packages served from the result
	// cache (not counted in Total).
	Cached int
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
	// Packages are the named packages: with types unless served from the
	// cache (their syntax is dropped once they are analyzed).
	Packages []*packages.Package
	// Cached are the IDs of the named packages served from the result
	// cache (Options.CacheDir), in order.
	Cached []string
	// FactsCached are the IDs of the packages whose Facts came from the
	// cache, in order: they were read from export data, not parsed,
	// type-checked or analyzed.
	FactsCached []string
	// Timing is where the run's wall time went.
	Timing Timing

	// outcomes are the analyses of the named packages by ID, for Rerun.
	outcomes map[string]*outcome
	// mem are the Facts entries of a run without a cache directory, for
	// Rerun.
	mem map[string]*factsEntry
	// cacheDir is the cache directory of the run (Options.CacheDir), for
	// Rerun.
	cacheDir string
	// checked is what the run type-checked from source, for
	// TypeCheckedClean; nil if it type-checked nothing.
	checked *checkedRun
	// readAhead counts the packages read from export data while go list
	// ran (speculation), or by the run before a Rerun, and adopted.
	readAhead int
	// exported is what the run read from export data, for a Rerun to
	// adopt instead of reading it again (nil: nothing to adopt).
	exported *speculation
}

// Timing says where a run's time went. Packages are loaded and analyzed
// in parallel, so Load and Analyze are sums over packages, not spans of
// wall time.
type Timing struct {
	List    time.Duration // go list -deps -export of the import graph (wall time)
	Load    time.Duration // parsing and type-checking the source packages
	Analyze time.Duration // running the analyzers
}

// ErrNoPackages is returned (wrapped) by Run when the patterns match no
// package.
var ErrNoPackages = errors.New("no packages matched")

// Run loads the packages named by opts.Patterns and runs the analyzers over
// them. The error is non-nil only when nothing could be analyzed (the go
// command failed, the patterns matched nothing, ctx was cancelled);
// per-package problems are in Result.Errors.
func Run(ctx context.Context, opts Options) (*Result, error) {
	return run(ctx, opts, token.NewFileSet(), nil, nil)
}

// run is Run with the FileSet to position the files in and, for a run
// without a cache directory, the in-memory Facts of an earlier run with
// the same options (Rerun); nil for none.
func run(ctx context.Context, opts Options, fset *token.FileSet, mem map[string]*factsEntry, prior *speculation) (*Result, error) {
	// A cached Facts entry that turns out to be unreadable once decoded
	// (in the background, while the run loads) leaves the run without
	// Facts it needs: it is run again without that entry, which is then
	// rewritten.
	distrust := make(map[string]bool)
	for {
		res, bad, err := runOnce(ctx, opts, fset, mem, distrust, prior)
		if err != nil || len(bad) == 0 {
			return res, err
		}
		// The attempt may have added to prior's packages objects of its
		// own packages, which the next attempt does not share.
		prior = nil
		for _, k := range bad {
			distrust[k] = true
		}
	}
}

// runOnce is one attempt of run, trusting no Facts entry whose key is in
// distrust. It returns the keys of the cached Facts entries it could not
// decode, if any: then its Result is incomplete and nothing was cached.
func runOnce(ctx context.Context, opts Options, fset *token.FileSet, mem map[string]*factsEntry, distrust map[string]bool, prior *speculation) (*Result, []string, error) {
	patterns := opts.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	report := func(p Progress) {
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	base := packages.Config{
		Context:    ctx,
		Dir:        opts.Dir,
		Env:        opts.Env,
		BuildFlags: opts.BuildFlags,
		Tests:      opts.Tests,
		Overlay:    opts.Overlay,
		Fset:       fset,
	}

	analyzers := opts.Analyzers
	if analyzers == nil {
		analyzers = suite.Analyzers(opts.Config)
	}
	// Without a directory, the cache holds Facts in memory for Rerun
	// (when one may follow: Reanalyze).
	var cache *resultCache
	if opts.CacheDir != "" || opts.Reanalyze || mem != nil {
		cache = newResultCache(opts.CacheDir, opts, analyzers)
		if mem != nil {
			cache.mem = mem
		}
	}
	// While go list runs, the export data the last run with these options
	// read is read again, speculatively (speculation).
	planName, planKey := cache.planPath(opts, patterns)
	var plan []exportRead
	var spec *speculation
	if planName != "" {
		if plan = cache.readPlan(planName, planKey); len(plan) > 0 {
			spec = speculate(fset, plan)
			defer func() {
				if spec != nil {
					spec.stop.Store(true) // on every early return
				}
			}()
		}
	}
	if spec == nil {
		spec = prior // what the run before a Rerun read, if anything
	}

	// The import graph, with export data, in one go list call.
	report(Progress{Stage: Listing})
	var timing Timing
	t0 := time.Now()
	listCfg := base
	listCfg.Mode = listMode
	listed, err := packages.Load(&listCfg, patterns...)
	if err != nil {
		return nil, nil, fmt.Errorf("listing packages: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	timing.List = time.Since(t0)
	listed, bad := splitPatternErrors(listed)
	// Every dependency outside the standard library can carry a verdict's
	// Facts (a retry loop of its own, a write a retry would repeat:
	// targets.Classifier.ExportsFacts), so all are analyzed from source
	// unless the caller narrows the set for speed (EntryDependenciesOnly).
	named, analyzed := selectPackages(listed, opts.Config, !opts.EntryDependenciesOnly)
	if len(named) == 0 {
		msg := strings.Join(patterns, " ")
		for _, e := range bad {
			msg += "\n\t" + e.Msg
		}
		return nil, nil, fmt.Errorf("%w: %s", ErrNoPackages, msg)
	}
	roots := rootPackages(listed, named, opts.Tests)

	isRoot := make(map[*packages.Package]bool)
	for _, p := range roots {
		isRoot[p] = true
	}
	// The packages that can be analyzed (parsed, type-checked and given
	// to the analyzers): the roots and the dependencies that can change a
	// verdict. Everything else comes from export data, on demand. Cache
	// keys hash the files of these and the export data of the others.
	analyzable := func(p *packages.Package) bool {
		return isRoot[p] || analyzed[p.PkgPath] && len(p.CompiledGoFiles) > 0
	}

	// Roots whose outcome is in the cache are neither loaded nor
	// analyzed.
	outcomes := make(map[string]*outcome)
	misses := roots
	var cached []string
	if opts.CacheDir != "" && opts.Overlay == nil && !opts.Reanalyze {
		adder := &fileAdder{fset: fset, files: make(map[string]*token.File)}
		misses = nil
		for _, p := range roots {
			if k, err := cache.key(p, analyzable); err == nil {
				if e, ok := cache.get(k); ok {
					if o, err := e.outcome(adder); err == nil {
						outcomes[p.ID] = o
						cached = append(cached, p.ID)
						continue
					}
				}
			}
			misses = append(misses, p)
		}
	}

	// The packages analyzed in this run: the roots that missed the cache
	// and the analyzable packages below them, except those whose Facts
	// are cached (and that import no package analyzed in this run): they
	// are read from export data and their Facts decoded onto it. An
	// overlay changes what its files' packages (and their importers)
	// contain but not their keys, so those never use the cache.
	isMiss := make(map[*packages.Package]bool)
	for _, p := range misses {
		isMiss[p] = true
	}
	// The runner registers the Fact types with gob, which the cached
	// entries need to be decoded.
	rn := newRunner(fset, analyzers, opts.Overlay)
	overlaid := overlayTouches(opts.Overlay)
	source := make(map[*packages.Package]bool)
	var fromCache []cachedDep
	packages.Visit(misses, nil, func(p *packages.Package) {
		if !analyzable(p) {
			return
		}
		if !isMiss[p] && cache != nil && !overlaid(p) && p.ExportFile != "" {
			below := false
			for _, imp := range p.Imports {
				below = below || source[imp]
			}
			if !below {
				if k, err := cache.key(p, analyzable); err == nil && !distrust[k] {
					if c, ok := cache.getFacts(k); ok {
						fromCache = append(fromCache, cachedDep{p, k, c})
						return
					}
				}
			}
		}
		source[p] = true
	})

	res := &Result{Fset: fset, Errors: bad, Packages: roots, Cached: cached, outcomes: outcomes, cacheDir: opts.CacheDir}
	if cache != nil {
		res.mem = cache.mem
	}
	if len(misses) == 0 {
		res.Errors = append(res.Errors, packageErrors(roots)...)
		assemble(res, roots, outcomes)
		res.Timing = timing
		return res, nil, nil
	}

	report(Progress{Stage: Loading, Total: len(source), Cached: len(cached)})
	var adopted []exportRead
	if spec != nil {
		adopted, _ = spec.adopt(listed, source)
		spec = nil
	}
	ld := newLoader(ctx, fset, opts.Overlay, misses, source, nil)
	// Facts from the cache, onto the export data of their packages, and
	// every other package the run reads from export data, in the
	// background: parsing and type-checking need none of them first, only
	// the analyzers do (the loader holds them back until typesDone is
	// closed), and an analyzer must never see a package's types change
	// under it (loadExportData).
	typesDone := make(chan struct{})
	ld.gate = typesDone
	var undecoded []string
	go func() {
		defer close(typesDone)
		res.FactsCached, undecoded = loadCachedFacts(ld, rn.facts, fromCache)
		loadExportData(ld, source)
	}()
	var (
		mu     sync.Mutex
		units  = make(map[*packages.Package]*unit)
		done   atomic.Int64
		analyT atomic.Int64
	)
	// The outcomes of the named packages analyzed are kept in the cache
	// directory, except in a run with an overlay (their keys hash the
	// files on disk).
	keepOutcomes := opts.CacheDir != "" && opts.Overlay == nil
	// Cache entries are encoded and written by one goroutine, beside the
	// analyses rather than on their path (a package at most writes its
	// Facts and its outcome: the channel never blocks). The run waits for
	// the writes before it returns: Rerun and the next run read them.
	writes := make(chan func(), 2*len(source))
	written := make(chan struct{})
	go func() {
		defer close(written)
		for w := range writes {
			w()
		}
	}()
	imported := func(p *packages.Package) *unit {
		mu.Lock()
		defer mu.Unlock()
		return units[p]
	}
	ld.after = func(p *packages.Package) {
		if len(undecoded) > 0 {
			return // runOnce is run again: this attempt's analyses miss Facts
		}
		loaded := time.Now()
		u := rn.analyze(p, isMiss[p], imported)
		analyT.Add(int64(time.Since(loaded)))
		if isMiss[p] {
			o := collect(p, u, rn.wanted)
			mu.Lock()
			outcomes[p.ID] = o
			mu.Unlock()
			// Only clean outcomes are kept.
			if keepOutcomes && len(o.errs) == 0 && len(p.Errors) == 0 && !p.IllTyped {
				writes <- func() {
					if k, err := cache.key(p, analyzable); err == nil {
						if e, ok := newCacheEntry(o, fset); ok {
							_ = cache.put(k, e) // a failed write costs the next run the analysis, nothing else
						}
					}
				}
			}
		}
		if cache != nil && !overlaid(p) && len(u.failed) == 0 && !p.IllTyped && len(p.Errors) == 0 {
			exported := u.exported
			writes <- func() {
				if k, err := cache.key(p, analyzable); err == nil {
					_ = cache.putFacts(k, encodeFacts(exported)) // a failed write costs a later run the analysis
				}
			}
		}
		// Only the Facts and the types outlive the analysis (and, for
		// an importer's prerequisites, whether it failed).
		u.actions, u.exported = nil, nil
		mu.Lock()
		units[p] = u
		mu.Unlock()
		p.Syntax, p.TypesInfo = nil, nil
		report(Progress{Stage: Analyzing, Done: int(done.Add(1)), Total: len(source), Cached: len(cached)})
	}
	ld.load(misses)
	close(writes)
	<-typesDone
	<-written
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if len(undecoded) > 0 {
		return nil, undecoded, nil
	}
	res.readAhead = len(adopted)
	reads := slices.Concat(adopted, ld.reads)
	if planName != "" && !slices.Equal(reads, plan) {
		_ = cache.writePlan(planName, planKey, reads) // a failed write costs the next run the speculation
	}
	res.checked = newCheckedRun(opts, listed, source)
	res.exported = exportedUniverse(listed, source, reads)
	timing.Load = time.Duration(ld.checkTime.Load())
	timing.Analyze = time.Duration(analyT.Load())
	res.Errors = append(res.Errors, packageErrors(roots)...)

	if keepOutcomes {
		cache.trim(time.Now())
	}
	assemble(res, roots, outcomes)
	res.Timing = timing
	return res, nil, nil
}

// cachedDep is a dependency whose Facts are in the cache, under key.
type cachedDep struct {
	p   *packages.Package
	key string
	c   cachedFacts
}

// loadCachedFacts decodes the cached Facts of deps onto their packages'
// export data and returns the IDs of the packages whose Facts it loaded,
// sorted, and the keys of the entries it could not decode. Entries are
// decoded in parallel (an empty one is already decoded: cachedFacts), and
// export data is read one package at a time (ld.exportMu), as
// type-checking the source packages does at the same time.
//
// The export data of a package whose entry is empty is read too: there
// is no Fact to attach, but the analyzers walk the types of every package
// below the one they analyze (its imports, to see whether it reaches the
// runtime), and a package only mentioned by another's export data has
// none. Reading it here, before any analysis starts, keeps those types
// complete and never changed while an analyzer reads them.
func loadCachedFacts(ld *loader, facts *factStore, deps []cachedDep) (ids, undecoded []string) {
	entries := make([]*factsEntry, len(deps))
	errs := make([]error, len(deps))
	decoded := make([]chan struct{}, len(deps))
	for i := range deps {
		decoded[i] = make(chan struct{})
	}
	var next atomic.Int64
	for range min(runtime.GOMAXPROCS(0), len(deps)) {
		go func() {
			for i := int(next.Add(1)) - 1; i < len(deps); i = int(next.Add(1)) - 1 {
				entries[i], errs[i] = deps[i].c.decode(deps[i].key)
				close(decoded[i])
			}
		}()
	}
	// Export data is read (one package at a time) while the entries are
	// decoded (in parallel): each package's read need not wait for any
	// decoding, only the attaching of its Facts does.
	for i, d := range deps {
		tp, err := ld.fromExportData(d.p)
		<-decoded[i]
		if errs[i] != nil {
			undecoded = append(undecoded, d.key)
			continue
		}
		if err != nil || !facts.decode(entries[i], tp) {
			// Unreadable: the package cannot be read from export data
			// either; its importers report the error when they import it.
			continue
		}
		ids = append(ids, d.p.ID)
	}
	sort.Strings(ids)
	return ids, undecoded
}

// loadExportData reads the export data of every package that a source
// package imports and that is not itself loaded from source: all the
// export data the type-checking of the source packages reads, read ahead.
//
// Reading a package's export data completes its types.Package and adds
// objects to the packages it mentions, which analyzers read without a
// lock (they walk the imports of the package they analyze, to see whether
// it reaches the runtime): once everything is read before the first
// analysis starts, type-checking the remaining source packages reads no
// more export data (fromExportData finds every package complete), and no
// analyzer sees types change under it. It is the same work as reading on
// demand, moved off the critical path.
func loadExportData(ld *loader, source map[*packages.Package]bool) {
	seen := make(map[*packages.Package]bool)
	for p := range source {
		for _, imp := range p.Imports {
			if source[imp] || seen[imp] || imp.PkgPath == "unsafe" {
				continue
			}
			seen[imp] = true
			// An error is the importer's to report, when it is
			// type-checked.
			_, _ = ld.fromExportData(imp)
		}
	}
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
// and of the set to load with syntax: those plus the dependencies that can
// change a verdict, whose Facts the analyzers export
// (targets.Classifier.ExportsFacts): packages of the main module or
// workspace (module version "") and any package that is, or imports
// (directly or transitively), a package defining entry points
// (targets.EntryPackage: the runtime, a known retry library, the package of
// a configured retry-funcs or track-funcs entry). With all, every
// dependency outside the standard library is loaded with syntax, as go vet
// analyzes it: the verdicts are the same, at a higher cost.
func selectPackages(listed []*packages.Package, cfg *config.Config, all bool) (named, analyzed map[string]bool) {
	named = make(map[string]bool)
	analyzed = make(map[string]bool)
	entry := make(map[*packages.Package]bool)
	var reaches func(p *packages.Package) bool
	reaches = func(p *packages.Package) bool {
		if v, ok := entry[p]; ok {
			return v
		}
		entry[p] = false // cycles cannot occur, but be safe
		v := targets.EntryPackage(p.PkgPath, cfg)
		for _, imp := range p.Imports {
			if reaches(imp) {
				v = true
			}
		}
		entry[p] = v
		return v
	}
	var every []*packages.Package
	packages.Visit(listed, nil, func(p *packages.Package) { every = append(every, p) })
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
	for _, p := range every {
		if targets.IsRuntimePackage(p.PkgPath) || p.PkgPath == "unsafe" || p.PkgPath == "C" {
			continue // recognised by object; nothing to learn from their bodies
		}
		// Test-only packages (external tests, test mains) are loaded
		// through the packages they test, never as dependencies; the
		// standard library (no module) is read from export data.
		if len(p.GoFiles) == 0 || p.Module == nil || p.ForTest != "" || isTestMain(p) {
			continue
		}
		if all || p.Module.Version == "" || reaches(p) {
			analyzed[p.PkgPath] = true
		}
	}
	return named, analyzed
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

// overlayTouches returns a predicate: whether a package or one of its
// imports, directly or not, has a file in overlay (whose content its
// cache key, made from the files on disk, does not reflect). The
// predicate is safe for concurrent use: packages are analyzed, and ask
// it, in parallel.
func overlayTouches(overlay map[string][]byte) func(*packages.Package) bool {
	if len(overlay) == 0 {
		return func(*packages.Package) bool { return false }
	}
	var mu sync.Mutex
	memo := make(map[*packages.Package]bool)
	var touches func(p *packages.Package) bool
	touches = func(p *packages.Package) bool {
		if v, ok := memo[p]; ok {
			return v
		}
		memo[p] = false
		v := false
		for _, list := range [][]string{p.CompiledGoFiles, p.GoFiles, p.OtherFiles, p.EmbedFiles} {
			for _, f := range list {
				_, in := overlay[f]
				v = v || in
			}
		}
		for _, imp := range p.Imports {
			v = touches(imp) || v
		}
		memo[p] = v
		return v
	}
	return func(p *packages.Package) bool {
		mu.Lock()
		defer mu.Unlock()
		return touches(p)
	}
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

// outcome is what the analysis of one root package produced.
type outcome struct {
	Findings []Finding
	Retry    *retrycoverage.Result
	Intel    *intelcoverage.Result
	// errs are the analysis errors of the package.
	errs []PackageError
}

// collect converts the analysis of a root into its outcome: the
// diagnostics and results of the wanted analyzers and its analysis
// errors.
func collect(p *packages.Package, u *unit, wanted map[*analysis.Analyzer]bool) *outcome {
	o := &outcome{}
	errSeen := make(map[string]bool)
	for _, act := range u.actions {
		if !wanted[act.analyzer] {
			continue
		}
		if act.err != nil {
			// A package with load errors is already reported; "skipped
			// due to errors" adds nothing.
			if len(p.Errors) == 0 && !p.IllTyped {
				msg := act.analyzer.Name + ": " + act.err.Error()
				if !errSeen[msg] {
					errSeen[msg] = true
					o.errs = append(o.errs, PackageError{Package: p.PkgPath, Msg: msg, Kind: "analysis"})
				}
			} else if len(p.Errors) == 0 && !errSeen[""] {
				// Ill-typed only through a dependency: say so.
				errSeen[""] = true
				o.errs = append(o.errs, PackageError{Package: p.PkgPath, Msg: "not analyzed: a dependency has errors", Kind: "type"})
			}
			continue
		}
		switch r := act.result.(type) {
		case *retrycoverage.Result:
			if r != nil {
				o.Retry = r
			}
		case *intelcoverage.Result:
			if r != nil {
				o.Intel = r
			}
		}
		for _, d := range act.diags {
			f := Finding{
				Analyzer: act.analyzer.Name,
				Category: d.Category,
				Package:  p.PkgPath,
				Pos:      p.Fset.Position(d.Pos),
				Message:  d.Message,
				URL:      d.URL,
				Fixes:    d.SuggestedFixes,
				Related:  d.Related,
			}
			if d.End.IsValid() {
				f.End = p.Fset.Position(d.End)
			}
			o.Findings = append(o.Findings, f)
		}
	}
	return o
}

// assemble adds the outcomes of the roots, in order, to res: findings
// sorted by position and without duplicates (a file analyzed both as part
// of a package and of its test variant is reported once), results, and
// errors sorted by package.
func assemble(res *Result, roots []*packages.Package, outcomes map[string]*outcome) {
	type key struct {
		pos, end token.Position
		analyzer string
		msg      string
	}
	seen := make(map[key]bool)
	for _, p := range roots {
		o := outcomes[p.ID]
		if o == nil {
			continue
		}
		res.Errors = append(res.Errors, o.errs...)
		if o.Retry != nil {
			res.Retry = append(res.Retry, o.Retry)
		}
		if o.Intel != nil {
			res.Intel = append(res.Intel, o.Intel)
		}
		for _, f := range o.Findings {
			k := key{f.Pos, f.End, f.Analyzer, f.Message}
			if seen[k] {
				continue
			}
			seen[k] = true
			res.Findings = append(res.Findings, f)
		}
	}
	finishFindings(res)
}

// refuseRetried takes back the fixes of the agent methods that a retry of
// another package runs in its attempts (retrycoverage.Result.Retried: a
// job handler calling mail.Mailer.Send): the callee's package was
// analyzed first and could not know it, and a retry around such a method
// would nest in that retry. The finding stays, with the refusal as its
// message. The first package (in res.Retry's order) naming a method
// gives the reason.
func refuseRetried(res *Result) {
	type key struct{ pkg, typ, method string }
	var reasons map[key]string
	for _, r := range res.Retry {
		for _, m := range r.Retried {
			k := key{m.Pkg, m.Type, m.Method}
			if reasons == nil {
				reasons = map[key]string{}
			}
			if _, ok := reasons[k]; !ok {
				reasons[k] = m.Reason
			}
		}
	}
	if reasons == nil {
		return
	}
	for i, f := range res.Findings {
		s := f.Subject
		if s == nil || len(f.Fixes) == 0 || s.Analyzer != coverage.RetryAnalyzer || s.Kind != coverage.KindUnrouted {
			continue
		}
		if reason, ok := reasons[key{s.Package, s.Type, s.Method}]; ok {
			res.Findings[i].Message = retrycoverage.RefuseFix(f.Message, reason)
			res.Findings[i].Fixes = nil
		}
	}
}

// finishFindings says what each finding of res is about and sorts the
// findings by position and the errors by package.
func finishFindings(res *Result) {
	// What each finding is about, as data: from the analyzers' results,
	// by analyzer and position, never from message text.
	subjects := coverage.NewSubjects(res.Retry, res.Intel)
	for i, f := range res.Findings {
		if s, ok := subjects.Lookup(f.Analyzer, f.Pos); ok {
			res.Findings[i].Subject = &s
		}
	}
	refuseRetried(res)
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
