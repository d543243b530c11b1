package retrysafety

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// Memo caches (see doc.go, "Memo caches"): a store that only fills, under
// a key, the entry a look-up of that key just missed, with the value the
// function then returns, and after which nothing can fail, leaves after
// two attempts what one attempt leaves: the second attempt finds the
// entry and returns it instead of computing it again. Such a store is not
// a write: not in the verdict, not in the Writes fact.

// findMemoStores returns the memo stores of the package's function
// declarations: the assignments M[K] = V and the calls M.Store(K, V) and
// M.LoadOrStore(K, V) that memoStoresOf accepts.
func (r *runner) findMemoStores() map[ast.Node]bool {
	var out map[ast.Node]bool
	for _, f := range r.pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			for _, n := range r.memoStoresOf(fd) {
				if out == nil {
					out = map[ast.Node]bool{}
				}
				out[n] = true
			}
		}
	}
	return out
}

// memoLookup is a guard of a function body: a look-up of key in m whose
// hit returns the value found (val).
type memoLookup struct {
	m, key ast.Expr
	val    types.Object
	sync   bool // m is a sync.Map (Load), not a map (index)
}

// memoStoresOf returns the memo stores among the statements of fd's body
// (its top-level statements only: a store nested in a branch or a loop is
// not one).
func (r *runner) memoStoresOf(fd *ast.FuncDecl) []ast.Node {
	list := fd.Body.List
	var out []ast.Node
	var guards []memoLookup
	var m *memoFunc
	for i, st := range list {
		if g, ok := r.memoGuard(list, i); ok {
			guards = append(guards, g)
			continue
		}
		store, mExpr, key, val, orStore := r.memoStore(st)
		if store == nil {
			continue
		}
		if m == nil {
			m = r.newMemoFunc(fd)
		}
		// LoadOrStore fills only a missing entry: it is its own guard.
		guarded := orStore
		for _, g := range guards {
			if g.sync == isSyncMap(r.pass.TypesInfo.TypeOf(mExpr)) && m.sameExpr(g.m, mExpr) && m.sameExpr(g.key, key) {
				guarded = true
			}
		}
		if !guarded || !m.stableKey(key, 0) || !m.computed(val) || !m.quietTail(list[i+1:], val, orStore, m.assigned(st)) {
			continue
		}
		out = append(out, store)
	}
	return out
}

// memoGuard reports whether list[i] is a look-up whose hit returns: the
// statement
//
//	if v, ok := M[K]; ok { ...; return ..., v, ... }
//
// (or M.Load(K) for a sync.Map; or, for a map, if v := M[K]; v != nil),
// or the look-up v, ok := M[K] (or =; or v := M[K]) followed, with only
// call statements between (an Unlock), by if ok (if v != nil) { ...;
// return ..., v, ... }. Neither if has an else.
func (r *runner) memoGuard(list []ast.Stmt, i int) (memoLookup, bool) {
	var as *ast.AssignStmt
	var ifs *ast.IfStmt
	switch st := list[i].(type) {
	case *ast.IfStmt:
		as, _ = st.Init.(*ast.AssignStmt)
		ifs = st
	case *ast.AssignStmt:
		as = st
		for j := i + 1; j < len(list) && ifs == nil; j++ {
			switch next := list[j].(type) {
			case *ast.ExprStmt:
				continue
			case *ast.IfStmt:
				if next.Init == nil {
					ifs = next
				}
			}
			if ifs == nil {
				break
			}
		}
	}
	if as == nil || ifs == nil || ifs.Else != nil || len(as.Lhs) == 0 || len(as.Lhs) > 2 || len(as.Rhs) != 1 {
		return memoLookup{}, false
	}
	info := r.pass.TypesInfo
	val, ok := as.Lhs[0].(*ast.Ident)
	if !ok || val.Name == "_" || info.ObjectOf(val) == nil {
		return memoLookup{}, false
	}
	if len(as.Lhs) == 2 {
		// v, ok := M[K]; if ok
		okID, ok2 := as.Lhs[1].(*ast.Ident)
		cond, ok3 := ast.Unparen(ifs.Cond).(*ast.Ident)
		if !ok2 || !ok3 || info.ObjectOf(cond) == nil || info.ObjectOf(cond) != info.ObjectOf(okID) {
			return memoLookup{}, false
		}
	} else if !nilCheck(info, ifs.Cond, info.ObjectOf(val)) {
		// v := M[K]; if v != nil
		return memoLookup{}, false
	}
	g := memoLookup{val: info.ObjectOf(val)}
	switch rhs := ast.Unparen(as.Rhs[0]).(type) {
	case *ast.IndexExpr:
		if _, ok := typeUnder[*types.Map](info.TypeOf(rhs.X)); !ok {
			return memoLookup{}, false
		}
		g.m, g.key = rhs.X, rhs.Index
	case *ast.CallExpr:
		if len(as.Lhs) != 2 {
			return memoLookup{}, false
		}
		m, args, ok := syncMapCall(info, rhs, "Load")
		if !ok {
			return memoLookup{}, false
		}
		g.m, g.key, g.sync = m, args[0], true
	default:
		return memoLookup{}, false
	}
	body := ifs.Body.List
	if len(body) == 0 {
		return memoLookup{}, false
	}
	ret, ok := body[len(body)-1].(*ast.ReturnStmt)
	if !ok || !typepred.Mentions(info, ret, g.val) {
		return memoLookup{}, false
	}
	return g, true
}

