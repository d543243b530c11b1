package retrycoverage

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// A function without an error result nests a retry when it calls, as its
// work, a function that retries part of its work, as it does when it calls
// a retry itself (minio-go's removeObject): the error its caller reads
// from the data it returns comes from inside that retry. go-redis's
// command methods are such functions:
//
//	func (c *Tx) Watch(ctx context.Context, keys ...string) *StatusCmd {
//		cmd := NewStatusCmd(ctx, args...)
//		_ = c.Process(ctx, cmd) // nests: through the hooks to baseClient.process
//		return cmd
//	}
//	func (c *Client) Watch(ctx context.Context, fn func(*Tx) error, keys ...string) error {
//		...
//		if err := tx.Watch(ctx, keys...).Err(); err != nil {
//
// Client.Watch read the error of a retried WATCH through the returned
// command, and kept its fix: a WATCH on a dropped connection sent 9 times
// instead of 3. The functions without an error result that call a nesting
// function (or hand their callee one: callbacks.go) nest too, to a fixed
// point shared with the functions that have one (exportFacts' partial).

// resultlessFunc is a function without an error result, with the calls
// of its body made outside function literals, go and defer statements.
type resultlessFunc struct {
	fn    *types.Func
	calls []*ast.CallExpr
}

// isValidator reports whether fn is a validator: of this package
// (r.validators) or, through the ValidatorFunc fact, of another.
func (r *runner) isValidator(fn *types.Func) bool {
	switch {
	case fn == nil:
		return false
	case fn.Pkg() == r.pass.Pkg:
		return r.validators[fn.Origin()]
	case fn.Pkg() != nil:
		return r.pass.ImportObjectFact(fn.Origin(), new(ValidatorFunc))
	}
	return false
}

// directCalls returns the calls of body made outside function literals,
// go and defer statements, as callsRetry walks them.
func (r *runner) directCalls(body inspector.Cursor) []*ast.CallExpr {
	var out []*ast.CallExpr
	body.Inspect(nil, func(c inspector.Cursor) bool {
		switch x := c.Node().(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false
		case *ast.CallExpr:
			out = append(out, x)
		}
		return true
	})
	return out
}

// resultlessNesting adds to r.nestFuncs the functions of funcs that call
// a function that nests, and the functions of partial (not routed, with
// an error result, visited in the order of order) that call one of
// those, to a fixed point.
func (r *runner) resultlessNesting(funcs []resultlessFunc, order []*types.Func, partial map[*types.Func]*routing) {
	for changed := true; changed; {
		changed = false
		for _, f := range funcs {
			if r.nestFuncs[f.fn] != "" {
				continue
			}
			for _, c := range f.calls {
				if origin := r.runsNesting(f.fn, c); origin != "" {
					r.nestFuncs[f.fn] = origin
					changed = true
					break
				}
			}
		}
		for _, fn := range order {
			if r.nestFuncs[fn] != "" {
				continue
			}
			if origin, ok := r.callsNesting(partial[fn]); ok {
				r.nestFuncs[fn] = origin
				changed = true
			}
		}
	}
}

// runsNesting returns where the retry is (NestedRetry.Via) that c, a call
// in the body of self, runs through a function that nests: its callee, or
// a function it hands its callee (callbacks.go, funcfields.go); "" if it
// runs none. A conversion or a builtin runs nothing:
// pipelineExecer(c.processPipelineHook) only makes a value.
func (r *runner) runsNesting(self *types.Func, c *ast.CallExpr) string {
	info := r.pass.TypesInfo
	if tv, ok := info.Types[c.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
		return ""
	}
	if fn := r.callee(c); fn != nil && fn != self && r.nests(fn) {
		if origin := r.retryOrigin(fn, self); origin != "" {
			return origin
		}
		return qualifiedName(fn)
	}
	name, origin := r.callbackNesting(nil, c, nil)
	if name != "" && origin == "" {
		origin = name
	}
	return origin
}

// resultCallee returns, for a call of a method returning an error on the
// result of another call whose callee returns none (tx.Watch(ctx,
// key).Err(), go-redis's commands), that callee: the error read comes
// from its work, so it runs as part of the call. So does a validator (a
// method that only reads the error) called on a local variable set once
// to such a result: gocql's Query.Scan is
// `iter := q.Iter(); if err := iter.checkErrAndNotFound(); err != nil {
// return err }; ...; return iter.Close()`, and Iter runs the query
// inside the session's retry. nil for any other call.
func (r *runner) resultCallee(call *ast.CallExpr) *types.Func {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	outer := r.callee(call)
	inner, ok := ast.Unparen(sel.X).(*ast.CallExpr)
	if !ok {
		// A local set once to a call's result, whose method only reads
		// the error (a validator): a method that does work of its own
		// (an iterator's Next fetching a page) is the work itself.
		id, isIdent := ast.Unparen(sel.X).(*ast.Ident)
		if !isIdent || !r.isValidator(outer) {
			return nil
		}
		v, isVar := r.pass.TypesInfo.Uses[id].(*types.Var)
		if !isVar {
			return nil
		}
		if r.litVars == nil {
			r.findLitVars()
		}
		if inner = r.callVars[v]; inner == nil || !carriesError(v.Type()) {
			return nil
		}
	}
	fn := r.callee(inner)
	if outer == nil || fn == nil || !typepred.ReturnsError(outer.Signature()) || typepred.ReturnsError(fn.Signature()) {
		return nil
	}
	return fn
}

// carriesError reports whether t is a struct, or a pointer to one, with a
// field of an error type: a result that keeps the error of the work that
// made it (gocql's Iter), unlike a value that was only constructed
// (go-openai's NewReasoningValidator, whose Validate is validation).
func carriesError(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		if typepred.IsError(f.Type()) {
			return true
		}
	}
	return false
}
