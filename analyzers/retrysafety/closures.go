package retrysafety

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// Function literals held in local variables. A literal written first and
// called later (send := func() error { ... }; ...; if err := send(); ...)
// does what it does where it is called, once per call, and, deferred,
// when the function returns. Judged where it is written, its request, its
// removal or its write came before every call that can fail between the
// two, and was never repeated by a second call: a body that checks its
// input and then sends its POST through such a literal was refused, and
// one that sends it twice was refused for the wrong call.
//
// So a local variable set exactly once, to a function literal (f :=
// func..., var f = func...), and used only to be called (f(...), defer
// f(), go f()), is judged at its calls, as a callee is: its body's events
// are judged on the literal's own control-flow graph, and each call of
// the variable is one event that has the literal's first effect (its
// first unsafe one, else its first write; its first request apart, as a
// callee's Sends), which the call has before it can fail when the
// literal has an effect before a call of its own that can fail. The
// effects of the literal's deferred calls are among its writes, after
// its calls that can fail. A literal whose variable is used otherwise
// (handed to a function, stored, assigned again, its address taken)
// runs where the tool cannot see: it is judged where it is written, as
// before.
//
// A call of such a literal can fail when its result is an error, and
// also when the literal assigns the error of a call that can fail to a
// variable of the body (var err error; f := func() { err = c.fetch() };
// f(); return err).

// calledLits returns the function literals of the package held in a
// local variable set once and only called (the rule above), by variable,
// and those literals; computed once per package.
func (r *runner) calledLits() (map[*types.Var]*ast.FuncLit, map[*ast.FuncLit]bool) {
	if r.litVars != nil {
		return r.litVars, r.litsCalled
	}
	info := r.pass.TypesInfo
	lits := map[*types.Var]*ast.FuncLit{}
	bad := map[*types.Var]bool{}
	callFun := map[*ast.Ident]bool{}
	local := func(id *ast.Ident) (*types.Var, bool) {
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok || v.Parent() == nil || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
			return nil, false
		}
		return v, true
	}
	define := func(id *ast.Ident, rhs ast.Expr) {
		v, ok := local(id)
		if !ok {
			return
		}
		lit, isLit := ast.Unparen(rhs).(*ast.FuncLit)
		if !isLit || lits[v] != nil {
			bad[v] = true
			return
		}
		lits[v] = lit
	}
	for _, f := range r.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if n.Tok != token.DEFINE || len(n.Lhs) != len(n.Rhs) {
					return true
				}
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && info.Defs[id] != nil {
						define(id, n.Rhs[i])
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) != len(n.Values) {
					return true
				}
				for i, id := range n.Names {
					define(id, n.Values[i])
				}
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok {
					callFun[id] = true
				}
			case *ast.Ident:
				// Any other use: assigned again, handed on, its
				// address taken.
				if v, ok := info.Uses[n].(*types.Var); ok && !callFun[n] {
					bad[v] = true
				}
			}
			return true
		})
	}
	called := map[*ast.FuncLit]bool{}
	for v, lit := range lits {
		if bad[v] {
			delete(lits, v)
			continue
		}
		called[lit] = true
	}
	r.litVars, r.litsCalled = lits, called
	return lits, called
}

