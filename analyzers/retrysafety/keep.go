package retrysafety

import (
	"go/ast"
	"go/token"
	"go/types"
)

// keep returns how many leading statements of body can run once, outside
// a retry, leaving a rest that is safe to run twice (see Verdict.Keep):
// the statements holding every unsafe write (unsafeAt), none of which
// makes a call that can fail (failAt), and whose variables the rest
// neither writes nor shares, since they would carry one attempt's changes
// into the next. 0 when there is no such split.
func (s *fnState) keep(body *ast.BlockStmt, unsafeAt, failAt []token.Pos) int {
	list := body.List
	stmt := func(pos token.Pos) int {
		for i, st := range list {
			if st.Pos() <= pos && pos < st.End() {
				return i
			}
		}
		return -1
	}
	k := 0
	for _, p := range unsafeAt {
		i := stmt(p)
		if i < 0 {
			return 0
		}
		k = max(k, i+1)
	}
	if k == 0 || k >= len(list) {
		return 0
	}
	for _, p := range failAt {
		if i := stmt(p); i < 0 || i < k {
			return 0
		}
	}
	declared := map[types.Object]bool{}
	for _, st := range list[:k] {
		ast.Inspect(st, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := s.info.Defs[id].(*types.Var); ok {
					declared[v] = true
				}
			}
			return true
		})
	}
	if len(declared) == 0 {
		return k
	}
	// rooted reports whether e is, or is reached from, a declared variable.
	rooted := func(e ast.Expr) bool {
		for {
			switch x := ast.Unparen(e).(type) {
			case *ast.Ident:
				return declared[s.info.Uses[x]]
			case *ast.SelectorExpr:
				e = x.X
			case *ast.IndexExpr:
				e = x.X
			case *ast.SliceExpr:
				e = x.X
			case *ast.StarExpr:
				e = x.X
			default:
				return false
			}
		}
	}
	ok := true
	for _, st := range list[k:] {
		ast.Inspect(st, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				if v, isVar := s.info.Uses[n].(*types.Var); isVar && declared[v] && refLike(v.Type()) {
					ok = false
				}
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					ok = ok && !rooted(l)
				}
			case *ast.IncDecStmt:
				ok = ok && !rooted(n.X)
			case *ast.UnaryExpr:
				ok = ok && (n.Op != token.AND || !rooted(n.X))
			case *ast.RangeStmt:
				if n.Tok == token.ASSIGN {
					for _, e := range []ast.Expr{n.Key, n.Value} {
						ok = ok && (e == nil || !rooted(e))
					}
				}
			case *ast.SelectorExpr:
				if sel, isSel := s.info.Selections[n]; isSel && sel.Kind() == types.MethodVal && rooted(n.X) {
					if recv := sel.Obj().Type().(*types.Signature).Recv(); recv != nil && isPointer(recv.Type()) {
						ok = false // a method that may change the variable
					}
				}
			}
			return ok
		})
	}
	if !ok {
		return 0
	}
	return k
}
