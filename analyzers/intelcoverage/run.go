package intelcoverage

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/analyzers/internal/flow"
	"github.com/resilience-lint/resilience-lint/analyzers/internal/report"
	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// Flow facts of the tracked analysis: what was recorded on every path.
const (
	factSuccess flow.Set = 1 << iota // a success record
	factError                        // an error record
	factAny                          // a record of either kind
	factWrap                         // the Track wrapper (it tracks what it returns)
)

func kindSet(k targets.TrackKind) flow.Set {
	switch k {
	case targets.TrackSuccess:
		return factSuccess | factAny
	case targets.TrackError:
		return factError | factAny
	case targets.TrackOutcome:
		return factAny
	case targets.TrackWrap:
		return factWrap
	}
	return 0
}

type runner struct {
	pass  *analysis.Pass
	cls   *targets.Classifier
	cfgs  *ctrlflow.CFGs
	local map[*types.Func]targets.TrackKind // tracking helpers of this package
}

// nilness of a returned error.
type nilness int

const (
	unknownErr nilness = iota
	nilErr
	nonNilErr
)

// untracked is a return whose outcome is not recorded.
type untracked struct {
	ret  *ast.ReturnStmt
	what string // "the error returned at f.go:12 is not tracked (...)"
}

func run(pass *analysis.Pass, opts Options) (any, error) {
	cls, err := targets.New(opts.Config)
	if err != nil {
		return nil, err
	}
	r := &runner{
		pass:  pass,
		cls:   cls,
		cfgs:  pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs),
		local: map[*types.Func]targets.TrackKind{},
	}
	if cls.CanTrack(pass.Pkg) {
		r.exportFacts()
	}

	res := &Result{}
	classified := cls.ClassifyIn(pass.Fset, pass.Files, pass.Pkg, pass.TypesInfo, targets.ModuleVersion(pass.Module))
	for _, t := range classified.Workers {
		// Classify leaves out types and methods of the files the
		// analyzers skip (generated, tests unless asked for).
		for _, p := range t.Problems {
			report.Report(pass, report.Pos(p.Pos), p.Message, report.Category(CategoryDirective))
		}
		for _, m := range t.Methods {
			res.Workers = append(res.Workers, r.worker(t, m, opts))
		}
	}
	return res, nil
}

func (r *runner) worker(t *targets.Type, m *targets.Method, opts Options) Worker {
	pass := r.pass
	name := t.Obj.Name() + "." + m.Func.Name()
	w := Worker{
		Pkg:    pass.Pkg.Path(),
		Name:   t.Obj.Name(),
		Method: m.Func.Name(),
		Agent:  r.cls.AgentName(pass.Pkg),
		Pos:    pass.Fset.Position(m.Decl.Name.Pos()),
	}
	if reason, ok := targets.Exemption(t, m, ""); ok {
		w.Status, w.Reason = Exempt, reason
		return w
	}
	var reasons []string

	// A Tracker built per call aggregates nothing across calls.
	ast.Inspect(m.Decl.Body, func(n ast.Node) bool {
		var at ast.Node
		switch n := n.(type) {
		case *ast.CallExpr:
			if fn, ok := typeutil.Callee(pass.TypesInfo, n).(*types.Func); ok && targets.IsTrackerConstructor(fn) {
				at = n
			}
		case *ast.CompositeLit:
			if targets.IsTrackerType(pass.TypesInfo.TypeOf(n)) {
				at = n
			}
		}
		if at != nil {
			msg := fmt.Sprintf("%s creates a new intelligence.Tracker at %s on every call, which loses aggregation across calls", name, r.where(at.Pos()))
			reasons = append(reasons, msg)
			report.Report(pass, at, msg+" (keep one Tracker in a field of "+t.Obj.Name()+", or use intelligence.Default())",
				report.Category(CategoryTrackerPerCall))
			w.Reported = append(w.Reported, pass.Fset.Position(at.Pos()))
		}
		return true
	})

	bad := r.check(m.Decl, m.Func)
	if len(bad) > 0 {
		target := &Target{
			File:         m.File,
			Decl:         m.Decl,
			Worker:       t.Obj,
			Agent:        w.Agent,
			TrackerField: targets.TrackerField(t.Obj.Type()),
			Ctx:          targets.ContextParam(m.Func),
		}
		target.Records, target.Helpers = r.records(m.Decl)
		hint := " (run resilience-lint -fix to wrap the body in intelligence.Track, or record it with TrackSuccess/TrackError)"
		var fixes []analysis.SuggestedFix
		if opts.Fix != nil {
			fx, err := opts.Fix(pass, target)
			if err != nil {
				hint = " (record it with TrackSuccess/TrackError; -fix cannot rewrite it: " + err.Error() + ")"
			}
			fixes = fx
		}
		// One diagnostic per method, at its name, with every untracked
		// return as related information and the one rewrite attached.
		var whats []string
		ropts := []report.Option{report.Category(CategoryUntracked), report.Fixes(fixes...)}
		for _, b := range bad {
			reasons = append(reasons, b.what)
			whats = append(whats, b.what)
			ropts = append(ropts, report.Related(b.ret, b.what))
		}
		report.Report(pass, m.Decl.Name, fmt.Sprintf("%s: %s%s", name, strings.Join(whats, "; "), hint), ropts...)
		w.Reported = append(w.Reported, pass.Fset.Position(m.Decl.Name.Pos()))
	}
	if len(reasons) > 0 {
		w.Status = Untracked
		w.Reason = reasons[0]
		for _, more := range reasons[1:] {
			w.Reason += "; " + more
		}
	}
	return w
}