// nilCheck reports whether cond is v != nil (or nil != v).
func nilCheck(info *types.Info, cond ast.Expr, v types.Object) bool {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ {
		return false
	}
	isV := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	isNil := func(e ast.Expr) bool {
		tv, ok := info.Types[e]
		return ok && tv.IsNil()
	}
	return isV(b.X) && isNil(b.Y) || isNil(b.X) && isV(b.Y)
}

// memoStore returns, if st is a store M[K] = V (a plain =, one value),
// M.Store(K, V) or x, loaded := M.LoadOrStore(K, V) (a sync.Map), the
// node a write event is made for (the assignment, or the call), M, K and
// V's variable; orStore for LoadOrStore, whose result x stands for V.
func (r *runner) memoStore(st ast.Stmt) (store ast.Node, m, key ast.Expr, val types.Object, orStore bool) {
	info := r.pass.TypesInfo
	switch st := st.(type) {
	case *ast.AssignStmt:
		if len(st.Rhs) != 1 {
			return
		}
		if c, ok := ast.Unparen(st.Rhs[0]).(*ast.CallExpr); ok {
			mExpr, args, ok := syncMapCall(info, c, "LoadOrStore")
			if !ok {
				mExpr, args, ok = r.loadOrStoreForwarderCall(c)
			}
			if !ok || len(st.Lhs) == 0 {
				return
			}
			id, ok := ast.Unparen(args[1]).(*ast.Ident)
			if !ok {
				return
			}
			return c, mExpr, args[0], info.ObjectOf(id), true
		}
		if st.Tok != token.ASSIGN || len(st.Lhs) != 1 {
			return
		}
		ix, ok := ast.Unparen(st.Lhs[0]).(*ast.IndexExpr)
		if !ok {
			return
		}
		if _, ok := typeUnder[*types.Map](info.TypeOf(ix.X)); !ok {
			return
		}
		id, ok := ast.Unparen(st.Rhs[0]).(*ast.Ident)
		if !ok {
			return
		}
		return st, ix.X, ix.Index, info.ObjectOf(id), false
	case *ast.IfStmt:
		// if x, loaded := M.LoadOrStore(K, V); loaded { return ..., x, ... }:
		// the entry another attempt stored wins, else V is returned by
		// what follows.
		as, ok := st.Init.(*ast.AssignStmt)
		if !ok || st.Else != nil || len(as.Lhs) != 2 || len(as.Rhs) != 1 || len(st.Body.List) != 1 {
			return
		}
		c, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok {
			return
		}
		mExpr, args, ok := syncMapCall(info, c, "LoadOrStore")
		if !ok || len(args) != 2 {
			return
		}
		loaded, ok1 := as.Lhs[1].(*ast.Ident)
		cond, ok2 := ast.Unparen(st.Cond).(*ast.Ident)
		x, ok3 := as.Lhs[0].(*ast.Ident)
		id, ok4 := ast.Unparen(args[1]).(*ast.Ident)
		if !ok1 || !ok2 || !ok3 || !ok4 || info.ObjectOf(loaded) == nil || info.ObjectOf(cond) != info.ObjectOf(loaded) {
			return
		}
		ret, ok := st.Body.List[0].(*ast.ReturnStmt)
		if !ok || !typepred.Mentions(info, ret, info.ObjectOf(x)) || callsIn(info, ret) {
			return
		}
		return c, mExpr, args[0], info.ObjectOf(id), true
	case *ast.ExprStmt:
		c, ok := ast.Unparen(st.X).(*ast.CallExpr)
		if !ok {
			return
		}
		mExpr, args, ok := syncMapCall(info, c, "Store")
		if !ok {
			return
		}
		id, ok := ast.Unparen(args[1]).(*ast.Ident)
		if !ok {
			return
		}
		return c, mExpr, args[0], info.ObjectOf(id), false
	}
	return
}

