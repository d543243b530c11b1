package retrycoverage

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// A function may hand a callback its caller passes (a parameter of
// function type) a value whose methods retry. go-redis's Ring.ForEachShard
// and ClusterClient.ForEachMaster run the caller's fn(ctx, client) with a
// *Client, and fn sends through it: its Process runs go-redis's own retry
// whenever the client is built with retries (a Ring builds its shards'
// without, MaxRetries -1, but their dials still retry), and a retry around
// the method nests that one (3 x 3 sends of a command).
// What the callback does is not known, so any method of the value may
// run: a value of a named concrete type (or a pointer to one) handed to a
// callback hands it the methods of its type (with those of its pointer
// type for a value that is no pointer), and the call nests when one of
// them retries, as a value passed as an interface argument hands the
// methods implementing it (ifaceArgMethods). Which one names the cause
// in a message: the methods the type declares come before those it
// promotes from embedded fields, and in each, those with an error result
// (the work a callback asks of the value: go-redis's Client.Process, not
// Client.Conn) first, in the method set's order.
//
// The callee is known (a function or method of its own) when the call
// has a static callee: its body, and its Facts, say what it does with the
// value, so only calls of a parameter count here. A call of a callback in
// a loop is judged by retrysafety as well (a retry would run it again for
// the items it succeeded on).

// callbackParam returns the parameter of function type that fun, a
// call's function, names; nil for anything else (a function, a method, a
// field, a local, a receiver).
func (r *runner) callbackParam(fun ast.Expr) *types.Var {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := r.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Kind() != types.ParamVar {
		return nil
	}
	if _, ok := v.Type().Underlying().(*types.Signature); !ok {
		return nil
	}
	return v
}

// valueArgMethods returns the methods a call of a callback parameter
// hands it through its i-th argument, a value of a named concrete type or
// a pointer to one (see above); nil for any other call or argument.
func (r *runner) valueArgMethods(call *ast.CallExpr, i int) []*types.Func {
	if r.callbackParam(call.Fun) == nil || i >= len(call.Args) {
		return nil
	}
	t := r.pass.TypesInfo.TypeOf(call.Args[i])
	if t == nil || types.IsInterface(t) {
		return nil
	}
	named, ok := types.Unalias(derefType(t)).(*types.Named)
	if !ok || types.IsInterface(named) {
		return nil
	}
	if _, ok := t.(*types.Pointer); !ok {
		t = types.NewPointer(t) // an addressable copy has them all
	}
	mset := r.msets.MethodSet(t)
	// groups: declared with an error result, declared, promoted with an
	// error result, promoted.
	var groups [4][]*types.Func
	for sel := range mset.Methods() {
		fn, ok := sel.Obj().(*types.Func)
		if !ok {
			continue
		}
		fn = fn.Origin()
		g := 0
		if len(sel.Index()) > 1 {
			g = 2
		}
		if !typepred.ReturnsError(fn.Signature()) {
			g++
		}
		if !slices.Contains(groups[g], fn) {
			groups[g] = append(groups[g], fn)
		}
	}
	return slices.Concat(groups[:]...)
}

// handedTo names, for a message, what the call of fn hands its value to:
// "its callback fn" for a parameter of function type, the callee's name
// otherwise.
func (r *runner) handedTo(call *ast.CallExpr) string {
	if p := r.callbackParam(call.Fun); p != nil {
		return "its callback " + p.Name()
	}
	return r.callName(call)
}
