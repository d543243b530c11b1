package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// A retry by recursion: discordgo's Session.RequestWithLockedBucket sends
// a request and, on a 502, calls itself again with sequence+1 while
// sequence < MaxRestRetries, and on a 429 sleeps and calls itself again.
// That is a retry loop written as a recursion: wrapping a caller in a
// retry of its own would nest it (3 x 4 attempts), as a retry loop would.
// A recursion over other work (a walk into the entries of a directory)
// is none. A self-call is a retry when
//
//   - it repeats the same work: each argument is the parameter of its
//     position, never assigned in the body (go-github follows a redirect
//     by setting u to the Location first: another resource), that
//     parameter plus or minus a constant (an attempt
//     counter), or a call given that parameter (re-acquiring the same
//     resource: s.Ratelimiter.LockBucketObject(bucket)), at least one
//     argument being the parameter itself; a method calls itself on its
//     own receiver;
//   - it follows work that can fail in the function, and is made on a
//     failure path: under an if or switch whose condition or tag reads an
//     error variable or an HTTP status (a StatusCode, Status or Code
//     field), so that a recursion paging through results (if page <
//     total) is none;
//   - and it is bounded or waits, as a retry loop: an argument is an
//     attempt counter that the function compares (sequence <
//     s.MaxRestRetries), or the statements before it in its block wait
//     (time.Sleep, a receive, a select).

// A function that retries by calling itself directly is a retry loop
// written as a recursion: the calls that can fail up to and including its
// last such self-call are its attempts (findRecursiveRetries records them
// as a loop's, at the statement of the first), so a helper whose every
// failure is retried or returned from an attempt (retryRec: err := f(); if
// err != nil && n > 1 { time.Sleep(d); return retryRec(n-1, f) }; return
// err) is routed by its own retry, as the same loop would be. Work after
// the self-call in source order is outside it, and a function with such
// work nests (NestedRetry), as before. A self-call made in a closure
// (sarama's) is left to the nesting rule.

// findRecursiveRetries records, for each function declaration that retries
// by a direct self-call, its calls that can fail up to that self-call as
// the attempts of a retry loop (r.loops), at the self-call's statement.
func (r *runner) findRecursiveRetries() {
	for c := range r.inspector().Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := c.Node().(*ast.FuncDecl)
		fn, ok := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if !ok || fd.Body == nil {
			continue
		}
		selfs := r.directRecursiveRetries(fd, fn)
		if len(selfs) == 0 {
			continue
		}
		sc, ok := c.FindNode(selfs[0])
		if !ok {
			continue
		}
		at := enclosingStmt(sc)
		if at == nil {
			continue
		}
		r.recursionAt[at] = true
		last := selfs[len(selfs)-1]
		inspect(fd.Body, func(n ast.Node) {
			if call, ok := n.(*ast.CallExpr); ok && call.Pos() <= last.Pos() && r.baseKind(call) == callFailable {
				r.loops[call] = at
			}
		})
	}
}

// recursiveRetry returns the call by which fd retries itself, or nil.
func (r *runner) recursiveRetry(fd *ast.FuncDecl) *ast.CallExpr {
	fn, ok := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if !ok || fd.Body == nil {
		return nil
	}
	found := r.directRecursiveRetry(fd, fn)
	if found != nil || !r.callsItselfInLiteral(fd, fn) {
		return found
	}
	// A self-call in a local closure (sarama's tryRefreshMetadata:
	// retry := func(err error) error { ... attemptsRemaining--; return
	// client.tryRefreshMetadata(topics, attemptsRemaining, deadline) })
	// retries where the closure is called: on a failure path, after work
	// that can fail.
	for _, cl := range r.closures(fd) {
		v, lit := cl.v, cl.lit
		inspect(lit.Body, func(n ast.Node) {
			c, ok := n.(*ast.CallExpr)
			if !ok || found != nil || r.callee(c) != fn || !r.sameWork(fd, lit, fn, c) {
				return
			}
			inspect(fd.Body, func(n ast.Node) {
				if site, ok := n.(*ast.CallExpr); ok && found == nil && r.isVar(site.Fun, v) && r.failedBefore(fd, site) && r.onFailurePath(fd, site) {
					found = c
				}
			})
		})
	}
	return found
}

// directRecursiveRetry returns the first self-call, made in fd's body
// itself (not in a function literal), by which fd, declaring fn, retries,
// or nil.
func (r *runner) directRecursiveRetry(fd *ast.FuncDecl, fn *types.Func) *ast.CallExpr {
	if calls := r.directRecursiveRetries(fd, fn); len(calls) > 0 {
		return calls[0]
	}
	return nil
}

