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

// This file finds the hand-rolled retry loops: code that already retries,
// so that it is routed as it is and never wrapped again.
//
//	for range c.retryTimer(ctx) {           // waits between attempts
//		resp, err = c.http.Do(req)          // the work that can fail
//		if err != nil && retryable(err) {
//			continue                        // its failure runs it again
//		}
//		break
//	}
//
// A for or range loop is a retry loop when
//
//   - a call that can fail in its body has its error assigned to a
//     variable that the body then checks (err != nil or err == nil,
//     directly or through a flag: needsRetry := err != nil; if
//     !needsRetry { return err }, or through a classifier's verdict,
//     shouldRetry, _ := s.shouldRetry(err, n); if !shouldRetry { break },
//     see verdicts.go; checks that only some failures take,
//     err != nil && errors.Is(err, context.DeadlineExceeded), pass the
//     others on to the next check, see failureRetried), and
//     from the branch taken on failure the loop's body can run again (the
//     failure continues the loop instead of leaving it on every path);
//   - the call repeats the same work: it does not use the loop's
//     iteration variables (the key and value of a range, the variables
//     the post statement of a for sets), so a loop over the items of a
//     slice that logs and skips the failing ones is no retry;
//   - and the loop waits between attempts or bounds them: its body calls
//     time.Sleep (or a function that waits: sleeps, receives or selects,
//     of this package or, through the WaitFunc fact, of another; or a
//     parameter of function type to which one of the package's calls
//     hands such a function: gax-go's invoke waits through sp(ctx, d),
//     handed Sleep by Invoke, see paramFuncs),
//     receives from a channel (<-time.After(d),
//     <-timer.C, <-ctx.Done()) or selects, or the loop ranges over a
//     channel (for range retryTimer), an iterator function (for range
//     c.newRetryTimer(ctx), an iter.Seq that sleeps between its yields) or
//     an integer (for range attempts), or
//     is a for loop whose condition is an attempt counter (a comparison
//     calling nothing but len or cap: for scanner.Scan() is none), or
//     whose condition or post statement waits: the iterator of a retry
//     library (for a := retry.Start(s, nil); a.Next(); with
//     gopkg.in/retry.v1, for backoff.Continue(b) with
//     lestrrat-go/backoff). What such a header mentions steps with every
//     iteration, so a call that uses it (msg, err := sub.Msg() after
//     for sub.Next()) reads the next item: no retry.
//
// The calls that can fail in such a loop are retries, like the closure of
// a recovery entry point, and the loop itself routes: on entering it the
// routed analysis counts a retry, so the return after a loop that ran no
// attempt is routed too. Work before or after the loop is outside the
// retry, but for a first attempt made before it: a call the loop makes
// again whose failure goes on into the loop (firstAttempts).

// findRetryLoops finds the retry loops of the package's functions and
// function literals, filling r.loops (the loop of each call that can
// fail in one) and r.loopAt (every retry loop). The loops are visited in
// source order through the inspector, each judged with the CFG of the
// function or function literal around it (nested literals have CFGs of
// their own).
func (r *runner) findRetryLoops() {
	waiters := r.waitingFuncs()
	in := r.inspector()
	funcs := map[ast.Node]*loopFunc{}
	for c := range in.Root().Preorder((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		var fn ast.Node
		for e := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			fn = e.Node()
			break
		}
		lf, ok := funcs[fn]
		if !ok {
			var g *cfg.CFG
			var body *ast.BlockStmt
			switch fn := fn.(type) {
			case *ast.FuncDecl:
				if fn.Body != nil {
					g, body = r.cfgs.FuncDecl(fn), fn.Body
				}
			case *ast.FuncLit:
				g, body = r.cfgs.FuncLit(fn), fn.Body
			}
			if g != nil {
				lf = &loopFunc{g: g, body: body}
			}
			funcs[fn] = lf
		}
		if lf != nil {
			r.retryLoop(c.Node().(ast.Stmt), lf, waiters)
		}
	}
	r.findGotoRetries(waiters, funcs) // gotoloops.go
	r.findPollRetries(waiters)        // polls.go
	r.findRecursiveRetries()          // recursion.go
}

