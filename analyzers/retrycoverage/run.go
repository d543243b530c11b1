package retrycoverage

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/analyzers/internal/flow"
	"github.com/resilience-lint/resilience-lint/targets"
)

const doc = `report exported agent methods not routed through runtime/recovery

An exported method of an agent type whose last result is error must run its
work inside a runtime/recovery entry point (recovery.Do, DoValue, DoValue2,
a configured retry-funcs entry, or a function known through a Fact to be
routed) on every path that reaches a return after work that can fail.
Exempt a method with //resilience:noretry <reason>.`

// Flow facts of the routed analysis.
const (
	factRouted flow.Set = 1 << iota // a recovery entry point was called on every path
	factClean                       // no call that can fail happened on any path
)

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
}

// badReturn is a return reached without the retry after work.
type badReturn struct {
	ret    *ast.ReturnStmt
	before bool // a recovery call follows it in the source: work done before the retry
}

// retryCall is a call that routes: a recovery entry point or a routed function.
type retryCall struct {
	pos  token.Pos
	name string // "recovery call" or "call to routed Type.Method"
}

// verdict is the routed analysis of one function.
type verdict struct {
	bad        []badReturn
	retries    []retryCall // recovery calls counted (not in go/defer), in source order
	goRetries  []token.Pos // recovery calls in go or defer statements
	routedRets int         // returns reached through a recovery call
	failable   bool        // the body does work that can fail
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
	}
	r.findValidators()
	if cls.CanRoute(pass.Pkg) {
		r.exportFacts()
	}

	res := &Result{}
	classified := cls.Classify(pass.Fset, pass.Files, pass.Pkg, pass.TypesInfo)
	for _, t := range classified.Agents {
		if !cls.Skip(pass.Fset, t.File) {
			for _, p := range t.Problems {
				pass.Report(analysis.Diagnostic{Pos: p.Pos, Category: "directive", Message: p.Message})
			}
		}
		agent := Agent{Pkg: pass.Pkg.Path(), Name: t.Obj.Name(), Pos: pass.Fset.Position(t.Obj.Pos())}
		for _, m := range t.Methods {
			agent.Methods = append(agent.Methods, r.method(t, m, opts))
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
					return pure
				})
				if pure {
					r.validators[fn] = true
					changed = true
				}
			}
		}
	}
	for fn := range r.validators {
		r.pass.ExportObjectFact(fn, new(ValidatorFunc))
	}
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

func (r *runner) method(t *targets.Type, m *targets.Method, opts Options) Method {
	pass := r.pass
	name := t.Obj.Name() + "." + m.Func.Name()
	out := Method{Name: m.Func.Name(), Pos: pass.Fset.Position(m.Decl.Name.Pos())}
	if reason, ok := targets.Exemption(t, m, targets.DirNoRetry); ok {
		out.Status, out.Reason = Exempt, reason
		return out
	}
	v := r.check(m.Decl)
	if v == nil || len(v.bad) == 0 {
		out.Status = Routed
		if v != nil && !v.failable && len(v.retries) == 0 {
			out.Reason = "does no work that can fail"
		}
		return out
	}
	out.Status = Unrouted
	out.Reason = r.missing(v)

	msg := fmt.Sprintf("%s returns an error but is not routed through runtime/recovery", name)
	if out.Reason != "" {
		msg += ": " + out.Reason
	}
	diag := analysis.Diagnostic{Pos: m.Decl.Name.Pos(), End: m.Decl.Name.End(), Category: "unrouted"}
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
	case target.OneShot != "":
		msg += "; -fix cannot rewrite it: " + target.OneShot + " (make the input replayable, or mark the method //resilience:noretry <reason>)"
	case opts.Fix != nil:
		fixes, err := opts.Fix(pass, target)
		if err != nil {
			msg += "; -fix cannot rewrite it: " + err.Error() + " (route it by hand, or mark it //resilience:noretry <reason>)"
		} else {
			diag.SuggestedFixes = fixes
			msg += " (run resilience-lint -fix, or mark it //resilience:noretry <reason>)"
		}
	default:
		msg += " (run resilience-lint -fix, or mark it //resilience:noretry <reason>)"
	}
	diag.Message = msg
	if !r.cls.Skip(pass.Fset, m.File) {
		pass.Report(diag)
	}
	return out
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
				}
			})
		}
	}
	slices.SortFunc(v.retries, func(a, b retryCall) int { return int(a.pos - b.pos) })

	in := flow.Solve(g, factClean, r.transfer)
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
	switch n.(type) {
	case *ast.GoStmt, *ast.DeferStmt:
		return s // runs elsewhere or later: neither routes nor fails here
	}
	r.calls(n, false, func(_ *ast.CallExpr, k callKind) {
		switch k {
		case callRetry:
			s |= factRouted
		case callFailable:
			s &^= factClean
		}
	})
	return s
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

// retryName describes a routing call for messages.
func (r *runner) retryName(call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(r.pass.TypesInfo, call).(*types.Func)
	if !ok || r.cls.IsRetryEntry(fn) {
		return "recovery call"
	}
	name := fn.Name()
	if recv := targets.RecvTypeName(fn); recv != nil {
		name = recv.Name() + "." + name
	} else if fn.Pkg() != r.pass.Pkg {
		name = fn.Pkg().Name() + "." + name
	}
	return "call to routed " + name
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
