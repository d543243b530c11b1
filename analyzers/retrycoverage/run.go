package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	inspectpass "golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/analyzers/internal/report"
	"github.com/resilience-lint/resilience-lint/analyzers/retrysafety"
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
	// errFields are the calls whose error is read from a field of their
	// result (gorm's db.First(&u).Error: targets.ErrorFieldCalls).
	errFields map[*ast.CallExpr]bool
	// errDefers are the defer statements that may set their function's
	// named error result (defer handleErr(&err), or a deferred closure
	// assigning err after recover()): work that can fail, although no
	// call returns an error.
	errDefers map[*ast.DeferStmt]bool
	// purity knows the functions that compute only from their
	// arguments, for the statements before validation guards; built by
	// purityOf when a guard region is first needed.
	purity *targets.Purity
	// loops maps each call that can fail inside a hand-rolled retry loop
	// to that loop; loopAt holds every such loop (see loops.go).
	loops  map[*ast.CallExpr]ast.Stmt
	loopAt map[ast.Stmt]bool
	// recursionAt holds the statements of r.loops that stand for a retry
	// by recursion (the statement of its first self-call), not a loop.
	recursionAt map[ast.Stmt]bool
	// loopReach maps the functions those loops run in their attempts
	// to how they reach them (calledbyloop.go), found on first use.
	loopReach map[*types.Func]*loopReach
	// foreignReach: the methods of other packages they run (retriedElsewhere).
	foreignReach map[*types.Func]*loopReach
	// jobHandlers finds the methods a job-queue framework runs and
	// retries (targets/jobhandlers.go); built on first use.
	jobHandlers *targets.JobHandlers
	// discarded are the calls whose error result is dropped on the spot.
	discarded map[*ast.CallExpr]bool
	// dataErrs are the calls whose error comes back in a field of their
	// result, which the function returns (res.Err), or through the
	// function iterator they return, which a range statement ranges over
	// (findRangeErrors).
	dataErrs map[*ast.CallExpr]bool
	// memEncodes are the Encode calls of encoders over a buffer made in
	// the same function: they fail only on the value (memencode.go).
	memEncodes map[*ast.CallExpr]bool
	// routedBy says, for a routed function of this package, what routes
	// it when it is not a recovery call (RoutedFunc.By).
	routedBy map[*types.Func]string
	// retryingTypes are the types of this package declared with
	// //resilience:retries, with the reason.
	retryingTypes map[*types.TypeName]string
	// nestFuncs are the functions of this package that are not routed
	// but retry part of their work, or call one that does (NestedRetry).
	// The value says where the retry is (NestedRetry.Via).
	nestFuncs map[*types.Func]string
	// ownNest are the functions of nestFuncs whose own body retries
	// (NestedRetry.Own).
	ownNest map[*types.Func]bool
	// agentMethods are the package's agent methods, decided: the
	// implementations a call of an interface method may run
	// (ifacecalls.go).
	agentMethods []*agentMethod
	// ifaceImplCache keeps, per interface method called, the methods of
	// this package's and the interface's package's types implementing it
	// (ifaceretry.go).
	ifaceImplCache map[*types.Func][]*types.Func
	// litVars are the local variables set once, to a function literal
	// (callbacks.go), found on first use.
	litVars map[*types.Var]*ast.FuncLit
	// elemVars are the local variables set once, to an element of a
	// package-level variable holding functions (funcfields.go).
	elemVars map[*types.Var]*types.Var
	// callVars are the local variables set once, to the result of a
	// call (findLitVars): iter := q.Iter(), whose methods read the
	// error of the call's work (resultless.go).
	callVars map[*types.Var]*ast.CallExpr
	// declOf maps the package's functions to their declarations, made on
	// the first poll condition named by a function (pollconds.go).
	declOf map[*types.Func]*ast.FuncDecl
	// otherRetries caches, for another package's method implementing an
	// interface, whether its Facts say it retries (ifaceretry.go);
	// callbacks caches the functions each call hands its callee
	// (callbacks.go).
	otherRetries map[*types.Func]bool
	callbacks    map[*ast.CallExpr][]*types.Func
	// litFieldCalls caches the functions a call through a func field
	// in a function literal's body runs (eachLitCallee).
	litFieldCalls map[*ast.CallExpr][]*types.Func
	// fieldStores are the values the package stores into each struct
	// field of function type (funcfields.go), found on first use.
	fieldStores map[*types.Var][]ast.Expr
	typeStores  map[*types.Named][]ast.Expr
	elemStores  map[*types.Var][]ast.Expr
	// params and staticCalls index the package's function parameters
	// and static calls, for a stored parameter (paramArgs).
	params      map[*types.Var]paramOf
	staticCalls map[*types.Func][]*ast.CallExpr
	// holders are the fields and variables the package sets to a client
	// or transport a known retry library builds (transport.go).
	holders map[*types.Var]retryOrigin
	// senderFuncs are the functions of this package that may return such
	// a client or transport, or a value whose Do or RoundTrip retries,
	// with what retries in it (RetryingSenderFunc).
	senderFuncs map[*types.Func]retryOrigin
	// senderTypes remembers isSender's answer per type.
	senderTypes map[types.Type]bool
	// transport are the functions of this package, not routed, that send
	// through such a client or call one that does (TransportRetry).
	transport map[*types.Func]*TransportRetry
	// depImpls are the methods of other packages that retry when called,
	// by name, for calls through interfaces (depifaces.go).
	depImpls map[string][]depImpl
	// standInVia says where the stand-ins among depImpls retry
	// (standin.go): their Facts are in RetryingImpls.
	standInVia map[*types.Func]string
	msets      typeutil.MethodSetCache
	// calleeClass caches classify for baseKind.
	calleeClass map[*types.Func]calleeClass
	// checks keeps the routed analysis of each function (check).
	checks map[*ast.FuncDecl]checked
	// While check runs (recording), unrouted collects the functions of
	// this package whose calls baseKind found not routed (unroutedSeen:
	// the same, as a set).
	recording    bool
	unrouted     []*types.Func
	unroutedSeen map[*types.Func]bool
	// nodeCalls holds, while checkFresh runs, the calls of each node of
	// the function's CFG with their kinds, in evaluation order (callsOf).
	nodeCalls map[ast.Node][]kindedCall
	// exportsFacts is false for packages whose Facts no verdict may
	// depend on: the standard library (targets.InGOROOT) and dependencies
	// that reach no entry point (targets.Classifier.ExportsFacts). Drivers
	// differ in whether they analyze those from source.
	exportsFacts bool
}

