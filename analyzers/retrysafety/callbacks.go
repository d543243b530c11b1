package retrysafety

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// A function may run a callback its caller passes (a parameter of function
// type) once per item of a loop: go-redis's Ring.ForEachShard is
//
//	for _, shard := range shards {
//		wg.Add(1)
//		go func(shard *ringShard) {
//			defer wg.Done()
//			err := fn(ctx, shard.Client)
//			...
//		}(shard)
//	}
//
// and a page walker calls its visitor for each item of each page it
// fetches. What the callback does is not known, and when one run fails
// (or work that can fail follows), the runs for the other items may have
// succeeded: a retry of the body runs the callback again for them, so
// whatever it did (a command sent, a row written) is done twice. Such a
// call is an effect of the body, judged as a write is: before a call that
// can fail (the callback itself in the next iteration, the next page's
// request, a flush after the loop), the body is unsafe. A call in a
// function literal inside the loop (a goroutine per item, an errgroup's
// Go) cannot fail within the body, yet the runs happen side by side, so a
// callback with an error result is unsafe there by itself.
//
// A callback run once (a hook before the work, a visitor of the one
// result) is not such an effect: repeating it on a retry is what calling
// it before the work means, and callers write hooks for that. Nor is a
// callback called for its value, one with results and no error
// (go-pagerduty's include func(AuditRecord) bool, a filter run on each
// record of each page): such functions are pure by convention. Those
// returning nothing (visitors) or an error (work that can fail) count.

// callbackLoop is a call of a callback parameter inside a loop of the
// body (callbackCalls).
type callbackLoop struct {
	loop  ast.Node // the innermost for or range statement around it
	inLit bool     // the call is in a function literal (a goroutine, an errgroup's Go)
}

// noteCallbackLoop records c, a call at cursor cur, in st.callbackLoops
// when it calls a parameter of function type (of sig, the function
// prepare walks) inside a for or range statement of the body.
func (st *fnStatic) noteCallbackLoop(info *types.Info, cur inspector.Cursor, c *ast.CallExpr) {
	id, ok := ast.Unparen(c.Fun).(*ast.Ident)
	if !ok {
		return
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return
	}
	if _, param := st.params[v]; !param {
		return
	}
	sig, ok := v.Type().Underlying().(*types.Signature)
	if !ok || sig.Results().Len() > 0 && !typepred.ReturnsError(sig) {
		// Called for its value (a filter, a key, a comparison): taken
		// to be pure, as such functions are by convention.
		return
	}
	var cl callbackLoop
	for p := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch n := p.Node().(type) {
		case *ast.FuncLit:
			cl.inLit = true
			continue
		case *ast.FuncDecl:
		case *ast.ForStmt, *ast.RangeStmt:
			if cl.loop == nil {
				cl.loop = n
			}
			continue
		}
		break
	}
	if cl.loop == nil {
		return
	}
	if st.callbackLoops == nil {
		st.callbackLoops = map[*ast.CallExpr]callbackLoop{}
	}
	st.callbackLoops[c] = cl
}

// callbackCall fills e for c when it runs a callback parameter once per
// item of a loop (see above), and reports whether it did.
func (s *fnState) callbackCall(c *ast.CallExpr, e *event) bool {
	cl, ok := s.callbackLoops[c]
	if !ok {
		return false
	}
	name := types.ExprString(c.Fun)
	e.what = "runs " + name + " (a function its caller passes, once per iteration of the loop at " + s.r.where(cl.loop.Pos()) + ")"
	e.callback = true
	if sig, ok := s.info.TypeOf(c.Fun).Underlying().(*types.Signature); ok && cl.inLit && typepred.ReturnsError(sig) {
		// Side by side: one run failing says nothing of the others.
		e.self = true
		e.selfWhy = "when one run fails, the others may have succeeded, and a retry would run " + name + " again for them (what it does is not known)"
	}
	return true
}

// callbackAdvice is the advice for a body made unsafe by a callback run
// per item.
const callbackAdvice = "retry inside the function the caller passes, or per item, instead"
