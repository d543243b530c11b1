package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// This file finds encoding into memory: a request body marshalled into a
// buffer made in the function, as API clients build their requests
// (go-github's Client.NewRequest):
//
//	buf := &bytes.Buffer{}
//	enc := json.NewEncoder(buf)
//	if err := enc.Encode(body); err != nil { ... }
//
// Writing to a bytes.Buffer or strings.Builder never fails, so such an
// Encode fails only on the value it is given (an unsupported type, a
// MarshalJSON error): like json.Marshal (targets.IsArgumentCheck), it is
// validation, not work to retry. Without this, a request builder counts
// as work that can fail, -fix wraps it in a retry of its own, and every
// method that builds a request and then sends it is refused as nesting
// that retry.

// encoderCtors are the encoder constructors whose Encode writes only to
// the writer they are given.
var encoderCtors = map[[2]string]bool{
	{"encoding/json", "NewEncoder"}: true,
	{"encoding/xml", "NewEncoder"}:  true,
}

// findMemEncodes fills r.memEncodes with the Encode calls of the
// package's function bodies whose encoder writes into memory made in the
// same body.
func (r *runner) findMemEncodes() {
	// The encoder must be made in the body (encoderCtors): a package
	// importing neither package has none.
	if !slices.ContainsFunc(r.pass.Pkg.Imports(), func(p *types.Package) bool {
		return p.Path() == "encoding/json" || p.Path() == "encoding/xml"
	}) {
		return
	}
	for _, f := range r.pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				r.memEncodesIn(fd.Body)
			}
		}
	}
}

// memEncodesIn finds them in one body, function literals included (a
// local is assigned where it is, whichever literal that is in).
func (r *runner) memEncodesIn(body *ast.BlockStmt) {
	info := r.pass.TypesInfo
	// The Encode calls of json and xml encoders: most bodies have none.
	var encodes []*ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Encode" {
			return true
		}
		fn, _ := typeutil.Callee(info, c).(*types.Func)
		if typepred.IsMethodNamed(fn, "encoding/json", "Encoder", "Encode") ||
			typepred.IsMethodNamed(fn, "encoding/xml", "Encoder", "Encode") {
			encodes = append(encodes, c)
		}
		return true
	})
	if len(encodes) == 0 {
		return
	}
	// assigned: every value each local of the body is given; a local
	// whose address is taken may change behind its back.
	assigned := map[types.Object][]ast.Expr{}
	escaped := map[types.Object]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				for _, lhs := range n.Lhs {
					if id, ok := lhs.(*ast.Ident); ok {
						escaped[info.ObjectOf(id)] = true // v, err := f(): not a constructor
					}
				}
				return true
			}
			for i, lhs := range n.Lhs {
				if id, ok := lhs.(*ast.Ident); ok {
					if obj := info.ObjectOf(id); obj != nil {
						assigned[obj] = append(assigned[obj], n.Rhs[i])
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if obj := info.ObjectOf(id); obj != nil && i < len(n.Values) {
					assigned[obj] = append(assigned[obj], n.Values[i])
				}
			}
		}
		return true
	})
	local := func(e ast.Expr) (types.Object, bool) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil, false
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.Pkg() == nil || v.Parent() == nil || v.Parent() == v.Pkg().Scope() || escaped[v] {
			return nil, false
		}
		return v, body.Pos() <= v.Pos() && v.Pos() < body.End()
	}
	var memory func(e ast.Expr, depth int) bool
	memory = func(e ast.Expr, depth int) bool {
		e = ast.Unparen(e)
		if depth > 4 {
			return false
		}
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
			if cl, ok := ast.Unparen(u.X).(*ast.CompositeLit); ok {
				return isBufferType(info.TypeOf(cl))
			}
			// &buf of a local bytes.Buffer value
			if v, ok := local(u.X); ok {
				return isBufferType(v.Type())
			}
			return false
		}
		if c, ok := e.(*ast.CallExpr); ok {
			if b, ok := typeutil.Callee(info, c).(*types.Builtin); ok && b.Name() == "new" {
				return isBufferType(info.TypeOf(c.Args[0]))
			}
			fn, _ := typeutil.Callee(info, c).(*types.Func)
			return typepred.IsFunctionNamed(fn, "bytes", "NewBuffer", "NewBufferString")
		}
		if v, ok := local(e); ok {
			vals := assigned[v]
			if len(vals) == 0 {
				return false
			}
			for _, x := range vals {
				if !memory(x, depth+1) {
					return false
				}
			}
			return true
		}
		return false
	}
	// memEncoder: json.NewEncoder(x) or xml.NewEncoder(x) over memory, or
	// a local all of whose values are.
	var memEncoder func(e ast.Expr, depth int) bool
	memEncoder = func(e ast.Expr, depth int) bool {
		e = ast.Unparen(e)
		if c, ok := e.(*ast.CallExpr); ok {
			fn, _ := typeutil.Callee(info, c).(*types.Func)
			if fn == nil || fn.Pkg() == nil || !encoderCtors[[2]string{fn.Pkg().Path(), fn.Name()}] || len(c.Args) != 1 {
				return false
			}
			return memory(c.Args[0], depth)
		}
		if v, ok := local(e); ok && depth <= 4 {
			vals := assigned[v]
			if len(vals) == 0 {
				return false
			}
			for _, x := range vals {
				if !memEncoder(x, depth+1) {
					return false
				}
			}
			return true
		}
		return false
	}
	for _, c := range encodes {
		if memEncoder(ast.Unparen(c.Fun).(*ast.SelectorExpr).X, 0) {
			r.memEncodes[c] = true
		}
	}
}

// isBufferType reports whether t is bytes.Buffer or strings.Builder (or a
// pointer to one): writing to them never fails.
func isBufferType(t types.Type) bool {
	if t == nil {
		return false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	path, name := n.Obj().Pkg().Path(), n.Obj().Name()
	return path == "bytes" && name == "Buffer" || path == "strings" && name == "Builder"
}
