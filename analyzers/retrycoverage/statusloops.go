package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/cfg"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// This file finds the retry loops that retry on a response's status
// rather than on an error. meilisearch-go v0.37.0's client.do:
//
//	for {
//		resp, err = c.client.Do(req)
//		if err != nil {
//			return nil, ...              // transport errors: not retried
//		}
//		if c.disableRetry || !c.retryOnStatus[resp.StatusCode] {
//			return resp, nil             // the status it does not retry
//		}
//		_ = resp.Body.Close()
//		if retriesCount >= c.maxRetries {
//			return nil, ...
//		}
//		retriesCount++
//		select { ... case <-timer.C: }   // waits, then sends again
//	}
//
// A loop that waits or bounds its attempts (waitsOrBounds, as for the
// retry loops on an error) is a retry loop too when a call that can fail
// in its body has a result other than its error assigned to a variable
// (resp), and
//
//   - an if statement after the call reads the status code of that
//     result (an integer field or method whose name ends in StatusCode,
//     reached from the variable: resp.StatusCode, resp.Response.StatusCode,
//     resp.StatusCode(); or a local variable set to one, code :=
//     resp.StatusCode), and exactly one of its branches can run the loop's
//     body again, the other leaving the loop on every path: the status
//     decides between sending again and giving the response back; or a
//     switch after the call does the same: a switch on the status code
//     (switch resp.StatusCode { case 429, 503: ... continue }), or a
//     switch without a tag one of whose cases reads it, with an outcome
//     the status selects (a case, or no case matching) that runs the body
//     again and another that leaves, or the other way round;
//   - the call repeats the same work: nothing it reads (the variables of
//     its receiver and arguments) is set, in the loop, from its results or
//     from the loop's iteration variables, directly or through other
//     variables (an assignment, x = f(resp) or page.Next, a call that is
//     handed the result and a pointer, Decode(&page), or a method of a
//     variable handed the result, q.Set("from", page.Next)). A walk
//     through pages asks for the page the previous response named: no
//     retry, whatever it does with a status.
//
// A poll on a state (task.Status == "processing") reads no status code
// and is no retry: it waits for the server, and a transient failure of
// its request ends it. A loop that sends again on a status and also
// after handling a response (both branches run the body again) is a
// consumer, not a retry; so is a switch whose every outcome runs the body
// again.
//
// A readiness wait is a retry: a loop that sends a request again until
// its status is the one it waits for (for { resp, err := get(); if err
// == nil && resp.StatusCode == 200 { return nil }; sleep }), swallowing
// the errors on the way. It re-sends the same request on a failure or an
// unwanted status, which is what a retry does, and a retry around the
// function running it would wait the whole wait again in each attempt,
// multiplying the requests: the rule takes it as one on purpose.
// statusRetried reports whether loop, whose body is body (bodyBlock its
// first block) in the function of f and which waits or bounds its
// attempts, retries a call on the status of its response.
func (r *runner) statusRetried(loop ast.Stmt, body *ast.BlockStmt, bodyBlock *cfg.Block, f *loopFunc) bool {
	iter := iterationVars(r.pass.TypesInfo, loop)
	found := false
	inspect(body, func(x ast.Node) {
		c, ok := x.(*ast.CallExpr)
		if found || !ok || r.baseKind(c) != callFailable {
			return
		}
		results := r.resultVars(body, c)
		if len(results) == 0 || r.feedsBack(body, c, results, iter, f.body) {
			return
		}
		found = r.statusDecides(body, c, results, bodyBlock, f.block)
	})
	return found
}

// resultVars returns the variables the results of call c other than its
// error are assigned to (resp in "resp, err := c()" or "resp, err = c()",
// in a statement of body or the init of an if statement), nil when there
// are none.
func (r *runner) resultVars(body *ast.BlockStmt, c *ast.CallExpr) map[types.Object]bool {
	var out map[types.Object]bool
	inspect(body, func(x ast.Node) {
		as, ok := x.(*ast.AssignStmt)
		if !ok || out != nil || len(as.Rhs) != 1 || ast.Unparen(as.Rhs[0]) != c {
			return
		}
		for _, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok || id.Name == "_" {
				continue
			}
			obj := r.pass.TypesInfo.ObjectOf(id)
			if obj == nil || typepred.IsError(obj.Type()) {
				continue
			}
			if out == nil {
				out = map[types.Object]bool{}
			}
			out[obj] = true
		}
	})
	return out
}

