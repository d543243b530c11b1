package retrysafety

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// Last values (see doc.go, "Last values"): a plain assignment to a field
// or package variable of the function's own package, overwritten on every
// attempt, leaves the state as one attempt would when nothing the retry
// re-runs reads it back. The analysis names locations as
// "import/path.Type.Field" and "import/path.Var", the form of the
// repeatable-writes setting, so that facts carry them across packages.

// lvState is the runner's part of the last-value rule.
type lvState struct {
	// cands are the locations of the package written somewhere in it by
	// a plain = (candidates: reads of them are tracked).
	cands map[string]bool
	// declared are the locations whose writes may repeat by declaration:
	// repeatable-writes, and //resilience:repeatable in this package.
	declared map[string]bool
	// reads are the candidate locations each function of the package
	// reads, itself or through its callees, as computed so far.
	reads map[*types.Func][]string
	// names index the fields of each package's named struct types by
	// the type (the last by name when types share a struct), fieldNames
	// cache the qualified names made of them; deps caches the Locations
	// fact of imports.
	names      map[*types.Package]map[*types.Var]*types.TypeName
	fieldNames map[*types.Var]string
	deps       map[*types.Package]*Locations
	// structs are the candidate fields of struct types (structCandidates).
	structs map[*types.Named][]string
}

func newLVState(cfg *config.Config) lvState {
	lv := lvState{
		cands:      map[string]bool{},
		declared:   map[string]bool{},
		reads:      map[*types.Func][]string{},
		names:      map[*types.Package]map[*types.Var]*types.TypeName{},
		fieldNames: map[*types.Var]string{},
		structs:    map[*types.Named][]string{},
		deps:       map[*types.Package]*Locations{},
	}
	if cfg != nil {
		for _, s := range cfg.RepeatableWrites {
			lv.declared[s] = true
		}
	}
	return lv
}

// findLocations fills the package's candidates (every location on the
// left of a plain = that lvChain accepts) and its declared locations
// (//resilience:repeatable), and returns the package's Locations fact.
func (r *runner) findLocations() *Locations {
	out := &Locations{}
	// The inspector (which ctrlflow requires too) finds the assignments
	// without walking every node of the package again.
	in := r.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for n := range in.PreorderSeq((*ast.AssignStmt)(nil)) {
		if as := n.(*ast.AssignStmt); as.Tok == token.ASSIGN {
			for _, lhs := range as.Lhs {
				for _, name := range r.lvChain(lhs) {
					r.lv.cands[name] = true
				}
			}
		}
	}
	vars, _ := targets.RepeatableVars(r.pass.Files, r.pass.TypesInfo) // retrycoverage reports the problems
	for _, v := range vars {
		if name := r.locName(v.Obj); name != "" {
			r.lv.declared[name] = true
			out.Repeatable = append(out.Repeatable, name)
		}
	}
	for name := range r.lv.cands {
		if r.lv.declared[name] {
			// Its writes may repeat whatever reads them.
			delete(r.lv.cands, name)
			continue
		}
		out.LastValue = append(out.LastValue, name)
	}
	slices.Sort(out.LastValue)
	slices.Sort(out.Repeatable)
	out.Repeatable = slices.Compact(out.Repeatable)
	return out
}

// locName returns the qualified name of a package variable
// ("import/path.Var") or of a field of a named struct type
// ("import/path.Type.Field"), "" for anything else (locals, fields of
// unnamed or local struct types).
func (r *runner) locName(v *types.Var) string {
	if v == nil || v.Pkg() == nil {
		return ""
	}
	v = v.Origin()
	if isGlobal(v) {
		return v.Pkg().Path() + "." + v.Name()
	}
	if !v.IsField() {
		return ""
	}
	if name, ok := r.lv.fieldNames[v]; ok {
		return name
	}
	idx, ok := r.lv.names[v.Pkg()]
	if !ok {
		idx = r.fieldIndex(v.Pkg())
		r.lv.names[v.Pkg()] = idx
	}
	name := ""
	if tn := idx[v]; tn != nil {
		name = v.Pkg().Path() + "." + tn.Name() + "." + v.Name()
	}
	r.lv.fieldNames[v] = name
	return name
}