// directRecursiveRetries returns every such self-call, in source order
// (discordgo's: one for a 429, one for a 502).
func (r *runner) directRecursiveRetries(fd *ast.FuncDecl, fn *types.Func) []*ast.CallExpr {
	var out []*ast.CallExpr
	inspect(fd.Body, func(n ast.Node) {
		if c, ok := n.(*ast.CallExpr); ok && r.isRecursiveRetry(fd, fn, c) {
			out = append(out, c)
		}
	})
	return out
}

// isRecursiveRetry reports whether c, in fd's body, is a self-call by which
// fd retries (see the rule at the top of this file).
func (r *runner) isRecursiveRetry(fd *ast.FuncDecl, fn *types.Func, c *ast.CallExpr) bool {
	return r.callee(c) == fn && r.sameWork(fd, nil, fn, c) && r.failedBefore(fd, c) && r.onFailurePath(fd, c)
}

// callsItselfInLiteral reports whether a function literal in fd's body
// calls fn: the cheap test before the closures of fd are looked at.
func (r *runner) callsItselfInLiteral(fd *ast.FuncDecl, fn *types.Func) bool {
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		if _, ok := n.(*ast.FuncLit); !ok {
			return true
		}
		ast.Inspect(n, func(m ast.Node) bool {
			if c, ok := m.(*ast.CallExpr); ok && r.callee(c) == fn {
				found = true
			}
			return !found
		})
		return false
	})
	return found
}

// closure is a local variable set once to a function literal.
type closure struct {
	v   *types.Var
	lit *ast.FuncLit
}

// closures returns the local variables of fd set once to a function
// literal of fd's body (localLit), with their literals, in source order.
func (r *runner) closures(fd *ast.FuncDecl) []closure {
	if r.litVars == nil {
		r.findLitVars()
	}
	var out []closure
	for v, lit := range r.litVars {
		if lit.Pos() >= fd.Body.Pos() && lit.End() <= fd.Body.End() {
			out = append(out, closure{v, lit})
		}
	}
	slices.SortFunc(out, func(a, b closure) int { return int(a.lit.Pos()) - int(b.lit.Pos()) })
	return out
}

// sameWork reports whether self-call c of fn repeats its work (see above),
// and is bounded by a counter it compares or waits before the call. lit,
// when not nil, is the local closure of fd that c is in: its body counts
// as fd's for the assignments and comparisons of the parameters.
func (r *runner) sameWork(fd *ast.FuncDecl, lit *ast.FuncLit, fn *types.Func, c *ast.CallExpr) bool {
	bodies := []*ast.BlockStmt{fd.Body}
	if lit != nil {
		bodies = append(bodies, lit.Body)
	}
	assigns := func(p types.Object) bool {
		return slices.ContainsFunc(bodies, func(b *ast.BlockStmt) bool { return r.assigns(b, p) })
	}
	stepped := func(p types.Object) bool {
		return !slices.ContainsFunc(bodies, func(b *ast.BlockStmt) bool { return !r.onlyStepped(b, p) })
	}
	compares := func(p types.Object) bool {
		return slices.ContainsFunc(bodies, func(b *ast.BlockStmt) bool { return r.compares(b, p) })
	}
	info := r.pass.TypesInfo
	sig := fn.Signature()
	if recv := sig.Recv(); recv != nil {
		sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		if !ok || !r.isVar(sel.X, recv) {
			return false
		}
	}
	params := sig.Params()
	if params.Len() == 0 || len(c.Args) != params.Len() {
		return false
	}
	same, bounded := 0, false
	for i, arg := range c.Args {
		p := params.At(i)
		switch a := ast.Unparen(arg).(type) {
		case *ast.Ident:
			if info.Uses[a] != p {
				return false // another value
			}
			if assigns(p) {
				// The parameter set anew, unless only stepped: an
				// attempt counter (attemptsRemaining-- before the call).
				if !stepped(p) {
					return false
				}
				bounded = bounded || compares(p)
				continue
			}
			same++
		case *ast.BinaryExpr:
			lit, ok := ast.Unparen(a.Y).(*ast.BasicLit)
			if a.Op != token.ADD && a.Op != token.SUB || !r.isVar(a.X, p) || !ok || lit.Kind != token.INT {
				return false
			}
			bounded = bounded || compares(p)
		case *ast.CallExpr:
			given := false
			for _, x := range a.Args {
				given = given || r.isVar(x, p)
			}
			if !given {
				return false
			}
		default:
			return false
		}
	}
	return same > 0 && (bounded || r.waitsBefore(fd, c))
}

