package retrycoverage

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/analyzers/internal/flow"
	"github.com/resilience-lint/resilience-lint/internal/targets"
)

const doc = `report exported agent methods not routed through runtime/recovery

An exported method of an agent type whose last result is error must run its
work inside a runtime/recovery entry point (recovery.Do, DoValue, DoValue2,
their Fallback forms, a configured retry-funcs entry, or a function known
through a Fact to be routed) on every path that reaches a return after work
that can fail; work that can fail after the retry call must route as well.
Exempt a method with //resilience:noretry <reason>.`

// Flow facts of the routed analysis.
const (
	factRouted  flow.Set = 1 << iota // a recovery entry point was called on every path
	factClean                        // no call that can fail happened on any path
	factNoRetry                      // no recovery entry point was called on any path
	// factNoLate: on no path did a call that can fail run after a
	// recovery call (outside it, so that its error is not retried).
	factNoLate
)

// factEntry holds at a function's entry.
const factEntry = factClean | factNoRetry | factNoLate

type callKind int

const (
	callNone     callKind = iota // cannot fail, or builds an error value
	callFailable                 // work that can fail
	callRetry                    // a recovery entry point or a routed function
)

type runner struct {
	pass   *analysis.Pass
	cls    *targets.Classifier
	cfgs   *ctrlflow.CFGs
	routed map[*types.Func]bool // routed functions of this package
	// validators are functions of this package returning an error that
	// make no call that can fail: calling one is validation, not work.
	validators map[*types.Func]bool
	// errDefers are the defer statements that may set their function's
	// named error result (defer handleErr(&err), or a deferred closure
	// assigning err after recover()): work that can fail, although no
	// call returns an error.
	errDefers map[*ast.DeferStmt]bool
}

// badReturn is a return reached without the retry after work, or whose
// error may come from work done after the retry.
type badReturn struct {
	ret    *ast.ReturnStmt
	before bool // a recovery call follows it in the source: work done before the retry
	// late, if set, is a call that can fail, made after a recovery call
	// (at retry) on a path to ret, whose error is not nil there.
	late  *ast.CallExpr
	retry token.Pos
}

// retryCall is a call that routes: a recovery entry point or a routed function.
type retryCall struct {
	pos  token.Pos
	name string // "recovery call" or "call to routed Type.Method"
}

// verdict is the routed analysis of one function.
type verdict struct {
	bad        []badReturn
	retries    []retryCall     // recovery calls counted (not in go/defer), in source order
	goRetries  []token.Pos     // recovery calls in go or defer statements
	routedRets int             // returns reached through a recovery call
	failable   bool            // the body does work that can fail
	work       []*ast.CallExpr // the calls that can fail (not in go/defer), in CFG order
	late       bool            // some return's error may come from work after the retry
}

// agentMethod is one in-scope method on its way to a verdict.
type agentMethod struct {
	t   *targets.Type
	m   *targets.Method
	out Method
	v   *verdict // the routed analysis, when out.Status is Unrouted

	// For unrouted methods: the strongly connected component of the calls
	// between unrouted methods of the package (a cycle cannot be routed
	// callee first), and whether the method is expected to be routed once
	// the fixes are applied (it gets a fix, or it delegates to methods
	// that are).
	scc      int
	resolves bool
	// roots are the methods whose fixes route this one by delegation
	// (set when it gets no fix of its own): its callees, or theirs when
	// they delegate in turn.
	roots []string
}