// fieldIndex indexes the fields of pkg's named struct types (not aliases)
// by the type, the last by name when types share a struct (type B A).
// This package's types are found in its files' declarations, without
// sorting the names of its whole scope (thousands in a generated package).
func (r *runner) fieldIndex(pkg *types.Package) map[*types.Var]*types.TypeName {
	idx := map[*types.Var]*types.TypeName{}
	add := func(tn *types.TypeName) {
		if tn == nil || tn.IsAlias() || tn.Name() == "_" {
			return // "_" is in no scope
		}
		if st, ok := tn.Type().Underlying().(*types.Struct); ok {
			for f := range st.Fields() {
				if old := idx[f]; old == nil || old.Name() < tn.Name() {
					idx[f] = tn
				}
			}
		}
	}
	if pkg != r.pass.Pkg {
		scope := pkg.Scope()
		for _, n := range scope.Names() {
			tn, _ := scope.Lookup(n).(*types.TypeName)
			add(tn)
		}
		return idx
	}
	for _, f := range r.pass.Files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				tn, _ := r.pass.TypesInfo.Defs[spec.(*ast.TypeSpec).Name].(*types.TypeName)
				add(tn)
			}
		}
	}
	return idx
}

// lvChain returns, for the left side of a plain assignment, the locations
// it writes that a read could observe: the field written, and the fields
// enclosing it in the same memory up to the first pointer followed (for
// c.Rate.Limit = x with c a pointer: Client.Rate and Rate.Limit; reading
// c.Rate reads the new Limit), or the package variable holding them. nil
// when the left side is not such a chain (an index, a local, a field of
// an unnamed struct) or names a location of another package, whose reads
// this package's facts do not track.
func (r *runner) lvChain(lhs ast.Expr) []string {
	info := r.pass.TypesInfo
	var chain []*types.Var
	var walk func(e ast.Expr) bool
	walk = func(e ast.Expr) bool {
		switch e := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := info.Uses[e].(*types.Var)
			if !ok {
				return false
			}
			chain = nil
			if isGlobal(v) {
				chain = []*types.Var{v}
			}
			return true
		case *ast.SelectorExpr:
			sel, ok := info.Selections[e]
			if !ok {
				v, ok := info.Uses[e.Sel].(*types.Var) // pkg.Var
				if !ok || !isGlobal(v) {
					return false
				}
				chain = []*types.Var{v}
				return true
			}
			if sel.Kind() != types.FieldVal || !walk(e.X) {
				return false
			}
			t := sel.Recv()
			for _, i := range sel.Index() {
				if p, ok := t.Underlying().(*types.Pointer); ok {
					chain, t = nil, p.Elem()
				}
				st, ok := t.Underlying().(*types.Struct)
				if !ok {
					return false
				}
				f := st.Field(i)
				chain = append(chain, f)
				t = f.Type()
			}
			return true
		case *ast.StarExpr:
			if !walk(e.X) {
				return false
			}
			chain = nil
			return true
		}
		return false
	}
	if !walk(lhs) || len(chain) == 0 {
		return nil
	}
	var out []string
	for _, v := range chain {
		if v.Pkg() != r.pass.Pkg {
			return nil
		}
		name := r.locName(v)
		if name == "" {
			return nil
		}
		out = append(out, name)
	}
	return out
}

