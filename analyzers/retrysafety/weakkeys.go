package retrysafety

import (
	"go/ast"
	"go/types"
)

// Side tables keyed by weak pointers. A map or sync.Map whose keys are
// weak.Pointer values (Go 1.24's weak package) holds an entry per object,
// dropped with the object (a cleanup deletes it): genai keeps a stream's
// first prompt token count per response this way
// (initialPromptTokenCounts.Store(weak.Make(u), count)). Such an entry is
// state of its object, not of the table's owner: storing it is a write
// of the object the key is made from (weak.Make(x): x), which a body
// that made the object itself (a fresh response per attempt) does not
// hand to its caller. An entry whose object the body cannot name (a weak
// pointer it was given, as a cleanup is) is the entry of an object the
// body does not hold: no state of the caller's.

// weakKeyObject reports whether key is a weak.Pointer and returns the
// expression of the object it was made from (the x of weak.Make(x),
// directly or through a local assigned once), nil when that is unknown.
func (s *fnState) weakKeyObject(key ast.Expr) (ast.Expr, bool) {
	if !isWeakPointer(s.info.TypeOf(key)) {
		return nil, false
	}
	x := ast.Unparen(key)
	if id, ok := x.(*ast.Ident); ok {
		v, isVar := s.info.Uses[id].(*types.Var)
		if !isVar || s.r.assignCounts()[v] != 1 || len(s.r.localValues()[v]) != 1 || s.r.addrTaken()[v] {
			return nil, true
		}
		x = ast.Unparen(s.r.localValues()[v][0])
	}
	c, ok := x.(*ast.CallExpr)
	if !ok || len(c.Args) != 1 {
		return nil, true
	}
	if fn, ok := s.info.Uses[calleeIdent(c.Fun)].(*types.Func); !ok || fn.Pkg() == nil || fn.Pkg().Path() != "weak" || fn.Name() != "Make" {
		return nil, true
	}
	return c.Args[0], true
}

// weakEntryWrite judges a write of the entry under key of a side table
// (the rule above): it reports whether key is a weak pointer, and then
// the root of the object written, if it is state that outlives the run.
func (s *fnState) weakEntryWrite(key ast.Expr) (r root, shared, weak bool) {
	obj, weak := s.weakKeyObject(key)
	if !weak || obj == nil {
		return root{}, false, weak
	}
	r, shared = s.sharedRef(obj)
	return r, shared, true
}

// calleeIdent is the identifier naming the function of a call's Fun
// (f, or pkg.f's f), nil if none.
func calleeIdent(fun ast.Expr) *ast.Ident {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		return f.Sel
	case *ast.IndexExpr: // weak.Make[T]
		return calleeIdent(f.X)
	}
	return nil
}

// isWeakPointer reports whether t is weak.Pointer[T].
func isWeakPointer(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "weak" && n.Obj().Name() == "Pointer"
}