func run(pass *analysis.Pass, opts Options) (any, error) {
	cls, err := targets.New(opts.Config)
	if err != nil {
		return nil, err
	}
	r := &runner{
		pass:       pass,
		cls:        cls,
		cfgs:       pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs),
		routed:     map[*types.Func]bool{},
		validators: map[*types.Func]bool{},
		errDefers:  map[*ast.DeferStmt]bool{},
	}
	r.findErrDefers()
	r.findValidators()
	if cls.CanRoute(pass.Pkg) {
		r.exportFacts()
	}

	classified := cls.Classify(pass.Fset, pass.Files, pass.Pkg, pass.TypesInfo)
	var methods []*agentMethod
	unrouted := map[*types.Func]*agentMethod{}
	for _, t := range classified.Agents {
		if !cls.Skip(pass.Fset, t.File) {
			for _, p := range t.Problems {
				pass.Report(analysis.Diagnostic{Pos: p.Pos, Category: "directive", Message: p.Message})
			}
		}
		for _, m := range t.Methods {
			am := r.verdict(t, m)
			methods = append(methods, am)
			if am.out.Status == Unrouted {
				unrouted[m.Func] = am
			}
		}
	}
	// Callees first, so that a method knows whether each unrouted method
	// it calls will be routed by this run's fixes.
	for _, am := range r.calleesFirst(methods, unrouted) {
		r.report(am, unrouted, opts)
		if am.resolves {
			// Roots of this package are "Type.Method": qualify them
			// for messages in other packages.
			fact := &UnroutedMethod{}
			for _, root := range am.roots {
				if strings.Count(root, ".") == 1 {
					root = pass.Pkg.Name() + "." + root
				}
				fact.Via = append(fact.Via, root)
			}
			pass.ExportObjectFact(am.m.Func, fact)
		}
	}

	res := &Result{}
	i := 0
	for _, t := range classified.Agents {
		agent := Agent{Pkg: pass.Pkg.Path(), Name: t.Obj.Name(), Pos: pass.Fset.Position(t.Obj.Pos())}
		for range t.Methods {
			agent.Methods = append(agent.Methods, methods[i].out)
			i++
		}
		res.Agents = append(res.Agents, agent)
	}
	return res, nil
}

// findValidators finds the functions of the package whose last result is
// error and whose bodies make no call that can fail (transitively through
// other validators): argument checks such as checkPlan(plan) that only
// return nil, sentinels or errors built on the spot. It exports their
// ValidatorFunc facts.
func (r *runner) findValidators() {
	for changed := true; changed; {
		changed = false
		for _, f := range r.pass.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				fn, ok := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
				if !ok || r.validators[fn] || !targets.ReturnsError(fn.Type().(*types.Signature)) {
					continue
				}
				pure := true
				ast.Inspect(fd.Body, func(x ast.Node) bool {
					if c, ok := x.(*ast.CallExpr); ok && r.kind(c) != callNone {
						pure = false
					}
					if d, ok := x.(*ast.DeferStmt); ok && r.errDefers[d] {
						pure = false
					}
					return pure
				})
				if pure {
					r.validators[fn] = true
					changed = true
				}
			}
		}
	}
	if targets.InGOROOT(r.pass.Fset, r.pass.Files) {
		return // no Facts from the standard library: see targets.InGOROOT
	}
	for fn := range r.validators {
		r.pass.ExportObjectFact(fn, new(ValidatorFunc))
	}
}

// findErrDefers finds the defer statements of the package's functions
// that turn a recovered panic into the function's named error result: a
// deferred function literal that calls recover() and assigns the result
// (or takes its address), or a deferred call of a function of this
// package that calls recover(), given the result's address. Such a
// function fails through panics (gopkg.in/yaml.v3's Decode), so it does
// work that can fail. Deferred calls that only wrap an error the function
// already returns (defer wrap(&err, "op")) recover nothing and do not
// count; nor do recovering functions of other packages (their bodies are
// not seen).
func (r *runner) findErrDefers() {
	info := r.pass.TypesInfo
	recovers := map[types.Object]bool{} // functions of the package calling recover()
	for _, f := range r.pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && callsRecover(info, fd.Body) {
				recovers[info.Defs[fd.Name]] = true
			}
		}
	}
	for _, f := range r.pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || fd.Type.Results == nil {
				continue
			}
			last := fd.Type.Results.List[len(fd.Type.Results.List)-1]
			if len(last.Names) == 0 {
				continue // unnamed: no defer can set it
			}
			res := info.Defs[last.Names[len(last.Names)-1]]
			if res == nil || !types.Identical(res.Type(), types.Universe.Lookup("error").Type()) {
				continue
			}
			ast.Inspect(fd.Body, func(x ast.Node) bool {
				switch x := x.(type) {
				case *ast.FuncLit:
					return false // its defers set its own results
				case *ast.DeferStmt:
					var recovering bool
					switch fun := ast.Unparen(x.Call.Fun).(type) {
					case *ast.FuncLit:
						recovering = callsRecover(info, fun.Body)
					default:
						recovering = recovers[typeutil.Callee(info, x.Call)]
					}
					if recovering && setsVar(info, x.Call, res) {
						r.errDefers[x] = true
					}
				}
				return true
			})
		}
	}
}