// varPath is a variable and a chain of field names from it: opt.Page is
// {opt, "Page"}, opt itself {opt, ""}. A method call's selector names
// the method last (c.hc.Do is {c, "hc.Do"}).
type varPath struct {
	root   types.Object
	fields string
}

// overlaps reports whether p and q name the same storage or one a part
// of the other (opt and opt.Page; not c.hc and c.lastStatus).
func (p varPath) overlaps(q varPath) bool {
	if p.root != q.root {
		return false
	}
	a, b := p.fields, q.fields
	return a == "" || b == "" || a == b || strings.HasPrefix(a, b+".") || strings.HasPrefix(b, a+".")
}

// pathOf returns the path e names (x, x.f.g; x[i], *x and (x) name x's
// path), ok false when e is rooted at no variable.
func pathOf(info *types.Info, e ast.Expr) (varPath, bool) {
	var fields []string
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := info.ObjectOf(x).(*types.Var)
			if !ok || v.IsField() {
				return varPath{}, false
			}
			slices.Reverse(fields)
			return varPath{v, strings.Join(fields, ".")}, true
		case *ast.SelectorExpr:
			fields = append(fields, x.Sel.Name)
			e = x.X
		case *ast.IndexExpr:
			fields = fields[:0] // x[i]: all of x
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return varPath{}, false
		}
	}
}

// taint is a set of paths whose values come from a call's results or a
// loop's iteration variables.
type taint []varPath

// mentions reports whether n reads a path overlapping one of t (not in
// function literals): each selector chain is taken whole.
func (t taint) mentions(info *types.Info, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.Ident, *ast.SelectorExpr:
			p, ok := pathOf(info, x.(ast.Expr))
			if !ok {
				return true // pkg.F, a field of a call's result: look inside
			}
			found = slices.ContainsFunc(t, p.overlaps)
			return false
		}
		return true
	})
	return found
}

// feedsBack reports whether something call c reads is set, in body, from
// c's results or from the loop's iteration variables (see the rule
// above): the next attempt is other work. fnBody is the body of the
// function around the loop: a method call handed the result taints its
// receiver only when that is a variable declared in it (q.Set("from",
// next) on a local query), not a parameter (c.logger.Printf(...,
// resp.StatusCode) on the client).
func (r *runner) feedsBack(body *ast.BlockStmt, c *ast.CallExpr, results, iter map[types.Object]bool, fnBody *ast.BlockStmt) bool {
	info := r.pass.TypesInfo
	var t taint
	for obj := range results {
		t = append(t, varPath{root: obj})
	}
	for obj := range iter {
		t = append(t, varPath{root: obj})
	}
	changed := false
	mark := func(e ast.Expr) {
		if p, ok := pathOf(info, e); ok && !slices.Contains(t, p) {
			t = append(t, p)
			changed = true
		}
	}
	local := func(e ast.Expr) bool {
		p, ok := pathOf(info, e)
		return ok && fnBody != nil && p.root.Pos() > fnBody.Lbrace && p.root.Pos() < fnBody.Rbrace
	}
	for changed = true; changed; {
		changed = false
		inspect(body, func(x ast.Node) {
			switch x := x.(type) {
			case *ast.AssignStmt:
				from := false
				for _, e := range x.Rhs {
					from = from || t.mentions(info, e)
				}
				if x.Tok != token.ASSIGN && x.Tok != token.DEFINE {
					for _, e := range x.Lhs {
						from = from || t.mentions(info, e)
					}
				}
				if from {
					for _, e := range x.Lhs {
						mark(e)
					}
				}
			case *ast.CallExpr:
				args := false
				for _, a := range x.Args {
					args = args || t.mentions(info, a)
				}
				if !args && !t.mentions(info, x.Fun) {
					return
				}
				// Handed the result: what it fills (&page) comes from it.
				for _, a := range x.Args {
					if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
						mark(u.X)
					}
				}
				// A method of a local variable handed the result.
				if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && args && local(sel.X) {
					if s, isMethod := info.Selections[sel]; isMethod && s.Kind() == types.MethodVal {
						mark(sel.X)
					}
				}
			}
		})
	}
	return t.mentions(info, c)
}

