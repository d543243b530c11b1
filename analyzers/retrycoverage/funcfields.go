package retrycoverage

import (
	"go/ast"
	"go/types"
)

// A call may go through a struct field of function type, whose value the
// package stored elsewhere. go-redis sends every command so:
//
//	func (c *Client) Process(ctx context.Context, cmd Cmder) error {
//		err := c.processHook(ctx, cmd)
//		...
//	}
//	func (hs *hooksMixin) processHook(ctx context.Context, cmd Cmder) error {
//		return hs.state.Load().current.process(ctx, cmd)
//	}
//	c.initHooks(hooks{
//		process:  c.baseClient.process, // retries: MaxRetries, shouldRetry
//		pipeline: c.baseClient.processPipeline,
//		...
//	})
//
// and a pipeline calls c.exec, set to pipelineExecer(c.processPipelineHook).
// The call has no static callee, so neither the delegation nor the nesting
// rules saw the retry behind it, and -fix wrapped Client.Process, Pipelined
// and Watch around go-redis's own retry (a command on a dropped connection
// sent 9 times instead of 3).
//
// The functions a field call runs are taken to be those the package stores
// into that field: the value of a keyed (or positional) composite literal
// element and the right side of an assignment to a selector of it, seen
// through parentheses and conversions (pipelineExecer(f)). A value that is a
// function or method name (a method value) is that function; a function
// literal, the callees of the calls in its body; another func-typed field,
// the functions stored into that one in turn (hooksState's current.process
// = initial.process); a call, the functions it is handed, also when it
// sets several fields at once (cloud.google.com/go/storage and every
// generated Google API client page through `it.pageInfo, it.nextFunc =
// iterator.NewPageInfo(fetch, ...)`, fetch a literal that sends through
// a retry loop, directly or through a field it calls: it.InternalFetch).
// Any other value (a parameter, a hook wrapping the previous one) adds
// nothing: like an interface call
// (ifaceretry.go), the call nests when one of the stored functions retries,
// whichever of them runs. Stores in other packages are not seen.

// The same holds for a function taken out of a map, slice or array of
// functions the package fills. linodego waits for a database so:
//
//	type databaseStatusFunc func(ctx context.Context, client Client, dbID int) (DatabaseStatus, error)
//	var databaseStatusHandlers = map[DatabaseEngineType]databaseStatusFunc{
//		DatabaseEngineTypeMySQL: func(ctx context.Context, client Client, dbID int) (DatabaseStatus, error) {
//			db, err := client.GetMySQLDatabase(ctx, dbID) // sends through resty's retry
//			...
//	statusHandler, ok := databaseStatusHandlers[dbEngine]
//	currentStatus, err := statusHandler(ctx, client, dbID)
//
// The elements of a composite literal of such a map, slice or array, and
// the values assigned to an element of one or to a variable of a named
// function type of the package, are stored as the element's (or the
// variable's) type; a call of an element of a package-level variable
// (handlers[k](ctx)) runs what the package stores into that variable's
// elements.

// fieldFuncs returns the functions that call, a call of a func-typed
// struct field, of a variable of a named function type of the package or
// of an element of a package-level variable holding functions, may run
// (see above); nil for any other call.
//
// A call of a variable (a receiver, a parameter) of a named function type
// of the package runs what the package stores as that type: into any
// field of it, or by a conversion to it. go-redis's commands are methods
// of such a type, which call their receiver:
//
//	type cmdable func(ctx context.Context, cmd Cmder) error
//	func (c cmdable) Get(ctx context.Context, key string) *StringCmd {
//		cmd := NewStringCmd(ctx, "get", key)
//		_ = c(ctx, cmd)
//		return cmd
//	}
//	c.cmdable = c.Process // Client embeds cmdable
//
// so Get nests Process's retry, and so does a caller's rdb.Get(ctx,
// k).Err() (resultless.go), in any package, through the NestedRetry fact.
func (r *runner) fieldFuncs(call *ast.CallExpr) []*types.Func {
	f := r.funcField(call.Fun)
	var named *types.Named
	var elems *types.Var
	if f == nil {
		named = r.funcVarType(call.Fun)
		if named == nil {
			elems = r.funcElemVar(call.Fun)
			if elems == nil {
				return nil
			}
		}
	}
	if r.fieldStores == nil {
		r.findFieldStores()
	}
	var out []*types.Func
	seen := map[*types.Var]bool{}
	seenParams := map[*types.Var]bool{}
	var visit func(f *types.Var)
	visit = func(f *types.Var) {
		if seen[f] {
			return
		}
		seen[f] = true
		for _, v := range r.fieldStores[f] {
			r.storedFuncs(v, &out, visit, seenParams)
		}
	}
	if f != nil {
		visit(f)
		return out
	}
	if elems != nil {
		for _, v := range r.elemStores[elems] {
			r.storedFuncs(v, &out, visit, seenParams)
		}
		return out
	}
	for _, v := range r.typeStores[named] {
		r.storedFuncs(v, &out, visit, seenParams)
	}
	return out
}

