package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/analyzers/internal/flow"
	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
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

// checked is a routed analysis kept by check, with what it depends on
// that may change: the functions of this package its calls called that
// were not routed then (baseKind). It stays valid while none of them is.
type checked struct {
	v        *routing
	unrouted []*types.Func
}

// check runs the routed analysis on a function body; nil if it has no CFG.
// The analysis depends on the package's routed functions, which
// exportFacts finds to a fixed point: a result is kept and reused until a
// function it found unrouted is routed.
func (r *runner) check(fd *ast.FuncDecl) *routing {
	if c, ok := r.checks[fd]; ok && !slices.ContainsFunc(c.unrouted, func(fn *types.Func) bool { return r.routed[fn] }) {
		return c.v
	}
	r.unrouted = r.unrouted[:0]
	clear(r.unroutedSeen)
	r.recording = true
	v := r.checkFresh(fd)
	r.recording = false
	r.checks[fd] = checked{v: v, unrouted: slices.Clone(r.unrouted)}
	return v
}

// checkFresh runs the routed analysis on a function body.
func (r *runner) checkFresh(fd *ast.FuncDecl) *routing {
	g := r.cfgs.FuncDecl(fd)
	if g == nil {
		return nil
	}
	clear(r.nodeCalls)
	v := &routing{}
	var workIn []*cfg.Block // the block of each call of v.work
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
					v.errDefer = true
				}
				r.calls(n, true, func(_ *ast.CallExpr, k callKind) {
					if k == callRetry {
						v.goRetries = append(v.goRetries, n.Pos())
					}
				})
				if g, ok := n.(*ast.GoStmt); ok {
					if r.awaited(g) != nil {
						v.awaited = append(v.awaited, g)
					}
					for _, c := range r.goWork(g) {
						v.failable = true
						v.work = append(v.work, c)
						workIn = append(workIn, b)
					}
				}
				continue
			}
			var list []kindedCall
			r.calls(n, false, func(c *ast.CallExpr, k callKind) { list = append(list, kindedCall{c, k}) })
			for _, kc := range list {
				c, k := kc.c, kc.k
				if k == callNone && r.discarded[c] && r.baseKind(c) == callFailable {
					v.dropped = true
				}
				switch k {
				case callRetry:
					v.retries = append(v.retries, r.retryCallOf(c))
				case callFailable:
					v.failable = true
					v.work = append(v.work, c)
					workIn = append(workIn, b)
				}
			}
			// step visits them in evaluation order, on every pass of
			// the dataflow: sorted once here.
			slices.SortStableFunc(list, byEnd)
			r.nodeCalls[n] = list
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
		s := r.enter(b, in[b.Index])
		for _, n := range b.Nodes[:len(b.Nodes)-1] {
			s = r.node(n, s)
		}
		retry, failable := false, false
		for _, c := range r.callsOf(ret) {
			retry = retry || c.k == callRetry
			failable = failable || c.k == callFailable
		}
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
		case !r.mayFail(ret) && !v.errDefer:
			// A literal nil error: whatever ran before, no failure
			// leaves here, and a retry would never run again.
		default:
			// The return makes no failing call itself: its error comes
			// from work done earlier, before any recovery call.
			before := len(v.retries) > 0 && !failable
			v.bad = append(v.bad, badReturn{ret: ret, before: before})
		}
	}
	slices.SortFunc(v.bad, func(a, b badReturn) int { return int(a.ret.Pos() - b.ret.Pos()) })
	// Work whose error reaches no return that fails is no work to
	// route: Reporter.Text's strings.Builder writes after its last
	// failing return do not make it a method to wrap.
	// The block of each bad return is found once, and the blocks each
	// block of work leads to (reachable) once per block, rather than a
	// search per call and return: a long generated function has hundreds
	// of both.
	if len(v.work) > 0 && len(v.bad) > 0 {
		retBlocks := make([]*cfg.Block, len(v.bad))
		for j, bad := range v.bad {
			retBlocks[j] = retBlock(g, bad.ret)
		}
		reach := make(map[*cfg.Block][]bool)
		work := v.work[:0]
		for i, c := range v.work {
			from := workIn[i]
			to, ok := reach[from]
			if !ok {
				to = reachable(g, from)
				reach[from] = to
			}
			for j, bad := range v.bad {
				rb := retBlocks[j]
				if rb != nil && (from == rb && c.Pos() < bad.ret.End() || to[rb.Index]) {
					work = append(work, c)
					break
				}
			}
		}
		v.work = work
	} else {
		v.work = v.work[:0]
	}
	return v
}