// loadOrStoreForwarderCall reports whether c calls a LoadOrStore
// forwarder of this package (loadOrStoreForwarder) through a method
// value x.F(...): the call stands for x.LoadOrStore(K, V), and it returns
// x and the call's key and value arguments.
func (r *runner) loadOrStoreForwarderCall(c *ast.CallExpr) (ast.Expr, []ast.Expr, bool) {
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, nil, false
	}
	fn, ok := typeutil.Callee(r.pass.TypesInfo, c).(*types.Func)
	if !ok || c.Ellipsis.IsValid() {
		return nil, nil, false
	}
	k, v, ok := r.loadOrStoreForwarder(fn)
	if !ok || k >= len(c.Args) || v >= len(c.Args) {
		return nil, nil, false
	}
	return sel.X, []ast.Expr{c.Args[k], c.Args[v]}, true
}

// loadOrStoreForwarder reports whether fn, a method of this package, only
// forwards two of its parameters (indexes k and v) to LoadOrStore of a
// sync.Map its receiver holds, and returns what that returned (the entry,
// asserted or converted, and the loaded flag):
//
//	func (c *fieldCacher) LoadOrStore(key K, fs *V) (*V, bool) {
//		v, ok := c.cache.LoadOrStore(key, fs)
//		return v.(*V), ok
//	}
//
// (aws-sdk-go-v2's attributevalue). Such a method is a sync.Map
// LoadOrStore to its callers: the memo rule judges their calls of it
// (unionStructFields: the cached fields of a type, computed from the
// type, stored under it).
func (r *runner) loadOrStoreForwarder(fn *types.Func) (k, v int, ok bool) {
	fd := r.decls[fn.Origin()]
	if fd == nil || fd.Recv == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 || len(fd.Body.List) != 2 {
		return 0, 0, false
	}
	info := r.pass.TypesInfo
	recv := info.Defs[fd.Recv.List[0].Names[0]]
	as, ok := fd.Body.List[0].(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 || len(as.Lhs) > 2 {
		return 0, 0, false
	}
	c, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok {
		return 0, 0, false
	}
	m, args, ok := syncMapCall(info, c, "LoadOrStore")
	if !ok || len(args) != 2 || !rootedAt(info, m, recv) {
		return 0, 0, false
	}
	sig := fn.Type().(*types.Signature)
	param := func(e ast.Expr) int {
		id, isID := ast.Unparen(e).(*ast.Ident)
		if !isID {
			return -1
		}
		for i := range sig.Params().Len() {
			if info.Uses[id] == sig.Params().At(i) {
				return i
			}
		}
		return -1
	}
	k, v = param(args[0]), param(args[1])
	if k < 0 || v < 0 || k == v {
		return 0, 0, false
	}
	// The results: the entry (asserted or converted) or the flag.
	results := map[types.Object]bool{}
	for _, lhs := range as.Lhs {
		if id, isID := lhs.(*ast.Ident); isID && id.Name != "_" {
			results[info.ObjectOf(id)] = true
		}
	}
	ret, ok := fd.Body.List[1].(*ast.ReturnStmt)
	if !ok || len(ret.Results) == 0 {
		return 0, 0, false
	}
	for _, res := range ret.Results {
		e := ast.Unparen(res)
		switch x := e.(type) {
		case *ast.TypeAssertExpr:
			e = x.X
		case *ast.CallExpr:
			if tv, isConv := info.Types[x.Fun]; isConv && tv.IsType() && len(x.Args) == 1 {
				e = x.Args[0]
			}
		}
		id, isID := ast.Unparen(e).(*ast.Ident)
		if !isID || !results[info.Uses[id]] {
			return 0, 0, false
		}
	}
	return k, v, true
}

// rootedAt reports whether e is a selector chain (c.cache, c.a.b) whose
// root is the variable obj.
func rootedAt(info *types.Info, e ast.Expr, obj types.Object) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.Ident:
			return obj != nil && info.Uses[x] == obj
		default:
			return false
		}
	}
}