// callsRecover reports whether body calls the builtin recover (not in
// nested function literals).
func callsRecover(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(x ast.Node) bool {
		if _, ok := x.(*ast.FuncLit); ok {
			return false
		}
		if c, ok := x.(*ast.CallExpr); ok {
			if b, ok := typeutil.Callee(info, c).(*types.Builtin); ok && b.Name() == "recover" {
				found = true
			}
		}
		return !found
	})
	return found
}

// setsVar reports whether the deferred call c may set v: it takes v's
// address (in its arguments or, for a function literal, in its body) or,
// being a function literal, assigns v.
func setsVar(info *types.Info, c *ast.CallExpr, v types.Object) bool {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	found := false
	ast.Inspect(c, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.UnaryExpr:
			found = found || x.Op == token.AND && is(x.X)
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				found = found || is(l)
			}
		}
		return !found
	})
	return found
}

// exportFacts finds the routed functions of the package (a fixed point,
// as helpers may delegate to each other) and exports their Facts.
func (r *runner) exportFacts() {
	var funcs []*ast.FuncDecl
	for _, f := range r.pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := r.pass.TypesInfo.Defs[fd.Name].(*types.Func); ok && targets.ReturnsError(fn.Type().(*types.Signature)) {
					funcs = append(funcs, fd)
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, fd := range funcs {
			fn := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if r.routed[fn] {
				continue
			}
			if v := r.check(fd); v != nil && len(v.bad) == 0 && v.routedRets > 0 {
				r.routed[fn] = true
				changed = true
			}
		}
	}
	for _, fd := range funcs {
		fn := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if r.routed[fn] {
			r.pass.ExportObjectFact(fn, new(RoutedFunc))
		}
	}
}

// verdict decides whether m is exempt, routed or unrouted; the diagnostic
// of an unrouted method waits for report.
func (r *runner) verdict(t *targets.Type, m *targets.Method) *agentMethod {
	am := &agentMethod{t: t, m: m, out: Method{Name: m.Func.Name(), Pos: r.pass.Fset.Position(m.Decl.Name.Pos())}}
	if reason, ok := targets.Exemption(t, m, targets.DirNoRetry); ok {
		am.out.Status, am.out.Reason = Exempt, reason
		return am
	}
	v := r.check(m.Decl)
	if v == nil || len(v.bad) == 0 {
		am.out.Status = Routed
		if v != nil {
			am.out.Reason = routedBy(v)
		}
		return am
	}
	am.out.Status = Unrouted
	am.out.Reason = r.missing(v)
	am.v = v
	return am
}