// funcVarType returns the named function type, declared in the package,
// of e when e names a variable that is no package-level one (a receiver,
// a parameter, a local); nil otherwise.
func (r *runner) funcVarType(e ast.Expr) *types.Named {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := r.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	named, ok := v.Type().(*types.Named)
	if !ok || named.Obj().Pkg() != r.pass.Pkg {
		return nil
	}
	if _, ok := named.Underlying().(*types.Signature); !ok {
		return nil
	}
	return named.Origin()
}

// funcElemVar returns the package-level variable of this package whose
// element e is (v[k], v a map, slice, array or pointer to an array of
// functions, or a local variable set once to such an element: h, ok :=
// v[k]), or nil.
func (r *runner) funcElemVar(e ast.Expr) *types.Var {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		v, ok := r.pass.TypesInfo.Uses[id].(*types.Var)
		if !ok || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
			return nil
		}
		if r.litVars == nil {
			r.findLitVars()
		}
		return r.elemVars[v]
	}
	ix, ok := ast.Unparen(e).(*ast.IndexExpr)
	if !ok {
		return nil
	}
	var id *ast.Ident
	switch x := ast.Unparen(ix.X).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel // pkg.v: stores of another package are not seen
	default:
		return nil
	}
	v, ok := r.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pkg() != r.pass.Pkg || v.Parent() != v.Pkg().Scope() || funcElem(v.Type()) == nil {
		return nil
	}
	return v
}

// funcElem returns the element type of t when t is a map, slice, array
// or pointer to an array whose elements are functions; nil otherwise.
func funcElem(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	var elem types.Type
	switch u := t.Underlying().(type) {
	case *types.Map:
		elem = u.Elem()
	case *types.Slice:
		elem = u.Elem()
	case *types.Array:
		elem = u.Elem()
	default:
		return nil
	}
	if _, ok := elem.Underlying().(*types.Signature); !ok {
		return nil
	}
	return elem
}

// funcField returns the struct field of function type that e selects
// (x.f, with f a field whose type's underlying type is a signature), or
// nil.
func (r *runner) funcField(e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s := r.pass.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil
	}
	v, ok := s.Obj().(*types.Var)
	if !ok || !v.IsField() {
		return nil
	}
	if _, ok := v.Type().Underlying().(*types.Signature); !ok {
		return nil
	}
	return v.Origin()
}