// loopFunc is the CFG of a function with loops, its live blocks indexed
// by their statement once more than a loop's body block is looked up.
type loopFunc struct {
	g      *cfg.CFG
	body   *ast.BlockStmt // the function's body
	blocks map[ast.Stmt][]*cfg.Block
}

// block returns the first live block of kind made for statement s, or
// nil.
func (f *loopFunc) block(s ast.Stmt, kind cfg.BlockKind) *cfg.Block {
	if f.blocks == nil {
		f.blocks = map[ast.Stmt][]*cfg.Block{}
		for _, b := range f.g.Blocks {
			if b.Live && b.Stmt != nil {
				f.blocks[b.Stmt] = append(f.blocks[b.Stmt], b)
			}
		}
	}
	for _, b := range f.blocks[s] {
		if b.Kind == kind {
			return b
		}
	}
	return nil
}

// bodyBlock returns the first live block of kind made for loop, without
// indexing the blocks: most loops are no retry loop.
func (f *loopFunc) bodyBlock(loop ast.Stmt, kind cfg.BlockKind) *cfg.Block {
	for _, b := range f.g.Blocks {
		if b.Live && b.Stmt == loop && b.Kind == kind {
			return b
		}
	}
	return nil
}

// retryLoop records loop (a for or range statement of the function of
// f) if it is a retry loop.
func (r *runner) retryLoop(loop ast.Stmt, f *loopFunc, waiters map[*types.Func]bool) {
	var loopBody *ast.BlockStmt
	var bodyBlock *cfg.Block
	switch l := loop.(type) {
	case *ast.ForStmt:
		loopBody, bodyBlock = l.Body, f.bodyBlock(l, cfg.KindForBody)
	case *ast.RangeStmt:
		loopBody, bodyBlock = l.Body, f.bodyBlock(l, cfg.KindRangeBody)
	default:
		return
	}
	if bodyBlock == nil {
		return
	}
	iter := iterationVars(r.pass.TypesInfo, loop)
	if rs, ok := loop.(*ast.RangeStmt); ok {
		derivedVars(r.pass.TypesInfo, rs.Body, iter)
	}
	if !r.waitsOrBounds(loop, waiters) {
		// for a := retry.Start(strategy); a.Next(); { ... }: the
		// condition (or post statement) waits between attempts, as an
		// iterator of a retry library does (gopkg.in/retry.v1,
		// lestrrat-go/backoff's Continue). What it mentions steps with
		// every iteration: a call of the body that uses it (msg :=
		// sub.Msg() after sub.Next()) reads the next item, no retry.
		l, ok := loop.(*ast.ForStmt)
		if !ok || !r.headerWaits(l, waiters) {
			return
		}
		for _, n := range []ast.Node{l.Cond, l.Post} {
			if n != nil {
				mentioned(r.pass.TypesInfo, n, iter)
			}
		}
	}
	retried := false
	inspect(loopBody, func(x ast.Node) {
		if retried {
			return
		}
		c, ok := x.(*ast.CallExpr)
		if !ok || r.baseKind(c) != callFailable || uses(r.pass.TypesInfo, c, iter) {
			return
		}
		errVar := r.errVar(loopBody, c)
		if errVar == nil {
			return
		}
		retried = r.failureRetried(loopBody, c, errVar, bodyBlock, f.block)
	})
	if !retried {
		// Or on the status of a response (statusloops.go).
		retried = r.statusRetried(loop, loopBody, bodyBlock, f)
	}
	if !retried {
		return
	}
	r.loopAt[loop] = true
	var attempts []*ast.CallExpr
	inspect(loopBody, func(x ast.Node) {
		if c, ok := x.(*ast.CallExpr); ok && r.baseKind(c) == callFailable {
			r.loops[c] = loop
			attempts = append(attempts, c)
		}
	})
	if fs, ok := loop.(*ast.ForStmt); ok {
		for _, e := range []ast.Node{fs.Cond, fs.Post} {
			if e != nil {
				inspect(e, func(x ast.Node) {
					if c, ok := x.(*ast.CallExpr); ok && r.baseKind(c) == callFailable {
						r.loops[c] = loop
					}
				})
			}
		}
	}
	r.firstAttempts(loop, f, bodyBlock, attempts)
}