// routedBy describes how a routed method is routed, for the report: ""
// when it calls a recovery entry point itself.
func routedBy(v *verdict) string {
	if !v.failable && len(v.retries) == 0 {
		return "does no work that can fail"
	}
	var names []string
	for _, c := range v.retries {
		if c.name == "recovery call" {
			return ""
		}
		if name, ok := strings.CutPrefix(c.name, "call to routed "); ok && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	if len(names) > 1 {
		return "delegates to " + strings.Join(names, ", ") + ", which are routed"
	}
	return "delegates to " + names[0] + ", which is routed"
}

// calleesFirst returns the unrouted methods of methods ordered so that a
// method comes after the unrouted methods of this package it calls,
// except within a cycle (a strongly connected component, numbered in
// am.scc), whose members come in source order.
func (r *runner) calleesFirst(methods []*agentMethod, unrouted map[*types.Func]*agentMethod) []*agentMethod {
	// Tarjan's algorithm emits each component after every component it
	// reaches: callees first.
	index := map[*agentMethod]int{}
	low := map[*agentMethod]int{}
	onStack := map[*agentMethod]bool{}
	var stack, order []*agentMethod
	scc := 0
	var visit func(am *agentMethod)
	visit = func(am *agentMethod) {
		index[am] = len(index)
		low[am] = index[am]
		stack = append(stack, am)
		onStack[am] = true
		for _, c := range am.v.work {
			callee := unrouted[r.callee(c)]
			if callee == nil {
				continue
			}
			if _, seen := index[callee]; !seen {
				visit(callee)
				low[am] = min(low[am], low[callee])
			} else if onStack[callee] {
				low[am] = min(low[am], index[callee])
			}
		}
		if low[am] != index[am] {
			return
		}
		var comp []*agentMethod
		for {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[top] = false
			top.scc = scc
			comp = append(comp, top)
			if top == am {
				break
			}
		}
		slices.SortFunc(comp, func(a, b *agentMethod) int { return int(a.m.Decl.Pos() - b.m.Decl.Pos()) })
		order = append(order, comp...)
		scc++
	}
	for _, am := range methods {
		if am.v != nil {
			if _, seen := index[am]; !seen {
				visit(am)
			}
		}
	}
	return order
}

// callee returns the function or method a call statically calls (its
// generic origin), or nil.
func (r *runner) callee(c *ast.CallExpr) *types.Func {
	fn, ok := typeutil.Callee(r.pass.TypesInfo, c).(*types.Func)
	if !ok {
		return nil
	}
	return fn.Origin()
}

// delegation sorts the work of an unrouted method: the unrouted agent
// methods it calls that this run's fixes will route (of this package,
// decided already, or of another through the UnroutedMethod fact), and
// whether it does other work that can fail. A call to a method of the same
// call cycle is other work: a cycle has no callee to route first.
func (r *runner) delegation(am *agentMethod, unrouted map[*types.Func]*agentMethod) (callees []string, other bool) {
	for _, c := range am.v.work {
		fn := r.callee(c)
		var pending bool
		var roots []string
		switch callee := unrouted[fn]; {
		case fn == nil: // a call of a function value: work
		case callee != nil:
			pending = callee.scc != am.scc && callee.resolves
			roots = callee.roots
		case fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg:
			fact := new(UnroutedMethod)
			pending = r.pass.ImportObjectFact(fn, fact)
			roots = fact.Via
		}
		if !pending {
			other = true
			continue
		}
		name := r.funcName(fn)
		if !slices.Contains(callees, name) {
			callees = append(callees, name)
		}
		if len(roots) == 0 {
			roots = []string{name} // the callee gets the fix
		}
		for _, root := range roots {
			if !slices.Contains(am.roots, root) {
				am.roots = append(am.roots, root)
			}
		}
	}
	return callees, other
}

// funcName names a function or method for messages: Type.Method, or
// pkg.Func for a function of another package.
func (r *runner) funcName(fn *types.Func) string {
	name := fn.Name()
	if recv := targets.RecvTypeName(fn); recv != nil {
		name = recv.Name() + "." + name
		if fn.Pkg() != r.pass.Pkg {
			name = fn.Pkg().Name() + "." + name
		}
	} else if fn.Pkg() != r.pass.Pkg {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}

// report reports the unrouted method am, with its fix unless it only
// delegates to unrouted methods that this run's fixes will route: wrapping
// it too would multiply their attempts (3 x 3), and once they are routed
// it is routed by delegation.
func (r *runner) report(am *agentMethod, unrouted map[*types.Func]*agentMethod, opts Options) {
	pass, t, m := r.pass, am.t, am.m
	name := t.Obj.Name() + "." + m.Func.Name()
	msg := fmt.Sprintf("%s returns an error but is not routed through runtime/recovery", name)
	diag := analysis.Diagnostic{Pos: m.Decl.Name.Pos(), End: m.Decl.Name.End(), Category: "unrouted"}
	defer func() {
		diag.Message = msg
		if !r.cls.Skip(pass.Fset, m.File) {
			pass.Report(diag)
		}
	}()

	callees, other := r.delegation(am, unrouted)
	if other {
		am.roots = nil // it gets a fix of its own
	}
	if len(callees) > 0 && !other {
		list := strings.Join(callees, ", ")
		am.out.Reason = fmt.Sprintf("it delegates to %s, which must be routed first", list)
		am.resolves = true
		msg += ": " + am.out.Reason + " (no fix here: retrying both would multiply their attempts; resilience-lint -fix routes " + strings.Join(am.roots, ", ") + ", then this method by delegation)"
		return
	}
	if am.out.Reason != "" {
		msg += ": " + am.out.Reason
	}
	nests := ""
	if len(callees) > 0 {
		nests = fmt.Sprintf("; note: the retry will nest the retries of %s (not routed yet either), multiplying their attempts", strings.Join(callees, ", "))
	}
	target := &Target{
		File:    m.File,
		Decl:    m.Decl,
		Agent:   t.Obj,
		Guards:  r.guards(m.Decl),
		Ctx:     targets.ContextParam(m.Func),
		OneShot: targets.OneShot(pass.TypesInfo, m.Decl),
		Policy:  r.cls.Config().Policy,
	}
	switch {
	case am.v.late:
		// Wrapping the body would put its recovery call inside a new
		// retry: the work after it must move into its closure instead.
		msg += "; -fix cannot rewrite it: the method already calls runtime/recovery, and wrapping its body would nest that retry (move the work after the retry into the retry closure by hand, or mark the method //resilience:noretry <reason>)"
	case target.OneShot != "" && targets.StreamMethod(m.Func) != "":
		msg += "; -fix cannot rewrite it: " + target.OneShot + " (a method that cannot run twice is not retried: retry its callers instead, or mark it //resilience:noretry <reason>)"
	case target.OneShot != "":
		msg += "; -fix cannot rewrite it: " + target.OneShot + " (give each attempt a fresh input or output, such as a buffer, or mark the method //resilience:noretry <reason>)"
	case opts.Fix != nil:
		fixes, err := opts.Fix(pass, target)
		if err != nil {
			msg += "; -fix cannot rewrite it: " + err.Error() + " (route it by hand, or mark it //resilience:noretry <reason>)"
		} else {
			// No fix and no refusal: the fixer sees nothing to change, so
			// nothing will route the method either.
			am.resolves = len(fixes) > 0
			diag.SuggestedFixes = fixes
			msg += nests + " (run resilience-lint -fix, or mark it //resilience:noretry <reason>)"
		}
	default:
		am.resolves = true
		msg += nests + " (run resilience-lint -fix, or mark it //resilience:noretry <reason>)"
	}
}

// missing says what is missing on which path, for the message and the
// Result; "" when no recovery call is made at all (the message then says
// it all).
func (r *runner) missing(v *verdict) string {
	b := v.bad[0]
	at := r.where(b.ret.Pos())
	switch {
	case len(v.retries) == 0 && len(v.goRetries) > 0:
		return fmt.Sprintf("the recovery call at %s runs in a go or defer statement, which does not count; the error returned at %s is not retried", r.where(v.goRetries[0]), at)
	case len(v.retries) == 0:
		return ""
	case b.late != nil:
		return fmt.Sprintf("the error returned at %s comes from %s at %s, which runs after the recovery call at %s, outside it",
			at, r.callName(b.late), r.where(b.late.Pos()), r.where(b.retry))
	case b.before:
		return fmt.Sprintf("the error returned at %s comes from work done before the %s at %s", at, v.retries[0].name, r.where(v.retries[0].pos))
	default:
		return fmt.Sprintf("the return at %s is reached on a path that does not call a recovery entry point", at)
	}
}

func (r *runner) where(pos token.Pos) string {
	p := r.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// check runs the routed analysis on a function body; nil if it has no CFG.
func (r *runner) check(fd *ast.FuncDecl) *verdict {
	g := r.cfgs.FuncDecl(fd)
	if g == nil {
		return nil
	}
	v := &verdict{}
	// Source positions of the counted recovery calls, for the messages.
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		for _, n := range b.Nodes {
			switch n := n.(type) {
			case *ast.GoStmt, *ast.DeferStmt:
				if d, ok := n.(*ast.DeferStmt); ok && r.errDefers[d] {
					v.failable = true
				}
				r.calls(n, true, func(_ *ast.CallExpr, k callKind) {
					if k == callRetry {
						v.goRetries = append(v.goRetries, n.Pos())
					}
				})
				continue
			}
			r.calls(n, false, func(c *ast.CallExpr, k callKind) {
				switch k {
				case callRetry:
					v.retries = append(v.retries, retryCall{c.Pos(), r.retryName(c)})
				case callFailable:
					v.failable = true
					v.work = append(v.work, c)
				}
			})
		}
	}
	slices.SortFunc(v.retries, func(a, b retryCall) int { return int(a.pos - b.pos) })

	in := flow.Solve(g, factEntry, r.transfer)
	late := r.lateCalls(g, in)
	for _, b := range g.Blocks {
		ret := b.Return()
		if !b.Live || ret == nil {
			continue
		}
		s := in[b.Index]
		for _, n := range b.Nodes[:len(b.Nodes)-1] {
			s = r.node(n, s)
		}
		retry, failable := false, false
		r.calls(ret, false, func(_ *ast.CallExpr, k callKind) {
			retry = retry || k == callRetry
			failable = failable || k == callFailable
		})
		if r.node(ret, s)&factNoLate == 0 && r.mayFail(ret) && len(late) > 0 && len(v.retries) > 0 {
			c := lastLate(g, late, b, ret)
			v.bad = append(v.bad, badReturn{ret: ret, late: c.call, retry: v.retryBefore(c.call.Pos())})
			v.late = true
			continue
		}
		switch {
		case retry || s&factRouted != 0:
			v.routedRets++
		case s&factClean != 0 && !failable:
			// Validation: nothing that can fail ran on any path here.
		default:
			// The return makes no failing call itself: its error comes
			// from work done earlier, before any recovery call.
			before := len(v.retries) > 0 && !failable
			v.bad = append(v.bad, badReturn{ret: ret, before: before})
		}
	}
	slices.SortFunc(v.bad, func(a, b badReturn) int { return int(a.ret.Pos() - b.ret.Pos()) })
	return v
}

func (r *runner) transfer(b *cfg.Block, s flow.Set) flow.Set {
	for _, n := range b.Nodes {
		s = r.node(n, s)
	}
	return s
}

func (r *runner) node(n ast.Node, s flow.Set) flow.Set {
	return r.step(n, s, nil)
}

// step applies the calls of node n to s in the order they are evaluated
// (arguments before the call), and calls late, if not nil, for each call
// that can fail made after a recovery call on some path.
func (r *runner) step(n ast.Node, s flow.Set, late func(*ast.CallExpr)) flow.Set {
	switch n := n.(type) {
	case *ast.DeferStmt:
		if r.errDefers[n] {
			// From here on, the error returned may come from the
			// deferred handler: no later return is validation.
			s &^= factClean
		}
		return s // runs later: neither routes nor fails here
	case *ast.GoStmt:
		return s // runs elsewhere: neither routes nor fails here
	}
	type call struct {
		c *ast.CallExpr
		k callKind
	}
	var calls []call
	r.calls(n, false, func(c *ast.CallExpr, k callKind) { calls = append(calls, call{c, k}) })
	// An argument ends before the call that takes it: ordering by end
	// gives the evaluation order.
	slices.SortStableFunc(calls, func(a, b call) int { return int(a.c.End() - b.c.End()) })
	for _, c := range calls {
		switch c.k {
		case callRetry:
			s |= factRouted
			s &^= factNoRetry
		case callFailable:
			s &^= factClean
			if s&factNoRetry == 0 {
				s &^= factNoLate
				if late != nil {
					late(c.c)
				}
			}
		}
	}
	return s
}

// lateCall is a call that can fail made after a recovery call on some
// path, in block b.
type lateCall struct {
	call *ast.CallExpr
	b    *cfg.Block
}

// lateCalls returns the calls that can fail made after a recovery call on
// some path, in block order.
func (r *runner) lateCalls(g *cfg.CFG, in []flow.Set) []lateCall {
	var late []lateCall
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		s := in[b.Index]
		for _, n := range b.Nodes {
			s = r.step(n, s, func(c *ast.CallExpr) { late = append(late, lateCall{c, b}) })
		}
	}
	return late
}

// lastLate returns, of the late calls that reach ret (in block b), the one
// closest before it in the source: the likeliest source of its error.
func lastLate(g *cfg.CFG, late []lateCall, b *cfg.Block, ret *ast.ReturnStmt) lateCall {
	best := late[0]
	found := false
	for _, c := range late {
		if c.call.Pos() > ret.End() {
			continue
		}
		if c.b != b && !reaches(c.b, b) {
			continue
		}
		if !found || c.call.Pos() > best.call.Pos() {
			best, found = c, true
		}
	}
	return best
}

// reaches reports whether block to can be reached from block from.
func reaches(from, to *cfg.Block) bool {
	seen := map[*cfg.Block]bool{}
	stack := []*cfg.Block{from}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, s := range b.Succs {
			if s == to {
				return true
			}
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	return false
}

// retryBefore returns the position of the last counted recovery call
// before pos (the first one if none precedes it).
func (v *verdict) retryBefore(pos token.Pos) token.Pos {
	at := v.retries[0].pos
	for _, c := range v.retries {
		if c.pos < pos {
			at = c.pos
		}
	}
	return at
}

// mayFail reports whether the error a return statement returns may be
// non-nil: anything but a literal nil in the last position (a bare
// return of named results may be).
func (r *runner) mayFail(ret *ast.ReturnStmt) bool {
	if len(ret.Results) == 0 {
		return true
	}
	id, ok := ast.Unparen(ret.Results[len(ret.Results)-1]).(*ast.Ident)
	if !ok {
		return true
	}
	_, isNil := r.pass.TypesInfo.Uses[id].(*types.Nil)
	return !isNil
}

// callName names the callee of a call for messages.
func (r *runner) callName(c *ast.CallExpr) string {
	if fn := r.callee(c); fn != nil {
		return r.funcName(fn)
	}
	return types.ExprString(c.Fun)
}

// calls visits the calls evaluated by n, not those in function literals
// (they run when called, if ever). With deferred, n is a go or defer
// statement and its own call is visited too.
func (r *runner) calls(n ast.Node, deferred bool, visit func(*ast.CallExpr, callKind)) {
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GoStmt, *ast.DeferStmt:
			return deferred
		case *ast.CallExpr:
			visit(x, r.kind(x))
		}
		return true
	})
}

