package driver

import (
	"fmt"
	"go/token"
	"go/types"
	"net/url"
	"os"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/resilience-lint/resilience-lint/internal/fixers"
)

// runner runs the analyzers over one source package at a time, as a
// go/analysis driver does, with a Fact store shared by the whole run.
//
// It replaces checker.Analyze so that a package can be analyzed as soon as
// it is type-checked and its imports' Facts are known, and its syntax,
// type information and analyzer results dropped right after (only its
// Facts and types outlive it): the run's memory is the types of the
// import graph and the Facts, not every package's syntax at once. It also
// lets Facts come from somewhere other than an analysis in this run: the
// Facts of a dependency whose analysis is cached are decoded onto its
// export data (factStore.decode), and the package is never parsed.
type runner struct {
	fset *token.FileSet
	// order is every analyzer of the run, required ones first.
	order []*analysis.Analyzer
	// wanted are the analyzers whose diagnostics and results the run
	// reports (the suite's); the others run for their dependents.
	wanted map[*analysis.Analyzer]bool
	// forFacts are the analyzers that run on a package analyzed only for
	// its Facts (a dependency): those with Facts and what they require.
	forFacts map[*analysis.Analyzer]bool
	facts    *factStore
	overlay  map[string][]byte
}

// newRunner returns a runner of analyzers (and the analyzers they
// require).
func newRunner(fset *token.FileSet, analyzers []*analysis.Analyzer, overlay map[string][]byte) *runner {
	r := &runner{fset: fset, wanted: make(map[*analysis.Analyzer]bool), forFacts: make(map[*analysis.Analyzer]bool), overlay: overlay}
	r.order = analyzerOrder(analyzers)
	for _, a := range analyzers {
		r.wanted[a] = true
	}
	var needs func(a *analysis.Analyzer)
	needs = func(a *analysis.Analyzer) {
		if !r.forFacts[a] {
			r.forFacts[a] = true
			for _, req := range a.Requires {
				needs(req)
			}
		}
	}
	for _, a := range r.order {
		if len(a.FactTypes) > 0 {
			needs(a)
		}
	}
	r.facts = newFactStore(r.order)
	return r
}

// analyzerOrder returns analyzers and every analyzer they require,
// directly or not, each once, required ones first.
func analyzerOrder(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	var order []*analysis.Analyzer
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, req := range a.Requires {
			visit(req)
		}
		order = append(order, a)
	}
	for _, a := range analyzers {
		visit(a)
	}
	return order
}

// action is the outcome of one analyzer on one package.
type action struct {
	analyzer *analysis.Analyzer
	result   any
	err      error
	diags    []analysis.Diagnostic
}

// unit is the outcome of the analysis of one package: its actions, in
// runner.order, and the Facts it exported.
type unit struct {
	actions []*action
	// failed are the Fact-exporting analyzers that failed on the package
	// (its importers cannot be analyzed by them either).
	failed map[*analysis.Analyzer]bool
	// exported are the Facts the package's passes exported.
	exported []exportedFact
}

// analyze runs the analyzers over p, whose source imports are analyzed
// (their units are in imports, by package): all of them for a root, those
// that compute Facts for a package analyzed for its Facts only. p must
// have syntax and types.
func (r *runner) analyze(p *packages.Package, root bool, imports func(*packages.Package) *unit) *unit {
	u := &unit{failed: make(map[*analysis.Analyzer]bool)}
	byAnalyzer := make(map[*analysis.Analyzer]*action, len(r.order))
	var module *analysis.Module
	if p.Module != nil {
		module = &analysis.Module{Path: p.Module.Path, Version: p.Module.Version, GoVersion: p.Module.GoVersion}
	}
	// The packages whose Facts p's passes may see: p and what it
	// imports, directly or not (AllObjectFacts, AllPackageFacts).
	var visible map[*types.Package]bool
	visibleSet := func() map[*types.Package]bool {
		if visible == nil {
			visible = make(map[*types.Package]bool)
			var walk func(t *types.Package)
			walk = func(t *types.Package) {
				if visible[t] {
					return
				}
				visible[t] = true
				for _, imp := range t.Imports() {
					walk(imp)
				}
			}
			walk(p.Types)
		}
		return visible
	}
	for _, a := range r.order {
		if !root && !r.forFacts[a] {
			continue
		}
		act := &action{analyzer: a}
		u.actions = append(u.actions, act)
		byAnalyzer[a] = act

		var failed []string
		for _, req := range a.Requires {
			if byAnalyzer[req].err != nil {
				failed = append(failed, req.Name)
			}
		}
		if len(a.FactTypes) > 0 {
			for _, imp := range p.Imports {
				if iu := imports(imp); iu != nil && iu.failed[a] {
					failed = append(failed, a.Name+"@"+imp.PkgPath)
				}
			}
		}
		switch {
		case len(failed) > 0:
			sort.Strings(failed)
			act.err = fmt.Errorf("failed prerequisites: %s", strings.Join(failed, ", "))
		case p.IllTyped && !a.RunDespiteErrors:
			act.err = fmt.Errorf("analysis skipped due to errors in package")
		default:
			inputs := make(map[*analysis.Analyzer]any, len(a.Requires))
			for _, req := range a.Requires {
				inputs[req] = byAnalyzer[req].result
			}
			act.result, act.err = r.pass(p, root, a, module, inputs, act, u, visibleSet)
		}
		if act.err != nil && len(a.FactTypes) > 0 {
			u.failed[a] = true
		}
	}
	return u
}

