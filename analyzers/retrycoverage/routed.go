package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/analyzers/internal/flow"
	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// This file is the rule: what "routed through recovery" means.
//
// Before (reported: the work that can fail runs outside any retry):
//
//	func (c *Client) Get(ctx context.Context, id string) (*Item, error) {
//		if id == "" {
//			return nil, ErrNoID // a guard: an error made on the spot, fine
//		}
//		return c.fetch(ctx, id) // work that can fail, on no retry
//	}
//
// After (routed: every path to a return that may carry a failure passes
// through a recovery entry point, and no failing work runs after it):
//
//	func (c *Client) Get(ctx context.Context, id string) (*Item, error) {
//		if id == "" {
//			return nil, ErrNoID
//		}
//		return recovery.DoValue(ctx, recovery.Default(), func(ctx context.Context) (*Item, error) {
//			return c.fetch(ctx, id)
//		})
//	}
//
// Every call is one of three kinds (kind): it cannot fail (or only builds
// an error value), it is work that can fail, or it is a retry (a recovery
// entry point, or a function known through a RoutedFunc fact). check runs a
// forward dataflow over the method's CFG with the flow facts below and
// step as the transfer function; the verdict reads the facts at each return.

// Flow facts of the routed analysis.
const (
	factRouted  flow.Set = 1 << iota // a recovery entry point was called on every path
	factClean                        // no call that can fail happened on any path
	factNoRetry                      // no recovery entry point was called on any path
	// factNoLate: on no path did a call that can fail run after a
	// recovery call (outside it, so that its error is not retried).
	factNoLate
)

// factEntry holds at a function's entry.
const factEntry = factClean | factNoRetry | factNoLate

type callKind int

const (
	callNone     callKind = iota // cannot fail, or builds an error value
	callFailable                 // work that can fail
	callRetry                    // a recovery entry point or a routed function
)

func (r *runner) check(fd *ast.FuncDecl) *verdict {
	g := r.cfgs.FuncDecl(fd)
	if g == nil {
		return nil
	}
	v := &verdict{}
	// Source positions of the counted recovery calls, for the messages.
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		for _, n := range b.Nodes {
			switch n := n.(type) {
			case *ast.GoStmt, *ast.DeferStmt:
				if d, ok := n.(*ast.DeferStmt); ok && r.errDefers[d] {
					v.failable = true
				}
				r.calls(n, true, func(_ *ast.CallExpr, k callKind) {
					if k == callRetry {
						v.goRetries = append(v.goRetries, n.Pos())
					}
				})
				continue
			}
			r.calls(n, false, func(c *ast.CallExpr, k callKind) {
				switch k {
				case callRetry:
					v.retries = append(v.retries, retryCall{c.Pos(), r.retryName(c)})
				case callFailable:
					v.failable = true
					v.work = append(v.work, c)
				}
			})
		}
	}
	slices.SortFunc(v.retries, func(a, b retryCall) int { return int(a.pos - b.pos) })

	in := flow.Solve(g, factEntry, r.transfer)
	late := r.lateCalls(g, in)
	for _, b := range g.Blocks {
		ret := b.Return()
		if !b.Live || ret == nil {
			continue
		}
		s := in[b.Index]
		for _, n := range b.Nodes[:len(b.Nodes)-1] {
			s = r.node(n, s)
		}
		retry, failable := false, false
		r.calls(ret, false, func(_ *ast.CallExpr, k callKind) {
			retry = retry || k == callRetry
			failable = failable || k == callFailable
		})
		if r.node(ret, s)&factNoLate == 0 && r.mayFail(ret) && len(late) > 0 && len(v.retries) > 0 {
			c := lastLate(g, late, b, ret)
			v.bad = append(v.bad, badReturn{ret: ret, late: c.call, retry: v.retryBefore(c.call.Pos())})
			v.late = true
			continue
		}
		switch {
		case retry || s&factRouted != 0:
			v.routedRets++
		case s&factClean != 0 && !failable:
			// Validation: nothing that can fail ran on any path here.
		default:
			// The return makes no failing call itself: its error comes
			// from work done earlier, before any recovery call.
			before := len(v.retries) > 0 && !failable
			v.bad = append(v.bad, badReturn{ret: ret, before: before})
		}
	}
	slices.SortFunc(v.bad, func(a, b badReturn) int { return int(a.ret.Pos() - b.ret.Pos()) })
	return v
}

func (r *runner) transfer(b *cfg.Block, s flow.Set) flow.Set {
	for _, n := range b.Nodes {
		s = r.node(n, s)
	}
	return s
}

func (r *runner) node(n ast.Node, s flow.Set) flow.Set {
	return r.step(n, s, nil)
}

// step applies the calls of node n to s in the order they are evaluated
// (arguments before the call), and calls late, if not nil, for each call
// that can fail made after a recovery call on some path.
func (r *runner) step(n ast.Node, s flow.Set, late func(*ast.CallExpr)) flow.Set {
	switch n := n.(type) {
	case *ast.DeferStmt:
		if r.errDefers[n] {
			// From here on, the error returned may come from the
			// deferred handler: no later return is validation.
			s &^= factClean
		}
		return s // runs later: neither routes nor fails here
	case *ast.GoStmt:
		return s // runs elsewhere: neither routes nor fails here
	}
	type call struct {
		c *ast.CallExpr
		k callKind
	}
	var calls []call
	r.calls(n, false, func(c *ast.CallExpr, k callKind) { calls = append(calls, call{c, k}) })
	// An argument ends before the call that takes it: ordering by end
	// gives the evaluation order.
	slices.SortStableFunc(calls, func(a, b call) int { return int(a.c.End() - b.c.End()) })
	for _, c := range calls {
		switch c.k {
		case callRetry:
			s |= factRouted
			s &^= factNoRetry
		case callFailable:
			s &^= factClean
			if s&factNoRetry == 0 {
				s &^= factNoLate
				if late != nil {
					late(c.c)
				}
			}
		}
	}
	return s
}