// badReturn is a return reached without the retry after work, or whose
// error may come from work done after the retry.
type badReturn struct {
	ret    *ast.ReturnStmt
	before bool // a recovery call follows it in the source: work done before the retry
	// late, if set, is a call that can fail, made after a recovery call
	// (at retry) on a path to ret, whose error is not nil there.
	late  *ast.CallExpr
	retry retryCall
}

// retryCall is a call that routes: a recovery entry point, a retry
// library's, a routed function, a method of a type that retries by
// construction, or a call that can fail inside a retry loop. It keeps
// the kind and the callee; retryLabel and routedVia word them for
// messages, the Result and the RoutedFunc fact.
type retryCall struct {
	pos  token.Pos // the call; the loop, for a retryLoop
	kind retryKind
	fn   *types.Func // the callee; nil when it is not known
	// by is, for a retryDelegate, what routes fn (its RoutedFunc.By, ""
	// when fn calls recovery itself) and, for a retryByConstruction, why
	// fn's type retries (Classifier.RetriesByConstruction or the
	// RetryingType fact).
	by string
}

// retryKind says how a retryCall routes.
type retryKind int

const (
	retryRecovery       retryKind = iota // a recovery entry point
	retryLoop                            // a call that can fail inside a retry loop of the function
	retryRecursion                       // a call that can fail in an attempt of a retry by recursion (recursion.go)
	retryLibrary                         // a retry library's entry point or a configured retry-func
	retryDelegate                        // a call to a routed function
	retryByConstruction                  // a method of a type that retries by construction
)

