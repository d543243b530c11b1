package retrycoverage

import (
	"go/ast"
	"go/types"

	"github.com/resilience-lint/resilience-lint/analyzers/retrysafety"
)

// retrySafety decides how much of m's body a retry may wrap, as
// retrysafety found it. guards is the number of leading statements that
// stay outside the closure (the validation guards, or more: statements
// that must run once, see retrysafety.Verdict.Keep). unsafe says why the
// body cannot run twice when no split helps (a write that outlives an
// attempt before the call that can fail, a stream held in the receiver, a
// cursor loop), and note, when a split does, what the fix keeps outside.
//
// advice says what to do instead of the fix an unsafe method cannot have.
func (r *runner) retrySafety(fn *types.Func, decl *ast.FuncDecl, guards int) (unsafe, advice string, keep int, note string) {
	res := retrysafety.ResultOf(r.pass)
	if res == nil {
		return "", "", guards, ""
	}
	v := res.Funcs[fn]
	if v.Safe() {
		return "", "", guards, ""
	}
	if v.Keep == 0 {
		return v.Reason, v.Advice, guards, ""
	}
	keep = max(guards, v.Keep)
	last := decl.Body.List[keep-1]
	return "", "", keep, "; -fix retries only the statements after " + r.where(last.End()) + ", as " + v.Reason
}
