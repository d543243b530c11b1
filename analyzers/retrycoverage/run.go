package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"

	"github.com/resilience-lint/resilience-lint/internal/targets"
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
				pass.Report(analysis.Diagnostic{Pos: p.Pos, Category: CategoryDirective, Message: p.Message})
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