// reachable returns, by block index of g, whether a path of one or more
// CFG edges leads from block from to that block (leadsTo for every block
// at once).
func reachable(g *cfg.CFG, from *cfg.Block) []bool {
	out := make([]bool, len(g.Blocks))
	stack := []*cfg.Block{from}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, s := range b.Succs {
			if !out[s.Index] {
				out[s.Index] = true
				stack = append(stack, s)
			}
		}
	}
	return out
}

// retBlock returns the block of g that ends in ret.
func retBlock(g *cfg.CFG, ret *ast.ReturnStmt) *cfg.Block {
	for _, b := range g.Blocks {
		if b.Live && b.Return() == ret {
			return b
		}
	}
	return nil
}

func (r *runner) transfer(b *cfg.Block, s flow.Set) flow.Set {
	s = r.enter(b, s)
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
		// Runs elsewhere: it never routes, but the work of a goroutine
		// whose errors the function collects (into variables, slices,
		// channels) can fail, from here on.
		for _, c := range r.goWork(n) {
			s &^= factClean
			if s&factNoRetry == 0 {
				s &^= factNoLate
				if late != nil {
					late(c)
				}
			}
		}
		return s
	}
	for _, c := range r.callsOf(n) {
		switch c.k {
		case callRetry:
			s |= factRouted
			s &^= factNoRetry
		case callFailable:
			if s&factNoRetry == 0 && r.isCtxErr(c.c) {
				// After a retry, checking the caller's context is no
				// work outside it: its error (the caller gave up) is one
				// no retry may override (minio-go checks ctx.Err()
				// after its retry loop).
				continue
			}
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

// kindedCall is a call with its kind.
type kindedCall struct {
	c *ast.CallExpr
	k callKind
}

// byEnd orders calls by their end: an argument ends before the call that
// takes it, so this is the evaluation order.
func byEnd(a, b kindedCall) int { return int(a.c.End() - b.c.End()) }

// callsOf returns the calls evaluated by node n (not a go or defer
// statement) with their kinds, in evaluation order: from r.nodeCalls,
// filled by checkFresh for the nodes of the function it analyzes, or
// computed.
func (r *runner) callsOf(n ast.Node) []kindedCall {
	if list, ok := r.nodeCalls[n]; ok {
		return list
	}
	var list []kindedCall
	r.calls(n, false, func(c *ast.CallExpr, k callKind) { list = append(list, kindedCall{c, k}) })
	slices.SortStableFunc(list, byEnd)
	return list
}

// isCtxErr reports whether c calls the Err method of a context.Context.
func (r *runner) isCtxErr(c *ast.CallExpr) bool {
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Err" || len(c.Args) != 0 {
		return false
	}
	return typepred.IsContext(r.pass.TypesInfo.TypeOf(sel.X))
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
		s := r.enter(b, in[b.Index])
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
		if c.b != b && !leadsTo(c.b, b) {
			continue
		}
		if !found || c.call.Pos() > best.call.Pos() {
			best, found = c, true
		}
	}
	return best
}

