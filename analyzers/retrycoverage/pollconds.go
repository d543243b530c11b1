package retrycoverage

import (
	"go/ast"
	"go/types"
)

// A poll condition may be a function or a method of the package handed
// by name or as a method value, not only a function literal:
//
//	func (p *prober) reachable() (bool, error) {
//		if _, err := p.api.Status(p.ctx); err == nil {
//			return true, nil
//		}
//		return false, nil
//	}
//	wait.PollImmediate(time.Second, time.Minute, p.reachable)
//
// Its body is looked into as a literal's is (retryingCondition). A
// function of another package handed so is not: its body is not here.

// condition is a poll condition whose body can be looked into: a function
// literal or a declaration of the package.
type condition struct {
	body *ast.BlockStmt
	typ  types.Type
}

// pollCondition returns the condition arg, an argument a poll helper
// polls, runs: a function literal, a local variable set once to one
// (localLit), or a function or method of the package named by arg (f,
// pkg.F, x.m as a method value, T.m as a method expression); ok is false
// for anything else.
func (r *runner) pollCondition(arg ast.Expr) (condition, bool) {
	lit, ok := ast.Unparen(arg).(*ast.FuncLit)
	if !ok {
		lit = r.localLit(arg)
	}
	if lit != nil {
		return condition{lit.Body, r.pass.TypesInfo.TypeOf(lit)}, true
	}
	fn := namedFunc(r.pass.TypesInfo, arg)
	if fn == nil || fn.Pkg() != r.pass.Pkg {
		return condition{}, false
	}
	fd := r.funcDecl(fn) // ifaceargs.go
	if fd == nil {
		return condition{}, false
	}
	return condition{fd.Body, fn.Type()}, true
}
