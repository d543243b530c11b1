package retrysafety

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// Debug traces (doc.go, "debug traces" among the repeatable calls): a
// print to standard output or standard error that runs only while a debug
// switch is on, such as
//
//	if Debug {
//		fmt.Println(curlString(req))
//	}
//
// is a trace of the attempt, as a log line is: a retry prints it once per
// attempt, which is what a trace of the requests made should show, and
// changes nothing the program computes. It is not a write. A print that
// is not under such a switch stays one: standard output is the program's
// output.

// debugTrace reports whether c, a call of fn, prints to standard output
// or standard error (fmt.Print, Printf, Println; fmt.Fprint, Fprintf,
// Fprintln given os.Stdout or os.Stderr) inside the then-branch of an if
// statement of its function whose condition is a debug switch
// (debugSwitch), however deeply nested.
func (r *runner) debugTrace(c *ast.CallExpr, fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() != "fmt" || r.in == nil {
		return false
	}
	switch fn.Name() {
	case "Print", "Printf", "Println":
	case "Fprint", "Fprintf", "Fprintln":
		if len(c.Args) == 0 || !r.stdStream(c.Args[0]) {
			return false
		}
	default:
		return false
	}
	cur, ok := r.in.Root().FindByPos(c.Pos(), c.End())
	if !ok {
		return false
	}
	for p := range cur.Enclosing((*ast.IfStmt)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		ifs, ok := p.Node().(*ast.IfStmt)
		if !ok {
			return false // the function's boundary
		}
		if ifs.Body.Pos() <= c.Pos() && c.End() <= ifs.Body.End() && r.debugSwitch(ifs.Cond) {
			return true
		}
	}
	return false
}

// stdStream reports whether e is os.Stdout or os.Stderr.
func (r *runner) stdStream(e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Stdout" && sel.Sel.Name != "Stderr" {
		return false
	}
	v, ok := r.pass.TypesInfo.Uses[sel.Sel].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "os"
}

// debugSwitch reports whether cond, or one of the operands of its &&,
// is a debug switch: a boolean variable or field, or a call without
// arguments of a function or method returning a boolean, whose name says
// debugging, verbosity or tracing (Debug, verbose, traceEnabled,
// IsDebug()). A negated switch is not one: its then-branch runs when the
// traces are off.
func (r *runner) debugSwitch(cond ast.Expr) bool {
	cond = ast.Unparen(cond)
	if b, ok := cond.(*ast.BinaryExpr); ok && b.Op == token.LAND {
		return r.debugSwitch(b.X) || r.debugSwitch(b.Y)
	}
	var id *ast.Ident
	switch x := cond.(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	case *ast.CallExpr:
		fn, ok := typeutil.Callee(r.pass.TypesInfo, x).(*types.Func)
		return ok && len(x.Args) == 0 && debugName(fn.Name()) && isBool(r.pass.TypesInfo.TypeOf(x))
	default:
		return false
	}
	v, ok := r.pass.TypesInfo.Uses[id].(*types.Var)
	return ok && debugName(v.Name()) && isBool(v.Type())
}

// debugName reports whether a name says debugging, verbosity or tracing.
func debugName(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "debug") || strings.Contains(n, "verbose") || strings.Contains(n, "trace")
}

// isBool reports whether t is a boolean type.
func isBool(t types.Type) bool {
	b, ok := types.Unalias(t).Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}