// leadsTo reports whether a path of one or more CFG edges leads from
// block from to block to (so a block leads to itself only in a loop).
// Whether an error reaches a return is the flow facts' business, not
// this one's.
func leadsTo(from, to *cfg.Block) bool {
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

// retryBefore returns the last counted retry before pos (the first one
// if none precedes it).
func (v *routing) retryBefore(pos token.Pos) retryCall {
	at := v.retries[0]
	for _, c := range v.retries {
		if c.pos < pos {
			at = c
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

// callsRetry reports whether the node at cursor n evaluates a call of
// kind callRetry (as calls visits them, without go and defer statements),
// stopping at the first. The walk is ast.Inspect's, through the
// inspector's events (cheaper than ast.Walk), with the same callback: once
// a call is found it descends no further, and a call visited after it
// (an argument following it) sets the answer again, as it always has.
// It returns that call, nil for none.
func (r *runner) callsRetry(n inspector.Cursor) *ast.CallExpr {
	var found *ast.CallExpr
	n.Inspect(nil, func(c inspector.Cursor) bool {
		switch x := c.Node().(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false
		case *ast.CallExpr:
			found = nil
			if r.mayRetry(x) && r.kind(x) == callRetry {
				found = x
			}
		}
		return found == nil
	})
	return found
}

// mayRetry reports whether call may be of kind callRetry, by what kind and
// baseKind check first: it is in a retry loop, or its callee is a function
// that is no tracking wrapper, of class calleeRetry or routed. A call of
// anything else (a builtin, a conversion, a function value) is none or
// work.
func (r *runner) mayRetry(call *ast.CallExpr) bool {
	if r.loops[call] != nil {
		return true
	}
	fn, ok := typeutil.Callee(r.pass.TypesInfo, call).(*types.Func)
	if !ok {
		return false
	}
	fn = fn.Origin()
	class, ok := r.calleeClass[fn]
	if !ok {
		class = r.classify(fn)
		r.calleeClass[fn] = class
	}
	return class == calleeRetry || class == calleeWrapper || r.routed[fn]
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

// retryCallOf says how call, a call of kind callRetry, routes.
func (r *runner) retryCallOf(call *ast.CallExpr) retryCall {
	fn := r.callee(call)
	c := retryCall{pos: call.Pos(), kind: retryRecovery, fn: fn}
	switch {
	case r.loops[call] != nil:
		c.pos, c.kind = r.loops[call].Pos(), retryLoop
		if r.recursionAt[r.loops[call]] {
			c.kind = retryRecursion
		}
	case fn == nil || targets.IsRecoveryEntry(fn):
	case r.cls.IsRetryEntry(fn):
		c.kind = retryLibrary
	case r.routed[fn]:
		c.kind, c.by = retryDelegate, r.routedBy[fn]
	case fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(fn, new(RoutedFunc)):
		fact := new(RoutedFunc)
		r.pass.ImportObjectFact(fn, fact)
		c.kind, c.by = retryDelegate, fact.By
	case r.retrying(fn) != "":
		c.kind, c.by = retryByConstruction, r.retrying(fn)
	}
	return c
}

// retryLabel names c in messages: "recovery call", "retry loop", "call
// to backoff.Retry", "call to routed Type.Method", "call to X, which
// retries by construction".
func (r *runner) retryLabel(c retryCall) string {
	switch c.kind {
	case retryLoop:
		return "retry loop"
	case retryRecursion:
		return "retry by recursion"
	case retryLibrary:
		return "call to " + r.funcName(c.fn)
	case retryDelegate:
		return "call to routed " + r.funcName(c.fn)
	case retryByConstruction:
		return "call to " + r.funcName(c.fn) + ", which retries by construction"
	}
	return "recovery call"
}

// routedVia says what routes a function that makes the call c, as
// RoutedFunc.By words it: "" for a recovery call, "its own retry at
// f.go:12" (a retry loop), "backoff.Retry" (a retry library), "X, which
// retries by construction (why)"; for a call to a routed function, what
// routes that function.
func (r *runner) routedVia(c retryCall) string {
	switch c.kind {
	case retryLoop, retryRecursion:
		return "its own retry at " + r.where(c.pos)
	case retryLibrary:
		return r.funcName(c.fn)
	case retryByConstruction:
		return r.funcName(c.fn) + ", which retries by construction (" + c.by + ")"
	case retryDelegate:
		return c.by
	}
	return ""
}

// kind is the kind of a call where it is made: baseKind, except that a
// call that can fail is a retry inside a retry loop of the function (see
// loops.go), and no work at all when its error is discarded (a call
// statement, or "_" in the error's place): an error that cannot reach the
// function's result fails nothing (strings.Builder.WriteString).
func (r *runner) kind(call *ast.CallExpr) callKind {
	k := r.baseKind(call)
	if k == callNone && r.dataErrs[call] && !isConversionOrBuiltin(r.pass.TypesInfo, call) {
		k = callFailable
	}
	if k == callFailable {
		switch {
		case r.loops[call] != nil:
			return callRetry
		case r.discarded[call] && r.returnsError(call):
			return callNone
		}
	}
	return k
}

// returnsError reports whether call's callee returns an error (that a
// discarding statement drops); errgroup.Group.Go, judged by the work it
// starts, returns none.
func (r *runner) returnsError(call *ast.CallExpr) bool {
	t := r.pass.TypesInfo.TypeOf(call.Fun)
	if t == nil {
		return false
	}
	sig, ok := t.Underlying().(*types.Signature)
	return ok && typepred.FailsWithError(sig)
}

// isErrgroupGo reports whether fn is errgroup.Group.Go or TryGo
// (golang.org/x/sync/errgroup): the function it starts returns its error
// to Group.Wait, so the work of that function literal is the caller's
// work, from where it is started.
func isErrgroupGo(fn *types.Func) bool {
	return typepred.IsMethodNamed(fn, "golang.org/x/sync/errgroup", "Group", "Go", "TryGo")
}

// isConversionOrBuiltin reports whether call is a conversion or a call of
// a builtin.
func isConversionOrBuiltin(info *types.Info, call *ast.CallExpr) bool {
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return true
	}
	_, ok := typeutil.Callee(info, call).(*types.Builtin)
	return ok
}

// baseKind is the kind of a call by its callee alone.
func (r *runner) baseKind(call *ast.CallExpr) callKind {
	info := r.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return callNone // conversion
	}
	switch obj := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		return callNone
	case *types.Func:
		fn := obj.Origin()
		if r.recording && fn.Pkg() == r.pass.Pkg && !r.routed[fn] && !r.unroutedSeen[fn] {
			// check keeps its result until fn is routed.
			r.unroutedSeen[fn] = true
			r.unrouted = append(r.unrouted, fn)
		}
		// The class of fn by what does not change during the run; the
		// routed functions and validators of this package do.
		class, ok := r.calleeClass[fn]
		if !ok {
			class = r.classify(fn)
			r.calleeClass[fn] = class
		}
		switch {
		case class == calleeRetry, r.routed[fn]:
			return callRetry
		case class == calleeWrapper:
			return r.wrappedKind(call)
		case class == calleeNoFail && readsBody(info, call, fn):
			// A request constructor given a stream as its body reads it
			// (targets.BodyArg): work that can fail, not a check.
			return callFailable
		case class == calleeNoFail, r.validators[fn]:
			if r.resultCallee(call) != nil {
				return callFailable // tx.Watch(ctx, key).Err(): resultless.go
			}
			if r.errFields[call] {
				return callFailable // db.First(&u).Error: targets.ErrorFieldCalls
			}
			return callNone
		}
	}
	if r.memEncodes[call] {
		return callNone // encoding into memory fails only on the value
	}
	t := info.TypeOf(call.Fun)
	if t == nil {
		return callNone // not type-checked: nothing is known
	}
	if sig, ok := t.Underlying().(*types.Signature); ok && typepred.FailsWithError(sig) {
		return callFailable // its last result is error, or an error type (*MyError)
	}
	if r.errFields[call] {
		return callFailable // its error is read from a field of its result
	}
	return callNone
}

// readsBody reports whether call, of an argument check fn, gives it a
// body that it reads (targets.BodyArg, targets.ReadsBody).
func readsBody(info *types.Info, call *ast.CallExpr, fn *types.Func) bool {
	i := targets.BodyArg(fn)
	return i >= 0 && i < len(call.Args) && targets.ReadsBody(info.TypeOf(call.Args[i]))
}

// calleeClass is what a callee's kind is by what is fixed for the run:
// the configuration, the Facts of other packages, the retrying types.
type calleeClass uint8

const (
	calleeOther   calleeClass = iota // judged by its call (memEncodes, signature)
	calleeRetry                      // a retry entry point, a routed function of another package, a method of a retrying type
	calleeWrapper                    // a tracking wrapper or errgroup.Group.Go (wrappedKind)
	calleeNoFail                     // an error constructor, an argument check, a validator of another package
)

// classify returns fn's calleeClass, checked in baseKind's order.
func (r *runner) classify(fn *types.Func) calleeClass {
	other := fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg
	switch {
	case r.cls.IsRetryEntry(fn):
		return calleeRetry
	case other && r.pass.ImportObjectFact(fn, new(RoutedFunc)):
		return calleeRetry
	case r.retrying(fn) != "" && typepred.FailsWithError(fn.Type().(*types.Signature)):
		return calleeRetry
	case r.cls.TrackKindOf(fn) == targets.TrackWrap, isErrgroupGo(fn):
		return calleeWrapper
	case targets.IsErrorConstructor(fn), targets.IsArgumentCheck(fn):
		return calleeNoFail
	case other && r.pass.ImportObjectFact(fn, new(ValidatorFunc)):
		return calleeNoFail
	}
	return calleeOther
}

// canFail reports whether a call is work that can fail or a retry: what a
// validation guard must not call (targets.Guards).
func (r *runner) canFail(c *ast.CallExpr) bool { return r.kind(c) != callNone }

// retrying says why calls of fn retry by construction: its receiver's type
// or its package is configured so (retrying-types, retrying-packages), or
// the type is declared with //resilience:retries (in this package, or in
// another through the RetryingType fact). "" when they do not.
func (r *runner) retrying(fn *types.Func) string {
	if why := r.cls.RetriesByConstruction(fn); why != "" {
		return why
	}
	tn := typepred.ReceiverTypeName(fn)
	if tn == nil {
		return ""
	}
	if why, ok := r.retryingTypes[tn]; ok {
		return why
	}
	if tn.Pkg() != nil && tn.Pkg() != r.pass.Pkg {
		if fact := new(RetryingType); r.pass.ImportObjectFact(tn, fact) {
			return fact.Reason
		}
	}
	return ""
}

// goWork returns the calls that can fail in the function literal a go
// statement starts (not in literals nested in it), whose errors are not
// discarded on the spot: the function collects them through variables,
// slices or channels, so they are its work. "go f()" drops f's error.
func (r *runner) goWork(g *ast.GoStmt) []*ast.CallExpr {
	lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit)
	if !ok {
		return nil
	}
	var work []*ast.CallExpr
	r.calls(lit.Body, false, func(c *ast.CallExpr, k callKind) {
		if k == callFailable {
			work = append(work, c)
		}
	})
	return work
}

// findDataErrors finds the calls whose error comes back as data: the
// call's result is assigned to a variable v, and a return statement of
// the same function returns v.F (or v.F.G, v[i].F), a field of type
// error ("res := c.remove(ctx); return res.Err"), or the field of a
// range value over v (for _, s := range shards { if s.Err != nil {
// return s.Err } }: franz-go's Client.Request returns resps[0].Err of
// the shards its shardedRequest issued, RequestSharded's callers range
// over them). Such a call is work that can fail although its callee
// returns no error.
func (r *runner) findDataErrors() {
	info := r.pass.TypesInfo
	for fdc := range r.inspector().Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := fdc.Node().(*ast.FuncDecl)
		if fd.Body == nil {
			continue
		}
		// The variables whose error field is returned, and the
		// assignments of a call's results (not in function literals).
		carriers := map[types.Object]bool{}
		var assigns []*ast.AssignStmt
		var ranges []*ast.RangeStmt
		fdc.Inspect(retOrAssign, func(c inspector.Cursor) bool {
			switch x := c.Node().(type) {
			case *ast.FuncLit:
				return false
			case *ast.AssignStmt:
				assigns = append(assigns, x)
			case *ast.RangeStmt:
				ranges = append(ranges, x)
			case *ast.ReturnStmt:
				if len(x.Results) == 0 {
					break
				}
				e := ast.Unparen(x.Results[len(x.Results)-1])
				if !typepred.IsError(info.TypeOf(e)) {
					break
				}
			walk:
				for {
					switch y := e.(type) {
					case *ast.SelectorExpr:
						e = ast.Unparen(y.X)
					case *ast.IndexExpr:
						e = ast.Unparen(y.X)
					default:
						break walk
					}
				}
				if id, ok := e.(*ast.Ident); ok && id != ast.Unparen(x.Results[len(x.Results)-1]) {
					if v, ok := info.Uses[id].(*types.Var); ok {
						carriers[v] = true
					}
				}
			}
			return true
		})
		if len(carriers) == 0 {
			continue
		}
		// A range value that carries the error makes what it ranges
		// over a carrier (in source order: nested ranges, outer first,
		// are visited after their inner ones below).
		for i := len(ranges) - 1; i >= 0; i-- {
			rs := ranges[i]
			id, ok := rs.Value.(*ast.Ident)
			if !ok || !carriers[info.ObjectOf(id)] {
				continue
			}
			if x, ok := ast.Unparen(rs.X).(*ast.Ident); ok {
				if v, ok := info.Uses[x].(*types.Var); ok {
					carriers[v] = true
				}
			}
		}
		for _, as := range assigns {
			if len(as.Rhs) != 1 {
				continue
			}
			c, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
			if !ok {
				continue
			}
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && carriers[info.ObjectOf(id)] {
					r.dataErrs[c] = true
				}
			}
		}
	}
}