// firstAttempts records as attempts of the retry loop loop the calls made
// before it, in the block around it, that the loop makes again (the same
// callee, written the same) when their failure goes on into the loop: the
// first attempt of a retry written before its loop,
//
//	err := c.send(ctx)
//	if err == nil || !retryable(err) {
//		return err
//	}
//	for attempt := 1; attempt < max; attempt++ {
//		time.Sleep(d)
//		if err = c.send(ctx); err == nil || !retryable(err) {
//			return err
//		}
//	}
//
// A failure of such a call is retried by the loop, so its returns are
// routed as the loop's are. A call whose every failure leaves before the
// loop (if err != nil { return err }) is no attempt of it: the loop runs
// after its success (a reconnect loop after the first dial).
func (r *runner) firstAttempts(loop ast.Stmt, f *loopFunc, bodyBlock *cfg.Block, attempts []*ast.CallExpr) {
	if len(attempts) == 0 {
		return
	}
	block := enclosingBlock(f.body, loop)
	if block == nil {
		return
	}
	info := r.pass.TypesInfo
	type attempt struct {
		fn   *types.Func
		text string
	}
	again := map[attempt]bool{}
	for _, c := range attempts {
		if fn, ok := typeutil.Callee(info, c).(*types.Func); ok {
			again[attempt{fn, types.ExprString(c)}] = true
		}
	}
	for _, st := range block.List {
		if st == loop || isLabeledLoop(st, loop) {
			return
		}
		inspect(st, func(x ast.Node) {
			c, ok := x.(*ast.CallExpr)
			if !ok || r.loops[c] != nil || r.baseKind(c) != callFailable {
				return
			}
			fn, ok := typeutil.Callee(info, c).(*types.Func)
			if !ok || !again[attempt{fn, types.ExprString(c)}] {
				return
			}
			if v := r.errVar(block, c); v != nil && r.failureRetried(block, c, v, bodyBlock, f.block) {
				r.loops[c] = loop
			}
		})
	}
}

// enclosingBlock returns the block statement of body whose statements
// include loop (directly or labeled), or nil.
func enclosingBlock(body *ast.BlockStmt, loop ast.Stmt) *ast.BlockStmt {
	var found *ast.BlockStmt
	ast.Inspect(body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		b, ok := n.(*ast.BlockStmt)
		if !ok {
			return true
		}
		for _, st := range b.List {
			if st == loop || isLabeledLoop(st, loop) {
				found = b
				return false
			}
		}
		return true
	})
	return found
}

// isLabeledLoop reports whether st is loop with a label.
func isLabeledLoop(st, loop ast.Stmt) bool {
	l, ok := st.(*ast.LabeledStmt)
	return ok && l.Stmt == loop
}

// inspect visits the nodes of n, not those inside function literals.
func inspect(n ast.Node, visit func(ast.Node)) {
	ast.Inspect(n, func(x ast.Node) bool {
		if x == nil {
			return false
		}
		if _, ok := x.(*ast.FuncLit); ok {
			return false
		}
		visit(x)
		return true
	})
}

// waitsOrBounds reports whether a loop waits between its iterations or
// bounds them (see the rule above).
func (r *runner) waitsOrBounds(loop ast.Stmt, waiters map[*types.Func]bool) bool {
	info := r.pass.TypesInfo
	var body *ast.BlockStmt
	switch l := loop.(type) {
	case *ast.ForStmt:
		if isCounterCond(info, l.Cond) {
			return true // an attempt counter
		}
		body = l.Body
	case *ast.RangeStmt:
		if t := info.TypeOf(l.X); t != nil {
			switch u := t.Underlying().(type) {
			case *types.Chan:
				return true // for range retryTimer
			case *types.Signature:
				// for range c.newRetryTimer(ctx, ...): an iterator
				// function (iter.Seq) yields the attempts and bounds them
				// (minio-go's retry timer sleeps between its yields).
				return true
			case *types.Basic:
				if u.Info()&types.IsInteger != 0 {
					return true // for range attempts
				}
			}
		}
		body = l.Body
	}
	return r.waits(body, waiters)
}

// headerWaits reports whether a for loop's condition or post statement
// waits (see waits).
func (r *runner) headerWaits(l *ast.ForStmt, waiters map[*types.Func]bool) bool {
	return l.Cond != nil && r.waits(l.Cond, waiters) || l.Post != nil && r.waits(l.Post, waiters)
}