// syncMapCall reports whether c calls the method name of a sync.Map, or
// of a concurrent map with its API (isSyncMap), and returns the map
// expression and the arguments.
func syncMapCall(info *types.Info, c *ast.CallExpr, name string) (ast.Expr, []ast.Expr, bool) {
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, nil, false
	}
	fn, ok := typeutil.Callee(info, c).(*types.Func)
	if !ok || fn.Name() != name || fn.Pkg() == nil {
		return nil, nil, false
	}
	if !isSyncMap(info.TypeOf(sel.X)) || len(c.Args) < 1 {
		return nil, nil, false
	}
	return sel.X, c.Args, true
}

// isSyncMap reports whether t is sync.Map, or a concurrent map of
// another package with its API (puzpuzpuz/xsync's MapOf), or a pointer to
// one: a named type whose methods Load(K) (V, bool), Store(K, V) and
// LoadOrStore(K, V) (V, bool) agree on K and V.
func isSyncMap(t types.Type) bool {
	if p, ok := typeUnder[*types.Pointer](t); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	if obj.Pkg() != nil && obj.Pkg().Path() == "sync" && obj.Name() == "Map" {
		return true
	}
	ms := types.NewMethodSet(types.NewPointer(named))
	sig := func(name string) *types.Signature {
		sel := ms.Lookup(obj.Pkg(), name)
		if sel == nil {
			return nil
		}
		s, _ := sel.Type().(*types.Signature)
		return s
	}
	load, store, los := sig("Load"), sig("Store"), sig("LoadOrStore")
	if load == nil || store == nil || los == nil ||
		load.Params().Len() != 1 || load.Results().Len() != 2 ||
		store.Params().Len() != 2 || store.Results().Len() != 0 ||
		los.Params().Len() != 2 || los.Results().Len() != 2 {
		return false
	}
	k, v := load.Params().At(0).Type(), load.Results().At(0).Type()
	isBool := func(t types.Type) bool { return types.Identical(t, types.Typ[types.Bool]) }
	return isBool(load.Results().At(1).Type()) && isBool(los.Results().At(1).Type()) &&
		types.Identical(store.Params().At(0).Type(), k) && types.Identical(store.Params().At(1).Type(), v) &&
		types.Identical(los.Params().At(0).Type(), k) && types.Identical(los.Params().At(1).Type(), v) &&
		types.Identical(los.Results().At(0).Type(), v)
}

// callsIn reports whether n makes a call other than a conversion.
func callsIn(info *types.Info, n ast.Node) bool {
	calls := false
	ast.Inspect(n, func(x ast.Node) bool {
		if c, ok := x.(*ast.CallExpr); ok {
			if tv, ok := info.Types[c.Fun]; !ok || !tv.IsType() {
				calls = true
			}
		}
		return !calls
	})
	return calls
}

// memoFunc answers the questions of the memo rule about one body: how
// often each variable is assigned, and from what.
type memoFunc struct {
	r      *runner
	info   *types.Info
	params map[types.Object]bool // receiver and parameters
	// defs are the right sides assigned to each variable in the body
	// (nil entries for assignments whose value is not one expression:
	// a range, an IncDec, &v); counts how many assignments each has.
	defs   map[types.Object][]ast.Expr
	counts map[types.Object]int
}

