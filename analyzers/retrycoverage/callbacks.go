package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// A call may hand its callee functions to run: a function literal, a
// method value or a function name among its arguments. hcloud-go's
// resource clients do so for every lookup by name or id:
//
//	func (c *CertificateClient) GetByName(ctx context.Context, name string) (*Certificate, *Response, error) {
//		return firstByName(name, func() ([]*Certificate, *Response, error) {
//			return c.List(ctx, CertificateListOpts{Name: name})
//		})
//	}
//	func (c *CertificateClient) Get(ctx context.Context, idOrName string) (*Certificate, *Response, error) {
//		return getByIDOrName(ctx, c.GetByID, c.GetByName, idOrName)
//	}
//
// The work of those functions runs inside the call, so a retry around the
// method nests any retry they make: c.List sends through the client's
// retrying handler chain. The calls made in a function literal argument
// (in literals nested in it too) and the functions passed as values count
// as calls of the method for nesting: when one of them retries (routed,
// nests, or an agent method this run's fixes route), the method gets no
// fix ("it calls CertificateClient.List (in a function it passes to
// firstByName), which already retries part of its work"). Whether the
// callee calls the function, and how often, is not looked at: a function
// handed on is taken to run.

// callbackFuncs returns the functions call hands its callee: the callees
// of the calls in its function literal arguments (with nested literals)
// and the functions and methods its arguments name without calling
// them, each once, in source order; for a call of a local variable set
// once, to a function literal (localLit), the callees of that literal
// first.
func (r *runner) callbackFuncs(call *ast.CallExpr) []*types.Func {
	if fns, ok := r.callbacks[call]; ok {
		return fns
	}
	if r.callbacks == nil {
		r.callbacks = map[*ast.CallExpr][]*types.Func{}
	}
	// Nothing while it is being computed: a stored value that is a call
	// (funcfields.go) may lead back to call.
	r.callbacks[call] = nil
	fns := r.findCallbackFuncs(call)
	r.callbacks[call] = fns
	return fns
}

// findCallbackFuncs computes callbackFuncs.
func (r *runner) findCallbackFuncs(call *ast.CallExpr) []*types.Func {
	info := r.pass.TypesInfo
	var out []*types.Func
	add := func(fn *types.Func) { out = addFunc(out, fn) }
	litCallees := func(lit *ast.FuncLit) { r.eachLitCallee(lit, add) }
	if lit := r.localLit(call.Fun); lit != nil {
		litCallees(lit) // handlePage(page), handlePage := func(page int) error {...}
	}
	for _, fn := range r.fieldFuncs(call) {
		add(fn) // hs.state.Load().current.process(ctx, cmd): funcfields.go
	}
	add(r.resultCallee(call)) // tx.Watch(ctx, key).Err(): resultless.go
	for i, a := range call.Args {
		for _, m := range r.ifaceArgMethods(call, i) {
			add(m) // partial.Digest(r): Digest calls r.RawManifest()
		}
		for _, m := range r.valueArgMethods(call, i) {
			add(m) // fn(ctx, shard.Client): callbackvalues.go
		}
		switch x := ast.Unparen(a).(type) {
		case *ast.FuncLit:
			litCallees(x)
		case *ast.Ident:
			if fn, ok := info.Uses[x].(*types.Func); ok {
				add(fn)
			} else if lit := r.localLit(x); lit != nil {
				litCallees(lit) // newSingleFlightRefresher(refresh), refresh := func(...) {...}
			}
		case *ast.SelectorExpr:
			if fn, ok := info.Uses[x.Sel].(*types.Func); ok {
				add(fn)
			}
		}
	}
	return out
}

// namedFunc returns the function or method that e names as a value (f,
// pkg.F, x.Method), or nil.
func namedFunc(info *types.Info, e ast.Expr) *types.Func {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		fn, _ := info.Uses[x].(*types.Func)
		return fn
	case *ast.SelectorExpr:
		fn, _ := info.Uses[x.Sel].(*types.Func)
		return fn
	}
	return nil
}

// addFunc appends fn's origin to fns unless fn is nil or already there.
func addFunc(fns []*types.Func, fn *types.Func) []*types.Func {
	if fn == nil {
		return fns
	}
	fn = fn.Origin()
	if slices.Contains(fns, fn) {
		return fns
	}
	return append(fns, fn)
}

// eachLitCallee calls add with the static callee of each call in lit's
// body, nested literals included, and, for a call with none, the
// functions it runs through a func-typed field, a variable of a named
// function type or an element of a package-level variable (fieldFuncs):
// a generated Google API client's page fetch is a literal calling
// it.InternalFetch, a field set to a literal that calls gax.Invoke.
func (r *runner) eachLitCallee(lit *ast.FuncLit, add func(*types.Func)) {
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if fn := r.callee(c); fn != nil {
			add(fn)
			return true
		}
		fns, ok := r.litFieldCalls[c]
		if !ok {
			if r.litFieldCalls == nil {
				r.litFieldCalls = map[*ast.CallExpr][]*types.Func{}
			}
			// Nothing while it is being computed: a literal stored into
			// a field may call that field.
			r.litFieldCalls[c] = nil
			fns = r.fieldFuncs(c)
			r.litFieldCalls[c] = fns
		}
		for _, fn := range fns {
			add(fn)
		}
		return true
	})
}

