package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A value of a concrete type passed as an interface argument hands its
// callee the methods implementing the interface (ifaceArgMethods), but a
// callee of this package shows which of them it may call: go-redis's
// PubSub.writeCmd(ctx, cn, cmd) hands cmd, a Cmder, to a closure that
// calls writeCmd(wr, cmd), which calls cmd.Args() and nothing else, so
// Cmd.String, which the message named, is never run there. When the
// callee's body (and the bodies of the functions of this package it hands
// the parameter to, four levels deep) uses the parameter only as the
// receiver of method calls or method values, in nil checks, and as an
// argument of such functions, the methods handed are those it names. Any
// other use (an assignment, a conversion, a type assertion, a call of a
// function of another package, of an interface method or of a function
// value, a variadic parameter) may reach any method, and all count, as do
// all for a callee of another package.

// paramMethods returns the names of the methods the body of fn, a
// function of this package, may call on its i-th parameter; ok is false
// when it may call any (see above).
func (r *runner) paramMethods(fn *types.Func, i int) (names map[string]bool, ok bool) {
	names = map[string]bool{}
	seen := map[*types.Var]bool{}
	ok = r.collectParamMethods(fn, i, 0, names, seen)
	return names, ok
}

// collectParamMethods adds to names the methods fn's i-th parameter may be
// called for, and reports whether they are all known.
func (r *runner) collectParamMethods(fn *types.Func, i, depth int, names map[string]bool, seen map[*types.Var]bool) bool {
	if fn == nil || fn.Pkg() != r.pass.Pkg || depth > 4 {
		return false
	}
	sig := fn.Signature()
	if i >= sig.Params().Len() || sig.Variadic() && i == sig.Params().Len()-1 {
		return false
	}
	fd := r.funcDecl(fn)
	if fd == nil {
		return false
	}
	p := sig.Params().At(i)
	if seen[p] {
		return true
	}
	seen[p] = true
	info := r.pass.TypesInfo
	known := true
	var stack []ast.Node
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if !known {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, isIdent := n.(*ast.Ident)
		if !isIdent || info.Uses[id] != p {
			return true
		}
		// The parent, through parentheses.
		j := len(stack) - 2
		for j >= 0 {
			if _, paren := stack[j].(*ast.ParenExpr); !paren {
				break
			}
			j--
		}
		if j < 0 {
			known = false
			return false
		}
		switch parent := stack[j].(type) {
		case *ast.SelectorExpr:
			if s := info.Selections[parent]; s != nil && s.Kind() == types.MethodVal {
				names[parent.Sel.Name] = true
				return true
			}
		case *ast.BinaryExpr:
			if parent.Op == token.EQL || parent.Op == token.NEQ {
				return true // p == nil
			}
		case *ast.CallExpr:
			callee := r.callee(parent)
			for k, a := range parent.Args {
				if ast.Unparen(a) == id && callee != nil && r.collectParamMethods(callee, k, depth+1, names, seen) {
					return true
				}
			}
		}
		known = false
		return false
	})
	return known
}

// funcDecl returns the declaration of fn, a function or method of this
// package, or nil.
func (r *runner) funcDecl(fn *types.Func) *ast.FuncDecl {
	if r.declOf == nil {
		r.declOf = map[*types.Func]*ast.FuncDecl{}
		for fd, f := range r.funcDecls() {
			r.declOf[f] = fd
		}
	}
	return r.declOf[fn.Origin()]
}