// routing is what the routed analysis (check) finds in one function: the
// returns reached without a retry, the retries and the work. The verdict
// on a method (exempt, routed, unrouted) is decided from it.
type routing struct {
	bad        []badReturn
	retries    []retryCall     // recovery calls counted (not in go/defer), in source order
	goRetries  []token.Pos     // recovery calls in go or defer statements
	routedRets int             // returns reached through a recovery call
	failable   bool            // the body does work that can fail
	errDefer   bool            // a deferred handler may set the error result
	dropped    bool            // some work that can fail has its error discarded
	work       []*ast.CallExpr // the calls that can fail (not in go/defer), in CFG order
	late       bool            // some return's error may come from work after the retry
	// awaited are the go statements starting a function literal that
	// signals its end (goretry.go): a retry it runs does not route, but
	// a retry around the function would nest it.
	awaited []*ast.GoStmt
}

// agentMethod is one in-scope method on its way to a verdict.
type agentMethod struct {
	t   *targets.Type
	m   *targets.Method
	out Method
	v   *routing // the routed analysis, when out.Status is Unrouted

	// For unrouted methods: the strongly connected component of the calls
	// between unrouted methods of the package (a cycle cannot be routed
	// callee first), and whether the method is expected to be routed once
	// the fixes are applied (it gets a fix, or it delegates to methods
	// that are).
	scc      int
	resolves bool
	// nests: it gets no fix because wrapping it would nest a retry (it
	// mixes work in a retry with work outside it, or calls methods that
	// are or will be routed besides other work): wrapping a caller would
	// nest that retry too.
	nests bool
	// roots are the methods whose fixes route this one by delegation
	// (set when it gets no fix of its own): its callees, or theirs when
	// they delegate in turn.
	roots []string
	// retried: a routed method that runs a retry when called (its own
	// recovery call or retry, or a routed callee's), for callers through
	// an interface (ifacecalls.go).
	retried bool
	// origin says, when nests is set, where the retry it would nest is
	// (NestedRetry.Via).
	origin string
	// handedOnly: the only retries it nests are methods of values it
	// hands a callback its caller passes (callbackvalues.go), which that
	// callback may or may not call.
	handedOnly bool
}

