package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// findValidators finds the functions of the package whose last result is
// error and whose bodies make no call that can fail (transitively through
// other validators, themselves included): argument checks such as
// checkPlan(plan) that only return nil, sentinels or errors built on the
// spot, and error aggregators such as go-multierror's Append. It exports
// their ValidatorFunc facts.
func (r *runner) findValidators() {
	// Each body is walked once. A call whose kind cannot depend on the
	// validators found so far, or a deferred handler setting the error
	// result (errDefers), rules the function out for good; the calls
	// whose kind may (validatorDependent) are kept and judged again on
	// each round, in the order the rounds have always judged them.
	type candidate struct {
		fn      *types.Func
		pending []*ast.CallExpr
	}
	var cands []candidate
	for fdc := range r.inspector().Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := fdc.Node().(*ast.FuncDecl)
		fn, ok := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if fd.Body == nil || !ok || !typepred.FailsWithError(fn.Signature()) {
			continue
		}
		blocked := false
		var pending []*ast.CallExpr
		for c := range fdc.Preorder((*ast.CallExpr)(nil), (*ast.DeferStmt)(nil)) {
			switch x := c.Node().(type) {
			case *ast.CallExpr:
				if x.Pos() < fd.Body.Pos() {
					continue // in the signature (an array length)
				}
				if r.validatorDependent(x) {
					pending = append(pending, x)
				} else if r.kind(x) != callNone {
					blocked = true
				}
			case *ast.DeferStmt:
				blocked = r.errDefers[x]
			}
			if blocked {
				break
			}
		}
		if !blocked {
			cands = append(cands, candidate{fn, pending})
		}
	}
	// The greatest fixed point: every candidate starts as a validator and
	// loses it when one of its pending calls can fail given the others,
	// until nothing changes. A validator that calls itself (go-multierror's
	// Append starts a new Error by calling Append with one) or a cycle of
	// them stays one: nothing in it can fail but those calls.
	for _, c := range cands {
		r.validators[c.fn] = true
	}
	for changed := true; changed; {
		changed = false
		for _, c := range cands {
			if !r.validators[c.fn] {
				continue
			}
			if slices.ContainsFunc(c.pending, func(x *ast.CallExpr) bool { return r.kind(x) != callNone }) {
				delete(r.validators, c.fn)
				changed = true
			}
		}
	}
	if !r.exportsFacts {
		return // see runner.exportsFacts
	}
	for fn := range r.validators {
		r.pass.ExportObjectFact(fn, new(ValidatorFunc))
	}
}

// findErrDefers finds the defer statements of the package's functions
// that turn a recovered panic into the function's named error result: a
// deferred function literal that calls recover() and assigns the result
// (or takes its address), or a deferred call of a function of this
// package that calls recover(), given the result's address. Such a
// function fails through panics (gopkg.in/yaml.v3's Decode), so it does
// work that can fail. Deferred calls that only wrap an error the function
// already returns (defer wrap(&err, "op")) recover nothing and do not
// count; nor do recovering functions of other packages (their bodies are
// not seen).
func (r *runner) findErrDefers() {
	info := r.pass.TypesInfo
	// The functions of the package calling recover(), found when a
	// deferred call first needs them (most packages defer none).
	var recovers map[types.Object]bool
	recoversAt := func(c *ast.CallExpr) bool {
		if recovers == nil {
			recovers = map[types.Object]bool{}
			for _, f := range r.pass.Files {
				for _, d := range f.Decls {
					if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && callsRecover(info, fd.Body) {
						recovers[info.Defs[fd.Name]] = true
					}
				}
			}
		}
		return recovers[typeutil.Callee(info, c)]
	}
	// The defers of the package, each judged in the function declaration
	// it is in: one in a function literal sets the literal's results.
	for dc := range r.inspector().Root().Preorder((*ast.DeferStmt)(nil)) {
		var fd *ast.FuncDecl
		for enc := range dc.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			fd, _ = enc.Node().(*ast.FuncDecl)
			break
		}
		if fd == nil || fd.Body == nil || fd.Type.Results == nil {
			continue
		}
		last := fd.Type.Results.List[len(fd.Type.Results.List)-1]
		if len(last.Names) == 0 {
			continue // unnamed: no defer can set it
		}
		res := info.Defs[last.Names[len(last.Names)-1]]
		if res == nil || !typepred.IsError(res.Type()) {
			continue
		}
		x := dc.Node().(*ast.DeferStmt)
		var recovering bool
		switch fun := ast.Unparen(x.Call.Fun).(type) {
		case *ast.FuncLit:
			recovering = callsRecover(info, fun.Body) && !fixedErrs(info, fun, res)
		default:
			recovering = recoversAt(x.Call)
		}
		if recovering && setsVar(info, x.Call, res) {
			r.errDefers[x] = true
		}
	}
}

