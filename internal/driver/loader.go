package driver

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// listMode is what the one go list call of a run asks for: the import
// graph with files, modules and compiler export data, but no syntax or
// types. Run parses and type-checks (typeCheck) only the packages it
// analyzes; the others come from export data, as a go/analysis driver
// without Facts loads them. One go list, not two (one for the graph to
// choose the analyzed set, one for go/packages to load it), is most of
// what separates the driver's wall time from a no-op driver's.
const listMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedDeps | packages.NeedModule | packages.NeedForTest |
	packages.NeedExportFile | packages.NeedTypesSizes | packages.NeedEmbedFiles

// loader type-checks a listed import graph: the packages in source from
// their compiled Go files, every other one from its export data, on demand.
// It follows go/packages' loader (one types.Package per listed package,
// created up front so that export data never creates a second copy of a
// package; export data read under one lock), so that the analyzers see the
// same types as under go/packages.
type loader struct {
	ctx     context.Context
	fset    *token.FileSet
	overlay map[string][]byte
	source  map[*packages.Package]bool
	// after is called with each source package once it is type-checked,
	// the packages below it are analyzed and gate is closed: the run
	// analyzes it there.
	after func(p *packages.Package)
	// gate, if not nil, holds back every call of after until it is
	// closed (the run closes it once every package it reads from export
	// data is read: see loadExportData).
	gate <-chan struct{}
	// checked, if not nil, is called with each source package once it
	// is type-checked (the loader's tests watch the order of the steps).
	checked func(p *packages.Package)

	// checkTime is the time spent parsing and type-checking, summed over
	// packages (which are checked in parallel).
	checkTime atomic.Int64

	exportMu sync.Mutex // guards export-data loading and Types of non-source packages
	// reads are the packages read from export data, in order (guarded by
	// exportMu): the run's export plan.
	reads []exportRead
}

// newLoader prepares the packages of graph (every package reachable from
// roots) for loading: source packages get syntax and types, the others
// export data when imported.
func newLoader(ctx context.Context, fset *token.FileSet, overlay map[string][]byte, roots []*packages.Package, source map[*packages.Package]bool, after func(*packages.Package)) *loader {
	ld := &loader{
		ctx:     ctx,
		fset:    fset,
		overlay: overlay,
		source:  source,
		after:   after,
	}
	packages.Visit(roots, nil, func(p *packages.Package) {
		if p.Types == nil {
			p.Types = types.NewPackage(p.PkgPath, p.Name)
		}
		if p.Fset == nil {
			p.Fset = fset
		}
	})
	return ld
}

// A source package goes through three steps, each a task for one of the
// loader's workers: parse (which needs nothing else), type-check (once it
// is parsed and every source package below it is type-checked) and
// analyze (after: once it is type-checked, every source package below it
// is analyzed and the gate is open).
//
// Type-checking waits for every source package below, not only the
// direct imports: export data of a package in between may mention one,
// and must not see it half-checked. Analysis waits for the analysis of
// every source package below: their Facts must all be known before a
// pass starts. Splitting the steps keeps the critical path short: an
// importer is type-checked while its imports are still being analyzed,
// and files are parsed while the workers would otherwise wait.
type loadState struct {
	p *packages.Package
	// up are the source packages for which this one is a nearest source
	// package below (reached through packages that are not in source).
	up []*loadState
	// checkWait and analyzeWait count what the steps still wait for: the
	// nearest source packages below not yet type-checked (analyzed).
	checkWait, analyzeWait int
	// prio is the length of the longest chain of source importers above
	// the package, in files: the work that waits for it.
	prio int

	parse   parseStep
	checked bool
	files   []*ast.File
	errs    []error
}

// parseStep is where the parsing of a package stands.
type parseStep int

const (
	unparsed parseStep = iota
	parsing
	parsed
)

// aheadPerCPU bounds the work done ahead of need, per CPU: packages parsed
// but not yet type-checked, and packages type-checked but not yet
// analyzed. Each holds its syntax (and type information), so the bound
// keeps a run's memory at a few packages per CPU, not the graph's.
const aheadPerCPU = 4

