package fixers

import (
	"go/ast"
	"go/token"
	"go/types"
)

// rebound returns, in signature order, the receiver and parameters (the
// context excepted), then the variables declared by the statements of the
// guard region, that the moved code both writes and reads. The retry
// closure re-declares them (x := x), so that an attempt that changed one
// does not hand the change to the next attempt, and a top-level x, err :=
// keeps assigning a variable of the parameter's type. local reports
// whether a variable of the guard region is among them.
//
// Writes are assignments (including := redeclarations), ++ and --, taking
// the address, and calling a pointer method, on the variable itself or on
// a field or array element reached without a pointer. A variable that is
// only written is not re-declared: its value cannot be observed, and the
// copy would be unused.
func (w *retry) rebound() (names []string, local bool) {
	info := w.pass.TypesInfo
	candidates := map[types.Object]bool{}
	var order []*types.Var
	if r := w.sig.Recv(); r != nil {
		order = append(order, r)
	}
	for v := range w.sig.Params().Variables() {
		order = append(order, v)
	}
	// Variables the guard region declares (targets.Guards: computing
	// statements before a guard) are computed once, before the retry.
	for _, s := range w.decl.Body.List[:w.guards] {
		order = append(order, declared(info, s)...)
	}
	for _, v := range order {
		if v != w.ctx && v.Name() != "" && v.Name() != "_" {
			candidates[v] = true
		}
	}
	if len(candidates) == 0 {
		return nil, false
	}

	written := map[types.Object]bool{}
	pureLHS := map[*ast.Ident]bool{} // identifiers that are only assigned to
	write := func(e ast.Expr, plain bool) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok && plain {
			pureLHS[id] = true
		}
		if v := w.writeRoot(e); v != nil && candidates[v] {
			written[v] = true
		}
	}
	for _, s := range w.moved {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && n.Tok == token.DEFINE {
						if v := info.Uses[id]; v != nil && candidates[v] {
							written[v] = true // a redeclaration: assigns the parameter
							pureLHS[id] = true
						}
						continue
					}
					write(l, true)
				}
			case *ast.IncDecStmt:
				write(n.X, true)
			case *ast.RangeStmt:
				if n.Tok == token.ASSIGN {
					if n.Key != nil {
						write(n.Key, true)
					}
					if n.Value != nil {
						write(n.Value, true)
					}
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					write(n.X, false)
				}
			case *ast.SelectorExpr:
				if sel := info.Selections[n]; sel != nil && sel.Kind() == types.MethodVal && !sel.Indirect() {
					if sig, ok := sel.Obj().Type().(*types.Signature); ok && sig.Recv() != nil {
						_, ptrMethod := types.Unalias(sig.Recv().Type()).(*types.Pointer)
						_, ptrOperand := types.Unalias(info.TypeOf(n.X)).(*types.Pointer)
						if ptrMethod && !ptrOperand {
							write(n.X, false)
						}
					}
				}
			}
			return true
		})
	}
	read := map[types.Object]bool{}
	for _, s := range w.moved {
		ast.Inspect(s, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && !pureLHS[id] {
				if v := info.Uses[id]; candidates[v] {
					read[v] = true
				}
			}
			return true
		})
	}
	for _, v := range order {
		if written[v] && read[v] {
			names = append(names, v.Name())
			local = local || w.inBody(v.Pos())
		}
	}
	return names, local
}

// declared returns the variables a statement of the function body
// declares in the function's scope (":=" and var declarations).
func declared(info *types.Info, s ast.Stmt) []*types.Var {
	var out []*types.Var
	add := func(id *ast.Ident) {
		if v, ok := info.Defs[id].(*types.Var); ok {
			out = append(out, v)
		}
	}
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			for _, l := range s.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					add(id)
				}
			}
		}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
			for _, spec := range gd.Specs {
				for _, id := range spec.(*ast.ValueSpec).Names {
					add(id)
				}
			}
		}
	}
	return out
}

// writeRoot returns the variable that an assignment to e changes in place:
// e itself, or the variable whose field or array element e is, without a
// pointer indirection on the way. It returns nil otherwise.
func (w *wrap) writeRoot(e ast.Expr) types.Object {
	info := w.pass.TypesInfo
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return info.Uses[x]
		case *ast.SelectorExpr:
			sel := info.Selections[x]
			if sel == nil || sel.Kind() != types.FieldVal || sel.Indirect() {
				return nil
			}
			e = x.X
		case *ast.IndexExpr:
			t := info.TypeOf(x.X)
			if t == nil {
				return nil
			}
			if _, ok := t.Underlying().(*types.Array); !ok {
				return nil
			}
			e = x.X
		default:
			return nil
		}
	}
}