// wrappedKind is the kind of a call of a tracking wrapper
// (intelligence.Track, TrackErr, Track2, or a configured track-func of kind
// wrap): it returns the error of the function it runs, so it can fail
// exactly when that function can, and routes when that function routes.
// Tracking a worker must not turn the deterministic agent method that
// calls it into one to retry. A function literal is judged by the calls it
// makes, as a body is; any other function value can fail.
func (r *runner) wrappedKind(call *ast.CallExpr) callKind {
	if len(call.Args) == 0 {
		return callFailable
	}
	lit, ok := ast.Unparen(call.Args[len(call.Args)-1]).(*ast.FuncLit)
	if !ok {
		return callFailable
	}
	k := callNone
	// As for any body: calls in nested function literals count where
	// the literal is called (the closure of a recovery call is retried).
	r.calls(lit.Body, false, func(_ *ast.CallExpr, ck callKind) {
		switch {
		case ck == callFailable:
			k = callFailable
		case ck == callRetry && k == callNone:
			k = callRetry
		}
	})
	return k
}

// retryName describes a routing call for messages.
func (r *runner) retryName(call *ast.CallExpr) string {
	fn := r.callee(call)
	if fn == nil || r.cls.IsRetryEntry(fn) {
		return "recovery call"
	}
	return "call to routed " + r.funcName(fn)
}