// load parses, type-checks and analyzes (after) every source package
// reachable from pkgs, dependencies first and in parallel.
func (ld *loader) load(pkgs []*packages.Package) {
	// The source packages, dependencies first, and the nearest source
	// packages below each.
	states := make(map[*packages.Package]*loadState)
	var order []*loadState
	nearest := make(map[*packages.Package][]*loadState) // for packages not in source
	var visit func(p *packages.Package) []*loadState
	visit = func(p *packages.Package) []*loadState {
		if st, ok := states[p]; ok {
			return []*loadState{st}
		}
		if below, ok := nearest[p]; ok {
			return below
		}
		nearest[p] = nil // cycles cannot occur, but be safe
		seen := make(map[*loadState]bool)
		var below []*loadState
		for _, imp := range p.Imports {
			for _, st := range visit(imp) {
				if !seen[st] {
					seen[st] = true
					below = append(below, st)
				}
			}
		}
		if !ld.source[p] {
			nearest[p] = below
			return below
		}
		delete(nearest, p)
		st := &loadState{p: p, checkWait: len(below), analyzeWait: len(below)}
		for _, b := range below {
			b.up = append(b.up, st)
		}
		states[p] = st
		order = append(order, st)
		return []*loadState{st}
	}
	for _, p := range pkgs {
		visit(p)
	}
	for i := len(order) - 1; i >= 0; i-- { // importers first
		st := order[i]
		for _, u := range st.up {
			st.prio = max(st.prio, u.prio)
		}
		st.prio += len(st.p.CompiledGoFiles) + 1
	}
	if len(order) == 0 {
		return
	}

	workers := runtime.GOMAXPROCS(0)
	ahead := aheadPerCPU * workers
	var (
		mu       sync.Mutex
		cond     = sync.NewCond(&mu)
		checks   []*loadState // ready to type-check
		analyses []*loadState // ready to analyze
		toParse  = slices.Clone(order)
		left     = len(order) // packages not yet analyzed
		gateOpen = ld.gate == nil || ld.after == nil
		// parsedAhead counts packages parsed (or being parsed) but not
		// type-checked; checkedAhead, type-checked but not analyzed.
		parsedAhead, checkedAhead int
		running                   int // tasks being run
	)
	for _, st := range order {
		if st.checkWait == 0 {
			checks = append(checks, st)
		}
	}
	// Highest priority first; ties in dependency order.
	slices.SortStableFunc(toParse, func(a, b *loadState) int { return b.prio - a.prio })
	if !gateOpen {
		go func() {
			select {
			case <-ld.gate:
			case <-ld.ctx.Done():
			}
			mu.Lock()
			gateOpen = true
			mu.Unlock()
			cond.Broadcast()
		}()
	}
	const (
		doParse = iota
		doCheck
		doAnalyze
	)
	// pick returns the next task, nil if none can start now. The caller
	// holds mu.
	pick := func() (*loadState, int) {
		// While the gate is closed, what it waits for (export data
		// and cached Facts, read one package at a time) holds back
		// every analysis: one CPU is left to it.
		if !gateOpen && running >= max(workers-1, 1) {
			return nil, 0
		}
		best, kind, prio := -1, doCheck, 0
		for i, st := range checks {
			if st.parse != parsing && (best < 0 || st.prio > prio) {
				best, prio = i, st.prio
			}
		}
		// Type-checking far ahead of the analyses holds the type
		// information of many packages: then the analyses go first.
		if gateOpen {
			behind := checkedAhead >= ahead
			for i, st := range analyses {
				if best < 0 || st.prio > prio || behind && kind == doCheck {
					best, kind, prio = i, doAnalyze, st.prio
				}
			}
		}
		switch {
		case best >= 0 && kind == doCheck:
			st := checks[best]
			checks = slices.Delete(checks, best, best+1)
			if st.parse == unparsed {
				parsedAhead++
			}
			st.parse = parsing
			return st, doCheck
		case best >= 0:
			st := analyses[best]
			analyses = slices.Delete(analyses, best, best+1)
			return st, doAnalyze
		}
		// Nothing is ready: parse ahead, the package most work waits
		// for first.
		for len(toParse) > 0 && parsedAhead < ahead {
			st := toParse[0]
			toParse = toParse[1:]
			if st.parse == unparsed {
				st.parse = parsing
				parsedAhead++
				return st, doParse
			}
		}
		return nil, 0
	}

	var wg sync.WaitGroup
	for range min(workers, len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			for left > 0 {
				st, kind := pick()
				if st == nil {
					cond.Wait()
					continue
				}
				running++
				mu.Unlock()
				switch kind {
				case doParse:
					t0 := time.Now()
					st.files, st.errs = ld.parse(st.p)
					ld.checkTime.Add(int64(time.Since(t0)))
				case doCheck:
					if ld.ctx.Err() != nil {
						st.p.IllTyped = true
						break
					}
					t0 := time.Now()
					if st.files == nil && st.errs == nil {
						st.files, st.errs = ld.parse(st.p)
					}
					ld.check(st.p, st.files, st.errs)
					st.files, st.errs = nil, nil
					ld.checkTime.Add(int64(time.Since(t0)))
					if ld.checked != nil {
						ld.checked(st.p)
					}
				case doAnalyze:
					if ld.ctx.Err() == nil && ld.after != nil {
						ld.after(st.p)
					}
				}
				mu.Lock()
				running--
				switch kind {
				case doParse:
					st.parse = parsed
				case doCheck:
					st.parse, st.checked = parsed, true
					parsedAhead--
					checkedAhead++
					for _, u := range st.up {
						if u.checkWait--; u.checkWait == 0 {
							checks = append(checks, u)
						}
					}
					if st.analyzeWait == 0 {
						analyses = append(analyses, st)
					}
				case doAnalyze:
					left--
					checkedAhead--
					for _, u := range st.up {
						if u.analyzeWait--; u.analyzeWait == 0 && u.checked {
							analyses = append(analyses, u)
						}
					}
				}
				cond.Broadcast()
			}
		}()
	}
	wg.Wait()
}