// mentioned adds to vars the variables n refers to.
func mentioned(info *types.Info, n ast.Node, vars map[types.Object]bool) {
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok {
				vars[v] = true
			}
		}
		return true
	})
}

// isCounterCond reports whether a loop condition bounds attempts: a
// comparison (attempt < max) that makes no call other than len and cap
// (for scanner.Scan() is not an attempt counter).
func isCounterCond(info *types.Info, cond ast.Expr) bool {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok {
		return false
	}
	switch b.Op {
	case token.LSS, token.LEQ, token.GTR, token.GEQ, token.NEQ:
	default:
		return false
	}
	calls := false
	ast.Inspect(b, func(x ast.Node) bool {
		if c, ok := x.(*ast.CallExpr); ok {
			if bi, ok := typeutil.Callee(info, c).(*types.Builtin); !ok || (bi.Name() != "len" && bi.Name() != "cap") {
				calls = true
			}
		}
		return !calls
	})
	return !calls
}

// waits reports whether n sleeps, receives from a channel or selects
// (not in function literals), or calls a function that waits: one of
// waiters (this package) or one carrying the WaitFunc fact.
func (r *runner) waits(n ast.Node, waiters map[*types.Func]bool) bool {
	found := false
	inspect(n, func(x ast.Node) {
		switch x := x.(type) {
		case *ast.SelectStmt:
			found = true
		case *ast.UnaryExpr:
			found = found || x.Op == token.ARROW
		case *ast.CallExpr:
			if found {
				return
			}
			waiter := func(fn *types.Func) bool {
				fn = fn.Origin()
				return waiters[fn] || isSleep(fn) ||
					fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(fn, new(WaitFunc))
			}
			if fn, ok := typeutil.Callee(r.pass.TypesInfo, x).(*types.Func); ok {
				found = waiter(fn)
			} else {
				found = slices.ContainsFunc(r.paramFuncs(x), waiter)
			}
		}
	})
	return found
}

// paramFuncs returns the functions and methods that the package's calls
// of a function pass for the parameter of function type that call calls
// (named, not called, as arguments: Invoke's invoke(ctx, call, settings,
// Sleep) for invoke's sp(ctx, d)); nil when call calls no parameter of a
// function of the package. A function literal passed there adds nothing.
// One of them waiting makes the call wait, whichever of them runs, as
// for a func-typed field (funcfields.go).
func (r *runner) paramFuncs(call *ast.CallExpr) []*types.Func {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := r.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	if _, ok := v.Type().Underlying().(*types.Signature); !ok {
		return nil
	}
	var out []*types.Func
	for _, a := range r.paramArgs(v) {
		out = addFunc(out, namedFunc(r.pass.TypesInfo, a))
	}
	return out
}

func isSleep(fn *types.Func) bool {
	return typepred.IsFunctionNamed(fn, "time", "Sleep")
}

// waitingFuncs returns the functions of the package whose bodies wait
// (sleep, receive, select, or call a function that waits, found as a
// fixed point), and exports their WaitFunc facts: a loop calling one, in
// any package, waits.
//
// Each body is walked once: what it does itself (waits, or calls a
// function of another package that waits) and the functions of this
// package it calls; the fixed point runs over those summaries.
func (r *runner) waitingFuncs() map[*types.Func]bool {
	out := map[*types.Func]bool{}
	type summary struct {
		fn      *types.Func
		callees []*types.Func // functions of this package it calls, not known to wait
	}
	var pending []summary
	for fdc := range r.inspector().Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := fdc.Node().(*ast.FuncDecl)
		fn, ok := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if fd.Body == nil || !ok {
			continue
		}
		var callees []*types.Func
		if r.waitsOrCalls(fdc.Child(fd.Body), &callees) {
			out[fn] = true
			continue
		}
		if len(callees) > 0 {
			pending = append(pending, summary{fn, callees})
		}
	}
	for changed := true; changed; {
		changed = false
		for _, s := range pending {
			if !out[s.fn] && slices.ContainsFunc(s.callees, func(c *types.Func) bool { return out[c] }) {
				out[s.fn] = true
				changed = true
			}
		}
	}
	if !targets.InGOROOT(r.pass.Fset, r.pass.Files) {
		for fn := range out {
			r.pass.ExportObjectFact(fn, new(WaitFunc))
		}
	}
	return out
}