func (r *runner) kind(call *ast.CallExpr) callKind {
	info := r.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return callNone // conversion
	}
	switch obj := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		return callNone
	case *types.Func:
		fn := obj.Origin()
		switch {
		case r.cls.IsRetryEntry(fn), r.routed[fn]:
			return callRetry
		case fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(fn, new(RoutedFunc)):
			return callRetry
		case r.cls.TrackKindOf(fn) == targets.TrackWrap:
			return r.wrappedKind(call)
		case targets.IsErrorConstructor(fn), r.validators[fn]:
			return callNone
		case fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(fn, new(ValidatorFunc)):
			return callNone
		}
	}
	t := info.TypeOf(call.Fun)
	if t == nil {
		return callNone // not type-checked: nothing is known
	}
	if sig, ok := t.Underlying().(*types.Signature); ok && targets.ReturnsError(sig) {
		return callFailable
	}
	return callNone
}

// guards counts the leading validation guards of fd's body: if statements
// without else whose init, condition and body make no call that can fail
// (nor a recovery call) and whose body ends in a return.
func (r *runner) guards(fd *ast.FuncDecl) int {
	n := 0
	for _, st := range fd.Body.List {
		ifs, ok := st.(*ast.IfStmt)
		if !ok || ifs.Else != nil || len(ifs.Body.List) == 0 {
			break
		}
		if _, ok := ifs.Body.List[len(ifs.Body.List)-1].(*ast.ReturnStmt); !ok {
			break
		}
		pure := true
		ast.Inspect(ifs, func(x ast.Node) bool {
			if c, ok := x.(*ast.CallExpr); ok && r.kind(c) != callNone {
				pure = false
			}
			_, lit := x.(*ast.FuncLit)
			return pure && !lit
		})
		if !pure || declares(ifs.Body) {
			break
		}
		n++
	}
	return n
}

// declares reports whether a guard body has statements other than
// expression statements, assignments to existing variables and the
// final return (a guard must be movable verbatim).
func declares(body *ast.BlockStmt) bool {
	for _, st := range body.List {
		switch st := st.(type) {
		case *ast.ReturnStmt, *ast.ExprStmt:
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				return true
			}
		default:
			return true
		}
	}
	return false
}