// parse parses the compiled Go files of p, in parallel, and returns the
// files (nil for one that could not be read) and their errors.
func (ld *loader) parse(p *packages.Package) ([]*ast.File, []error) {
	files := make([]*ast.File, len(p.CompiledGoFiles))
	errs := make([]error, len(p.CompiledGoFiles))
	// Without the parser's deprecated identifier resolution (ast.Object):
	// neither go/types nor the analyzers read it, and the fixers decorate
	// and print the methods they rewrite from their own parse, which
	// skips it too (fixers.decorateMethod); it cost 3% of the bytes a run
	// allocates.
	const mode = parser.AllErrors | parser.ParseComments | parser.SkipObjectResolution
	var wg sync.WaitGroup
	for i, name := range p.CompiledGoFiles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			src, ok := ld.overlay[name]
			if !ok {
				var err error
				if src, err = os.ReadFile(name); err != nil {
					errs[i] = err
					return
				}
			}
			files[i], errs[i] = parser.ParseFile(ld.fset, name, src, mode)
		}()
	}
	wg.Wait()
	return files, errs
}

// check type-checks one source package, parsed into files (with errs),
// whose source imports are type-checked.
func (ld *loader) check(p *packages.Package, files []*ast.File, errs []error) {
	appendError := func(err error) {
		switch err := err.(type) {
		case scanner.ErrorList:
			for _, e := range err {
				p.Errors = append(p.Errors, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
			}
		case types.Error:
			p.TypeErrors = append(p.TypeErrors, err)
			p.Errors = append(p.Errors, packages.Error{Pos: err.Fset.Position(err.Pos).String(), Msg: err.Msg, Kind: packages.TypeError})
		case *os.PathError:
			p.Errors = append(p.Errors, packages.Error{Pos: err.Path + ":1", Msg: err.Err.Error(), Kind: packages.ParseError})
		default:
			p.Errors = append(p.Errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.UnknownError})
		}
	}
	for i, f := range files {
		if errs[i] != nil {
			appendError(errs[i])
		}
		if f != nil {
			p.Syntax = append(p.Syntax, f)
		}
	}

	// Type-check.
	// The maps are made at about the size they reach (infoSizes): grown
	// from empty, they were rehashed again and again as the checker
	// filled them, 6-7% of a run's CPU.
	code := codeBytes(p.Syntax)
	p.TypesInfo = &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue, code*typesPerKB/1024),
		Defs:         make(map[*ast.Ident]types.Object, code*defsPerKB/1024),
		Uses:         make(map[*ast.Ident]types.Object, code*usesPerKB/1024),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope, code*scopesPerKB/1024),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection, code*selectionsPerKB/1024),
		FileVersions: make(map[*ast.File]string, len(p.Syntax)),
	}
	tc := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			imp := p.Imports[path]
			if imp == nil {
				return nil, fmt.Errorf("no metadata for %s", path)
			}
			if ld.source[imp] {
				return imp.Types, nil // loaded: load waits for it
			}
			return ld.fromExportData(imp)
		}),
		Error: appendError,
		Sizes: p.TypesSizes,
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		tc.GoVersion = "go" + p.Module.GoVersion
	}
	err := types.NewChecker(tc, ld.fset, p.Types, p.TypesInfo).Files(p.Syntax)
	if err != nil && len(p.Errors) == 0 {
		appendError(err)
	}
	p.IllTyped = len(p.Errors) > 0
	for _, imp := range p.Imports {
		if imp.IllTyped {
			p.IllTyped = true
		}
	}
}