// validatorDependent reports whether the kind of call may depend on
// r.validators: it calls a function of this package, or a tracking
// wrapper or errgroup.Group.Go, whose kind is that of the calls of the
// function literal it runs (wrappedKind).
func (r *runner) validatorDependent(call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(r.pass.TypesInfo, call).(*types.Func)
	if !ok {
		return false
	}
	fn = fn.Origin()
	return fn.Pkg() == r.pass.Pkg || r.cls.TrackKindOf(fn) == targets.TrackWrap || isErrgroupGo(fn)
}

// callsRecover reports whether body calls the builtin recover (not in
// nested function literals).
func callsRecover(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(x ast.Node) bool {
		if _, ok := x.(*ast.FuncLit); ok {
			return false
		}
		if c, ok := x.(*ast.CallExpr); ok {
			if b, ok := typeutil.Callee(info, c).(*types.Builtin); ok && b.Name() == "recover" {
				found = true
			}
		}
		return !found
	})
	return found
}

// fixedErrs reports whether the deferred function literal lit sets res
// only to errors fixed in advance: every assignment to res has a right
// side that reads no variable but package-level ones (a sentinel such as
// ErrClosed, errors.New or fmt.Errorf of constants) and calls nothing but
// those error constructors, and lit does not take res's address. Such a
// handler turns any panic into the same error, which says nothing of what
// panicked: a send on a closed channel reported as ErrClosed (segmentio's
// analytics-go Client.Enqueue and Close) fails as a validation return
// does, and no attempt gets past it, so it is no work that can fail.
// A handler passing on the recovered value (err = fmt.Errorf("%v", v),
// *err = e in yaml.v3's handleErr) or an error of the function's (err =
// fmt.Errorf("...: %w", err)) still is.
func fixedErrs(info *types.Info, lit *ast.FuncLit, res types.Object) bool {
	fixed := func(e ast.Expr) bool {
		ok := true
		ast.Inspect(e, func(x ast.Node) bool {
			switch x := x.(type) {
			case *ast.FuncLit:
				ok = false
			case *ast.Ident:
				if v, isVar := info.Uses[x].(*types.Var); isVar && !v.IsField() && (v.Pkg() == nil || v.Parent() != v.Pkg().Scope()) {
					ok = false // a local, a parameter, a result
				}
			case *ast.CallExpr:
				if tv, isType := info.Types[x.Fun]; isType && tv.IsType() {
					break // a conversion
				}
				if fn, isFunc := typeutil.Callee(info, x).(*types.Func); !isFunc || !targets.IsErrorConstructor(fn) {
					ok = false
				}
			}
			return ok
		})
		return ok
	}
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == res
	}
	ok := true
	ast.Inspect(lit.Body, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.UnaryExpr:
			if x.Op == token.AND && is(x.X) {
				ok = false
			}
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				if !is(l) {
					continue
				}
				if len(x.Lhs) != len(x.Rhs) || x.Tok != token.ASSIGN || !fixed(x.Rhs[i]) {
					ok = false
				}
			}
		}
		return ok
	})
	return ok
}

// setsVar reports whether the deferred call c may set v: it takes v's
// address (in its arguments or, for a function literal, in its body) or,
// being a function literal, assigns v.
func setsVar(info *types.Info, c *ast.CallExpr, v types.Object) bool {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	found := false
	ast.Inspect(c, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.UnaryExpr:
			found = found || x.Op == token.AND && is(x.X)
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				found = found || is(l)
			}
		}
		return !found
	})
	return found
}

