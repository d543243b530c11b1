package retrycoverage

import (
	"go/ast"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// This file finds the retries made through poll helpers: functions that
// run a condition, func() (done bool, err error), again and again until it
// says done or fails, waiting in between. Kubernetes' wait package
// (ExponentialBackoff, PollUntilContextTimeout; copied into
// go-containerregistry's internal/retry/wait) is the common one:
//
//	func ExponentialBackoff(backoff Backoff, condition ConditionFunc) error {
//		for backoff.Steps > 0 {
//			if ok, err := condition(); err != nil || ok {
//				return err                   // a failure ends the poll
//			}
//			time.Sleep(backoff.Step())       // "not done": run it again
//		}
//		return ErrWaitTimeout
//	}
//
// Such a loop is no retry loop by loops.go's rules: a failure of the
// condition leaves it. Whether a poll retries is decided by the condition
// its caller hands it. A condition that turns a failure of its work into
// "not done" (return false, nil on the failure branch of a nil check or of
// a verdict on the error, as for retry loops):
//
//	condition := func() (bool, error) {
//		err = f()
//		if p(err) {
//			return false, nil            // a retryable failure: poll again
//		}
//		return true, err
//	}
//	wait.ExponentialBackoff(backoff, condition)
//
// makes the poll a retry of that work: the call of the poll helper routes
// as a retry loop does (its position is "its own retry at f.go:N"), and
// the function making it gets the RoutedFunc fact when all its work runs
// there. go-containerregistry's retry.Retry(f, p, backoff) and
// client-go's retry.OnError(backoff, retriable, fn) are such functions:
// their callers, retry.Retry(roundtrip, ...) in a transport's RoundTrip,
// delegate to them and are routed in turn.
//
// A condition that waits for a state is no retry: it returns the failure
// of its work as an error (if err != nil { return false, err }) and says
// "not done" only from what the work returned (return pod.Ready, nil; if
// !ready { return false, nil }). The poll then runs the work again only
// while it succeeds, a transient failure ends it, and the call of the poll
// helper stays work that can fail, as any call: waiting until a resource
// is ready does not make its caller one that already retries.
//
// Poll helpers are found, in any package, as the functions with a
// parameter of such a function type (results bool and error) that a loop
// calls (itself or in a function literal it calls on the spot), the loop
// waiting or bounding its iterations as a retry loop's
// must, or that hand the parameter (or p.WithContext() of it, as
// apimachinery's PollImmediate does) on to a poll helper's polled
// parameter: the PollFunc fact carries them to other packages. A
// condition written as a function literal (directly or in a local
// variable set once), or a function or method of the package handed by
// name or as a method value (pollconds.go), is looked into; a function of
// another package handed to a poll helper is not.

// PollFunc is the Fact exported for a poll helper: a function that runs
// the function parameters at Params (indexes of its signature's
// parameters, each returning done bool and err error) again while they
// return "not done" without an error, waiting between runs.
type PollFunc struct {
	Params []int
}

// AFact marks PollFunc as an analysis.Fact.
func (*PollFunc) AFact() {}

// String describes the fact in analysistest wants and fact dumps.
func (f *PollFunc) String() string {
	s := make([]string, len(f.Params))
	for i, p := range f.Params {
		s[i] = strconv.Itoa(p)
	}
	return "polls " + strings.Join(s, ",")
}

// isCondition reports whether t is a function type whose results are
// (bool, error): a poll condition.
func isCondition(t types.Type) bool {
	if t == nil {
		return false
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || sig.Results().Len() != 2 {
		return false
	}
	b, ok := sig.Results().At(0).Type().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool && typepred.IsError(sig.Results().At(1).Type())
}

// findPollFuncs returns the poll helpers of the package, each with the
// indexes of the parameters it polls, and exports their PollFunc facts.
// waiters are the package's functions that wait (waitingFuncs).
func (r *runner) findPollFuncs(waiters map[*types.Func]bool) map[*types.Func][]int {
	out := map[*types.Func][]int{}
	info := r.pass.TypesInfo
	type candidate struct {
		fn     *types.Func
		fd     *ast.FuncDecl
		params map[*types.Var]int // the condition parameters, by index
	}
	var cands []candidate
	for fd, fn := range r.funcDecls() {
		sig := fn.Signature()
		params := map[*types.Var]int{}
		for i := range sig.Params().Len() {
			if p := sig.Params().At(i); isCondition(p.Type()) && (!sig.Variadic() || i != sig.Params().Len()-1) {
				params[p] = i
			}
		}
		if len(params) == 0 {
			continue
		}
		cands = append(cands, candidate{fn, fd, params})
		// A loop that waits or bounds and calls the parameter.
		var polled []int
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt:
			default:
				return true
			}
			loop := n.(ast.Stmt)
			if !r.waitsOrBounds(loop, waiters) {
				return true
			}
			// The calls of the loop, and of the function literals it
			// calls on the spot (apimachinery's loopConditionUntilContext
			// runs the condition in one that defers a crash handler).
			var visit func(m ast.Node) bool
			visit = func(m ast.Node) bool {
				switch m := m.(type) {
				case *ast.FuncLit:
					return false
				case *ast.CallExpr:
					switch fun := ast.Unparen(m.Fun).(type) {
					case *ast.FuncLit:
						ast.Inspect(fun.Body, visit)
					case *ast.Ident:
						if v, ok := info.Uses[fun].(*types.Var); ok {
							if i, ok := params[v]; ok && !slices.Contains(polled, i) {
								polled = append(polled, i)
							}
						}
					}
				}
				return true
			}
			ast.Inspect(loop, visit)
			return true
		})
		if len(polled) > 0 {
			slices.Sort(polled)
			out[fn] = polled
		}
	}
	// Helpers handing a condition parameter on to a poll helper.
	for changed := true; changed; {
		changed = false
		for _, c := range cands {
			ast.Inspect(c.fd.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				for _, i := range r.polledParams(call, out) {
					if i >= len(call.Args) {
						continue
					}
					v := r.conditionParam(call.Args[i])
					if j, ok := c.params[v]; ok && !slices.Contains(out[c.fn], j) {
						out[c.fn] = append(out[c.fn], j)
						slices.Sort(out[c.fn])
						changed = true
					}
				}
				return true
			})
		}
	}
	if !targets.InGOROOT(r.pass.Fset, r.pass.Files) {
		for fn, params := range out {
			r.pass.ExportObjectFact(fn, &PollFunc{Params: params})
		}
	}
	return out
}