// fromExportData returns the types of p, a package not loaded from source,
// read from its export data the first time. Reading may complete the
// (pre-created) packages of p's dependencies, so it is serialised and
// sees every package of p's transitive closure, as in go/packages.
func (ld *loader) fromExportData(p *packages.Package) (*types.Package, error) {
	ld.exportMu.Lock()
	defer ld.exportMu.Unlock()
	if p.Types.Complete() {
		return p.Types, nil
	}
	if p.ExportFile == "" {
		return nil, fmt.Errorf("no export data for %s", p.PkgPath)
	}
	f, err := os.Open(p.ExportFile)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read-only: a close error loses nothing
	// go list -export names the build cache's archive files, which only
	// NewReader reads (until Go 1.29, when the go command writes plain
	// export data and gcexportdata.Read takes them as they are).
	r, err := gcexportdata.NewReader(f) //nolint:staticcheck // SA1019: see above

	if err != nil {
		return nil, fmt.Errorf("reading %s: %v", p.ExportFile, err)
	}
	view := make(map[string]*types.Package)
	seen := make(map[*packages.Package]bool)
	var visit func(imports map[string]*packages.Package)
	visit = func(imports map[string]*packages.Package) {
		for _, imp := range imports {
			if !seen[imp] {
				seen[imp] = true
				view[imp.PkgPath] = imp.Types
				visit(imp.Imports)
			}
		}
	}
	visit(p.Imports)
	view[p.PkgPath] = p.Types
	tpkg, err := gcexportdata.Read(r, ld.fset, view, p.PkgPath)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %v", p.ExportFile, err)
	}
	p.Types = tpkg
	ld.reads = append(ld.reads, exportRead{p.PkgPath, p.ExportFile})
	return tpkg, nil
}

// importerFunc is a types.Importer from a function.
type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// The entries go/types records per KiB of a package's code (its files'
// bytes less their comments), for sizing the maps of its types.Info up
// front: the means over the 70 packages of more than 2 KB that linting
// this repository and github.com/spf13/cobra type-checks (the ratio of
// Types ranges from 0.05 to 0.19 per byte, 0.09-0.14 for most).
const (
	typesPerKB      = 102 // 0.100 per byte
	usesPerKB       = 57  // 0.056
	defsPerKB       = 14  // 0.0135
	selectionsPerKB = 9   // 0.0093
	scopesPerKB     = 9   // 0.0093
)

// codeBytes returns the bytes of files less their comments.
func codeBytes(files []*ast.File) int {
	n := 0
	for _, f := range files {
		n += int(f.FileEnd - f.FileStart)
		for _, c := range f.Comments {
			n -= int(c.End() - c.Pos())
		}
	}
	return max(n, 0)
}
