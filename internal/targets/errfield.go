package targets

import (
	"go/ast"
	"go/types"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// ErrorFieldCalls returns the calls in files whose error the code reads
// from a field of their result rather than from an error result: gorm's
//
//	err := r.db.WithContext(ctx).First(&u, id).Error
//	res := r.db.Create(&u)
//	if res.Error != nil { ... }
//
// where every finisher returns a *gorm.DB whose Error field holds what
// the database answered. Such a call is work that can fail, like one
// returning an error. The field read is an exported field named Error
// of an error type, selected on the call itself or on a local variable
// the call's result is assigned to (every call assigned to it counts).
func ErrorFieldCalls(info *types.Info, files []*ast.File) map[*ast.CallExpr]bool {
	var out map[*ast.CallExpr]bool
	mark := func(c *ast.CallExpr) {
		if out == nil {
			out = map[*ast.CallExpr]bool{}
		}
		out[c] = true
	}
	// The local variables whose Error field is read, and the calls
	// assigned to locals (one pass collects both).
	read := map[*types.Var]bool{}
	assigned := map[*types.Var][]*ast.CallExpr{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if !isErrorField(info, n) {
					return true
				}
				switch x := ast.Unparen(n.X).(type) {
				case *ast.CallExpr:
					mark(x)
				case *ast.Ident:
					if v, ok := info.Uses[x].(*types.Var); ok && !v.IsField() && v.Parent() != nil && v.Parent() != v.Pkg().Scope() {
						read[v] = true
					}
				}
			case *ast.AssignStmt:
				if len(n.Lhs) != len(n.Rhs) {
					return true
				}
				for i, l := range n.Lhs {
					id, ok := ast.Unparen(l).(*ast.Ident)
					c, isCall := ast.Unparen(n.Rhs[i]).(*ast.CallExpr)
					if !ok || !isCall {
						continue
					}
					if v, ok := info.ObjectOf(id).(*types.Var); ok {
						assigned[v] = append(assigned[v], c)
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) != len(n.Values) {
					return true
				}
				for i, id := range n.Names {
					if c, ok := ast.Unparen(n.Values[i]).(*ast.CallExpr); ok {
						if v, ok := info.Defs[id].(*types.Var); ok {
							assigned[v] = append(assigned[v], c)
						}
					}
				}
			}
			return true
		})
	}
	for v := range read {
		for _, c := range assigned[v] {
			mark(c)
		}
	}
	return out
}

// isErrorField reports whether sel selects an exported field named Error
// whose type is an error.
func isErrorField(info *types.Info, sel *ast.SelectorExpr) bool {
	if sel.Sel.Name != "Error" {
		return false
	}
	s, ok := info.Selections[sel]
	if !ok || s.Kind() != types.FieldVal {
		return false
	}
	return typepred.IsError(s.Obj().Type())
}