func (r *runner) where(pos token.Pos) string {
	p := r.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// exportFacts finds the tracking helpers of the package (a fixed point,
// as helpers may call each other) and exports their Facts.
func (r *runner) exportFacts() {
	var funcs []*ast.FuncDecl
	for _, f := range r.pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				funcs = append(funcs, fd)
			}
		}
	}
	cands := r.mayRecord(funcs)
	for changed := true; changed; {
		changed = false
		for _, fd := range cands {
			fn, ok := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok || r.local[fn] != targets.TrackNone {
				continue
			}
			if k := r.helperKind(fd, fn); k != targets.TrackNone {
				r.local[fn] = k
				changed = true
			}
		}
	}
	for _, fd := range funcs {
		if fn, ok := r.pass.TypesInfo.Defs[fd.Name].(*types.Func); ok && r.local[fn] != targets.TrackNone {
			r.pass.ExportObjectFact(fn, &TrackingFunc{Kind: r.local[fn]})
		}
	}
}

// mayRecord returns, in order, the functions of funcs that may record an
// outcome: their bodies (function literals and go statements included)
// make a call whose kind is not TrackNone before any helper is known (a
// tracking function, one whose TrackingFunc fact says it tracks), or call
// one of funcs that may record in turn. It is called before the fixed
// point sets any of r.local. The others record nothing on any path,
// whatever helpers the fixed point finds (every flow fact comes from the
// kind of a call): helperKind would say TrackNone of them in every round.
func (r *runner) mayRecord(funcs []*ast.FuncDecl) []*ast.FuncDecl {
	info := r.pass.TypesInfo
	index := make(map[*types.Func]int, len(funcs))
	for i, fd := range funcs {
		if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
			index[fn] = i
		}
	}
	may := make([]bool, len(funcs))
	callers := make([][]int, len(funcs)) // callers[j]: the funcs calling funcs[j]
	var queue []int
	for i, fd := range funcs {
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || may[i] {
				return !may[i]
			}
			fn, ok := typeutil.Callee(info, c).(*types.Func)
			if !ok {
				return true
			}
			if j, local := index[fn.Origin()]; local {
				callers[j] = append(callers[j], i)
			}
			// No helper is known yet: the kind of any call is what it
			// will be whatever the fixed point finds, unless the callee
			// is one of funcs (its edge above).
			if r.kind(c) != targets.TrackNone {
				may[i] = true
			}
			return !may[i]
		})
		if may[i] {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		j := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, i := range callers[j] {
			if !may[i] {
				may[i] = true
				queue = append(queue, i)
			}
		}
	}
	var out []*ast.FuncDecl
	for i, fd := range funcs {
		if may[i] {
			out = append(out, fd)
		}
	}
	return out
}