// pass runs analyzer a over p. A panic is the package's error, not the
// end of the run. The pass of a package that is not a root is marked
// fixers.FactsOnly: its diagnostics are dropped, so the fixers only
// decide whether each fix exists (what its Facts depend on), without
// printing it.
func (r *runner) pass(p *packages.Package, root bool, a *analysis.Analyzer, module *analysis.Module, inputs map[*analysis.Analyzer]any, act *action, u *unit, visible func() map[*types.Package]bool) (res any, err error) {
	var mu sync.Mutex // an analyzer may report from several goroutines
	pass := &analysis.Pass{
		Analyzer:     a,
		Fset:         r.fset,
		Files:        p.Syntax,
		OtherFiles:   p.OtherFiles,
		IgnoredFiles: p.IgnoredFiles,
		Pkg:          p.Types,
		TypesInfo:    p.TypesInfo,
		TypesSizes:   p.TypesSizes,
		TypeErrors:   p.TypeErrors,
		Module:       module,
		ResultOf:     inputs,
		Report: func(d analysis.Diagnostic) {
			d.URL = diagnosticURL(a, d)
			// Edits in file order, as go/analysis drivers leave them
			// after validating a fix.
			for _, fix := range d.SuggestedFixes {
				sort.SliceStable(fix.TextEdits, func(i, j int) bool {
					if fix.TextEdits[i].Pos != fix.TextEdits[j].Pos {
						return fix.TextEdits[i].Pos < fix.TextEdits[j].Pos
					}
					return fix.TextEdits[i].End < fix.TextEdits[j].End
				})
			}
			mu.Lock()
			defer mu.Unlock()
			act.diags = append(act.diags, d)
		},
		ReadFile: func(name string) ([]byte, error) {
			if b, ok := r.overlay[name]; ok {
				return b, nil
			}
			return os.ReadFile(name)
		},
		ImportObjectFact: func(obj types.Object, ptr analysis.Fact) bool {
			if obj == nil {
				panic("nil object passed to ImportObjectFact")
			}
			return r.facts.get(a, obj, nil, ptr)
		},
		ImportPackageFact: func(pkg *types.Package, ptr analysis.Fact) bool {
			if pkg == nil {
				panic("nil package passed to ImportPackageFact")
			}
			return r.facts.get(a, nil, pkg, ptr)
		},
		ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
			if obj.Pkg() != p.Types {
				panic(fmt.Sprintf("internal error: in analysis %s of package %s: Fact.Set(%s): can't set facts on objects belonging another package", a, p.Types.Path(), obj))
			}
			r.checkFactType(a, fact)
			r.facts.set(a, obj, nil, fact)
			mu.Lock()
			u.exported = append(u.exported, exportedFact{analyzer: a, obj: obj, fact: fact})
			mu.Unlock()
		},
		ExportPackageFact: func(fact analysis.Fact) {
			r.checkFactType(a, fact)
			r.facts.set(a, nil, p.Types, fact)
			mu.Lock()
			u.exported = append(u.exported, exportedFact{analyzer: a, fact: fact})
			mu.Unlock()
		},
		AllObjectFacts: func() []analysis.ObjectFact {
			return r.facts.allObjects(a, visible())
		},
		AllPackageFacts: func() []analysis.PackageFact {
			return r.facts.allPackages(a, visible())
		},
	}
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, fmt.Errorf("internal error (please report it): panic: %v\n%s", v, debug.Stack())
		}
	}()
	if !root {
		defer fixers.FactsOnly(pass)()
	}
	res, err = a.Run(pass)
	if err == nil && a.ResultType != nil && res != nil {
		if got := reflect.TypeOf(res); got != a.ResultType {
			err = fmt.Errorf("internal error: on package %s, analyzer %s returned a result of type %v, but declared ResultType %v", p.PkgPath, a, got, a.ResultType)
		}
	}
	return res, err
}

// checkFactType panics, as every go/analysis driver does, on a Fact of a
// type the analyzer did not declare.
func (r *runner) checkFactType(a *analysis.Analyzer, fact analysis.Fact) {
	t := reflect.TypeOf(fact)
	for _, f := range a.FactTypes {
		if reflect.TypeOf(f) == t {
			return
		}
	}
	panic(fmt.Sprintf("internal error: analyzer %s exported a Fact of undeclared type %v", a, t))
}

// diagnosticURL returns the URL of d as go/analysis drivers resolve it:
// d.URL, or "#" + its category, relative to the analyzer's URL.
func diagnosticURL(a *analysis.Analyzer, d analysis.Diagnostic) string {
	raw := d.URL
	if raw == "" && d.Category != "" {
		raw = "#" + d.Category
	}
	if raw == "" || a.URL == "" {
		return d.URL
	}
	base, err := url.Parse(a.URL)
	if err != nil {
		return d.URL
	}
	rel, err := url.Parse(raw)
	if err != nil {
		return d.URL
	}
	return base.ResolveReference(rel).String()
}