// waitsOrCalls reports whether the body at c waits by itself, as waits
// does with no waiters of this package; if not, it appends to callees the
// functions of this package the body calls (not in function literals),
// which wait if one of them does.
func (r *runner) waitsOrCalls(c inspector.Cursor, callees *[]*types.Func) bool {
	found := false
	c.Inspect(waitNodes, func(c inspector.Cursor) bool {
		if found {
			return false
		}
		switch x := c.Node().(type) {
		case *ast.FuncLit:
			return false
		case *ast.SelectStmt:
			found = true
		case *ast.UnaryExpr:
			found = x.Op == token.ARROW
		case *ast.CallExpr:
			var fns []*types.Func
			if fn, ok := typeutil.Callee(r.pass.TypesInfo, x).(*types.Func); ok {
				fns = []*types.Func{fn}
			} else {
				fns = r.paramFuncs(x) // sp(ctx, d): what the package hands sp
			}
			for _, fn := range fns {
				fn = fn.Origin()
				switch {
				case isSleep(fn):
					found = true
				case fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg:
					found = r.pass.ImportObjectFact(fn, new(WaitFunc))
				default:
					*callees = append(*callees, fn)
				}
				if found {
					break
				}
			}
		}
		return !found
	})
	return found
}

// waitNodes are the node types waitsOrCalls looks at.
var waitNodes = []ast.Node{(*ast.FuncLit)(nil), (*ast.SelectStmt)(nil), (*ast.UnaryExpr)(nil), (*ast.CallExpr)(nil)}

// iterationVars returns the variables a loop changes on every iteration:
// a range's key and value, the variables a for's post statement sets or
// its body steps (i++, i += n).
func iterationVars(info *types.Info, loop ast.Stmt) map[types.Object]bool {
	out := map[types.Object]bool{}
	add := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			if obj := info.ObjectOf(id); obj != nil {
				out[obj] = true
			}
		}
	}
	switch l := loop.(type) {
	case *ast.RangeStmt:
		if l.Key != nil {
			add(l.Key)
		}
		if l.Value != nil {
			add(l.Value)
		}
	case *ast.ForStmt:
		switch p := l.Post.(type) {
		case *ast.IncDecStmt:
			add(p.X)
		case *ast.AssignStmt:
			for _, e := range p.Lhs {
				add(e)
			}
		}
		// Counters stepped in the body (i++, i += n) move to the next
		// item as well: for i < len(items) { do(items[i]); i++ }.
		inspect(l.Body, func(x ast.Node) {
			switch x := x.(type) {
			case *ast.IncDecStmt:
				add(x.X)
			case *ast.AssignStmt:
				if x.Tok != token.ASSIGN && x.Tok != token.DEFINE {
					for _, e := range x.Lhs {
						add(e)
					}
				}
			}
		})
	}
	return out
}

// derivedVars adds to vars, the iteration variables of a range over
// items, the variables the loop's body assigns from a value that uses
// them (conn, err = dial(host): conn), but errors: what is made from the
// item changes with it, so a call given it (setupConn(conn)) works on the
// next item, not again on the same one. gocql's
// controlConn.attemptReconnectToAnyOfHosts dials each host and sets up
// the connection it dialed: a failover over hosts, no retry. A counter
// of a for loop is left alone: a request built from the attempt's number
// is still the same work.
func derivedVars(info *types.Info, body *ast.BlockStmt, vars map[types.Object]bool) {
	for changed := true; changed; {
		changed = false
		inspect(body, func(x ast.Node) {
			as, ok := x.(*ast.AssignStmt)
			if !ok || (as.Tok != token.ASSIGN && as.Tok != token.DEFINE) {
				return
			}
			from := false
			for _, rhs := range as.Rhs {
				from = from || uses(info, rhs, vars)
			}
			if !from {
				return
			}
			for _, lhs := range as.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok {
					continue
				}
				if obj := info.ObjectOf(id); obj != nil && !vars[obj] && !typepred.ImplementsError(obj.Type()) {
					vars[obj] = true
					changed = true
				}
			}
		})
	}
}

