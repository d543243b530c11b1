package retrysafety

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/targets"
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
//
// It depends on the body alone: the answer is computed once per function
// (fnStatic), over the loops prepare found.
func (s *fnState) cursorLoop() (token.Pos, string) {
	if s.cursorDone {
		return s.cursorPos, s.cursorWhy
	}
	s.cursorDone = true
	for _, n := range s.loops {
		var why string
		switch n := n.(type) {
		case *ast.ForStmt:
			why = s.cursor(n, n.Body, n.Post)
		case *ast.RangeStmt:
			why = s.cursor(n, n.Body, nil)
		}
		if why != "" {
			s.cursorPos, s.cursorWhy = n.Pos(), why
			break
		}
	}
	return s.cursorPos, s.cursorWhy
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
				if d && obj.Pos() < body.Pos() && at > c.Pos() && !s.accumulated(c, id) {
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
	tv, ok := s.info.Types[c.Fun]
	if ok && tv.IsType() {
		return false
	}
	fn, _ := typeutil.Callee(s.info, c).(*types.Func)
	return s.failsAs(c, tv, ok, fn)
}

// failsAs is fails for a call that is no conversion, given what the
// caller (call) has looked up already: c.Fun's entry in info.Types (tv,
// when known) and the function called (fn, nil if it is none).
func (s *fnState) failsAs(c *ast.CallExpr, tv types.TypeAndValue, known bool, fn *types.Func) bool {
	t := tv.Type // info.TypeOf(c.Fun), without looking c.Fun up again
	if !known {
		t = s.info.TypeOf(c.Fun)
	}
	sig, ok := typeUnder[*types.Signature](t)
	if !ok {
		return false // a builtin
	}
	if s.panics(c) {
		// A deferred handler turns panics into the error result: any
		// call after it can fail (yaml.v3's Decode fails in its parser).
		return true
	}
	if !s.r.failsWithError(sig) && !s.r.errFields[c] || s.discarded[c] {
		return false // no error, or one read from a field (gorm: targets.ErrorFieldCalls)
	}
	return !targets.IsErrorConstructor(fn)
}

// accumulated reports whether id, read by the failing call c, is only an
// accumulator there: it is an argument of c as a whole, for a slice
// parameter that the callee (declared in this package) only appends to
// and returns, never reading what it holds (afero's matches, err =
// glob(fs, d, file, matches)). Restarting the loop then rebuilds it from
// its first value, as the first run did: it is not a cursor. A callee in
// another package is not looked into, so its accumulators stay cursors.
func (s *fnState) accumulated(c *ast.CallExpr, id *ast.Ident) bool {
	fn, ok := typeutil.Callee(s.info, c).(*types.Func)
	if !ok || fn.Pkg() != s.r.pass.Pkg {
		return false
	}
	for i, arg := range c.Args {
		if ast.Unparen(arg) != id {
			continue
		}
		sig := fn.Type().(*types.Signature)
		if sig.Variadic() && i >= sig.Params().Len()-1 {
			return false
		}
		return s.r.accumulates(fn.Origin(), i)
	}
	return false
}

// accumulates reports whether fn only appends to its parameter i, a
// slice, and returns it: the parameter, and the variables assigned from
// it (m = matches, m = append(m, x)), appear only as such an assignment,
// as append's first argument there, or as a whole result of a return; the
// elements appended do not mention them. Results are cached.
func (r *runner) accumulates(fn *types.Func, i int) bool {
	key := accKey{fn, i}
	if v, ok := r.accs[key]; ok {
		return v
	}
	r.accs[key] = false // recursion: not proven
	v := r.accumulatesIn(fn, i)
	r.accs[key] = v
	return v
}

type accKey struct {
	fn *types.Func
	i  int
}

func (r *runner) accumulatesIn(fn *types.Func, i int) bool {
	fd := r.decls[fn]
	if fd == nil || fd.Body == nil {
		return false
	}
	info := r.pass.TypesInfo
	p := fn.Type().(*types.Signature).Params().At(i)
	if _, ok := p.Type().Underlying().(*types.Slice); !ok {
		return false
	}
	acc := map[types.Object]bool{p: true}
	isAcc := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && acc[info.ObjectOf(id)]
	}
	// accForm: an accumulator, nil, or append(accumulator, ...).
	accForm := func(e ast.Expr) bool {
		if isAcc(e) {
			return true
		}
		if isNil(info, e) {
			return true
		}
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return false
		}
		b, ok := typeutil.Callee(info, call).(*types.Builtin)
		return ok && b.Name() == "append" && isAcc(call.Args[0])
	}
	// The accumulators: p and the variables assigned from one.
	for changed := true; changed; {
		changed = false
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for j, l := range as.Lhs {
				id, ok := ast.Unparen(l).(*ast.Ident)
				if !ok || id.Name == "_" {
					continue
				}
				if obj := info.ObjectOf(id); !acc[obj] && accForm(as.Rhs[j]) && !isNil(info, as.Rhs[j]) {
					acc[obj] = true
					changed = true
				}
			}
			return true
		})
	}
	// allowed: the identifiers in the accepted places.
	allowed := map[*ast.Ident]bool{}
	allow := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			allowed[id] = true
			return
		}
		if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && len(call.Args) > 0 {
			if id, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok {
				allowed[id] = true
			}
		}
	}
	ok := true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // a use in a closure is a use: left to the check below
		case *ast.AssignStmt:
			for j, l := range n.Lhs {
				if !isAcc(l) {
					continue
				}
				if n.Tok != token.ASSIGN && n.Tok != token.DEFINE || len(n.Lhs) != len(n.Rhs) || !accForm(n.Rhs[j]) {
					ok = false // m += ..., m, err = f(m), m = m[1:]
					continue
				}
				allowed[ast.Unparen(l).(*ast.Ident)] = true
				allow(n.Rhs[j])
			}
		case *ast.ReturnStmt:
			for _, res := range n.Results {
				if accForm(res) {
					allow(res)
				}
			}
		}
		return true
	})
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if id, isID := n.(*ast.Ident); isID && acc[info.Uses[id]] && !allowed[id] {
			ok = false
		}
		return ok
	})
	return ok
}

// isNil reports whether e is the predeclared nil.
func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && info.Uses[id] == types.Universe.Lookup("nil")
}