func (r *runner) newMemoFunc(fd *ast.FuncDecl) *memoFunc {
	m := &memoFunc{r: r, info: r.pass.TypesInfo, params: map[types.Object]bool{}, defs: map[types.Object][]ast.Expr{}, counts: map[types.Object]int{}}
	for _, fl := range []*ast.FieldList{fd.Recv, fd.Type.Params} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				if obj := m.info.Defs[n]; obj != nil {
					m.params[obj] = true
				}
			}
		}
	}
	assign := func(lhs ast.Expr, rhs ast.Expr) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok {
			return
		}
		obj := m.info.ObjectOf(id)
		if obj == nil {
			return
		}
		m.counts[obj]++
		m.defs[obj] = append(m.defs[obj], rhs)
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				var rhs ast.Expr
				switch {
				case len(n.Rhs) == len(n.Lhs):
					rhs = n.Rhs[i]
				case len(n.Rhs) == 1:
					rhs = n.Rhs[0] // v, ok := f(): the call
				}
				if n.Tok != token.ASSIGN && n.Tok != token.DEFINE {
					rhs = nil // v += x: not one expression's value
				}
				assign(lhs, rhs)
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				var rhs ast.Expr
				switch {
				case len(n.Values) == len(n.Names):
					rhs = n.Values[i]
				case len(n.Values) == 1:
					rhs = n.Values[0]
				}
				assign(name, rhs)
			}
		case *ast.RangeStmt:
			if n.Key != nil {
				assign(n.Key, n.X)
			}
			if n.Value != nil {
				assign(n.Value, n.X)
			}
		case *ast.IncDecStmt:
			assign(n.X, nil)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				assign(n.X, nil) // &v: may be written anywhere
			}
		}
		return true
	})
	return m
}

// sameExpr reports whether a and b are the same expression over the same
// variables (identifiers, selectors, literals, indexes, derefs).
func (m *memoFunc) sameExpr(a, b ast.Expr) bool {
	a, b = ast.Unparen(a), ast.Unparen(b)
	switch x := a.(type) {
	case *ast.Ident:
		y, ok := b.(*ast.Ident)
		return ok && m.info.ObjectOf(x) != nil && m.info.ObjectOf(x) == m.info.ObjectOf(y)
	case *ast.SelectorExpr:
		y, ok := b.(*ast.SelectorExpr)
		return ok && m.info.ObjectOf(x.Sel) == m.info.ObjectOf(y.Sel) && m.sameExpr(x.X, y.X)
	case *ast.BasicLit:
		y, ok := b.(*ast.BasicLit)
		return ok && x.Kind == y.Kind && x.Value == y.Value
	case *ast.StarExpr:
		y, ok := b.(*ast.StarExpr)
		return ok && m.sameExpr(x.X, y.X)
	}
	return false
}