// helperKind says what fd records on every path that leaves it normally.
func (r *runner) helperKind(fd *ast.FuncDecl, fn *types.Func) targets.TrackKind {
	g := r.cfgs.FuncDecl(fd)
	if g == nil {
		return targets.TrackNone
	}
	in := flow.Solve(g, 0, r.transfer)
	all, exits := flow.All, 0
	for _, b := range g.Blocks {
		if !b.Live || len(b.Succs) > 0 || r.noReturn(b) {
			continue
		}
		exits++
		all &= r.transfer(b, in[b.Index])
	}
	switch {
	case exits == 0:
		return targets.TrackNone
	case all&factSuccess != 0 && all&factError != 0:
		return targets.TrackOutcome
	case all&factSuccess != 0:
		return targets.TrackSuccess
	case all&factError != 0:
		return targets.TrackError
	case all&factAny != 0:
		return targets.TrackOutcome
	case all&factWrap != 0:
		return targets.TrackWrap
	}
	// A function returning an error tracked like a run method's (for
	// example a tracked run method another worker delegates to) is a
	// wrapper of its own result.
	if typepred.ReturnsError(fn.Type().(*types.Signature)) && r.tracksSomething(g) && len(r.check(fd, fn)) == 0 {
		return targets.TrackWrap
	}
	return targets.TrackNone
}

func (r *runner) tracksSomething(g *cfg.CFG) bool {
	for _, b := range g.Blocks {
		if b.Live && r.transfer(b, 0) != 0 {
			return true
		}
	}
	return false
}

// noReturn reports whether a block without successors ends in a call that
// does not return (panic, os.Exit, log.Fatal, or a function ctrlflow
// knows never returns) rather than at the end of the function.
func (r *runner) noReturn(b *cfg.Block) bool {
	if b.Return() != nil || len(b.Nodes) == 0 {
		return false
	}
	es, ok := b.Nodes[len(b.Nodes)-1].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	switch fn := typeutil.Callee(r.pass.TypesInfo, call).(type) {
	case *types.Builtin:
		return fn.Name() == "panic"
	case *types.Func:
		return r.cfgs.NoReturn(fn)
	}
	return false
}

// check returns the returns of a run method whose outcome is not recorded.
func (r *runner) check(fd *ast.FuncDecl, fn *types.Func) []untracked {
	g := r.cfgs.FuncDecl(fd)
	if g == nil {
		return nil
	}
	sig := fn.Type().(*types.Signature)
	in := flow.Solve(g, 0, r.transfer)
	var bad []untracked
	for _, b := range g.Blocks {
		ret := b.Return()
		if !b.Live || ret == nil {
			continue
		}
		s := r.transfer(b, in[b.Index]) // the return's own calls count
		if s&factWrap != 0 {
			continue
		}
		at := r.where(ret.Pos())
		switch r.nilness(b, ret, sig) {
		case nilErr:
			if s&factSuccess == 0 {
				what := "no success record on this path"
				if s&factError != 0 {
					what = "only an error is recorded on this path"
				}
				bad = append(bad, untracked{ret, fmt.Sprintf("the success returned at %s is not tracked (%s)", at, what)})
			}
		case nonNilErr:
			if s&factError == 0 {
				what := "no error record on this path"
				if s&factSuccess != 0 {
					what = "only a success is recorded on this path"
				}
				bad = append(bad, untracked{ret, fmt.Sprintf("the error returned at %s is not tracked (%s)", at, what)})
			}
		default:
			if s&factAny == 0 {
				bad = append(bad, untracked{ret, fmt.Sprintf("the result returned at %s is not tracked (neither a success nor an error is recorded on this path)", at)})
			}
		}
	}
	return bad
}