// funcDecls yields the functions and methods declared with a body in the
// package's files, with their objects.
func (r *runner) funcDecls() iter.Seq2[*ast.FuncDecl, *types.Func] {
	return func(yield func(*ast.FuncDecl, *types.Func) bool) {
		for _, f := range r.pass.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				if fn, ok := r.pass.TypesInfo.Defs[fd.Name].(*types.Func); ok && !yield(fd, fn) {
					return
				}
			}
		}
	}
}

// exportFacts finds the routed functions of the package (a fixed point,
// as helpers may delegate to each other) and exports their Facts.
func (r *runner) exportFacts() {
	var funcs []*ast.FuncDecl
	for fd, fn := range r.funcDecls() {
		if typepred.ReturnsError(fn.Signature()) {
			funcs = append(funcs, fd)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, fd := range funcs {
			fn := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if r.routed[fn] {
				continue
			}
			if v := r.check(fd); v != nil && len(v.bad) == 0 && v.routedRets > 0 {
				r.routed[fn] = true
				r.routedBy[fn] = r.routedFuncBy(v)
				changed = true
			}
		}
	}
	// The functions that are not routed but retry part of their work, or
	// call (as work) one that does: wrapping a caller would nest that
	// retry.
	// partialOrder lists partial's keys in declaration order: the fixed
	// points below visit them in that order, so that the origin each
	// records (NestedRetry.Via) is the same from run to run.
	partial := map[*types.Func]*routing{}
	var partialOrder []*types.Func
	for _, fd := range funcs {
		fn := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if !r.routed[fn] {
			if v := r.check(fd); v != nil {
				partial[fn] = v
				partialOrder = append(partialOrder, fn)
			}
		}
	}
	for _, fd := range funcs {
		if fn := r.pass.TypesInfo.Defs[fd.Name].(*types.Func); !r.routed[fn] && r.recursiveRetry(fd) != nil {
			r.nestFuncs[fn] = "the retry by recursion in " + qualifiedName(fn) // recursion.go
			r.ownNest[fn] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, fn := range partialOrder {
			v := partial[fn]
			if r.nestFuncs[fn] != "" {
				continue
			}
			if len(v.retries) > 0 {
				r.nestFuncs[fn] = r.retryCallOrigin(v.retries[0], fn)
				r.ownNest[fn] = true
				changed = true
			} else if g, ok := r.goNesting(v, fn); ok {
				// A retry in a goroutine it starts and someone waits
				// for (goretry.go).
				r.nestFuncs[fn] = g.origin
				changed = true
			} else if origin, ok := r.callsNesting(v); ok {
				r.nestFuncs[fn] = origin
				changed = true
			}
		}
	}
	// The clients and transports that may retry, now that the routed
	// functions and those that retry part of their work (a retrying
	// RoundTrip, routed or not) are known (transport.go).
	r.findRetryingHolders()
	// The functions that send through a client a retry library may have
	// built: they may retry at run time (transport.go).
	r.findTransports(funcs, partial)
	// A function without an error result that retries (minio-go's
	// removeObject, whose caller returns res.Err) nests too: the error its
	// caller returns through data comes from inside that retry.
	// The declarations are those of funcDecls, in the same order, taken
	// from the inspector for callsRetry's walk.
	var resultless []resultlessFunc
	for c := range r.inspector().Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := c.Node().(*ast.FuncDecl)
		fn, ok := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if fd.Body == nil || !ok || typepred.ReturnsError(fn.Signature()) {
			continue
		}
		body := c.ChildAt(edge.FuncDecl_Body, -1)
		if call := r.callsRetry(body); call != nil {
			r.nestFuncs[fn] = r.retryCallOrigin(r.retryCallOf(call), fn)
			continue
		}
		resultless = append(resultless, resultlessFunc{fn, r.directCalls(body)})
	}
	// ... and so does one that calls, as its work, a function that nests
	// (resultless.go).
	r.resultlessNesting(resultless, partialOrder, partial)
	if targets.InGOROOT(r.pass.Fset, r.pass.Files) {
		return // no Facts from the standard library: see targets.InGOROOT
	}
	for _, fd := range funcs {
		fn := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if r.routed[fn] {
			r.pass.ExportObjectFact(fn, &RoutedFunc{By: r.routedBy[fn]})
		}
	}
	r.exportTransports()
	r.exportSenderFuncs()
}

// callsNesting reports whether the work of v calls a function that
// retries part of its work without being routed (r.nestFuncs, or the
// NestedRetry fact of another package's function, or an interface method
// an implementation of which retries: ifaceretry.go), or hands its callee
// a function that does (callbacks.go); and where the first such retry is.
func (r *runner) callsNesting(v *routing) (string, bool) {
	for _, c := range v.work {
		if fn := r.callee(c); r.nests(fn) {
			return r.retryOrigin(fn, nil), true
		}
		if name, origin := r.callbackNesting(nil, c, nil); name != "" {
			if origin == "" {
				origin = name
			}
			return origin, true
		}
	}
	return "", false
}

// retryOrigin says where the retry is that a call of fn, which retries
// when called (routed, nesting, sending through a retrying client, a
// retry entry point), runs: NestedRetry.Via. For an interface method,
// that of its first implementation that retries, other than self.
func (r *runner) retryOrigin(fn, self *types.Func) string {
	if fn == nil {
		return ""
	}
	if via := r.nestFuncs[fn]; via != "" {
		return via
	}
	if t := r.transport[fn]; t != nil && t.Library != "" {
		return t.Library
	}
	if via, ok := r.standInVia[fn]; ok { // standin.go
		if via != "" {
			return via
		}
		return qualifiedName(fn)
	}
	if fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg {
		if fact := new(NestedRetry); r.pass.ImportObjectFact(fn, fact) {
			if fact.Via != "" {
				return fact.Via
			}
			return qualifiedName(fn)
		}
		if fact := new(TransportRetry); r.pass.ImportObjectFact(fn, fact) && fact.Library != "" {
			return fact.Library
		}
	}
	if methodIface(fn) != nil {
		for _, m := range r.ifaceRetriers(fn) {
			if m != self && m != fn {
				return r.retryOrigin(m, nil)
			}
		}
	}
	return qualifiedName(fn)
}

// retryCallOrigin says where the retry c, made in fn, is: the loop or
// the recovery call in fn, or the function that retries.
func (r *runner) retryCallOrigin(c retryCall, fn *types.Func) string {
	switch {
	case c.kind == retryLoop:
		return "the retry loop at " + r.where(c.pos) + " in " + qualifiedName(fn)
	case c.kind == retryRecursion:
		// As the nesting rule words it (recursion.go's caller in
		// facts.go): the same text whichever rule finds it.
		return "the retry by recursion in " + qualifiedName(fn)
	case c.kind == retryRecovery || c.fn == nil:
		return "runtime/recovery in " + qualifiedName(fn)
	}
	return qualifiedName(c.fn)
}

// nests reports whether fn, not routed, retries part of its work (or
// calls a function that does): calling it is work that wrapping would
// nest.
func (r *runner) nests(fn *types.Func) bool {
	switch {
	case fn == nil:
		return false
	case r.nestFuncs[fn] != "":
		return true
	case fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(fn, new(NestedRetry)):
		return true
	}
	// A call of an interface method a type implements with a retry
	// (ifaceretry.go).
	return len(r.ifaceRetriers(fn)) > 0
}

// routedFuncBy says what routes a routed function (RoutedFunc.By): ""
// when it makes a recovery call; otherwise its first retry of its own (a
// loop, a library, a retrying type) or, failing that, what routes the
// first routed function it delegates to.
func (r *runner) routedFuncBy(v *routing) string {
	for _, c := range v.retries {
		if c.kind == retryRecovery {
			return ""
		}
	}
	for _, c := range v.retries {
		if c.kind != retryDelegate {
			return r.routedVia(c)
		}
	}
	for _, c := range v.retries {
		if c.by != "" {
			return c.by
		}
	}
	return ""
}