// assigns reports whether body assigns to v (u = resp.Header.Get("Location")
// before following a redirect: the self-call then asks for another
// resource).
func (r *runner) assigns(body *ast.BlockStmt, v types.Object) bool {
	found := false
	inspect(body, func(n ast.Node) {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range x.Lhs {
				found = found || r.isVar(lhs, v)
			}
		case *ast.IncDecStmt:
			found = found || r.isVar(x.X, v)
		case *ast.UnaryExpr:
			found = found || x.Op == token.AND && r.isVar(x.X, v)
		}
	})
	return found
}

// onlyStepped reports whether every assignment to v in body is an
// increment or a decrement (v++, v--).
func (r *runner) onlyStepped(body *ast.BlockStmt, v types.Object) bool {
	only := true
	inspect(body, func(n ast.Node) {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range x.Lhs {
				only = only && !r.isVar(lhs, v)
			}
		case *ast.UnaryExpr:
			only = only && (x.Op != token.AND || !r.isVar(x.X, v))
		}
	})
	return only
}

// compares reports whether body compares v with <, <=, > or >=.
func (r *runner) compares(body *ast.BlockStmt, v types.Object) bool {
	found := false
	inspect(body, func(n ast.Node) {
		if b, ok := n.(*ast.BinaryExpr); ok && !found {
			switch b.Op {
			case token.LSS, token.LEQ, token.GTR, token.GEQ:
				found = r.isVar(b.X, v) || r.isVar(b.Y, v)
			}
		}
	})
	return found
}

// waitsBefore reports whether a statement before c in the block or case
// clause holding it waits.
func (r *runner) waitsBefore(fd *ast.FuncDecl, c *ast.CallExpr) bool {
	path := enclosing(fd.Body, c)
	for _, n := range path {
		var list []ast.Stmt
		switch b := n.(type) {
		case *ast.BlockStmt:
			list = b.List
		case *ast.CaseClause:
			list = b.Body
		default:
			continue
		}
		for _, s := range list {
			if s.End() <= c.Pos() && r.waits(s, nil) {
				return true
			}
		}
		return false
	}
	return false
}

// failedBefore reports whether fd calls something that can fail before c.
func (r *runner) failedBefore(fd *ast.FuncDecl, c *ast.CallExpr) bool {
	found := false
	inspect(fd.Body, func(n ast.Node) {
		if x, ok := n.(*ast.CallExpr); ok && !found && x.End() <= c.Pos() && r.baseKind(x) == callFailable {
			found = true
		}
	})
	return found
}

// onFailurePath reports whether c is made under an if or switch whose
// condition or tag reads an error variable or an HTTP status.
func (r *runner) onFailurePath(fd *ast.FuncDecl, c *ast.CallExpr) bool {
	path := enclosing(fd.Body, c)
	for _, n := range path {
		var conds []ast.Node
		switch s := n.(type) {
		case *ast.IfStmt:
			conds = append(conds, s.Cond)
		case *ast.SwitchStmt:
			if s.Tag != nil {
				conds = append(conds, s.Tag)
			}
		case *ast.CaseClause:
			for _, e := range s.List {
				conds = append(conds, e)
			}
		}
		for _, cond := range conds {
			if r.readsFailure(cond) {
				return true
			}
		}
	}
	return false
}

// readsFailure reports whether n reads a variable of an error type or a
// field named StatusCode, Status or Code.
func (r *runner) readsFailure(n ast.Node) bool {
	found := false
	inspect(n, func(x ast.Node) {
		switch x := x.(type) {
		case *ast.Ident:
			if v, ok := r.pass.TypesInfo.Uses[x].(*types.Var); ok && !v.IsField() && typepred.ImplementsError(v.Type()) {
				found = true
			}
		case *ast.SelectorExpr:
			switch x.Sel.Name {
			case "StatusCode", "Status", "Code":
				found = true
			}
		}
	})
	return found
}

// recursionRefusal says why -fix does not wrap fd, which retries itself
// at c.
func (r *runner) recursionRefusal(c *ast.CallExpr) string {
	return "it retries by calling itself again (at " + r.where(c.Pos()) + "), and a retry around it would nest that retry (keep its own retry and mark it //resilience:noretry <reason>, or remove that retry and retry its callers instead)"
}

// enclosing returns the nodes of root that enclose c, innermost first.
func enclosing(root ast.Node, c *ast.CallExpr) []ast.Node {
	var path []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil || n.Pos() > c.Pos() || n.End() < c.End() {
			return false
		}
		path = append(path, n)
		return n != c
	})
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}