// statusDecides reports whether an if statement of body after call c
// reads the status code of one of results and has exactly one branch
// that can run the loop's body again, or a switch after c decides on it
// that way (switchDecides).
func (r *runner) statusDecides(body *ast.BlockStmt, c *ast.CallExpr, results map[types.Object]bool, bodyBlock *cfg.Block, block func(ast.Stmt, cfg.BlockKind) *cfg.Block) bool {
	info := r.pass.TypesInfo
	// Local copies of a status code: code := resp.StatusCode.
	codes := map[types.Object]bool{}
	inspect(body, func(x ast.Node) {
		as, ok := x.(*ast.AssignStmt)
		if !ok || as.Pos() < c.End() || len(as.Lhs) != len(as.Rhs) {
			return
		}
		for i, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && r.isStatusRead(as.Rhs[i], results) {
				if obj := info.ObjectOf(id); obj != nil {
					codes[obj] = true
				}
			}
		}
	})
	back := func(b *cfg.Block) bool { return b == bodyBlock || leadsTo(b, bodyBlock) }
	found := false
	inspect(body, func(x ast.Node) {
		if found || x.Pos() < c.End() {
			return
		}
		switch x := x.(type) {
		case *ast.IfStmt:
			if !r.readsStatus(x.Cond, results, codes) {
				return
			}
			then := block(x, cfg.KindIfThen)
			other := block(x, cfg.KindIfElse)
			if other == nil {
				other = block(x, cfg.KindIfDone)
			}
			found = then != nil && other != nil && back(then) != back(other)
		case *ast.SwitchStmt:
			found = r.switchDecides(x, results, codes, back, block)
		}
	})
	return found
}

// switchDecides reports whether sw decides on a status code of one of
// results between running the loop's body again and leaving it: one of
// its outcomes (a case's body, or no case matching, when there is no
// default) that the status selects (every case of a switch on the
// status, switch resp.StatusCode; in a switch without a tag, a case
// whose expressions read it) runs the body again (back) and another
// outcome does not, or the other way round.
func (r *runner) switchDecides(sw *ast.SwitchStmt, results, codes map[types.Object]bool, back func(*cfg.Block) bool, block func(ast.Stmt, cfg.BlockKind) *cfg.Block) bool {
	onTag := sw.Tag != nil && r.readsStatus(sw.Tag, results, codes)
	type outcome struct{ status, back bool }
	var outs []outcome
	hasDefault := false
	for _, s := range sw.Body.List {
		cc, ok := s.(*ast.CaseClause)
		if !ok {
			continue
		}
		if cc.List == nil {
			hasDefault = true
		}
		b := block(cc, cfg.KindSwitchCaseBody)
		if b == nil {
			continue
		}
		status := onTag
		for _, e := range cc.List {
			status = status || r.readsStatus(e, results, codes)
		}
		outs = append(outs, outcome{status, back(b)})
	}
	if !hasDefault {
		if done := block(sw, cfg.KindSwitchDone); done != nil {
			outs = append(outs, outcome{onTag, back(done)})
		}
	}
	for i, o := range outs {
		if !o.status {
			continue
		}
		for j, p := range outs {
			if j != i && p.back != o.back {
				return true
			}
		}
	}
	return false
}

// readsStatus reports whether e reads a status code of one of results,
// directly or through one of codes.
func (r *runner) readsStatus(e ast.Expr, results, codes map[types.Object]bool) bool {
	found := false
	inspect(e, func(x ast.Node) {
		if found {
			return
		}
		if id, ok := x.(*ast.Ident); ok && codes[r.pass.TypesInfo.Uses[id]] {
			found = true
			return
		}
		if ex, ok := x.(ast.Expr); ok {
			found = r.isStatusRead(ex, results)
		}
	})
	return found
}

// isStatusRead reports whether e is the status code of one of results:
// an integer field or method call whose name ends in StatusCode (any
// case), on a selector chain rooted at one of them.
func (r *runner) isStatusRead(e ast.Expr, results map[types.Object]bool) bool {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 0 {
		e = ast.Unparen(call.Fun)
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || !strings.HasSuffix(strings.ToLower(sel.Sel.Name), "statuscode") {
		return false
	}
	t := r.pass.TypesInfo.TypeOf(sel)
	if sig, ok := t.(*types.Signature); ok {
		if sig.Results().Len() != 1 {
			return false
		}
		t = sig.Results().At(0).Type()
	}
	if b, ok := t.Underlying().(*types.Basic); !ok || b.Info()&types.IsInteger == 0 {
		return false
	}
	p, ok := pathOf(r.pass.TypesInfo, sel.X)
	return ok && results[p.root]
}