// storedFuncs adds to out the functions that v, a value stored into a
// func-typed field, runs when called; visit follows a value read from
// another such field; seenParams keeps it from following a parameter
// twice in one query.
func (r *runner) storedFuncs(v ast.Expr, out *[]*types.Func, visit func(*types.Var), seenParams map[*types.Var]bool) {
	info := r.pass.TypesInfo
	add := func(fn *types.Func) { *out = addFunc(*out, fn) }
	for {
		v = ast.Unparen(v)
		c, ok := v.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 || !info.Types[c.Fun].IsType() {
			break
		}
		v = c.Args[0] // a conversion: pipelineExecer(c.processPipelineHook)
	}
	litCallees := func(lit *ast.FuncLit) { r.eachLitCallee(lit, add) }
	switch x := v.(type) {
	case *ast.FuncLit:
		litCallees(x)
	case *ast.Ident:
		if fn, ok := info.Uses[x].(*types.Func); ok {
			add(fn)
		} else if lit := r.localLit(x); lit != nil {
			litCallees(lit) // c.refresh = refresh, refresh := func(...) {...}
		} else if v, ok := info.Uses[x].(*types.Var); ok && !seenParams[v] {
			// A parameter of a function of the package (newMetadataRefresh
			// storing its f): what the package's calls of that function
			// pass there, once per parameter.
			seenParams[v] = true
			for _, arg := range r.paramArgs(v) {
				r.storedFuncs(arg, out, visit, seenParams)
			}
		}
	case *ast.CallExpr:
		// A value a call builds from the functions it is handed
		// (newSingleFlightRefresher(refresh) returning a method value
		// that runs refresh): like a callback, a function handed on is
		// taken to run.
		for _, fn := range r.callbackFuncs(x) {
			add(fn)
		}
	case *ast.SelectorExpr:
		if fn, ok := info.Uses[x.Sel].(*types.Func); ok {
			add(fn)
		} else if f := r.funcField(x); f != nil {
			visit(f)
		}
	}
}

// paramArgs returns the arguments the package's calls of a function of
// the package pass for its parameter v (static calls only); nil when v is
// no such parameter.
func (r *runner) paramArgs(v *types.Var) []ast.Expr {
	if r.params == nil {
		r.params = map[*types.Var]paramOf{}
		r.staticCalls = map[*types.Func][]*ast.CallExpr{}
		for c := range r.inspector().Root().Preorder((*ast.FuncDecl)(nil), (*ast.CallExpr)(nil)) {
			switch x := c.Node().(type) {
			case *ast.FuncDecl:
				fn, ok := r.pass.TypesInfo.Defs[x.Name].(*types.Func)
				if !ok {
					continue
				}
				params := fn.Signature().Params()
				for i := range params.Len() {
					r.params[params.At(i)] = paramOf{fn, i}
				}
			case *ast.CallExpr:
				if fn := r.callee(x); fn != nil && fn.Pkg() == r.pass.Pkg {
					r.staticCalls[fn] = append(r.staticCalls[fn], x)
				}
			}
		}
	}
	p, ok := r.params[v]
	if !ok || p.fn.Signature().Variadic() && p.i == p.fn.Signature().Params().Len()-1 {
		return nil
	}
	var args []ast.Expr
	for _, c := range r.staticCalls[p.fn] {
		if p.i < len(c.Args) {
			args = append(args, c.Args[p.i])
		}
	}
	return args
}

// paramOf is the position of a parameter in its function's signature.
type paramOf struct {
	fn *types.Func
	i  int
}