// candidate reports whether v is a location whose reads are tracked: a
// candidate of this package, or one its package's Locations fact lists.
func (r *runner) candidate(v *types.Var) (string, bool) {
	// Most variables are of a package without candidates (the standard
	// library's, whose fields every opaque call's arguments offer): no
	// name to make, nor the index of their package's fields.
	if v == nil || v.Pkg() == nil ||
		v.Pkg() == r.pass.Pkg && len(r.lv.cands) == 0 ||
		v.Pkg() != r.pass.Pkg && len(r.depLocations(v.Pkg()).LastValue) == 0 {
		return "", false
	}
	name := r.locName(v)
	if name == "" {
		return "", false
	}
	if v.Pkg() == r.pass.Pkg {
		return name, r.lv.cands[name]
	}
	return name, slices.Contains(r.depLocations(v.Pkg()).LastValue, name)
}

// declared reports whether writes to v may repeat by declaration
// (repeatable-writes, //resilience:repeatable here or in v's package).
func (r *runner) declared(v *types.Var) bool {
	// Nothing is declared in most packages: no name to make.
	if v == nil || v.Pkg() == nil ||
		len(r.lv.declared) == 0 && (v.Pkg() == r.pass.Pkg || len(r.depLocations(v.Pkg()).Repeatable) == 0) {
		return false
	}
	name := r.locName(v)
	if name == "" {
		return false
	}
	if r.lv.declared[name] {
		return true
	}
	return v.Pkg() != r.pass.Pkg && slices.Contains(r.depLocations(v.Pkg()).Repeatable, name)
}

func (r *runner) depLocations(pkg *types.Package) *Locations {
	l, ok := r.lv.deps[pkg]
	if !ok {
		l = &Locations{}
		if !r.pass.ImportPackageFact(pkg, l) {
			l = &Locations{}
		}
		r.lv.deps[pkg] = l
	}
	return l
}

// declaredPath reports whether the memory e denotes is, or is inside, a
// location declared repeatable: the variable or a field on its path (for
// c.cache[k], c.cache; for c.Rate.Limit, c.Rate).
func (s *fnState) declaredPath(e ast.Expr) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := s.info.Uses[x].(*types.Var)
			return ok && isGlobal(v) && s.r.declared(v)
		case *ast.SelectorExpr:
			if sel, ok := s.info.Selections[x]; ok {
				if sel.Kind() != types.FieldVal {
					return false
				}
				if v, ok := sel.Obj().(*types.Var); ok && s.r.declared(v) {
					return true
				}
				e = x.X
				continue
			}
			v, ok := s.info.Uses[x.Sel].(*types.Var)
			return ok && s.r.declared(v)
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.SliceExpr:
			e = x.X
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return false
			}
			e = x.X
		default:
			return false
		}
	}
}

// lvWrite returns the locations a plain assignment to lhs writes as a
// last value (lvChain), nil when it is not one.
func (s *fnState) lvWrite(as *ast.AssignStmt, lhs ast.Expr) []string {
	if as.Tok != token.ASSIGN {
		return nil
	}
	return s.r.lvChain(lhs)
}

// readNode adds, for node n of the body (whose parent is parent), the
// candidate locations the body reads there, itself or through the
// functions it calls (their Reads facts; within the package, recorded in
// readFns, whose reads are the fixed point's so far): a use of the
// variable or field other than as the left side of a plain assignment or
// the base of a field selection (c.Rate.Limit reads Limit, not the whole
// of Rate), the field keys of composite literals aside; and what
// callReads adds for each call. prepare calls it for every node, once
// per function: what it adds does not depend on the fixed point.
//
// use is what n refers to when it is an identifier (info.Uses), nil
// otherwise.
func (s *fnState) readNode(n, parent ast.Node, use types.Object) {
	switch x := n.(type) {
	case *ast.Ident:
		if p, ok := parent.(*ast.SelectorExpr); ok && p.Sel == x {
			return // judged as the selector, and no function value
		}
		if p, ok := parent.(*ast.KeyValueExpr); ok && p.Key == x {
			break // a field key of a composite literal
		}
		if v, ok := use.(*types.Var); ok && isGlobal(v) && s.wholeRead(x, parent) {
			s.readVar(v)
		}
	case *ast.SelectorExpr:
		var v *types.Var
		if sel, ok := s.info.Selections[x]; ok {
			if sel.Kind() == types.FieldVal {
				v, _ = sel.Obj().(*types.Var)
			}
		} else {
			v, _ = s.info.Uses[x.Sel].(*types.Var)
		}
		if v != nil && s.wholeRead(x, parent) {
			s.readVar(v)
		}
	case *ast.CallExpr:
		s.callReads(x)
	}
	// A function or method referred to as a value (f := c.get,
	// sort.Slice(xs, c.less)) may be called: its reads count.
	if fn := s.funcValue(n, parent, use); fn != nil {
		s.funcReads(fn.Origin())
	}
}