// nilness classifies the error a return statement returns.
func (r *runner) nilness(b *cfg.Block, ret *ast.ReturnStmt, sig *types.Signature) nilness {
	if len(ret.Results) != sig.Results().Len() || len(ret.Results) == 0 {
		return unknownErr // bare return of named results, or return f()
	}
	info := r.pass.TypesInfo
	e := ast.Unparen(ret.Results[len(ret.Results)-1])
	if tv, ok := info.Types[e]; ok && tv.IsNil() {
		return nilErr
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		return nonNilErr
	case *ast.UnaryExpr:
		if _, ok := ast.Unparen(e.X).(*ast.CompositeLit); ok && e.Op == token.AND {
			return nonNilErr
		}
	case *ast.CallExpr:
		if fn, ok := typeutil.Callee(info, e).(*types.Func); ok && targets.IsErrorConstructor(fn) {
			return nonNilErr
		}
	case *ast.Ident, *ast.SelectorExpr:
		id, _ := e.(*ast.Ident)
		if sel, ok := e.(*ast.SelectorExpr); ok {
			id = sel.Sel
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok {
			break
		}
		if v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
			return nonNilErr // a package-level sentinel error
		}
		if ifs, ok := b.Stmt.(*ast.IfStmt); ok && comparesNil(info, ifs.Cond, v) == token.NEQ && b.Kind == cfg.KindIfThen ||
			ok && comparesNil(info, ifs.Cond, v) == token.EQL && b.Kind == cfg.KindIfElse {
			return nonNilErr // inside if err != nil { ... }
		}
	}
	return unknownErr
}

// comparesNil returns the operator of a condition "v != nil" or "v == nil"
// (either order), or token.ILLEGAL.
func comparesNil(info *types.Info, cond ast.Expr, v *types.Var) token.Token {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || (be.Op != token.NEQ && be.Op != token.EQL) {
		return token.ILLEGAL
	}
	is := func(x, y ast.Expr) bool {
		id, ok := ast.Unparen(x).(*ast.Ident)
		tv, okNil := info.Types[ast.Unparen(y)]
		return ok && info.Uses[id] == v && okNil && tv.IsNil()
	}
	if is(be.X, be.Y) || is(be.Y, be.X) {
		return be.Op
	}
	return token.ILLEGAL
}

func (r *runner) transfer(b *cfg.Block, s flow.Set) flow.Set {
	for _, n := range b.Nodes {
		switch n := n.(type) {
		case *ast.GoStmt:
			// Records in a goroutine may never happen before the return.
		case *ast.DeferStmt:
			s |= r.deferred(n)
		default:
			ast.Inspect(n, func(x ast.Node) bool {
				switch x := x.(type) {
				case *ast.FuncLit:
					return false
				case *ast.CallExpr:
					s |= kindSet(r.kind(x))
				}
				return true
			})
		}
	}
	return s
}

// deferred returns what a deferred call records when the function
// returns: a tracking call, or a function literal whose body records (a
// literal recording both kinds dispatches on the outcome, like Track).
func (r *runner) deferred(d *ast.DeferStmt) flow.Set {
	lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit)
	if !ok {
		return kindSet(r.kind(d.Call))
	}
	var s flow.Set
	ast.Inspect(lit.Body, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			s |= kindSet(r.kind(x))
		}
		return true
	})
	if s&factSuccess != 0 && s&factError != 0 || s&factAny != 0 && s&(factSuccess|factError) == 0 {
		return factWrap
	}
	return s
}

func (r *runner) kind(call *ast.CallExpr) targets.TrackKind {
	fn, ok := typeutil.Callee(r.pass.TypesInfo, call).(*types.Func)
	if !ok {
		return targets.TrackNone
	}
	fn = fn.Origin()
	if k := r.cls.TrackKindOf(fn); k != targets.TrackNone {
		return k
	}
	if k, ok := r.local[fn]; ok {
		return k
	}
	var fact TrackingFunc
	if fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(fn, &fact) {
		return fact.Kind
	}
	return targets.TrackNone
}

// records returns the calls in fd's body that record an outcome by hand:
// Tracker methods and configured track-funcs, then the calls of tracking
// helpers known through Facts (not the Track wrappers).
func (r *runner) records(fd *ast.FuncDecl) (records, helpers []*ast.CallExpr) {
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn, ok := typeutil.Callee(r.pass.TypesInfo, c).(*types.Func)
		if !ok {
			return true
		}
		switch r.cls.TrackKindOf(fn) {
		case targets.TrackSuccess, targets.TrackError, targets.TrackOutcome:
			records = append(records, c)
			return true
		case targets.TrackWrap:
			return true
		}
		switch r.kind(c) {
		case targets.TrackSuccess, targets.TrackError, targets.TrackOutcome:
			helpers = append(helpers, c)
		}
		return true
	})
	return records, helpers
}
