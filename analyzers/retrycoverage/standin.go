package retrycoverage

import (
	"go/token"
	"go/types"
	"slices"
	"strings"
)

// Retrying methods of types that importers' export data lacks.
//
// The interface rule (depifaces.go) finds the implementations of an
// interface method that retry among the object Facts of imported
// packages. A Fact on a method reaches an importer only if the importer's
// view of the package has the method's type, and export data holds a
// package's exported declarations and what they mention, not every
// type: etcd's clientv3.NewLease returns its unexported lessor as the
// exported interface Lease, so lessor is in no export data, and the
// export data go vet -vettool reads (written by x/tools' unitchecker)
// has no unexported type that only a function body mentions
// (etcdserverpb's kVClient, made by NewKVClient). The Fact saying that
// lessor.Grant retries was dropped there: a wrapper's call of
// Lease.Grant got a fix that nests etcd's retry when clientv3 came from
// the result cache, and under go vet / go fix every call through etcd's
// generated clients did (Put, Delete and Txn included, which etcd sends
// once).
//
// So each package also exports the package Fact RetryingImpls: its
// retrying methods of unexported types, each with the named interfaces
// of the package and of its imports, directly or not, that the type
// implements and that have the method. Package Facts need no object in
// export data. An importer whose view of the package lacks the type
// makes a stand-in: a named type of that name in the package whose
// methods are those interfaces' methods; it implements each interface
// the real type was seen to implement, and only interfaces whose methods
// the real type has, so a call through one finds it as a run from source
// does, under the same name and with the same retry origin.

// RetryingImpls is a package Fact: the methods of the package's
// unexported types that retry when called (RoutedFunc, NestedRetry,
// TransportRetry or UnroutedMethod), for importers whose export data
// lacks the types (standin.go).
type RetryingImpls struct {
	Impls []RetryingImpl
}

// RetryingImpl is one method of RetryingImpls.
type RetryingImpl struct {
	Type    string     // the receiver's type name
	Method  string     // the method's name
	Pointer bool       // a pointer receiver
	Ifaces  []IfaceRef // the interfaces it implements, sorted
	Via     string     // where the retry is (retryOrigin); "" for the method itself
}

// IfaceRef names a package-level named interface.
type IfaceRef struct{ Pkg, Name string }

// AFact marks RetryingImpls as an analysis.Fact.
func (*RetryingImpls) AFact() {}

// String describes the fact in analysistest wants and fact dumps.
func (f *RetryingImpls) String() string {
	names := make([]string, len(f.Impls))
	for i, m := range f.Impls {
		names[i] = m.Type + "." + m.Method
	}
	return "retrying impls " + strings.Join(names, ", ")
}

// standInRecv returns the receiver type of the method fn when importers'
// export data may lack it: an unexported package-level type (methods
// cannot be declared on local types), not generic.
func standInRecv(fn *types.Func) (named *types.Named, pointer, ok bool) {
	recv := fn.Signature().Recv()
	if recv == nil {
		return nil, false, false
	}
	t := types.Unalias(recv.Type())
	if p, isPtr := t.(*types.Pointer); isPtr {
		t, pointer = types.Unalias(p.Elem()), true
	}
	named, ok = t.(*types.Named)
	if !ok || named.TypeParams().Len() > 0 || types.IsInterface(named) || named.Obj().Exported() {
		return nil, false, false
	}
	return named, pointer, true
}

// exportRetryingImpls exports the package's RetryingImpls Fact, once
// every object Fact of the run is exported.
func (r *runner) exportRetryingImpls() {
	var impls []RetryingImpl
	var ifaces map[string][]*types.TypeName // by method name, built on first use
	for _, fn := range r.funcDecls() {
		named, pointer, ok := standInRecv(fn)
		if !ok {
			continue
		}
		via, retries := r.importedRetryOrigin(fn)
		if !retries {
			continue
		}
		if ifaces == nil {
			ifaces = namedIfaces(r.pass.Pkg)
		}
		var refs []IfaceRef
		for _, tn := range ifaces[fn.Name()] {
			it := tn.Type().Underlying().(*types.Interface)
			if types.Implements(named, it) || types.Implements(types.NewPointer(named), it) {
				refs = append(refs, IfaceRef{tn.Pkg().Path(), tn.Name()})
			}
		}
		if len(refs) == 0 {
			continue // no importer can call it through a named interface
		}
		slices.SortFunc(refs, func(a, b IfaceRef) int { return strings.Compare(a.Pkg+"."+a.Name, b.Pkg+"."+b.Name) })
		impls = append(impls, RetryingImpl{Type: named.Obj().Name(), Method: fn.Name(), Pointer: pointer, Ifaces: slices.Compact(refs), Via: via})
	}
	if len(impls) == 0 {
		return
	}
	slices.SortFunc(impls, func(a, b RetryingImpl) int { return strings.Compare(a.Type+"."+a.Method, b.Type+"."+b.Method) })
	r.pass.ExportPackageFact(&RetryingImpls{Impls: impls})
}