// stableKey reports whether the key e has the same value on every
// attempt: constants, literals, parameters and the receiver never
// assigned in the body, locals assigned once from stable values, and
// composite literals, conversions, operators and reflect functions and
// methods over them. A field read, a call of anything else (a counter, a
// clock, a random number) is not.
func (m *memoFunc) stableKey(e ast.Expr, depth int) bool {
	if depth > 8 {
		return false
	}
	if tv, ok := m.info.Types[e]; ok && tv.Value != nil {
		return true // a constant
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		obj, ok := m.info.Uses[x].(*types.Var)
		if !ok || isGlobal(obj) {
			return false
		}
		if m.params[obj] {
			return m.counts[obj] == 0
		}
		defs := m.defs[obj]
		return m.counts[obj] == 1 && len(defs) == 1 && defs[0] != nil && m.stableKey(defs[0], depth+1)
	case *ast.CompositeLit:
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				el = kv.Value
			}
			if !m.stableKey(el, depth+1) {
				return false
			}
		}
		return true
	case *ast.UnaryExpr:
		return x.Op != token.AND && x.Op != token.ARROW && m.stableKey(x.X, depth+1)
	case *ast.BinaryExpr:
		return m.stableKey(x.X, depth+1) && m.stableKey(x.Y, depth+1)
	case *ast.CallExpr:
		if tv, ok := m.info.Types[x.Fun]; ok && tv.IsType() {
			return len(x.Args) == 1 && m.stableKey(x.Args[0], depth+1)
		}
		fn, ok := typeutil.Callee(m.info, x).(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "reflect" {
			return false
		}
		if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && m.info.Selections[sel] != nil && !m.stableKey(sel.X, depth+1) {
			return false
		}
		for _, a := range x.Args {
			if !m.stableKey(a, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// computed reports whether val, the value stored, is a local variable of
// the body not computed from a stream or a channel: none of the values
// assigned to it, or to the locals they use (transitively), receives from
// a channel, calls a stream method (Read..., Decode, Scan, ...: streamMethod)
// on a stream, or passes an io.Reader or io.Writer to a call.
func (m *memoFunc) computed(val types.Object) bool {
	v, ok := val.(*types.Var)
	if !ok || m.params[v] || isGlobal(v) || m.counts[v] == 0 {
		return false
	}
	seen := map[types.Object]bool{}
	var visit func(obj types.Object) bool
	visit = func(obj types.Object) bool {
		if seen[obj] {
			return true
		}
		seen[obj] = true
		for _, rhs := range m.defs[obj] {
			if rhs == nil {
				continue
			}
			clean := true
			ast.Inspect(rhs, func(n ast.Node) bool {
				if !clean {
					return false
				}
				switch x := n.(type) {
				case *ast.UnaryExpr:
					if x.Op == token.ARROW {
						clean = false
					}
				case *ast.CallExpr:
					if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && m.info.Selections[sel] != nil && streamMethod(sel.Sel.Name) != "" && m.r.isStream(m.info.TypeOf(sel.X)) {
						clean = false
					}
					for _, a := range x.Args {
						if t := m.info.TypeOf(a); t != nil && m.r.ioKind(t)&(ioReader|ioWriter) != 0 {
							clean = false
						}
					}
				case *ast.Ident:
					if lv, ok := m.info.Uses[x].(*types.Var); ok && !lv.IsField() && !isGlobal(lv) && !m.params[lv] && !visit(lv) {
						clean = false
					}
				}
				return clean
			})
			if !clean {
				return false
			}
		}
		return true
	}
	return visit(v)
}

// quietTail reports whether the statements after a store can neither fail
// nor write: only unlocks (sync.Mutex and sync.RWMutex Unlock, RUnlock)
// and a last return without calls (conversions aside) whose results are
// the stored value (val; for LoadOrStore, its results orResults may stand
// for it), constants or nil.
func (m *memoFunc) quietTail(tail []ast.Stmt, val types.Object, orStore bool, orResults []types.Object) bool {
	if len(tail) == 0 {
		return false
	}
	for _, st := range tail[:len(tail)-1] {
		es, ok := st.(*ast.ExprStmt)
		if !ok || !m.unlock(es.X) {
			return false
		}
	}
	ret, ok := tail[len(tail)-1].(*ast.ReturnStmt)
	if !ok {
		return false
	}
	calls := false
	ast.Inspect(ret, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if tv, ok := m.info.Types[c.Fun]; !ok || !tv.IsType() {
				calls = true
			}
		}
		return !calls
	})
	if calls || len(ret.Results) == 0 {
		return false
	}
	// Every result is the stored value (or LoadOrStore's result), or a
	// constant or nil: an error variable returned with the entry (v, err
	// := f(); m[k] = v; return v, err) would make a failed attempt's
	// entry a hit for the next one.
	uses := false
	for _, res := range ret.Results {
		tv := m.info.Types[res]
		switch {
		case tv.Value != nil || tv.IsNil():
		case typepred.Mentions(m.info, res, val) || orStore && m.mentionsAny(res, orResults):
			uses = true
		default:
			return false
		}
	}
	return uses
}

// mentionsAny reports whether e uses one of objs.
func (m *memoFunc) mentionsAny(e ast.Expr, objs []types.Object) bool {
	for _, o := range objs {
		if o != nil && typepred.Mentions(m.info, e, o) {
			return true
		}
	}
	return false
}

// assigned returns the variables st assigns, if it is an assignment.
func (m *memoFunc) assigned(st ast.Stmt) []types.Object {
	as, ok := st.(*ast.AssignStmt)
	if !ok {
		return nil
	}
	var out []types.Object
	for _, lhs := range as.Lhs {
		if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && id.Name != "_" {
			out = append(out, m.info.ObjectOf(id))
		}
	}
	return out
}

// unlock reports whether e calls Unlock or RUnlock of a sync.Mutex or
// sync.RWMutex.
func (m *memoFunc) unlock(e ast.Expr) bool {
	c, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, ok := typeutil.Callee(m.info, c).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" || fn.Name() != "Unlock" && fn.Name() != "RUnlock" {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := t.(*types.Named)
	return ok && (named.Obj().Name() == "Mutex" || named.Obj().Name() == "RWMutex")
}