// calledLit returns the literal that fun, the callee of a call, holds
// when it is a variable of calledLits; nil otherwise.
func (s *fnState) calledLit(fun ast.Expr) *ast.FuncLit {
	id, ok := fun.(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := s.info.Uses[id].(*types.Var)
	if !ok {
		return nil
	}
	lits, _ := s.r.calledLits()
	return lits[v]
}

// litSummary is what a call of a literal of calledLits does (the rule
// above), as a callee's Writes says it of a declared function.
type litSummary struct {
	// first is the effect a call has: the literal's first unsafe one,
	// else its first write; nil when it writes nothing.
	first *event
	// early: the literal has an effect before a call of its own that
	// can fail (with first's reason when first is one, else that of a
	// last value).
	early bool
	// lv are the locations its writes set as last values, nil when any
	// of its writes is not one.
	lv []string
	// sends names the first request it sends ("sends a POST (...) at
	// t.go:12"), sendsEarly: before a call of its own that can fail.
	sends      string
	sendsEarly bool
	// fails: the error of a call of its own that can fail is assigned to
	// a variable declared outside it.
	fails bool
}

// litSummary returns the summary of lit, computed once per analysis of
// the body (the Writes of callees grow between analyses).
func (s *fnState) litSummary(lit *ast.FuncLit) *litSummary {
	if sum, ok := s.lits[lit]; ok {
		return sum
	}
	sum := &litSummary{}
	if s.lits == nil {
		s.lits = map[*ast.FuncLit]*litSummary{}
	}
	s.lits[lit] = sum // a literal cannot call itself: its variable is not in scope in it
	g := s.r.cfgs.FuncLit(lit)
	if g == nil {
		return sum
	}
	// The body's analysis is under way with the runner's buffers: the
	// literal's gets buffers of its own.
	saved := s.r.scratch
	s.r.scratch = scratch{}
	blockEvents, _, deferred := s.collect(g, nil, nil, true)
	j := s.judge(g, blockEvents)
	s.r.scratch = saved
	sum.early = j.early
	sum.sendsEarly = j.sendsEarly
	var firstWrite *event
	allLV := true
	note := func(e *event) {
		if e.what == "" {
			return
		}
		if e.request {
			if sum.sends == "" {
				sum.sends = e.what + " at " + s.r.where(e.pos)
			}
			return
		}
		if e.lv == nil {
			allLV = false
		}
		sum.lv = append(sum.lv, e.lv...)
		if firstWrite == nil || e.pos < firstWrite.pos {
			firstWrite = e
		}
	}
	for _, evs := range blockEvents {
		for i := range evs {
			note(&evs[i])
		}
	}
	for i := range deferred {
		note(&deferred[i])
	}
	sum.first = firstWrite
	if j.bad != nil && !j.bad.request {
		sum.first = j.bad
	}
	if !allLV || sum.first == nil {
		sum.lv = nil
	}
	sum.fails = s.litErrOut(lit, blockEvents)
	return sum
}

// litErrOut reports whether lit assigns the error of one of its calls
// that can fail (a failing event of blockEvents) to a variable declared
// outside it.
func (s *fnState) litErrOut(lit *ast.FuncLit, blockEvents [][]event) bool {
	failing := map[*ast.CallExpr]bool{}
	for _, evs := range blockEvents {
		for _, e := range evs {
			if e.fail && e.call != nil {
				failing[e.call] = true
			}
		}
	}
	if len(failing) == 0 {
		return false
	}
	out := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || out || len(as.Rhs) != 1 {
			return !out
		}
		c, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok || !failing[c] {
			return true
		}
		// The error is the call's last result.
		id, ok := ast.Unparen(as.Lhs[len(as.Lhs)-1]).(*ast.Ident)
		if !ok {
			return true
		}
		if v, ok := s.info.Uses[id].(*types.Var); ok && (v.Pos() < lit.Pos() || v.Pos() >= lit.End()) {
			out = true
		}
		return !out
	})
	return out
}

// litCall fills e, the event of call c of the literal lit held in a local
// variable, with what the literal does (the rule above).
func (s *fnState) litCall(c *ast.CallExpr, lit *ast.FuncLit, noFail bool, e *event) {
	sum := s.litSummary(lit)
	if !noFail && sum.fails {
		e.fail = true
	}
	e.sends, e.sendsEarly = sum.sends, sum.sendsEarly
	if e.what != "" || sum.first == nil {
		return
	}
	f := sum.first
	e.what = "calls " + e.callName() + " (which " + f.what + " at " + s.r.where(f.pos) + ")"
	e.lv = slices.Clone(sum.lv)
	e.stream, e.db, e.gql, e.callback = f.stream, f.db, f.gql, f.callback
	e.self = e.fail && sum.early
	e.selfWhy = "it has that effect before it can fail, so a failed call may have had it already and a retry would repeat it"
	if f.self {
		e.selfWhy = f.selfWhy
	}
}