// importedRetryOrigin reports whether fn, of this package, carries a Fact
// saying it retries when called, and what an importer's retryOrigin would
// name for it ("" for fn itself).
func (r *runner) importedRetryOrigin(fn *types.Func) (string, bool) {
	if fact := new(NestedRetry); r.pass.ImportObjectFact(fn, fact) {
		return fact.Via, true
	}
	if fact := new(TransportRetry); r.pass.ImportObjectFact(fn, fact) {
		return fact.Library, true
	}
	return "", r.pass.ImportObjectFact(fn, new(RoutedFunc)) || r.pass.ImportObjectFact(fn, new(UnroutedMethod))
}

// namedIfaces returns the named, non-generic interfaces declared at
// package level in pkg and in its imports, directly or not, by method
// name.
func namedIfaces(pkg *types.Package) map[string][]*types.TypeName {
	out := map[string][]*types.TypeName{}
	seen := map[*types.Package]bool{}
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		scope := p.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || tn.IsAlias() {
				continue
			}
			named, ok := tn.Type().(*types.Named)
			if !ok || named.TypeParams().Len() > 0 {
				continue
			}
			if it, ok := named.Underlying().(*types.Interface); ok {
				for m := range it.Methods() {
					out[m.Name()] = append(out[m.Name()], tn)
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

// standInImpls adds to impls (depRetrying's, by name) the stand-ins of
// the RetryingImpls of imported packages whose types this package's view
// lacks, and records where each retries (r.standInVia).
func (r *runner) standInImpls(impls map[string][]depImpl) {
	var pkgs map[string]*types.Package // by path, built on first use
	for _, pf := range r.pass.AllPackageFacts() {
		f, ok := pf.Fact.(*RetryingImpls)
		if !ok || pf.Package == r.pass.Pkg {
			continue
		}
		named := map[string]*types.Named{}
		for _, m := range f.Impls {
			if _, ok := pf.Package.Scope().Lookup(m.Type).(*types.TypeName); ok {
				continue // the type is here: its object Facts are too
			}
			if pkgs == nil {
				pkgs = map[string]*types.Package{}
				var visit func(p *types.Package)
				visit = func(p *types.Package) {
					if _, ok := pkgs[p.Path()]; !ok {
						pkgs[p.Path()] = p
						for _, imp := range p.Imports() {
							visit(imp)
						}
					}
				}
				visit(r.pass.Pkg)
			}
			fn := standInMethod(pf.Package, named, m, pkgs)
			if fn == nil {
				continue
			}
			name := qualifiedName(fn)
			if slices.ContainsFunc(impls[fn.Name()], func(d depImpl) bool { return qualifiedName(d.fn) == name }) {
				continue
			}
			impls[fn.Name()] = append(impls[fn.Name()], depImpl{fn: fn, recv: fn.Signature().Recv().Type()})
			if r.standInVia == nil {
				r.standInVia = map[*types.Func]string{}
			}
			r.standInVia[fn] = m.Via
		}
	}
}

// standInMethod returns the stand-in of m's method in pkg (see above),
// making its type on first use (named, by type name); nil when none of
// m's interfaces resolves to one that has the method.
func standInMethod(pkg *types.Package, named map[string]*types.Named, m RetryingImpl, pkgs map[string]*types.Package) *types.Func {
	n := named[m.Type]
	if n == nil {
		n = types.NewNamed(types.NewTypeName(token.NoPos, pkg, m.Type, nil), types.NewStruct(nil, nil), nil)
		named[m.Type] = n
	}
	var recv types.Type = n
	if m.Pointer {
		recv = types.NewPointer(n)
	}
	method := func(name string) *types.Func {
		for fn := range n.Methods() {
			if fn.Name() == name {
				return fn
			}
		}
		return nil
	}
	for _, ref := range m.Ifaces {
		p := pkgs[ref.Pkg]
		if p == nil {
			continue
		}
		tn, ok := p.Scope().Lookup(ref.Name).(*types.TypeName)
		if !ok {
			continue
		}
		it, ok := tn.Type().Underlying().(*types.Interface)
		if !ok {
			continue
		}
		for im := range it.Methods() {
			if method(im.Name()) != nil {
				continue
			}
			sig := im.Signature()
			rv := types.NewParam(token.NoPos, pkg, "", recv)
			n.AddMethod(types.NewFunc(token.NoPos, pkg, im.Name(), types.NewSignatureType(rv, nil, nil, sig.Params(), sig.Results(), sig.Variadic())))
		}
	}
	return method(m.Method)
}
