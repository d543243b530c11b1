package driver

import (
	"encoding/gob"
	"go/types"
	"reflect"
	"sort"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"
)

// factStore holds the Facts of one run: those exported by the packages
// analyzed in it and those decoded from the cache for dependencies read
// from export data. Facts are keyed by object (or package) identity, so
// one store serves every package of the run: a package sees the Facts of
// what it imports because it sees those objects.
type factStore struct {
	byName map[string]*analysis.Analyzer

	mu sync.RWMutex
	m  map[factKey]analysis.Fact
}

type factKey struct {
	a   *analysis.Analyzer
	obj types.Object   // nil for a package Fact
	pkg *types.Package // for a package Fact
	t   reflect.Type
}

// exportedFact is a Fact a package's pass exported (obj nil: a package
// Fact).
type exportedFact struct {
	analyzer *analysis.Analyzer
	obj      types.Object
	fact     analysis.Fact
}

func newFactStore(analyzers []*analysis.Analyzer) *factStore {
	s := &factStore{byName: make(map[string]*analysis.Analyzer), m: make(map[factKey]analysis.Fact)}
	for _, a := range analyzers {
		s.byName[a.Name] = a
		for _, f := range a.FactTypes {
			gob.Register(f) // Facts are stored in the cache as gob
		}
	}
	return s
}

// get copies the Fact of ptr's type on obj (or pkg) into ptr.
func (s *factStore) get(a *analysis.Analyzer, obj types.Object, pkg *types.Package, ptr analysis.Fact) bool {
	s.mu.RLock()
	f, ok := s.m[factKey{a, obj, pkg, reflect.TypeOf(ptr)}]
	s.mu.RUnlock()
	if ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(f).Elem())
	}
	return ok
}

func (s *factStore) set(a *analysis.Analyzer, obj types.Object, pkg *types.Package, fact analysis.Fact) {
	s.mu.Lock()
	s.m[factKey{a, obj, pkg, reflect.TypeOf(fact)}] = fact
	s.mu.Unlock()
}

// allObjects returns a's object Facts on objects of the packages in
// visible, in a stable order.
func (s *factStore) allObjects(a *analysis.Analyzer, visible map[*types.Package]bool) []analysis.ObjectFact {
	s.mu.RLock()
	var out []analysis.ObjectFact
	for k, f := range s.m {
		if k.a == a && k.obj != nil && visible[k.obj.Pkg()] {
			out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
		}
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		pi, pj := out[i].Object.Pkg().Path(), out[j].Object.Pkg().Path()
		if pi != pj {
			return pi < pj
		}
		if out[i].Object.Pos() != out[j].Object.Pos() {
			return out[i].Object.Pos() < out[j].Object.Pos()
		}
		return reflect.TypeOf(out[i].Fact).String() < reflect.TypeOf(out[j].Fact).String()
	})
	return out
}

// allPackages returns a's package Facts on the packages in visible, in a
// stable order.
func (s *factStore) allPackages(a *analysis.Analyzer, visible map[*types.Package]bool) []analysis.PackageFact {
	s.mu.RLock()
	var out []analysis.PackageFact
	for k, f := range s.m {
		if k.a == a && k.obj == nil && visible[k.pkg] {
			out = append(out, analysis.PackageFact{Package: k.pkg, Fact: f})
		}
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Package.Path() != out[j].Package.Path() {
			return out[i].Package.Path() < out[j].Package.Path()
		}
		return reflect.TypeOf(out[i].Fact).String() < reflect.TypeOf(out[j].Fact).String()
	})
	return out
}

// factsEntry is the cached analysis of a package that is only needed for
// its Facts: every Fact its passes exported, objects named by their
// objectpath relative to the package, which is how export data (the
// form in which the package is read when its Facts come from the cache)
// finds them again.
type factsEntry struct {
	Key   string // the entry's key, checked on read
	Facts []gobFact
}

type gobFact struct {
	Analyzer string
	Object   objectpath.Path // "" for a package Fact
	Package  bool
	Fact     analysis.Fact
}

// encode returns the entry of a package's exported Facts. A Fact on an
// object that has no path (one that export data cannot name: nothing
// outside the package can refer to it either) is left out.
func encodeFacts(exported []exportedFact) *factsEntry {
	e := &factsEntry{}
	var enc objectpath.Encoder
	for _, f := range exported {
		g := gobFact{Analyzer: f.analyzer.Name, Fact: f.fact}
		if f.obj == nil {
			g.Package = true
		} else {
			path, err := enc.For(f.obj)
			if err != nil {
				continue
			}
			g.Object = path
		}
		e.Facts = append(e.Facts, g)
	}
	// Passes may export concurrently: a stable order keeps entries
	// byte-identical from run to run.
	sort.SliceStable(e.Facts, func(i, j int) bool {
		a, b := e.Facts[i], e.Facts[j]
		if a.Analyzer != b.Analyzer {
			return a.Analyzer < b.Analyzer
		}
		if a.Object != b.Object {
			return a.Object < b.Object
		}
		return reflect.TypeOf(a.Fact).String() < reflect.TypeOf(b.Fact).String()
	})
	return e
}

// decode stores the Facts of e onto pkg (read from export data). A Fact
// on an object the export data does not have is dropped: no importer can
// refer to that object either (it sees the package through the same
// export data). decode reports false if an entry names an analyzer this
// run does not have: the entry is not this run's.
func (s *factStore) decode(e *factsEntry, pkg *types.Package) bool {
	type decoded struct {
		k factKey
		f analysis.Fact
	}
	var out []decoded
	for _, g := range e.Facts {
		a := s.byName[g.Analyzer]
		if a == nil || g.Fact == nil {
			return false
		}
		if g.Package {
			out = append(out, decoded{factKey{a, nil, pkg, reflect.TypeOf(g.Fact)}, g.Fact})
			continue
		}
		obj, err := objectpath.Object(pkg, g.Object)
		if err != nil {
			continue
		}
		out = append(out, decoded{factKey{a, obj, nil, reflect.TypeOf(g.Fact)}, g.Fact})
	}
	s.mu.Lock()
	for _, d := range out {
		s.m[d.k] = d.f
	}
	s.mu.Unlock()
	return true
}
