package targets

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// AgentName is the agent name written into intelligence.Op for workers of
// pkg: the agent-name setting, or the package name.
func (c *Classifier) AgentName(pkg *types.Package) string {
	if c.cfg.AgentName != "" {
		return c.cfg.AgentName
	}
	return pkg.Name()
}

// Method is an in-scope method (agent) or run method (worker).
type Method struct {
	Decl *ast.FuncDecl
	File *ast.File
	Func *types.Func
	Dirs []Directive // directives of the method's doc
}

// Type is an agent or worker type declared in the package.
type Type struct {
	Obj  *types.TypeName
	Spec *ast.TypeSpec
	File *ast.File
	// Marked is true when the declaration carries //resilience:agent or
	// //resilience:worker, Selected when the configuration (type or
	// package pattern, interface) selects it.
	Marked, Selected bool
	Dirs             []Directive // directives of the type's doc
	// Problems are the type's and its methods' directives that lack a
	// required reason; the analyzer owning the type reports them.
	Problems []Problem
	// Methods are the in-scope methods (agents: exported, last result
	// error) or run methods (workers: a configured run-method name, last
	// result error), in source order.
	Methods []*Method
}

// Package is the classification of one package.
type Package struct {
	Agents  []*Type
	Workers []*Type
}

// Problem is an invalid directive.
type Problem struct {
	Pos     token.Pos
	Message string
}

// ClassifyIn is Classify for a package of the module of version
// moduleVersion ("" for the main module or a workspace module; see
// ModuleVersion). In a dependency module, whose code -fix never rewrites,
// only the types its own source marks (//resilience:agent,
// //resilience:worker) are agents or workers: configured patterns and the
// defaults select the code being linted, not the modules it imports. A
// pattern such as "*Client" would otherwise make an SDK client's methods
// agents whose fixes no run writes, and a method that delegates to one
// would be told to wait for that fix ("-fix routes sdk.Client.Get, then
// this method by delegation") forever.
func (c *Classifier) ClassifyIn(fset *token.FileSet, files []*ast.File, pkg *types.Package, info *types.Info, moduleVersion string) *Package {
	p := c.Classify(fset, files, pkg, info)
	if moduleVersion == "" {
		return p
	}
	marked := func(ts []*Type) []*Type {
		var out []*Type
		for _, t := range ts {
			if t.Marked {
				out = append(out, t)
			}
		}
		return out
	}
	p.Agents, p.Workers = marked(p.Agents), marked(p.Workers)
	return p
}