// readVar adds v to the reads if it is a candidate location.
func (s *fnState) readVar(v *types.Var) {
	if name, ok := s.r.candidate(v); ok {
		s.read(name)
	}
}

// read adds the location l to the reads.
func (s *fnState) read(l string) {
	if s.reads == nil {
		s.reads = map[string]bool{}
	}
	s.reads[l] = true
}

// funcValue returns the function or method n (an identifier, or a
// selector pkg.F or c.Method) refers to when it is not called right there
// (callReads judges calls), nil otherwise. use is what n refers to when
// it is an identifier (info.Uses).
func (s *fnState) funcValue(n, parent ast.Node, use types.Object) *types.Func {
	switch x := n.(type) {
	case *ast.Ident:
		if p, ok := parent.(*ast.SelectorExpr); ok && p.Sel == x {
			return nil // judged as the selector
		}
	case *ast.SelectorExpr:
		use = s.info.Uses[x.Sel]
	default:
		return nil
	}
	if c, ok := parent.(*ast.CallExpr); ok && c.Fun == n {
		return nil
	}
	fn, _ := use.(*types.Func)
	return fn
}

// funcReads adds the reads of fn: for an analyzed function of another
// package, its Reads fact; within the package, fn is recorded in readFns,
// whose reads (the fixed point's so far) each analysis adds. It reports
// whether fn's body is analyzed.
func (s *fnState) funcReads(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	if fn.Pkg() == s.r.pass.Pkg {
		if _, known := s.r.factOf(fn); !known {
			return false
		}
		if !slices.Contains(s.readFns, fn) {
			s.readFns = append(s.readFns, fn)
		}
		return true
	}
	c := s.r.calleeFacts(fn)
	for _, l := range c.reads {
		s.read(l)
	}
	return c.known
}

// wholeRead reports whether the value of e (a variable or field) is read
// where it appears: not as the left side of a plain assignment nor as the
// base of a field selection.
func (s *fnState) wholeRead(e ast.Expr, parent ast.Node) bool {
	switch p := parent.(type) {
	case *ast.SelectorExpr:
		if sel, ok := s.info.Selections[p]; ok && p.X == e && sel.Kind() == types.FieldVal {
			return false
		}
	case *ast.AssignStmt:
		if p.Tok == token.ASSIGN || p.Tok == token.DEFINE {
			if slices.Contains(p.Lhs, e) {
				return false
			}
		}
	}
	return true
}

