package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
)

// A retry loop can be written with a label and a goto instead of a for
// statement. franz-go's kgo retries every request it issues so
// (retryable.Request, behind Client.Request, RequestSharded and the admin
// and coordinator requests):
//
//	start:
//		tries++
//		...
//		resp, err = r.last.waitResp(ctx, req)  // the work that can fail
//		...
//		if err != nil || retryErr != nil {
//			if r.cl.shouldRetry(tries, err) {
//				if r.cl.waitTries(ctx, backoff) { // waits between attempts
//					goto start                  // its failure runs it again
//				}
//			}
//		}
//		return resp, err
//
// The statements from a label to the last backward goto to it (in the
// label's own statement list) are such a loop's body, judged as a for
// loop's is (loops.go): a call that can fail there, not using a variable
// the body steps (tries++), whose error the body checks, with the label
// reachable again from the branch taken on failure; and the body waits
// (sleeps, receives, selects, or calls a function that does) or the goto
// is under a condition that counts attempts (if tries < max { goto start
// }, if err != nil && tries < max { goto start }). A goto taken only
// after a success (a lookup that loads metadata and
// looks again) is no retry: its failure does not reach the label.

// findGotoRetries finds the retry loops written with goto among the
// labeled statements of the package's functions and function literals,
// filling r.loops and r.loopAt at the labeled statement.
func (r *runner) findGotoRetries(waiters map[*types.Func]bool, funcs map[ast.Node]*loopFunc) {
	in := r.inspector()
	for c := range in.Root().Preorder((*ast.LabeledStmt)(nil)) {
		ls := c.Node().(*ast.LabeledStmt)
		var fn ast.Node
		for e := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			fn = e.Node()
			break
		}
		body, gotos := gotoRegion(c, ls)
		if body == nil {
			continue
		}
		lf, ok := funcs[fn]
		if !ok {
			switch fn := fn.(type) {
			case *ast.FuncDecl:
				if fn.Body != nil {
					lf = &loopFunc{g: r.cfgs.FuncDecl(fn), body: fn.Body}
				}
			case *ast.FuncLit:
				lf = &loopFunc{g: r.cfgs.FuncLit(fn), body: fn.Body}
			}
			funcs[fn] = lf
		}
		if lf == nil {
			continue
		}
		r.gotoRetry(ls, body, gotos, lf, waiters)
	}
}

// gotoRegion returns, for the labeled statement at c, the statements of
// its statement list from it to the last one holding a goto back to its
// label (as a block), and those gotos; nil when no later goto targets it.
func gotoRegion(c inspector.Cursor, ls *ast.LabeledStmt) (*ast.BlockStmt, []*ast.BranchStmt) {
	var list []ast.Stmt
	switch p := c.Parent().Node().(type) {
	case *ast.BlockStmt:
		list = p.List
	case *ast.CaseClause:
		list = p.Body
	case *ast.CommClause:
		list = p.Body
	default:
		return nil, nil
	}
	start := -1
	for i, s := range list {
		if s == ast.Stmt(ls) {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, nil
	}
	var gotos []*ast.BranchStmt
	last := -1
	for i := start; i < len(list); i++ {
		ast.Inspect(list[i], func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // a goto cannot leave a function
			case *ast.BranchStmt:
				if n.Tok == token.GOTO && n.Label != nil && n.Label.Name == ls.Label.Name && n.Pos() > ls.Pos() {
					gotos = append(gotos, n)
					last = i
				}
			}
			return true
		})
	}
	if last < 0 {
		return nil, nil
	}
	region := list[start : last+1]
	return &ast.BlockStmt{Lbrace: region[0].Pos(), List: region, Rbrace: region[len(region)-1].End()}, gotos
}

// gotoRetry records the loop of label ls, whose body is body (from the
// label to the last goto to it), if it is a retry loop (see above).
func (r *runner) gotoRetry(ls *ast.LabeledStmt, body *ast.BlockStmt, gotos []*ast.BranchStmt, f *loopFunc, waiters map[*types.Func]bool) {
	labelBlock := f.block(ls, cfg.KindLabel)
	if labelBlock == nil {
		return
	}
	info := r.pass.TypesInfo
	stepped := map[types.Object]bool{}
	inspect(body, func(x ast.Node) {
		var lhs []ast.Expr
		switch x := x.(type) {
		case *ast.IncDecStmt:
			lhs = []ast.Expr{x.X}
		case *ast.AssignStmt:
			if x.Tok != token.ASSIGN && x.Tok != token.DEFINE {
				lhs = x.Lhs
			}
		}
		for _, e := range lhs {
			if id, ok := ast.Unparen(e).(*ast.Ident); ok {
				if obj := info.ObjectOf(id); obj != nil {
					stepped[obj] = true
				}
			}
		}
	})
	if !r.waits(body, waiters) && !countedGoto(info, body, gotos, stepped) {
		return
	}
	retried := false
	inspect(body, func(x ast.Node) {
		if retried {
			return
		}
		c, ok := x.(*ast.CallExpr)
		if !ok || r.baseKind(c) != callFailable || uses(info, c, stepped) {
			return
		}
		if errVar := r.errVar(body, c); errVar != nil {
			retried = r.failureRetried(body, c, errVar, labelBlock, f.block)
		}
	})
	if !retried {
		return
	}
	r.loopAt[ls] = true
	inspect(body, func(x ast.Node) {
		if c, ok := x.(*ast.CallExpr); ok && r.baseKind(c) == callFailable {
			r.loops[c] = ls
		}
	})
}

// countedGoto reports whether one of gotos is in the then branch of an
// if statement of body whose condition counts attempts: a comparison
// isCounterCond accepts of a variable the body steps (stepped), alone or
// as an operand of a chain of && (err != nil && tries < max; err != nil
// alone counts nothing).
func countedGoto(info *types.Info, body *ast.BlockStmt, gotos []*ast.BranchStmt, stepped map[types.Object]bool) bool {
	found := false
	inspect(body, func(x ast.Node) {
		ifs, ok := x.(*ast.IfStmt)
		if found || !ok || !counterOperand(info, ifs.Cond, stepped) {
			return
		}
		for _, g := range gotos {
			if g.Pos() >= ifs.Body.Pos() && g.End() <= ifs.Body.End() {
				found = true
			}
		}
	})
	return found
}

// counterOperand reports whether cond, or an operand of the chain of &&
// it is, compares a stepped variable (isCounterCond).
func counterOperand(info *types.Info, cond ast.Expr, stepped map[types.Object]bool) bool {
	if b, ok := ast.Unparen(cond).(*ast.BinaryExpr); ok && b.Op == token.LAND {
		return counterOperand(info, b.X, stepped) || counterOperand(info, b.Y, stepped)
	}
	return isCounterCond(info, cond) && uses(info, cond, stepped)
}
