package retrysafety

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// cursorLoop finds the first loop of body that makes calls that can fail
// and carries a cursor from one iteration to the next: a variable declared
// outside the loop's body, set in the loop (its body or post statement)
// from the results of a call that can fail (directly or through other
// variables set in the loop), after a call that can fail in the loop reads
// it. Restarting such a loop (pagination with a page token, an offset
// advanced by what each page returned) is not what a retry should do. It
// returns the loop's position and a description ("carries token from one
// iteration of the loop at list.go:30 to the next: ..."), or "".
func (s *fnState) cursorLoop(body *ast.BlockStmt) (token.Pos, string) {
	var pos token.Pos
	var found string
	ast.Inspect(body, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		var loopBody *ast.BlockStmt
		var post ast.Stmt
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			loopBody, post = n.Body, n.Post
		case *ast.RangeStmt:
			loopBody = n.Body
		default:
			return true
		}
		if why := s.cursor(n, loopBody, post); why != "" {
			pos, found = n.Pos(), why
		}
		return true
	})
	return pos, found
}

func (s *fnState) cursor(loop ast.Node, body *ast.BlockStmt, post ast.Stmt) string {
	parts := []ast.Node{body}
	if post != nil {
		parts = append(parts, post)
	}
	inspect := func(f func(ast.Node) bool) {
		for _, p := range parts {
			ast.Inspect(p, func(n ast.Node) bool {
				if _, ok := n.(*ast.FuncLit); ok {
					return false
				}
				return f(n)
			})
		}
	}
	// The failing calls of the loop.
	var fails []*ast.CallExpr
	inspect(func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && s.fails(c) {
			fails = append(fails, c)
		}
		return true
	})
	if len(fails) == 0 {
		return ""
	}
	// derived: variables set in the loop from results of failing calls,
	// or from other derived variables; firstSet: where each is set.
	derived := map[types.Object]token.Pos{}
	mentions := func(e ast.Node) bool {
		hit := false
		ast.Inspect(e, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				hit = hit || s.fails(n)
			case *ast.Ident:
				_, d := derived[s.info.Uses[n]]
				hit = hit || d
			}
			return !hit
		})
		return hit
	}
	set := func(lhs []ast.Expr, rhs []ast.Expr, at token.Pos) bool {
		from := false
		for _, r := range rhs {
			from = from || mentions(r)
		}
		if !from {
			return false
		}
		changed := false
		for _, l := range lhs {
			id, ok := ast.Unparen(l).(*ast.Ident)
			if !ok || id.Name == "_" {
				continue
			}
			obj := s.info.ObjectOf(id)
			if _, ok := obj.(*types.Var); !ok {
				continue
			}
			if _, seen := derived[obj]; !seen {
				derived[obj] = at
				changed = true
			}
		}
		return changed
	}
	for changed := true; changed; {
		changed = false
		inspect(func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				rhs := n.Rhs
				if n.Tok != token.ASSIGN && n.Tok != token.DEFINE {
					rhs = append(rhs, n.Lhs...) // x += ...: also from x
				}
				changed = set(n.Lhs, rhs, n.End()) || changed
			case *ast.ValueSpec:
				lhs := make([]ast.Expr, len(n.Names))
				for i, id := range n.Names {
					lhs[i] = id
				}
				changed = set(lhs, n.Values, n.End()) || changed
			}
			return true
		})
	}
	// A cursor: declared outside the body, read by a failing call of the
	// loop before it is set again.
	for _, c := range fails {
		var cursor types.Object
		ast.Inspect(c, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && cursor == nil {
				obj := s.info.Uses[id]
				at, d := derived[obj]
				if d && obj.Pos() < body.Pos() && at > c.Pos() {
					cursor = obj
				}
			}
			return cursor == nil
		})
		if cursor != nil {
			return fmt.Sprintf("carries %s from one iteration of the loop at %s to the next (set at %s from what a call that can fail returned, read by %s at %s)",
				cursor.Name(), s.r.where(loop.Pos()), s.r.where(derived[cursor]), types.ExprString(c.Fun), s.r.where(c.Pos()))
		}
	}
	return ""
}

// fails reports whether c is a call that can fail whose error can reach a
// result (see call).
func (s *fnState) fails(c *ast.CallExpr) bool {
	if tv, ok := s.info.Types[c.Fun]; ok && tv.IsType() {
		return false
	}
	sig, ok := typeUnder[*types.Signature](s.info.TypeOf(c.Fun))
	if !ok || !typepred.ReturnsError(sig) || s.discarded[c] {
		return false
	}
	fn, _ := typeutil.Callee(s.info, c).(*types.Func)
	return !targets.IsErrorConstructor(fn)
}