// ifaceArgMethods returns the methods a call hands its callee through
// its i-th argument, a value of a concrete type passed as a parameter of
// an interface type: the methods of the value that implement the
// interface's, which the callee may call. go-containerregistry's
// remoteIndex.Digest is `return partial.Digest(r)`, and partial.Digest
// calls r.RawManifest() through its WithRawManifest parameter. Variadic
// arguments and empty interfaces hand nothing; a callee of this package
// hands only the methods its body may call (ifaceargs.go).
func (r *runner) ifaceArgMethods(call *ast.CallExpr, i int) []*types.Func {
	info := r.pass.TypesInfo
	sig, ok := types.Unalias(info.TypeOf(call.Fun)).(*types.Signature)
	if !ok {
		if t := info.TypeOf(call.Fun); t != nil {
			sig, ok = t.Underlying().(*types.Signature)
		}
	}
	if !ok || i >= sig.Params().Len() || sig.Variadic() && i >= sig.Params().Len()-1 {
		return nil
	}
	iface, ok := sig.Params().At(i).Type().Underlying().(*types.Interface)
	if !ok || iface.NumMethods() == 0 {
		return nil
	}
	t := info.TypeOf(call.Args[i])
	if t == nil || types.IsInterface(t) {
		return nil
	}
	// A callee of this package shows which methods it may call
	// (ifaceargs.go).
	var called map[string]bool
	if fn := r.callee(call); fn != nil && fn.Pkg() == r.pass.Pkg {
		if names, ok := r.paramMethods(fn, i); ok {
			called = names
		}
	}
	var out []*types.Func
	mset := r.msets.MethodSet(t)
	for j := range iface.NumMethods() {
		im := iface.Method(j)
		if called != nil && !called[im.Name()] {
			continue
		}
		sel := mset.Lookup(im.Pkg(), im.Name())
		if sel == nil {
			continue
		}
		if fn, ok := sel.Obj().(*types.Func); ok {
			out = append(out, fn.Origin())
		}
	}
	return out
}

// callbackNesting returns, for a call of am's work, the name (for a
// message) of the first function it hands its callee that retries when
// run: routed here or through its Fact, nesting, or an agent method of
// the package that this run's fixes route or that nests; "" when none
// does. origin says where that retry is (retryOrigin; "the retry -fix
// gives X" for an agent method this run's fixes route). am's own method and the methods of its call cycle are left out
// (recursion is decided elsewhere), and so are the literals of tracking
// wrappers, errgroup.Group.Go and retry entry points. am is nil for a
// function that is no agent method (callsNesting).
func (r *runner) callbackNesting(am *agentMethod, call *ast.CallExpr, unrouted map[*types.Func]*agentMethod) (name, origin string) {
	name, origin, _ = r.callbackNestingOf(am, call, unrouted)
	return name, origin
}

// callbackNestingOf is callbackNesting, and says whether the function it
// names is only a method of a value the call hands a callback its caller
// passes (weak): what that callback runs is not known, so the call is
// taken to nest, but a message names a cause of the method's own first
// (delegation).
func (r *runner) callbackNestingOf(am *agentMethod, call *ast.CallExpr, unrouted map[*types.Func]*agentMethod) (name, origin string, weak bool) {
	if fn := r.callee(call); fn != nil {
		class, ok := r.calleeClass[fn]
		if !ok {
			class = r.classify(fn)
			r.calleeClass[fn] = class
		}
		if class == calleeWrapper || class == calleeRetry {
			// A tracking wrapper or errgroup.Group.Go is judged by its
			// literal (wrappedKind); a retry entry point retries it.
			return "", "", false
		}
	}
	var self *types.Func
	if am != nil {
		self = am.m.Func
	}
	for _, fn := range r.callbackFuncs(call) {
		if fn == self {
			continue
		}
		retries := false
		if callee := unrouted[fn]; callee != nil {
			if am != nil && callee.scc == am.scc {
				continue
			}
			retries = callee.resolves || callee.nests || r.transport[fn] != nil
			if callee.resolves {
				origin = "the retry -fix gives " + qualifiedName(fn)
			}
		} else {
			retries = r.retriesWhenRun(fn)
		}
		if retries {
			if origin == "" {
				origin = r.retryOrigin(fn, self)
			}
			if r.localLit(call.Fun) != nil {
				return r.nestingName(fn, self) + " (in the function literal " + types.ExprString(call.Fun) + " it calls)", origin, false
			}
			if r.funcField(call.Fun) != nil && slices.Contains(r.fieldFuncs(call), fn) {
				return r.nestingName(fn, self) + " (stored in the function field " + types.ExprString(call.Fun) + " it calls)", origin, false
			}
			if t := r.funcVarType(call.Fun); t != nil && slices.Contains(r.fieldFuncs(call), fn) {
				return r.nestingName(fn, self) + " (stored as the " + t.Obj().Name() + " " + types.ExprString(call.Fun) + " it calls)", origin, false
			}
			if v := r.funcElemVar(call.Fun); v != nil && slices.Contains(r.fieldFuncs(call), fn) {
				return r.nestingName(fn, self) + " (stored in " + v.Name() + ", an element of which it calls: " + types.ExprString(call.Fun) + ")", origin, false
			}
			if fn == r.resultCallee(call) {
				return r.nestingName(fn, self) + " (whose result it asks for its error: " + r.callName(call) + ")", origin, false
			}
			weak := r.callbackParam(call.Fun) != nil
			for i := range call.Args {
				if slices.Contains(r.ifaceArgMethods(call, i), fn) || slices.Contains(r.valueArgMethods(call, i), fn) {
					return r.nestingName(fn, self) + " (a method of " + types.ExprString(call.Args[i]) + ", which it passes to " + r.handedTo(call) + ")", origin, weak
				}
			}
			return r.nestingName(fn, self) + " (in a function it passes to " + r.callName(call) + ")", origin, false
		}
	}
	return "", "", false
}