// findRangeErrors finds the calls that make the function iterators of
// range statements whose iterator yields an error the loop binds
// (typepred.RangeYieldsError: "for ch, err := range c.Stream(ctx, p)",
// as SDKs expose streams with iter.Seq2[T, error]). Such a call returns
// no error, but the work its iterator does when the loop runs (the
// request, each read of the stream) fails through the loop's error
// variable, which the body returns: work that can fail, as a call of
// dataErrs. An iterator held in a variable first ("seq := c.Stream(ctx,
// p); for ch, err := range seq") counts at the call assigned to it.
func (r *runner) findRangeErrors() {
	info := r.pass.TypesInfo
	var ranges []*ast.RangeStmt
	made := map[types.Object]*ast.CallExpr{} // a variable's iterator, by the call assigned to it
	r.inspector().Preorder(rangeOrAssign, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.RangeStmt:
			if typepred.RangeYieldsError(info, n) {
				ranges = append(ranges, n)
			}
		case *ast.AssignStmt:
			if len(n.Lhs) != 1 || len(n.Rhs) != 1 {
				return
			}
			id, ok := n.Lhs[0].(*ast.Ident)
			c, isCall := ast.Unparen(n.Rhs[0]).(*ast.CallExpr)
			if !ok || !isCall {
				return
			}
			if obj := info.ObjectOf(id); obj != nil {
				made[obj] = c
			}
		}
	})
	for _, rs := range ranges {
		switch x := ast.Unparen(rs.X).(type) {
		case *ast.CallExpr:
			r.dataErrs[x] = true
		case *ast.Ident:
			if c := made[info.Uses[x]]; c != nil {
				r.dataErrs[c] = true
			}
		}
	}
}