// lateCall is a call that can fail made after a recovery call on some
// path, in block b.
type lateCall struct {
	call *ast.CallExpr
	b    *cfg.Block
}

// lateCalls returns the calls that can fail made after a recovery call on
// some path, in block order.
func (r *runner) lateCalls(g *cfg.CFG, in []flow.Set) []lateCall {
	var late []lateCall
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		s := in[b.Index]
		for _, n := range b.Nodes {
			s = r.step(n, s, func(c *ast.CallExpr) { late = append(late, lateCall{c, b}) })
		}
	}
	return late
}

// lastLate returns, of the late calls that reach ret (in block b), the one
// closest before it in the source: the likeliest source of its error.
func lastLate(g *cfg.CFG, late []lateCall, b *cfg.Block, ret *ast.ReturnStmt) lateCall {
	best := late[0]
	found := false
	for _, c := range late {
		if c.call.Pos() > ret.End() {
			continue
		}
		if c.b != b && !reaches(c.b, b) {
			continue
		}
		if !found || c.call.Pos() > best.call.Pos() {
			best, found = c, true
		}
	}
	return best
}

// reaches reports whether block to can be reached from block from.
func reaches(from, to *cfg.Block) bool {
	seen := map[*cfg.Block]bool{}
	stack := []*cfg.Block{from}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, s := range b.Succs {
			if s == to {
				return true
			}
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	return false
}

// retryBefore returns the position of the last counted recovery call
// before pos (the first one if none precedes it).
func (v *verdict) retryBefore(pos token.Pos) token.Pos {
	at := v.retries[0].pos
	for _, c := range v.retries {
		if c.pos < pos {
			at = c.pos
		}
	}
	return at
}

// mayFail reports whether the error a return statement returns may be
// non-nil: anything but a literal nil in the last position (a bare
// return of named results may be).
func (r *runner) mayFail(ret *ast.ReturnStmt) bool {
	if len(ret.Results) == 0 {
		return true
	}
	id, ok := ast.Unparen(ret.Results[len(ret.Results)-1]).(*ast.Ident)
	if !ok {
		return true
	}
	_, isNil := r.pass.TypesInfo.Uses[id].(*types.Nil)
	return !isNil
}

// callName names the callee of a call for messages.
func (r *runner) callName(c *ast.CallExpr) string {
	if fn := r.callee(c); fn != nil {
		return r.funcName(fn)
	}
	return types.ExprString(c.Fun)
}

// calls visits the calls evaluated by n, not those in function literals
// (they run when called, if ever). With deferred, n is a go or defer
// statement and its own call is visited too.
func (r *runner) calls(n ast.Node, deferred bool, visit func(*ast.CallExpr, callKind)) {
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GoStmt, *ast.DeferStmt:
			return deferred
		case *ast.CallExpr:
			visit(x, r.kind(x))
		}
		return true
	})
}

// wrappedKind is the kind of a call of a tracking wrapper
// (intelligence.Track, TrackErr, Track2, or a configured track-func of kind
// wrap): it returns the error of the function it runs, so it can fail
// exactly when that function can, and routes when that function routes.
// Tracking a worker must not turn the deterministic agent method that
// calls it into one to retry. A function literal is judged by the calls it
// makes, as a body is; any other function value can fail.
func (r *runner) wrappedKind(call *ast.CallExpr) callKind {
	if len(call.Args) == 0 {
		return callFailable
	}
	lit, ok := ast.Unparen(call.Args[len(call.Args)-1]).(*ast.FuncLit)
	if !ok {
		return callFailable
	}
	k := callNone
	// As for any body: calls in nested function literals count where
	// the literal is called (the closure of a recovery call is retried).
	r.calls(lit.Body, false, func(_ *ast.CallExpr, ck callKind) {
		switch {
		case ck == callFailable:
			k = callFailable
		case ck == callRetry && k == callNone:
			k = callRetry
		}
	})
	return k
}

// retryName describes a routing call for messages.
func (r *runner) retryName(call *ast.CallExpr) string {
	fn := r.callee(call)
	if fn == nil || r.cls.IsRetryEntry(fn) {
		return "recovery call"
	}
	return "call to routed " + r.funcName(fn)
}

func (r *runner) kind(call *ast.CallExpr) callKind {
	info := r.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return callNone // conversion
	}
	switch obj := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		return callNone
	case *types.Func:
		fn := obj.Origin()
		switch {
		case r.cls.IsRetryEntry(fn), r.routed[fn]:
			return callRetry
		case fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(fn, new(RoutedFunc)):
			return callRetry
		case r.cls.TrackKindOf(fn) == targets.TrackWrap:
			return r.wrappedKind(call)
		case targets.IsErrorConstructor(fn), r.validators[fn]:
			return callNone
		case fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(fn, new(ValidatorFunc)):
			return callNone
		}
	}
	t := info.TypeOf(call.Fun)
	if t == nil {
		return callNone // not type-checked: nothing is known
	}
	if sig, ok := t.Underlying().(*types.Signature); ok && targets.ReturnsError(sig) {
		return callFailable
	}
	return callNone
}

// canFail reports whether a call is work that can fail or a retry: what a
// validation guard must not call (targets.Guards).
func (r *runner) canFail(c *ast.CallExpr) bool { return r.kind(c) != callNone }