// callReads adds what a call reads through its callee: its Reads fact
// (or, within the package, the fixed point so far). A value or pointer of
// a named struct type passed to a callee whose body is not analyzed (the
// standard library's fmt, json, reflect; an interface method; a function
// value), or passed where the callee takes an interface (godo's
// NewRequest(..., body interface{}) encodes it with encoding/json), may be
// read field by field by reflection: every candidate field of that type
// counts as read.
func (s *fnState) callReads(c *ast.CallExpr) {
	tv, known := s.info.Types[c.Fun]
	if known && tv.IsType() {
		return
	}
	callee := typeutil.Callee(s.info, c)
	if _, ok := callee.(*types.Builtin); ok {
		return // len, append, new(T): no reflection
	}
	fn, _ := callee.(*types.Func)
	analyzed := false
	if fn != nil {
		fn = fn.Origin()
		analyzed = s.funcReads(fn)
	}
	if fn != nil && !analyzed && s.repeatableCall(c, fn) {
		return
	}
	funType := tv.Type // info.TypeOf(c.Fun), without looking c.Fun up again
	if !known {
		funType = s.info.TypeOf(c.Fun)
	}
	sig, _ := typeUnder[*types.Signature](funType)
	readStruct := func(a ast.Expr) {
		t := s.info.TypeOf(a)
		if t == nil {
			return
		}
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		named, ok := types.Unalias(t).(*types.Named)
		if !ok {
			return
		}
		for _, name := range s.r.structCandidates(named) {
			s.read(name)
		}
	}
	for i, a := range c.Args {
		if !analyzed {
			readStruct(a)
			continue
		}
		if sig == nil {
			continue
		}
		var pt types.Type
		switch n := sig.Params().Len(); {
		case sig.Variadic() && i >= n-1:
			if sl, ok := sig.Params().At(n - 1).Type().(*types.Slice); ok && !c.Ellipsis.IsValid() {
				pt = sl.Elem()
			}
		case i < n:
			pt = sig.Params().At(i).Type()
		}
		if pt != nil && types.IsInterface(pt) {
			readStruct(a)
		}
	}
	if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && !analyzed {
		if selection, ok := s.info.Selections[sel]; ok && selection.Kind() == types.MethodVal {
			readStruct(sel.X)
		}
	}
}

// structCandidates returns the candidate locations among the fields of
// named, if it is a struct type (what reading a value of it field by
// field reads), cached.
func (r *runner) structCandidates(named *types.Named) []string {
	if names, ok := r.lv.structs[named]; ok {
		return names
	}
	var names []string
	if st, ok := named.Underlying().(*types.Struct); ok {
		for f := range st.Fields() {
			if name, ok := r.candidate(f); ok {
				names = append(names, name)
			}
		}
	}
	r.lv.structs[named] = names
	return names
}

// lvAccepted reports whether every location of lv (a last-value write) is
// unread by the code a retry re-runs.
func (s *fnState) lvAccepted(lv []string) bool {
	if lv == nil {
		return false
	}
	for _, l := range lv {
		if s.reads[l] {
			return false
		}
	}
	return true
}

// lvReadBack returns the first location of lv (a last-value write) that
// the code a retry re-runs reads, for messages; "" if none or lv is nil.
func (s *fnState) lvReadBack(lv []string) string {
	for _, l := range lv {
		if s.reads[l] {
			return l
		}
	}
	return ""
}

// Locations is the package Fact naming the fields and package variables
// of a package that retrysafety judges by name, so that importers judge
// them alike: the candidates of the last-value rule (written somewhere in
// the package by a plain =), whose reads importers record in their Reads
// facts, and those marked //resilience:repeatable.
type Locations struct {
	LastValue  []string
	Repeatable []string
}

// AFact marks Locations as an analysis.Fact.
func (*Locations) AFact() {}

// String: "last values a.T.f, a.V; repeatable a.T.g".
func (l *Locations) String() string {
	var parts []string
	if len(l.LastValue) > 0 {
		parts = append(parts, "last values "+strings.Join(l.LastValue, ", "))
	}
	if len(l.Repeatable) > 0 {
		parts = append(parts, "repeatable "+strings.Join(l.Repeatable, ", "))
	}
	return strings.Join(parts, "; ")
}

// Reads is the Fact exported for every function or method that reads,
// itself or through the functions it calls, a candidate location of the
// last-value rule (Locations.LastValue of its package): a caller that
// writes one of them as a last value before a call that can fail is not
// safe to retry when its retried code reads it back.
type Reads struct {
	Locations []string
}

// AFact marks Reads as an analysis.Fact.
func (*Reads) AFact() {}

// String: "reads a.T.f, a.V".
func (r *Reads) String() string { return "reads " + strings.Join(r.Locations, ", ") }
