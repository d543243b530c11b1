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
	// before the packages that import it are: the run analyzes it there.
	after func(p *packages.Package)

	// checkTime is the time spent parsing and type-checking, summed over
	// packages (which are checked in parallel).
	checkTime atomic.Int64

	exportMu sync.Mutex // guards export-data loading and Types of non-source packages
	done     map[*packages.Package]chan struct{}
	cpu      chan struct{}
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
		done:    make(map[*packages.Package]chan struct{}),
		cpu:     make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
	packages.Visit(roots, nil, func(p *packages.Package) {
		if p.Types == nil {
			p.Types = types.NewPackage(p.PkgPath, p.Name)
		}
		if p.Fset == nil {
			p.Fset = fset
		}
		if source[p] {
			ld.done[p] = make(chan struct{})
		}
	})
	return ld
}

// load parses and type-checks every source package reachable from pkgs,
// dependencies first and in parallel, and calls after on each.
func (ld *loader) load(pkgs []*packages.Package) {
	var wg sync.WaitGroup
	started := make(map[*packages.Package]bool)
	var start func(p *packages.Package)
	start = func(p *packages.Package) {
		if started[p] {
			return
		}
		started[p] = true
		for _, imp := range p.Imports {
			start(imp)
		}
		if !ld.source[p] {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(ld.done[p])
			// Wait for every source package below p, not only its
			// direct imports: export data of a package in between may
			// mention one, and must not see it half-checked.
			seen := make(map[*packages.Package]bool)
			var wait func(q *packages.Package)
			wait = func(q *packages.Package) {
				for _, imp := range q.Imports {
					if seen[imp] {
						continue
					}
					seen[imp] = true
					if ch, ok := ld.done[imp]; ok {
						<-ch
					}
					wait(imp)
				}
			}
			wait(p)
			if ld.ctx.Err() != nil {
				p.IllTyped = true
				return
			}
			ld.cpu <- struct{}{}
			defer func() { <-ld.cpu }()
			t0 := time.Now()
			ld.check(p)
			ld.checkTime.Add(int64(time.Since(t0)))
			if ld.after != nil {
				ld.after(p)
			}
		}()
	}
	for _, p := range pkgs {
		start(p)
	}
	wg.Wait()
}

// check parses and type-checks one source package whose source imports
// are loaded. The caller holds a cpu token.
func (ld *loader) check(p *packages.Package) {
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
	// Parse.
	files := make([]*ast.File, len(p.CompiledGoFiles))
	errs := make([]error, len(p.CompiledGoFiles))
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
			files[i], errs[i] = parser.ParseFile(ld.fset, name, src, parser.AllErrors|parser.ParseComments)
		}()
	}
	wg.Wait()
	for i, f := range files {
		if errs[i] != nil {
			appendError(errs[i])
		}
		if f != nil {
			p.Syntax = append(p.Syntax, f)
		}
	}

	// Type-check.
	p.TypesInfo = &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
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
	return tpkg, nil
}

// importerFunc is a types.Importer from a function.
type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
