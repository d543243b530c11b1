package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"
)

// failureRetried reports whether a failure of call c, whose error goes to
// v, can run the loop body again: it takes the checks of v after c in
// order (errChecks) and asks of each whether its failure branch leads
// back to the body (bodyBlock). A check that only some failures take
// (err != nil && errors.Is(err, context.DeadlineExceeded), which gives up
// on one kind of failure) lets the others reach the next check:
// cloudflare-go's request loop returns on a deadline, then retries every
// other failure with if err != nil || status >= 500 { continue }. A check
// that every failure takes ends the search: a later check cannot see a
// failure.
func (r *runner) failureRetried(body *ast.BlockStmt, c *ast.CallExpr, v types.Object, bodyBlock *cfg.Block, block func(ast.Stmt, cfg.BlockKind) *cfg.Block) bool {
	for _, ck := range r.errChecks(body, c, v) {
		var fail *cfg.Block
		if ck.failOnThen {
			fail = block(ck.stmt, cfg.KindIfThen)
		} else if fail = block(ck.stmt, cfg.KindIfElse); fail == nil {
			fail = block(ck.stmt, cfg.KindIfDone)
		}
		if fail != nil && (fail == bodyBlock || leadsTo(fail, bodyBlock)) {
			return true
		}
		if ck.every {
			return false
		}
	}
	return false
}

// errCheck is an if statement that checks an error variable.
type errCheck struct {
	stmt *ast.IfStmt
	// failOnThen: failure (perhaps not every one) takes the then branch;
	// otherwise the else branch, or goes on after the statement.
	failOnThen bool
	// every: every failure takes that branch.
	every bool
}

// errChecks returns, in source order, the if statements of body after
// call c whose condition checks v: "v != nil" or "v == nil", possibly
// negated with !, as the first operand of a chain of && or || (err != nil
// || status >= 500: every failure takes the then branch; err != nil &&
// retryable(err): only some do), or through a local flag set from such a
// comparison after c (needsRetry := err != nil && ...; if !needsRetry {
// return err }, as go-resty's Backoff checks; the flag decides for every
// failure), or through a classifier's verdict on v (shouldRetry(err, n),
// directly or through a flag set from it: verdicts.go).
func (r *runner) errChecks(body *ast.BlockStmt, c *ast.CallExpr, v types.Object) []errCheck {
	flags := r.errFlags(body, c, v)
	verdicts := r.verdictFlags(body, c, v)
	var out []errCheck
	inspect(body, func(x ast.Node) {
		ifs, ok := x.(*ast.IfStmt)
		if !ok || ifs.Pos() < c.Pos() && (ifs.Init == nil || ifs.Init.End() < c.End()) {
			return
		}
		cond, op, negated := chainOperand(ifs.Cond)
		if id, ok := cond.(*ast.Ident); ok {
			if onFail, ok := flags[r.pass.TypesInfo.Uses[id]]; ok {
				out = append(out, errCheck{ifs, onFail != negated, true})
			} else if ck, ok := r.verdictCheck(ifs, cond, negated, verdicts, v); ok {
				out = append(out, ck) // a classifier's verdict (verdicts.go)
			}
			return
		}
		if ck, ok := r.verdictCheck(ifs, cond, negated, verdicts, v); ok {
			out = append(out, ck)
			return
		}
		if onFail, ok := r.nilCheck(cond, v); ok {
			// A failure decides the chain when it makes its first operand
			// true in an || chain, or false in an && chain.
			every := op == token.ILLEGAL || op == token.LOR && onFail || op == token.LAND && !onFail
			out = append(out, errCheck{ifs, onFail != negated, every})
		}
	})
	return out
}

// chainOperand strips parentheses and leading ! (negated says whether an
// odd number of them) and returns the first operand of a chain of && or
// of || (op: token.LAND, token.LOR, or token.ILLEGAL when e is no such
// chain).
func chainOperand(e ast.Expr) (x ast.Expr, op token.Token, negated bool) {
	x = ast.Unparen(e)
	for {
		u, ok := x.(*ast.UnaryExpr)
		if !ok || u.Op != token.NOT {
			break
		}
		x, negated = ast.Unparen(u.X), !negated
	}
	op = token.ILLEGAL
	for {
		b, ok := x.(*ast.BinaryExpr)
		if !ok || b.Op != token.LAND && b.Op != token.LOR || op != token.ILLEGAL && b.Op != op {
			return x, op, negated
		}
		x, op = ast.Unparen(b.X), b.Op
	}
}