// findFieldStores fills r.fieldStores: for each func-typed struct field,
// the values the package's files store into it; r.typeStores: for each
// named function type of the package, the values stored into fields,
// elements or variables of that type or converted to it; and
// r.elemStores: for each package-level variable holding functions, the
// values stored into its elements.
func (r *runner) findFieldStores() {
	info := r.pass.TypesInfo
	r.fieldStores = map[*types.Var][]ast.Expr{}
	r.typeStores = map[*types.Named][]ast.Expr{}
	r.elemStores = map[*types.Var][]ast.Expr{}
	// asType records v as stored as t, when t is a named function type of
	// the package.
	asType := func(t types.Type, v ast.Expr) {
		named, ok := t.(*types.Named)
		if !ok || named.Obj().Pkg() != r.pass.Pkg {
			return
		}
		if _, ok := named.Underlying().(*types.Signature); ok {
			named = named.Origin()
			r.typeStores[named] = append(r.typeStores[named], v)
		}
	}
	for c := range r.inspector().Root().Preorder((*ast.CompositeLit)(nil), (*ast.AssignStmt)(nil), (*ast.CallExpr)(nil), (*ast.ValueSpec)(nil)) {
		switch x := c.Node().(type) {
		case *ast.CompositeLit:
			tv, ok := info.Types[x]
			if !ok {
				continue
			}
			if elem := funcElem(tv.Type); elem != nil {
				// map[K]T{k: f}, []T{f}: each element is stored as T.
				for _, el := range elemValues(x) {
					asType(elem, el)
				}
				continue
			}
			st, ok := tv.Type.Underlying().(*types.Struct)
			if !ok {
				continue
			}
			for i, el := range x.Elts {
				var f *types.Var
				val := el
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					id, ok := kv.Key.(*ast.Ident)
					if !ok {
						continue
					}
					f, _ = info.Uses[id].(*types.Var)
					val = kv.Value
				} else if i < st.NumFields() {
					f = st.Field(i)
				}
				if f != nil && f.IsField() {
					if _, ok := f.Type().Underlying().(*types.Signature); ok {
						r.addFieldStore(f.Origin(), val)
					}
				}
			}
		case *ast.AssignStmt:
			// rhs returns the value stored into the i-th left side: its
			// own right side, or the one call of a tuple assignment
			// (it.pageInfo, it.nextFunc = iterator.NewPageInfo(fetch,
			// ...)), whose results are built from what it is handed.
			rhs := func(i int) ast.Expr { return x.Rhs[i] }
			if len(x.Lhs) != len(x.Rhs) {
				if _, ok := ast.Unparen(x.Rhs[0]).(*ast.CallExpr); !ok || len(x.Rhs) != 1 {
					continue
				}
				rhs = func(int) ast.Expr { return x.Rhs[0] }
			}
			for i, l := range x.Lhs {
				if f := r.funcField(l); f != nil {
					r.addFieldStore(f, rhs(i))
					continue
				}
				if v := r.funcElemVar(l); v != nil {
					r.elemStores[v] = append(r.elemStores[v], rhs(i)) // handlers[k] = f
				}
				if t := info.TypeOf(l); t != nil {
					asType(t, rhs(i))
				}
			}
		case *ast.ValueSpec:
			for i, name := range x.Names {
				if len(x.Values) != len(x.Names) {
					break
				}
				v, ok := info.Defs[name].(*types.Var)
				if !ok {
					continue
				}
				asType(v.Type(), x.Values[i]) // var h T = f
				if v.Parent() != v.Pkg().Scope() || funcElem(v.Type()) == nil {
					continue
				}
				// var handlers = map[K]func(...){k: f}: the literal's
				// elements are stored into handlers'.
				val := ast.Unparen(x.Values[i])
				if u, ok := val.(*ast.UnaryExpr); ok {
					val = ast.Unparen(u.X) // &[...]func(){...}
				}
				if lit, ok := val.(*ast.CompositeLit); ok {
					r.elemStores[v] = append(r.elemStores[v], elemValues(lit)...)
				}
			}
		case *ast.CallExpr:
			// A conversion to a named function type of the package:
			// cmdable(c.Process).
			if len(x.Args) != 1 || !info.Types[x.Fun].IsType() {
				continue
			}
			if named, ok := info.Types[x.Fun].Type.(*types.Named); ok && named.Obj().Pkg() == r.pass.Pkg {
				if _, ok := named.Underlying().(*types.Signature); ok {
					named = named.Origin()
					r.typeStores[named] = append(r.typeStores[named], x.Args[0])
				}
			}
		}
	}
}

// elemValues returns the values of the elements of a map, slice or array
// literal (the values of its key-value pairs).
func elemValues(lit *ast.CompositeLit) []ast.Expr {
	vals := make([]ast.Expr, len(lit.Elts))
	for i, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			el = kv.Value
		}
		vals[i] = el
	}
	return vals
}

// addFieldStore records v as stored into f, and, when f's type is a
// named function type, as stored as that type.
func (r *runner) addFieldStore(f *types.Var, v ast.Expr) {
	r.fieldStores[f] = append(r.fieldStores[f], v)
	if named, ok := f.Type().(*types.Named); ok {
		named = named.Origin()
		r.typeStores[named] = append(r.typeStores[named], v)
	}
}