func run(pass *analysis.Pass, opts Options) (any, error) {
	cls, err := targets.New(opts.Config)
	if err != nil {
		return nil, err
	}
	r := &runner{
		pass:        pass,
		cls:         cls,
		cfgs:        pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs),
		routed:      map[*types.Func]bool{},
		validators:  map[*types.Func]bool{},
		errDefers:   map[*ast.DeferStmt]bool{},
		loops:       map[*ast.CallExpr]ast.Stmt{},
		loopAt:      map[ast.Stmt]bool{},
		recursionAt: map[ast.Stmt]bool{},
		discarded:   map[*ast.CallExpr]bool{},
		dataErrs:    map[*ast.CallExpr]bool{},
		memEncodes:  map[*ast.CallExpr]bool{},
		routedBy:    map[*types.Func]string{},
		nestFuncs:   map[*types.Func]string{},
		ownNest:     map[*types.Func]bool{},
		transport:   map[*types.Func]*TransportRetry{},

		calleeClass:  map[*types.Func]calleeClass{},
		checks:       map[*ast.FuncDecl]checked{},
		unroutedSeen: map[*types.Func]bool{},
		nodeCalls:    map[ast.Node][]kindedCall{},
	}
	// The calls whose error is a field of their result: retrysafety's
	// finding, when it ran (it is a requirement; tests may drop it).
	if res := retrysafety.ResultOf(pass); res != nil {
		r.errFields = res.ErrorFields
	} else {
		r.errFields = targets.ErrorFieldCalls(pass.TypesInfo, pass.Files)
	}
	r.findRetryingTypes()
	r.findDiscarded()
	r.findDataErrors()
	r.findRangeErrors()
	r.exportsFacts = !targets.InGOROOT(pass.Fset, pass.Files) && cls.ExportsFacts(pass.Pkg, targets.ModuleVersion(pass.Module))
	r.findErrDefers()
	r.findMemEncodes()
	r.findValidators()
	r.findRetryLoops()
	// Any package may retry on its own (a retry loop, a retrying type):
	// only the standard library, which gets no Facts, is left out.
	if cls.CanRoute(pass.Pkg) || !targets.InGOROOT(pass.Fset, pass.Files) {
		r.exportFacts() // finds the retrying holders after the routed functions
	} else {
		r.findRetryingHolders()
	}

	classified := cls.ClassifyIn(pass.Fset, pass.Files, pass.Pkg, pass.TypesInfo, targets.ModuleVersion(pass.Module))
	var methods []*agentMethod
	unrouted := map[*types.Func]*agentMethod{}
	for _, t := range classified.Agents {
		// Classify leaves out types and methods of the files the
		// analyzers skip (generated, tests unless asked for).
		for _, p := range t.Problems {
			report.Report(pass, report.Pos(p.Pos), p.Message, report.Category(CategoryDirective))
		}
		for _, m := range t.Methods {
			am := r.decide(t, m)
			methods = append(methods, am)
			if am.out.Status == Unrouted {
				unrouted[m.Func] = am
			}
		}
	}
	r.agentMethods = methods
	// Callees first, so that a method knows whether each unrouted method
	// it calls will be routed by this run's fixes.
	for _, am := range r.calleesFirst(methods, unrouted) {
		r.report(am, unrouted, opts)
		if am.resolves && r.exportsFacts {
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
		if am.nests {
			// nestFuncs holds no empty origin: "" reads as "no nesting".
			origin := am.origin
			if origin == "" {
				origin = qualifiedName(am.m.Func)
			}
			r.nestFuncs[am.m.Func] = origin
		}
		if am.resolves {
			// Its fix routes it: callers delegate to it, and nest nothing.
			delete(r.nestFuncs, am.m.Func)
		}
	}
	if !targets.InGOROOT(pass.Fset, pass.Files) {
		for fn, via := range r.nestFuncs {
			pass.ExportObjectFact(fn, &NestedRetry{Via: via, Own: r.ownNest[fn]})
		}
	}
	if r.exportsFacts {
		r.exportRetryingImpls()
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
	res.Retried = r.retriedElsewhere()
	return res, nil
}

// inspector returns the inspector of the package's files.
func (r *runner) inspector() *inspector.Inspector {
	return r.pass.ResultOf[inspectpass.Analyzer].(*inspector.Inspector)
}

// purityOf returns r.purity, finding the package's pure functions on
// first use: only a method to be fixed needs its guard region.
func (r *runner) purityOf() *targets.Purity {
	if r.purity == nil {
		r.purity = targets.NewPurity(r.pass.TypesInfo, r.pass.Files)
	}
	return r.purity
}

// findRetryingTypes finds the types of the package declared with
// //resilience:retries <reason>, exports their RetryingType facts and
// reports the directives without a reason.
func (r *runner) findRetryingTypes() {
	found, problems := targets.RetryingTypes(r.pass.Files, r.pass.TypesInfo)
	r.retryingTypes = map[*types.TypeName]string{}
	for _, t := range found {
		r.retryingTypes[t.Obj] = "//resilience:retries " + t.Reason
		if !targets.InGOROOT(r.pass.Fset, r.pass.Files) {
			r.pass.ExportObjectFact(t.Obj, &RetryingType{Reason: r.retryingTypes[t.Obj]})
		}
	}
	for _, p := range problems {
		r.pass.Report(analysis.Diagnostic{Pos: p.Pos, Category: "directive", Message: p.Message})
	}
	// //resilience:repeatable on fields and variables is retrysafety's
	// (which reports nothing): a directive without a reason is reported
	// here.
	_, problems = targets.RepeatableVars(r.pass.Files, r.pass.TypesInfo)
	for _, p := range problems {
		r.pass.Report(analysis.Diagnostic{Pos: p.Pos, Category: "directive", Message: p.Message})
	}
}
