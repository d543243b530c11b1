package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// A retry loop may read its failure through a classifier instead of a nil
// check: a function given the error whose first result, a bool, says
// whether to try again. stripe-go's BackendImplementation loops so:
//
//	for retry := 0; ; {
//		resp, err = s.HTTPClient.Do(req)
//		result, err = handleResponse(resp, err)
//		shouldRetry, noRetryReason := s.shouldRetry(err, req, resp, retry)
//		if !shouldRetry {
//			break
//		}
//		retry++
//		time.Sleep(s.sleepTime(retry))
//	}
//
// The verdict is read as "true: go on" (shouldRetry, retryable,
// canRetry): the branch its true value takes is the failure branch
// (failureRetried), and not every failure takes it (the classifier gives
// up on some). A verdict whose true value leaves the loop (if
// errors.Is(err, io.EOF) { break }) sends no failure back, so the loop is
// judged by its next check. The other marks of a retry loop (it waits or
// bounds its attempts, the call repeats the same work) still apply.

// verdictFlags returns the local booleans of body that a statement after
// call c sets from a verdict call given v (retry, reason :=
// shouldRetry(err, n)): the first such assignment of each.
func (r *runner) verdictFlags(body *ast.BlockStmt, c *ast.CallExpr, v types.Object) map[types.Object]bool {
	var out map[types.Object]bool
	inspect(body, func(x ast.Node) {
		as, ok := x.(*ast.AssignStmt)
		if !ok || as.Pos() < c.End() || len(as.Rhs) != 1 || len(as.Lhs) == 0 {
			return
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok || !r.isVerdictCall(call, v) {
			return
		}
		id, ok := as.Lhs[0].(*ast.Ident)
		if !ok {
			return
		}
		obj := r.pass.TypesInfo.ObjectOf(id)
		if obj == nil || obj.Parent() == nil || obj.Parent() == obj.Pkg().Scope() {
			return // blank or a package variable
		}
		if out == nil {
			out = map[types.Object]bool{}
		}
		if _, seen := out[obj]; !seen {
			out[obj] = true
		}
	})
	return out
}

// isVerdictCall reports whether call classifies the error v: a call of a
// function (not a builtin or a conversion) given v itself as an argument,
// whose first result is a bool and whose last is no error (a classifier
// does no work that can fail).
func (r *runner) isVerdictCall(call *ast.CallExpr, v types.Object) bool {
	info := r.pass.TypesInfo
	if isConversionOrBuiltin(info, call) {
		return false
	}
	t := info.TypeOf(call.Fun)
	if t == nil {
		return false
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || sig.Results().Len() == 0 || typepred.FailsWithError(sig) {
		return false
	}
	if b, ok := sig.Results().At(0).Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return false
	}
	for _, a := range call.Args {
		if r.isVar(a, v) || r.carries(a, v) {
			return true
		}
	}
	return false
}

// carries reports whether e is a struct literal (or its address) with v
// among its elements: a classifier given the attempt as a value, as
// rehttp's Transport.RoundTrip asks its RetryFn, t.retry(Attempt{Request:
// req, Response: res, Index: attempt, Error: err}).
func (r *runner) carries(e ast.Expr, v types.Object) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return false
	}
	if t := r.pass.TypesInfo.TypeOf(lit); t == nil {
		return false
	} else if _, ok := t.Underlying().(*types.Struct); !ok {
		return false
	}
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			el = kv.Value
		}
		if r.isVar(el, v) {
			return true
		}
	}
	return false
}

// verdictCheck returns the errCheck of ifs when its condition's first
// operand (cond, negated by an odd number of !) is a verdict on v: a flag
// of flags or a verdict call. A verdict decides for some failures only.
func (r *runner) verdictCheck(ifs *ast.IfStmt, cond ast.Expr, negated bool, flags map[types.Object]bool, v types.Object) (errCheck, bool) {
	switch x := cond.(type) {
	case *ast.Ident:
		if flags[r.pass.TypesInfo.Uses[x]] {
			return errCheck{ifs, !negated, false}, true
		}
	case *ast.CallExpr:
		if r.isVerdictCall(x, v) {
			return errCheck{ifs, !negated, false}, true
		}
	}
	return errCheck{}, false
}