// retriesWhenRun reports whether running fn runs a retry: it is routed
// (here, or through the RoutedFunc fact or its class: a retry entry
// point, a method of a retrying type) or nests a retry (nests).
func (r *runner) retriesWhenRun(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	if r.routed[fn] || r.nests(fn) || r.transport[fn] != nil {
		return true
	}
	if fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(fn, new(TransportRetry)) {
		return true // it sends through a client that may retry
	}
	class, ok := r.calleeClass[fn]
	if !ok {
		class = r.classify(fn)
		r.calleeClass[fn] = class
	}
	return class == calleeRetry
}

// localLit returns the function literal that fun, a local variable set
// exactly once (handlePage := func(page int) error {...}, var f =
// func() {...}), holds; nil for anything else. linodego's
// handlePaginatedResults calls its pages so: the work of the literal is
// the work of each call of the variable.
func (r *runner) localLit(fun ast.Expr) *ast.FuncLit {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := r.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	if r.litVars == nil {
		r.findLitVars()
	}
	return r.litVars[v]
}

// findLitVars fills r.litVars: the local variables of the package's
// functions defined from a function literal and never assigned again;
// r.elemVars: those defined from an element of a package-level
// variable holding functions (funcElemVar) and never assigned again;
// and r.callVars: those defined from the single result of a call and
// never assigned again.
func (r *runner) findLitVars() {
	info := r.pass.TypesInfo
	r.litVars = map[*types.Var]*ast.FuncLit{}
	r.elemVars = map[*types.Var]*types.Var{}
	r.callVars = map[*types.Var]*ast.CallExpr{}
	assigned := map[*types.Var]int{}
	set := func(lhs ast.Expr, rhs ast.Expr) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok {
			return
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok {
			return
		}
		assigned[v]++
		if lit, ok := ast.Unparen(rhs).(*ast.FuncLit); ok && rhs != nil {
			r.litVars[v] = lit
		}
		if c, ok := ast.Unparen(rhs).(*ast.CallExpr); ok && rhs != nil {
			r.callVars[v] = c // iter := q.Iter() (resultless.go)
		}
		if rhs != nil {
			if elems := r.funcElemVar(rhs); elems != nil {
				r.elemVars[v] = elems // h := handlers[k] (funcfields.go)
			}
		}
	}
	for c := range r.inspector().Root().Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.UnaryExpr)(nil)) {
		switch x := c.Node().(type) {
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				var rhs ast.Expr
				if len(x.Lhs) == len(x.Rhs) {
					rhs = x.Rhs[i]
				} else if i == 0 && len(x.Rhs) == 1 {
					if _, ok := ast.Unparen(x.Rhs[0]).(*ast.IndexExpr); ok {
						rhs = x.Rhs[0] // h, ok := handlers[k]
					}
				}
				set(l, rhs)
			}
		case *ast.ValueSpec:
			for i, n := range x.Names {
				var rhs ast.Expr
				if len(x.Names) == len(x.Values) {
					rhs = x.Values[i]
				}
				set(n, rhs)
			}
		case *ast.UnaryExpr:
			// &f may set it anywhere.
			if id, ok := ast.Unparen(x.X).(*ast.Ident); ok && x.Op == token.AND {
				if v, ok := info.ObjectOf(id).(*types.Var); ok {
					assigned[v] += 2
				}
			}
		}
	}
	for v := range r.litVars {
		if assigned[v] != 1 {
			delete(r.litVars, v)
		}
	}
	for v := range r.elemVars {
		if assigned[v] != 1 {
			delete(r.elemVars, v)
		}
	}
	for v := range r.callVars {
		if assigned[v] != 1 || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
			delete(r.callVars, v)
		}
	}
}