// rangeOrAssign are the node types findRangeErrors inspects.
var rangeOrAssign = []ast.Node{(*ast.RangeStmt)(nil), (*ast.AssignStmt)(nil)}

// retOrAssign are the node types findDataErrors inspects.
var retOrAssign = []ast.Node{(*ast.FuncLit)(nil), (*ast.ReturnStmt)(nil), (*ast.AssignStmt)(nil), (*ast.RangeStmt)(nil)}

// findDiscarded finds the calls whose error result is discarded: call
// statements, the calls of go and defer statements, and assignments with
// "_" in the error's place.
func (r *runner) findDiscarded() {
	r.inspector().Preorder(discarding, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.ExprStmt:
			if c, ok := ast.Unparen(n.X).(*ast.CallExpr); ok {
				r.discarded[c] = true
			}
		case *ast.GoStmt:
			r.discarded[n.Call] = true // go f() drops f's results
		case *ast.DeferStmt:
			r.discarded[n.Call] = true // so does defer (errDefers aside)
		case *ast.AssignStmt:
			if len(n.Rhs) != 1 {
				break
			}
			c, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr)
			if !ok {
				break
			}
			if id, ok := n.Lhs[len(n.Lhs)-1].(*ast.Ident); ok && id.Name == "_" {
				r.discarded[c] = true
			}
		}
	})
}

// discarding are the node types findDiscarded looks at.
var discarding = []ast.Node{(*ast.ExprStmt)(nil), (*ast.GoStmt)(nil), (*ast.DeferStmt)(nil), (*ast.AssignStmt)(nil)}