// Classify decides the agents and workers declared in files of pkg.
// Types and methods declared in files that Skip rejects (generated files;
// test files unless include-tests) are left out.
func (c *Classifier) Classify(fset *token.FileSet, files []*ast.File, pkg *types.Package, info *types.Info) *Package {
	out := &Package{}
	byObj := map[*types.TypeName]*Type{}
	var order []*Type
	isAgent := map[*Type]bool{}
	isWorker := map[*Type]bool{}

	for _, f := range files {
		// Types of skipped files are not classified: a test file's types
		// only have methods in test files.
		if c.Skip(fset, f) {
			continue
		}
		for ts, doc := range typeSpecs(f) {
			dirs := Directives(doc)
			tn, _ := info.Defs[ts.Name].(*types.TypeName)
			if tn == nil || tn.IsAlias() {
				continue
			}
			if _, isIface := tn.Type().Underlying().(*types.Interface); isIface {
				continue
			}
			t := &Type{Obj: tn, Spec: ts, File: f, Dirs: dirs}
			byObj[tn] = t
			order = append(order, t)
			for _, dir := range dirs {
				if dir.Kind == DirIgnore && dir.Reason == "" {
					t.Problems = append(t.Problems, Problem{dir.Pos, fmt.Sprintf("//resilience:ignore on %s needs a reason: //resilience:ignore <why>", tn.Name())})
				}
			}
			switch {
			case Find(dirs, DirWorker) != nil:
				t.Marked = true
				isWorker[t] = true
			case Find(dirs, DirAgent) != nil:
				t.Marked = true
				isAgent[t] = true
			}
		}
	}

	// Methods, attached to their receiver's base type.
	runMethods := map[*Type][]*Method{}
	agentMethods := map[*Type][]*Method{}
	for _, f := range files {
		if c.Skip(fset, f) {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
				continue
			}
			fn, _ := info.Defs[fd.Name].(*types.Func)
			if fn == nil {
				continue
			}
			t := byObj[typepred.ReceiverTypeName(fn)]
			if t == nil {
				continue
			}
			sig := fn.Type().(*types.Signature)
			if !typepred.ReturnsError(sig) {
				continue
			}
			m := &Method{Decl: fd, File: f, Func: fn, Dirs: Directives(fd.Doc)}
			if fn.Exported() {
				agentMethods[t] = append(agentMethods[t], m)
			}
			if c.workerMethods[fn.Name()] {
				runMethods[t] = append(runMethods[t], m)
			}
		}
	}

	for _, t := range order {
		if t.Marked {
			continue
		}
		name, pkgPath := t.Obj.Name(), pkg.Path()
		// A worker by configuration needs a run method (with or without
		// an error result: one without is a worker out of scope, never
		// an agent).
		if MatchType(c.workerTypes, pkgPath, name) || c.implementsWorkerIface(t.Obj) {
			if hasRunMethod(t.Obj, c.workerMethods) {
				t.Selected = true
				isWorker[t] = true
				continue
			}
		}
		if MatchType(c.agentTypes, pkgPath, name) {
			t.Selected = true
			isAgent[t] = true
		} else if MatchPackage(c.agentPackages, pkgPath) && len(agentMethods[t]) > 0 {
			// Package-selected types count only when they have methods
			// in scope: an options struct in an agents package is not an
			// agent.
			t.Selected = true
			isAgent[t] = true
		}
	}

	for _, t := range order {
		switch {
		case isWorker[t]:
			t.Methods = runMethods[t]
			out.Workers = append(out.Workers, t)
		case isAgent[t]:
			t.Methods = agentMethods[t]
			out.Agents = append(out.Agents, t)
		}
		for _, m := range t.Methods {
			for _, dir := range m.Dirs {
				if (dir.Kind == DirNoRetry || dir.Kind == DirIgnore) && dir.Reason == "" {
					t.Problems = append(t.Problems, Problem{dir.Pos, fmt.Sprintf("//resilience:%s on %s.%s needs a reason: //resilience:%s <why>", dir.Kind, t.Obj.Name(), m.Func.Name(), dir.Kind)})
				}
			}
		}
	}
	return out
}

func hasRunMethod(tn *types.TypeName, names map[string]bool) bool {
	mset := types.NewMethodSet(types.NewPointer(tn.Type()))
	for i := 0; i < mset.Len(); i++ {
		fn, ok := mset.At(i).Obj().(*types.Func)
		if ok && names[fn.Name()] {
			return true
		}
	}
	return false
}

// implementsWorkerIface reports whether tn (or *tn) implements one of the
// configured worker interfaces. Interfaces are found among the packages
// tn's package imports (directly or not); an interface that is not
// reachable cannot be implemented knowingly and is ignored.
func (c *Classifier) implementsWorkerIface(tn *types.TypeName) bool {
	if len(c.workerIfaces) == 0 {
		return false
	}
	for _, iface := range c.lookupIfaces(tn.Pkg()) {
		if types.Implements(tn.Type(), iface) || types.Implements(types.NewPointer(tn.Type()), iface) {
			return true
		}
	}
	return false
}

func (c *Classifier) lookupIfaces(pkg *types.Package) []*types.Interface {
	var out []*types.Interface
	seen := map[*types.Package]bool{}
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		for q := range c.workerIfaces {
			// Compare whole strings: a dot in the last path element
			// (gopkg.in/yaml.v3) makes splitting ambiguous.
			name, ok := strings.CutPrefix(q, p.Path()+".")
			if !ok {
				continue
			}
			if obj, ok := p.Scope().Lookup(name).(*types.TypeName); ok {
				if it, ok := obj.Type().Underlying().(*types.Interface); ok {
					out = append(out, it)
				}
			}
		}
		for _, imp := range p.Imports() {
			visit(imp)
		}
	}
	visit(pkg)
	return out
}
