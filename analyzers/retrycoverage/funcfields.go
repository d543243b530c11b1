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
// = initial.process). Any other value (a parameter, a call's result, such
// as a hook wrapping the previous one) adds nothing: like an interface call
// (ifaceretry.go), the call nests when one of the stored functions retries,
// whichever of them runs. Stores in other packages are not seen.

// fieldFuncs returns the functions that call, a call of a func-typed
// struct field, may run (see above); nil for any other call.
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
	if f == nil {
		named = r.funcVarType(call.Fun)
		if named == nil {
			return nil
		}
	}
	if r.fieldStores == nil {
		r.findFieldStores()
	}
	var out []*types.Func
	seen := map[*types.Var]bool{}
	var visit func(f *types.Var)
	visit = func(f *types.Var) {
		if seen[f] {
			return
		}
		seen[f] = true
		for _, v := range r.fieldStores[f] {
			r.storedFuncs(v, &out, visit)
		}
	}
	if f != nil {
		visit(f)
		return out
	}
	for _, v := range r.typeStores[named] {
		r.storedFuncs(v, &out, visit)
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
// another such field.
func (r *runner) storedFuncs(v ast.Expr, out *[]*types.Func, visit func(*types.Var)) {
	info := r.pass.TypesInfo
	add := func(fn *types.Func) {
		if fn == nil {
			return
		}
		fn = fn.Origin()
		for _, f := range *out {
			if f == fn {
				return
			}
		}
		*out = append(*out, fn)
	}
	for {
		v = ast.Unparen(v)
		c, ok := v.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 || !info.Types[c.Fun].IsType() {
			break
		}
		v = c.Args[0] // a conversion: pipelineExecer(c.processPipelineHook)
	}
	switch x := v.(type) {
	case *ast.FuncLit:
		ast.Inspect(x.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				add(r.callee(c))
			}
			return true
		})
	case *ast.Ident:
		if fn, ok := info.Uses[x].(*types.Func); ok {
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

// findFieldStores fills r.fieldStores: for each func-typed struct field,
// the values the package's files store into it; and r.typeStores: for
// each named function type of the package, the values stored into fields
// of that type or converted to it.
func (r *runner) findFieldStores() {
	info := r.pass.TypesInfo
	r.fieldStores = map[*types.Var][]ast.Expr{}
	r.typeStores = map[*types.Named][]ast.Expr{}
	for c := range r.inspector().Root().Preorder((*ast.CompositeLit)(nil), (*ast.AssignStmt)(nil), (*ast.CallExpr)(nil)) {
		switch x := c.Node().(type) {
		case *ast.CompositeLit:
			tv, ok := info.Types[x]
			if !ok {
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
			if len(x.Lhs) != len(x.Rhs) {
				continue
			}
			for i, l := range x.Lhs {
				if f := r.funcField(l); f != nil {
					r.addFieldStore(f, x.Rhs[i])
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

// addFieldStore records v as stored into f, and, when f's type is a
// named function type, as stored as that type.
func (r *runner) addFieldStore(f *types.Var, v ast.Expr) {
	r.fieldStores[f] = append(r.fieldStores[f], v)
	if named, ok := f.Type().(*types.Named); ok {
		named = named.Origin()
		r.typeStores[named] = append(r.typeStores[named], v)
	}
}