// conditionParam returns the variable a condition argument passes on:
// cond itself, or the receiver of cond.WithContext() (a method of the
// condition's type that adapts it); nil for anything else.
func (r *runner) conditionParam(arg ast.Expr) *types.Var {
	arg = ast.Unparen(arg)
	if c, ok := arg.(*ast.CallExpr); ok && len(c.Args) == 0 {
		if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && isCondition(r.pass.TypesInfo.TypeOf(c)) {
			arg = ast.Unparen(sel.X)
		}
	}
	id, ok := arg.(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := r.pass.TypesInfo.Uses[id].(*types.Var)
	return v
}

// polledParams returns the indexes of the arguments of call that its
// callee polls: a poll helper of this package (local) or of another
// (the PollFunc fact).
func (r *runner) polledParams(call *ast.CallExpr, local map[*types.Func][]int) []int {
	fn, ok := typeutil.Callee(r.pass.TypesInfo, call).(*types.Func)
	if !ok {
		return nil
	}
	fn = fn.Origin()
	if ps, ok := local[fn]; ok {
		return ps
	}
	if fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg {
		fact := new(PollFunc)
		if r.pass.ImportObjectFact(fn, fact) {
			return fact.Params
		}
	}
	return nil
}

// findPollRetries finds the calls of poll helpers that can fail and are
// handed a condition that retries its work (retryingCondition), and
// records each in r.loops as a retry loop of its own, at the statement
// that makes it.
func (r *runner) findPollRetries(waiters map[*types.Func]bool) {
	polls := r.findPollFuncs(waiters)
	// Most packages call no poll helper: the Facts of each callee are
	// looked up once.
	for c := range r.inspector().Root().Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		fn, ok := typeutil.Callee(r.pass.TypesInfo, call).(*types.Func)
		if !ok {
			continue
		}
		fn = fn.Origin()
		ps, ok := polls[fn]
		if !ok && fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg {
			fact := new(PollFunc)
			if r.pass.ImportObjectFact(fn, fact) {
				ps = fact.Params
			}
			polls[fn] = ps // nil: no poll helper
		}
		if len(ps) == 0 || r.baseKind(call) != callFailable {
			continue
		}
		for _, i := range ps {
			if i >= len(call.Args) {
				continue
			}
			cond, ok := r.pollCondition(call.Args[i]) // pollconds.go
			if !ok || !r.retryingCondition(cond) {
				continue
			}
			if s := enclosingStmt(c); s != nil {
				r.loops[call] = s
			}
			break
		}
	}
}

// enclosingStmt returns the innermost statement around the node at c.
func enclosingStmt(c inspector.Cursor) ast.Stmt {
	for p := range c.Enclosing() {
		if s, ok := p.Node().(ast.Stmt); ok {
			return s
		}
	}
	return nil
}

// retryingCondition reports whether a poll condition turns a failure
// of its work into "not done": a call that can fail has its error
// assigned to a variable, and a return false, nil is reached only on the
// failure branch of a check of that variable (see failureGuard).
func (r *runner) retryingCondition(cond condition) bool {
	if !isCondition(cond.typ) {
		return false
	}
	found := false
	inspect(cond.body, func(x ast.Node) {
		c, ok := x.(*ast.CallExpr)
		if found || !ok || r.baseKind(c) != callFailable {
			return
		}
		if v := r.errVar(cond.body, c); v != nil {
			found = r.notDoneOnFailure(cond.body, c, v)
		}
	})
	return found
}

// guard is a condition a statement runs under: cond's value is then.
type guard struct {
	cond ast.Expr
	then bool
}

