package driver

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/types/objectpath"
)

// Facts on methods of types that export data does not have.
//
// Export data holds a package's exported objects and what they mention,
// not every declaration: etcd's clientv3.NewLease returns its unexported
// lessor as the exported interface Lease, so lessor is not in
// clientv3's export data. A Fact on (*lessor).Grant therefore could not
// be attached when clientv3's Facts came from the cache, though the
// analyzers do look at such Facts: retrycoverage takes a call of an
// interface method to nest a retry when a method of an imported package
// implementing it carries a retry Fact (AllObjectFacts), and lessor.Grant
// reaches grpc's retry. With clientv3 analyzed from source (a cold run,
// --no-cache) a wrapper's call of Lease.Grant was refused as nesting;
// with clientv3's Facts from the cache it got a fix, and -fix nested
// etcd's retry interceptor (5 attempts on Unavailable became 15 with a
// gRPC-aware policy).
//
// So a Fact on a method whose receiver type export data may lack (an
// unexported or local named type) also records a stand-in: the type's
// name, the method's name and receiver kind, and the named interfaces of
// the package and of its imports, directly or not, that the type
// implements and that have the method. When the method is missing from
// export data, decodeStandIns makes a named type of that name in the
// package whose methods are those interfaces' methods, and attaches the
// Fact to its method: it implements every interface the real type was
// seen to implement (and only interfaces whose methods the real type
// has), so a call through one of them finds it as the cold run did, under
// the same name.

// methodStandIn describes the receiver of a Fact's method for importers
// whose export data lacks it (see above).
type methodStandIn struct {
	Type    string // the receiver's type name
	Method  string
	Pointer bool       // a pointer receiver
	Ifaces  []ifaceRef // sorted by package path and name
}

// ifaceRef names a package-level named interface.
type ifaceRef struct{ Pkg, Name string }

// standInIndex finds, by method name, the named interfaces declared at
// package level in a package and its imports, directly or not; built on
// first use per entry (most entries need none).
type standInIndex map[string][]*types.TypeName

func newStandInIndex(pkg *types.Package) standInIndex {
	idx := standInIndex{}
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
			it, ok := named.Underlying().(*types.Interface)
			if !ok {
				continue
			}
			for m := range it.Methods() {
				idx[m.Name()] = append(idx[m.Name()], tn)
			}
		}
		for _, imp := range p.Imports() {
			visit(imp)
		}
	}
	visit(pkg)
	return idx
}

// needsStandIn returns the receiver type of the method fn when export
// data may not have it: an unexported type, or one declared in a
// function. Exported package-level types are always in export data.
func needsStandIn(fn *types.Func) (*types.Named, bool, bool) {
	recv := fn.Signature().Recv()
	if recv == nil {
		return nil, false, false
	}
	t := types.Unalias(recv.Type())
	ptr, isPtr := t.(*types.Pointer)
	if isPtr {
		t = types.Unalias(ptr.Elem())
	}
	named, ok := t.(*types.Named)
	if !ok || named.TypeParams().Len() > 0 || types.IsInterface(named) {
		return nil, false, false
	}
	tn := named.Obj()
	if tn.Pkg() == nil || (tn.Exported() && tn.Parent() == tn.Pkg().Scope()) {
		return nil, false, false
	}
	return named, isPtr, true
}

// standInFor returns the stand-in of fn's receiver, or nil when fn needs
// none or implements no interface of idx (index built by get on first
// use).
func standInFor(fn *types.Func, get func() standInIndex) *methodStandIn {
	named, isPtr, ok := needsStandIn(fn)
	if !ok {
		return nil
	}
	var ifaces []ifaceRef
	for _, tn := range get()[fn.Name()] {
		it := tn.Type().Underlying().(*types.Interface)
		if types.Implements(named, it) || types.Implements(types.NewPointer(named), it) {
			ifaces = append(ifaces, ifaceRef{tn.Pkg().Path(), tn.Name()})
		}
	}
	if len(ifaces) == 0 {
		return nil
	}
	slices.SortFunc(ifaces, func(a, b ifaceRef) int {
		if c := strings.Compare(a.Pkg, b.Pkg); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	ifaces = slices.Compact(ifaces)
	return &methodStandIn{Type: named.Obj().Name(), Method: fn.Name(), Pointer: isPtr, Ifaces: ifaces}
}

// standIns makes the stand-in types of one package read from export data
// (see above), one per type name.
type standIns struct {
	pkg    *types.Package
	lookup func(path string) *types.Package
	named  map[string]*types.Named
}

// method returns the stand-in of s's method, or nil when none of its
// interfaces resolves to one that has it.
func (s *standIns) method(m *methodStandIn) *types.Func {
	n := s.named[m.Type]
	if n == nil {
		n = types.NewNamed(types.NewTypeName(token.NoPos, s.pkg, m.Type, nil), types.NewStruct(nil, nil), nil)
		s.named[m.Type] = n
	}
	var recv types.Type = n
	if m.Pointer {
		recv = types.NewPointer(n)
	}
	has := func(name string) *types.Func {
		for fn := range n.Methods() {
			if fn.Name() == name {
				return fn
			}
		}
		return nil
	}
	for _, ref := range m.Ifaces {
		p := s.lookup(ref.Pkg)
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
			if has(im.Name()) != nil {
				continue
			}
			sig := im.Signature()
			rv := types.NewParam(token.NoPos, s.pkg, "", recv)
			n.AddMethod(types.NewFunc(token.NoPos, s.pkg, im.Name(), types.NewSignatureType(rv, nil, nil, sig.Params(), sig.Results(), sig.Variadic())))
		}
	}
	return has(m.Method)
}

// decodeStandIns attaches the Facts of e whose methods pkg's export data
// lacks to stand-ins (see above). lookup finds the packages the
// stand-ins' interfaces are declared in; it is called once every package
// of the run read from export data is read, so that what it finds is
// complete whatever the order of the reads.
func (s *factStore) decodeStandIns(e *factsEntry, pkg *types.Package, lookup func(string) *types.Package) {
	var si *standIns
	for _, g := range e.Facts {
		if g.StandIn == nil {
			continue
		}
		a := s.byName[g.Analyzer]
		if a == nil || g.Fact == nil {
			continue
		}
		if g.Object != "" {
			if _, err := objectpath.Object(pkg, g.Object); err == nil {
				continue // export data has it: decode attached the Fact
			}
		}
		if si == nil {
			si = &standIns{pkg: pkg, lookup: lookup, named: map[string]*types.Named{}}
		}
		fn := si.method(g.StandIn)
		if fn == nil {
			continue
		}
		s.set(a, fn, nil, g.Fact)
	}
}