// uses reports whether n refers to one of vars.
func uses(info *types.Info, n ast.Node, vars map[types.Object]bool) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok && vars[info.Uses[id]] {
			found = true
		}
		return !found
	})
	return found
}

// errVar returns the variable the error result of call c is assigned to
// (err in "v, err := c()" or "err = c()", in a statement of body or the
// init of an if statement), or nil.
func (r *runner) errVar(body *ast.BlockStmt, c *ast.CallExpr) types.Object {
	var found types.Object
	inspect(body, func(x ast.Node) {
		as, ok := x.(*ast.AssignStmt)
		if !ok || found != nil || len(as.Rhs) != 1 || ast.Unparen(as.Rhs[0]) != c {
			return
		}
		id, ok := as.Lhs[len(as.Lhs)-1].(*ast.Ident)
		if !ok {
			return
		}
		if obj := r.pass.TypesInfo.ObjectOf(id); obj != nil && typepred.ImplementsError(obj.Type()) {
			found = obj
		}
	})
	return found
}

// firstOperand strips parentheses, leading ! (negated says whether an odd
// number of them) and, of a chain of &&, all but the first operand.
func firstOperand(e ast.Expr) (x ast.Expr, negated bool) {
	x = ast.Unparen(e)
	for {
		switch y := x.(type) {
		case *ast.BinaryExpr:
			if y.Op != token.LAND {
				return x, negated
			}
			x = ast.Unparen(y.X)
		case *ast.UnaryExpr:
			if y.Op != token.NOT {
				return x, negated
			}
			x, negated = ast.Unparen(y.X), !negated
		default:
			return x, negated
		}
	}
}

// nilCheck reports whether e compares v with nil, and whether it is true
// on failure (v != nil).
func (r *runner) nilCheck(e ast.Expr, v types.Object) (onFail, ok bool) {
	b, isBin := e.(*ast.BinaryExpr)
	if !isBin || (b.Op != token.NEQ && b.Op != token.EQL) {
		return false, false
	}
	if r.isVar(b.X, v) && r.isNil(b.Y) || r.isVar(b.Y, v) && r.isNil(b.X) {
		return b.Op == token.NEQ, true
	}
	return false, false
}

// errFlags returns the local booleans of body that a statement after
// call c sets from a nil check of v (ok := err == nil, needsRetry := err
// != nil && ...), each with whether it is true on failure. Only the first
// such assignment of each flag counts: a later one (needsRetry =
// condition(resp, err)) refines the decision, as the && of a condition
// does.
func (r *runner) errFlags(body *ast.BlockStmt, c *ast.CallExpr, v types.Object) map[types.Object]bool {
	out := map[types.Object]bool{}
	inspect(body, func(x ast.Node) {
		as, ok := x.(*ast.AssignStmt)
		if !ok || as.Pos() < c.End() || len(as.Lhs) != len(as.Rhs) {
			return
		}
		for i, lhs := range as.Lhs {
			id, ok := lhs.(*ast.Ident)
			if !ok {
				continue
			}
			obj := r.pass.TypesInfo.ObjectOf(id)
			if _, seen := out[obj]; seen || obj == nil || obj.Parent() == nil || obj.Parent() == obj.Pkg().Scope() {
				continue // blank, a package variable, or already known
			}
			cond, negated := firstOperand(as.Rhs[i])
			if onFail, ok := r.nilCheck(cond, v); ok {
				out[obj] = onFail != negated
			}
		}
	})
	return out
}

func (r *runner) isVar(e ast.Expr, v types.Object) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && r.pass.TypesInfo.Uses[id] == v
}

func (r *runner) isNil(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := r.pass.TypesInfo.Uses[id].(*types.Nil)
	return isNil
}

// enter applies, on entry to block b, the routing of a retry loop: the
// head and body of one count as a retry (the loop is the retry); for a
// loop written with goto (gotoloops.go), the block of its label.
func (r *runner) enter(b *cfg.Block, s flow.Set) flow.Set {
	if b.Stmt == nil || !r.loopAt[b.Stmt] {
		return s
	}
	switch b.Kind {
	case cfg.KindForBody, cfg.KindForLoop, cfg.KindRangeBody, cfg.KindRangeLoop, cfg.KindLabel:
		s |= factRouted
		s &^= factNoRetry
	}
	return s
}