// notDoneOnFailure reports whether body, after call c, returns false, nil
// under a guard that is a failure branch of the error variable v.
func (r *runner) notDoneOnFailure(body *ast.BlockStmt, c *ast.CallExpr, v types.Object) bool {
	var walk func(stmts []ast.Stmt, guards []guard) bool
	walkOne := func(s ast.Stmt, guards []guard) bool {
		switch s := s.(type) {
		case *ast.ReturnStmt:
			if s.Pos() > c.End() && r.isNotDone(s) {
				for _, g := range guards {
					if r.failureGuard(g, v) {
						return true
					}
				}
			}
		case *ast.BlockStmt:
			return walk(s.List, guards)
		case *ast.IfStmt:
			if walk(s.Body.List, append(slices.Clip(guards), guard{s.Cond, true})) {
				return true
			}
			if s.Else != nil {
				return walk([]ast.Stmt{s.Else}, append(slices.Clip(guards), guard{s.Cond, false}))
			}
		case *ast.SwitchStmt:
			for _, cc := range s.Body.List {
				cc := cc.(*ast.CaseClause)
				g := guards
				if s.Tag == nil {
					for _, e := range cc.List {
						g = append(slices.Clip(g), guard{e, true})
					}
				}
				if walk(cc.Body, g) {
					return true
				}
			}
		}
		return false
	}
	walk = func(stmts []ast.Stmt, guards []guard) bool {
		for _, s := range stmts {
			if walkOne(s, guards) {
				return true
			}
			// Past an if without else whose body always returns, the
			// rest runs when its condition is false.
			if ifs, ok := s.(*ast.IfStmt); ok && ifs.Else == nil && endsInReturn(ifs.Body) {
				guards = append(slices.Clip(guards), guard{ifs.Cond, false})
			}
		}
		return false
	}
	return walk(body.List, nil)
}

// endsInReturn reports whether a block's last statement is a return.
func endsInReturn(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	_, ok := b.List[len(b.List)-1].(*ast.ReturnStmt)
	return ok
}

// isNotDone reports whether ret is "return false, nil".
func (r *runner) isNotDone(ret *ast.ReturnStmt) bool {
	if len(ret.Results) != 2 || !r.isNil(ret.Results[1]) {
		return false
	}
	id, ok := ast.Unparen(ret.Results[0]).(*ast.Ident)
	if !ok {
		return false
	}
	c, ok := r.pass.TypesInfo.Uses[id].(*types.Const)
	return ok && c.Pkg() == nil && c.Name() == "false"
}

// failureGuard reports whether g holds on a failure recorded in v: its
// condition's first operand is a nil check of v true on failure (err !=
// nil, or err == nil on its false side) or a verdict on v (retryable(err),
// p(err): a classifier's "go on", as verdicts.go reads it) on its true
// side.
func (r *runner) failureGuard(g guard, v types.Object) bool {
	cond, negated := firstOperand(g.cond)
	taken := g.then != negated // whether cond itself is true on this branch
	if onFail, ok := r.nilCheck(cond, v); ok {
		return onFail == taken
	}
	if call, ok := cond.(*ast.CallExpr); ok && r.isVerdictCall(call, v) {
		// A verdict that admits only failures no retry of transient
		// ones takes (a missing object: apierrors.IsNotFound) polls for
		// a state: the failures recovery would retry end the poll.
		return taken && !permanentVerdict(r.pass.TypesInfo, call)
	}
	return false
}

// permanentClasses are the predicates of error classes that are no
// transient failures (recovery's classifier never retries them: a
// missing or conflicting object, an invalid or forbidden request), by
// package and name: a poll that says "not done" only for them waits for
// a state (sweep17's WaitForKey polled while a ConfigMap was NotFound,
// and a 503 ended it), it retries no transient failure.
var permanentClasses = map[string]map[string]bool{
	"k8s.io/apimachinery/pkg/api/errors": {
		"IsNotFound": true, "IsAlreadyExists": true, "IsConflict": true, "IsInvalid": true,
		"IsBadRequest": true, "IsForbidden": true, "IsUnauthorized": true, "IsGone": true,
		"IsResourceExpired": true, "IsMethodNotSupported": true, "IsNotAcceptable": true,
		"IsUnsupportedMediaType": true,
	},
	"os":           {"IsNotExist": true, "IsExist": true, "ErrNotExist": true, "ErrExist": true},
	"io/fs":        {"ErrNotExist": true, "ErrExist": true},
	"database/sql": {"ErrNoRows": true},
}

// permanentVerdict reports whether call tests for a permanent class of
// errors (permanentClasses): one of the predicates, or errors.Is given
// one of the sentinels.
func permanentVerdict(info *types.Info, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return false
	}
	if permanentClasses[fn.Pkg().Path()][fn.Name()] {
		return true
	}
	if fn.Pkg().Path() != "errors" || fn.Name() != "Is" || len(call.Args) != 2 {
		return false
	}
	var id *ast.Ident
	switch x := ast.Unparen(call.Args[1]).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	}
	if id == nil {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	return ok && v.Pkg() != nil && v.Parent() == v.Pkg().Scope() && permanentClasses[v.Pkg().Path()][v.Name()]
}
