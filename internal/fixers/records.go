package fixers

import (
	"bytes"
	"go/ast"
	"go/printer"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// The Track wrapper records every run of the body itself, so the records a
// worker writes by hand must go, or every run would be recorded twice
// (under two Ops when they differ). planRecords decides what goes:
//
//   - each record statement: an expression statement of its own, directly
//     in a block or case of the body or of a function literal that the
//     body defers or starts as a goroutine (not in another function
//     literal, an expression or a labelled statement), or a defer or go
//     statement of the record itself, whose operands have no side
//     effects. A call of a tracking helper (Target.Helpers) is a record
//     when the helper is a function of the package that does nothing but
//     record (recordsOnly); a helper that does more, or of another
//     package, is refused, as removing its call would drop what else it
//     does and keeping it would count every run twice;
//   - then the statements left with nothing to do: an if statement (no
//     init, a condition without side effects) whose branches only held
//     records, and a defer or go statement of a function literal whose
//     body only held records (and bare returns);
//   - then, as a fixed point, each local variable that is no longer used
//     and whose declaration ("x := e" or "var x = e", one name) has no
//     side effects, such as start := time.Now() or op := intelligence.Op{...};
//   - then each import that nothing else in the file uses (time, often).
//
// The comments of a removed statement, inside it included, move to the
// statement that follows it. Anything else is refused with the reason:
// the result must compile and do what the original did, minus the
// duplicate records. When every record is a Tracker method called on the
// same tracker with the same Op, and both can be evaluated where the Track
// call goes (at the method's start), the Track call reuses them;
// otherwise it gets the Op and tracker it writes for a worker without
// records.

// planRecords fills w.remove, w.trackerText, w.opText and w.dropImports
// for the hand-written records and tracking-helper calls of a Track
// rewrite.
func (w *track) planRecords(records, helpers []*ast.CallExpr) error {
	if len(records) == 0 && len(helpers) == 0 {
		return nil
	}
	in := inspector.New([]*ast.File{w.file})
	body, ok := in.Root().FindNode(w.decl.Body)
	if !ok {
		return errorf("%s: internal error: body not found in the file", w.name())
	}
	w.body = body
	removed := map[ast.Stmt]bool{}
	trackers, ops := map[string]bool{}, map[string]bool{}
	var opExpr, trackerExpr ast.Expr
	agree := len(helpers) == 0
	all := slices.Concat(records, helpers)
	slices.SortFunc(all, func(a, b *ast.CallExpr) int { return int(a.Pos() - b.Pos()) })
	for _, c := range all {
		name := w.callName(c)
		line := w.line(c.Pos())
		if slices.Contains(helpers, c) {
			fn, _ := typeutil.Callee(w.pass.TypesInfo, c).(*types.Func)
			if fn == nil || !w.recordsOnly(fn, map[*types.Func]bool{}) {
				return errorf("%s records through the tracking helper %s at line %d, which does more than record or is not in this package: the Track wrapper would record every run twice; remove that call (or its records) by hand, then run -fix again", w.name(), name, line)
			}
		}
		stmt, err := w.recordStmt(c, name, line)
		if err != nil {
			return err
		}
		args := append([]ast.Expr{c.Fun}, c.Args...)
		if bad := w.sideEffect(args...); bad != nil {
			return errorf("%s records by hand with %s at line %d, and removing it would drop %s, which may have side effects: move that out of the record, then run -fix again", w.name(), name, line, w.exprText(bad))
		}
		removed[stmt] = true

		tracker, op, ok := w.trackerMethodArgs(c)
		if !ok {
			agree = false
			continue
		}
		trackers[w.exprText(tracker)] = true
		ops[w.exprText(op)] = true
		trackerExpr, opExpr = tracker, op
	}
	w.prune(w.decl.Body.List, false, removed)
	// A statement inside a removed one goes with it.
	for s := range removed {
		cur, ok := w.body.FindNode(s)
		if !ok {
			return errorf("%s: internal error: statement not found in the body", w.name())
		}
		for a := range cur.Parent().Enclosing() {
			if st, ok := a.Node().(ast.Stmt); ok && removed[st] {
				delete(removed, s)
				break
			}
		}
	}

	if err := w.dropUnused(removed); err != nil {
		return err
	}

	// Reuse the records' tracker and Op when they agree and can be
	// evaluated at the method's start.
	if agree && len(trackers) == 1 && len(ops) == 1 {
		op := w.hoistable(opExpr, removed)
		tracker := w.hoistable(trackerExpr, removed)
		if op != nil && tracker != nil {
			w.opText, w.trackerText = w.exprText(op), w.exprText(tracker)
			w.kept = []ast.Node{op, tracker}
		}
	}
	w.remove = removed

	edits, err := w.importDrops(removed)
	if err != nil {
		return err
	}
	w.dropImports = edits
	return nil
}

// recordStmt returns the statement that goes with the record c: its
// expression statement, or the defer or go statement of c itself. It
// refuses a record that cannot be removed cleanly.
func (w *track) recordStmt(c *ast.CallExpr, name string, line int) (ast.Stmt, error) {
	cur, ok := w.body.FindNode(c)
	if !ok {
		return nil, errorf("%s: internal error: record at line %d not found in the body", w.name(), line)
	}
	cur = cur.Parent()
	for {
		if _, ok := cur.Node().(*ast.ParenExpr); !ok {
			break
		}
		cur = cur.Parent()
	}
	stmt, _ := cur.Node().(ast.Stmt)
	switch stmt.(type) {
	case *ast.ExprStmt, *ast.DeferStmt, *ast.GoStmt:
	default:
		return nil, errorf("%s records by hand with %s at line %d inside an expression, which -fix cannot remove cleanly: remove that record by hand, then run -fix again", w.name(), name, line)
	}
	// Function literals on the way must be deferred or started as a
	// goroutine by the method's body itself: their records report this
	// run's outcome, once.
	for lit := range cur.Parent().Enclosing((*ast.FuncLit)(nil)) {
		if !deferredOrGo(lit) {
			return nil, errorf("%s records by hand with %s at line %d inside a function literal, which -fix cannot remove cleanly: remove that record by hand, then run -fix again", w.name(), name, line)
		}
	}
	switch cur.Parent().Node().(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
	default:
		return nil, errorf("%s records by hand with %s at line %d in a labelled statement, which -fix cannot remove cleanly: remove that record by hand, then run -fix again", w.name(), name, line)
	}
	return stmt, nil
}

// deferredOrGo reports whether lit (a function literal) is the function
// of a defer or go statement of the method's body, not inside another
// function literal.
func deferredOrGo(lit inspector.Cursor) bool {
	if lit.ParentEdgeKind() != edge.CallExpr_Fun {
		return false
	}
	stmt := lit.Parent().Parent()
	switch stmt.Node().(type) {
	case *ast.DeferStmt, *ast.GoStmt:
	default:
		return false
	}
	for range stmt.Enclosing((*ast.FuncLit)(nil)) {
		return false
	}
	return true
}

// prune adds to removed the statements of list left with nothing to do
// once the removed ones are gone (see planRecords), and reports whether
// all of list goes. In a deferred or go function literal (lit), a bare
// return does nothing either.
func (w *track) prune(list []ast.Stmt, lit bool, removed map[ast.Stmt]bool) bool {
	all := true
	for _, s := range list {
		if !w.pruneStmt(s, lit, removed) {
			all = false
		}
	}
	return all
}

func (w *track) pruneStmt(s ast.Stmt, lit bool, removed map[ast.Stmt]bool) bool {
	if removed[s] {
		return true
	}
	gone := false
	switch s := s.(type) {
	case *ast.IfStmt:
		body := w.prune(s.Body.List, lit, removed)
		els := s.Else == nil || w.pruneStmt(s.Else, lit, removed)
		gone = body && els && s.Init == nil && w.sideEffect(s.Cond) == nil && w.holdsRemoved(s, removed)
	case *ast.BlockStmt:
		gone = w.prune(s.List, lit, removed) && w.holdsRemoved(s, removed)
	case *ast.ReturnStmt:
		return lit && len(s.Results) == 0
	case *ast.EmptyStmt:
		return true
	case *ast.DeferStmt, *ast.GoStmt:
		var call *ast.CallExpr
		if d, ok := s.(*ast.DeferStmt); ok {
			call = d.Call
		} else {
			call = s.(*ast.GoStmt).Call
		}
		fl, ok := ast.Unparen(call.Fun).(*ast.FuncLit)
		if !ok {
			return false
		}
		body := w.prune(fl.Body.List, fl.Type.Results == nil, removed)
		gone = body && w.sideEffect(call.Args...) == nil && w.holdsRemoved(fl.Body, removed)
	case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.LabeledStmt:
		// Records in their blocks go one by one; the statements stay.
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BlockStmt:
				w.prune(n.List, false, removed)
				return false
			case *ast.CaseClause:
				w.prune(n.Body, false, removed)
				return false
			case *ast.CommClause:
				w.prune(n.Body, false, removed)
				return false
			case *ast.FuncLit:
				return false
			}
			return true
		})
	}
	if gone {
		removed[s] = true
	}
	return gone
}

// holdsRemoved reports whether a removed statement is inside n: a
// statement that only held records goes, one the user left empty stays.
func (w *track) holdsRemoved(n ast.Node, removed map[ast.Stmt]bool) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if s, ok := x.(ast.Stmt); ok && x != n && removed[s] {
			found = true
		}
		return !found
	})
	return found
}

// recordsOnly reports whether fn is a function of the package whose body
// does nothing but record: Tracker.TrackSuccess and TrackError calls and
// calls of other such functions, with operands without side effects,
// inside if statements whose conditions have none, and local variables
// declared without side effects. Removing a call to it loses nothing the
// Track wrapper does not do.
func (w *track) recordsOnly(fn *types.Func, seen map[*types.Func]bool) bool {
	fn = fn.Origin()
	if seen[fn] {
		return false
	}
	seen[fn] = true
	var fd *ast.FuncDecl
	for _, f := range w.pass.Files {
		for _, d := range f.Decls {
			if x, ok := d.(*ast.FuncDecl); ok && x.Body != nil && w.pass.TypesInfo.Defs[x.Name] == fn {
				fd = x
			}
		}
	}
	if fd == nil || fd.Type.Results != nil {
		return false
	}
	var ok func(list []ast.Stmt) bool
	ok = func(list []ast.Stmt) bool {
		for _, s := range list {
			switch s := s.(type) {
			case *ast.ExprStmt:
				c, isCall := ast.Unparen(s.X).(*ast.CallExpr)
				if !isCall || w.sideEffect(append([]ast.Expr{c.Fun}, c.Args...)...) != nil {
					return false
				}
				callee, _ := typeutil.Callee(w.pass.TypesInfo, c).(*types.Func)
				if callee == nil {
					return false
				}
				switch trackerRecord.TrackKindOf(callee) {
				case targets.TrackSuccess, targets.TrackError:
				default:
					if !w.recordsOnly(callee, seen) {
						return false
					}
				}
			case *ast.IfStmt:
				if s.Init != nil || w.sideEffect(s.Cond) != nil || !ok(s.Body.List) {
					return false
				}
				if s.Else != nil && !ok([]ast.Stmt{s.Else}) {
					return false
				}
			case *ast.BlockStmt:
				if !ok(s.List) {
					return false
				}
			case *ast.AssignStmt:
				if s.Tok != token.DEFINE || w.sideEffect(s.Rhs...) != nil {
					return false
				}
			case *ast.ReturnStmt:
				if len(s.Results) > 0 {
					return false
				}
			case *ast.EmptyStmt:
			default:
				return false
			}
		}
		return true
	}
	return ok(fd.Body.List)
}

// trackerRecord recognises the Tracker's own record methods.
var trackerRecord = func() *targets.Classifier {
	c, err := targets.New(nil)
	if err != nil {
		panic(err) // the default configuration is valid
	}
	return c
}()

// trackerMethodArgs returns the tracker and Op of a call of
// Tracker.TrackSuccess or Tracker.TrackError; ok is false for other
// records (configured track-funcs), whose arguments are not known.
func (w *track) trackerMethodArgs(c *ast.CallExpr) (tracker, op ast.Expr, ok bool) {
	fn, _ := typeutil.Callee(w.pass.TypesInfo, c).(*types.Func)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != targets.IntelligencePath || fn.Signature().Recv() == nil || len(c.Args) == 0 {
		return nil, nil, false
	}
	sel, isSel := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !isSel {
		return nil, nil, false
	}
	if s := w.pass.TypesInfo.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
		return nil, nil, false
	}
	return sel.X, c.Args[0], true
}

// hoistable returns e, or the initializer of the local variable e names
// when that variable's declaration is removed, if it can be evaluated at
// the method's start with the same value: it refers only to package-level
// objects and to the receiver, and has no side effects. nil otherwise.
func (w *track) hoistable(e ast.Expr, removed map[ast.Stmt]bool) ast.Expr {
	info := w.pass.TypesInfo
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if v, ok := info.Uses[id].(*types.Var); ok && w.inBody(v.Pos()) {
			decl, init := w.declOf(v)
			if decl == nil || init == nil || (!removed[decl] && w.assigned(v)) {
				return nil
			}
			e = init
		}
	}
	if w.sideEffect(e) != nil {
		return nil
	}
	recv := w.sig.Recv()
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		id, isID := n.(*ast.Ident)
		if !isID || !ok {
			return ok
		}
		switch obj := info.Uses[id].(type) {
		case nil, *types.PkgName, *types.Const, *types.TypeName, *types.Func, *types.Builtin, *types.Nil:
		case *types.Var:
			if !obj.IsField() && obj != recv && obj.Parent() != w.pass.Pkg.Scope() {
				ok = false
			}
			if obj == recv && w.assigned(obj) {
				ok = false
			}
		default:
			ok = false
		}
		return ok
	})
	if !ok {
		return nil
	}
	return e
}

// assigned reports whether v is assigned anywhere in the method's body.
func (w *track) assigned(v *types.Var) bool {
	found := false
	ast.Inspect(w.decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && w.pass.TypesInfo.Uses[id] == v {
					found = true
				}
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && w.pass.TypesInfo.Uses[id] == v {
				found = true
			}
		}
		return !found
	})
	return found
}

// dropUnused adds to removed, as a fixed point, the declarations of local
// variables that the removals leave unused, or refuses.
func (w *track) dropUnused(removed map[ast.Stmt]bool) error {
	info := w.pass.TypesInfo
	for changed := true; changed; {
		changed = false
		var vars []*types.Var
		for s := range removed {
			ast.Inspect(s, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() && w.inBody(v.Pos()) && !slices.Contains(vars, v) {
						vars = append(vars, v)
					}
				}
				return true
			})
		}
		slices.SortFunc(vars, func(a, b *types.Var) int { return int(a.Pos() - b.Pos()) })
		for _, v := range vars {
			if w.insideRemoved(v.Pos(), removed) {
				continue // goes with the statement declaring it
			}
			uses, assigns := w.remaining(v, removed)
			if uses > 0 {
				continue
			}
			decl, init := w.declOf(v)
			if decl != nil && removed[decl] {
				continue
			}
			if assigns > 0 {
				return errorf("%s: removing its hand-written records would leave %s assigned but never used: remove them by hand, then run -fix again", w.name(), v.Name())
			}
			if decl == nil {
				return errorf("%s: removing its hand-written records would leave %s (line %d) unused: remove them by hand, then run -fix again", w.name(), v.Name(), w.line(v.Pos()))
			}
			if init != nil {
				if bad := w.sideEffect(init); bad != nil {
					return errorf("%s: removing its hand-written records would leave %s unused, and its declaration at line %d calls %s, which may have side effects: remove them by hand, then run -fix again", w.name(), v.Name(), w.line(decl.Pos()), w.exprText(bad))
				}
			}
			removed[decl] = true
			changed = true
		}
	}
	return nil
}

// insideRemoved reports whether pos is inside a removed statement.
func (w *track) insideRemoved(pos token.Pos, removed map[ast.Stmt]bool) bool {
	for s := range removed {
		if s.Pos() <= pos && pos < s.End() {
			return true
		}
	}
	return false
}

// remaining counts the uses of v in the body outside the removed
// statements, and the assignments to it (which do not count as uses).
func (w *track) remaining(v *types.Var, removed map[ast.Stmt]bool) (uses, assigns int) {
	w.body.Inspect(nil, func(cur inspector.Cursor) bool {
		if s, ok := cur.Node().(ast.Stmt); ok && removed[s] {
			return false
		}
		id, ok := cur.Node().(*ast.Ident)
		if !ok || w.pass.TypesInfo.Uses[id] != v {
			return true
		}
		switch cur.ParentEdgeKind() {
		case edge.AssignStmt_Lhs, edge.IncDecStmt_X:
			assigns++
			return true
		}
		uses++
		return true
	})
	return uses, assigns
}

// declOf returns the statement declaring the local variable v when it is
// "v := e" or "var v = e" (or "var v T") alone in a block, with its
// initializer (nil for "var v T").
func (w *track) declOf(v *types.Var) (ast.Stmt, ast.Expr) {
	cur, ok := w.body.FindByPos(v.Pos(), v.Pos()+token.Pos(len(v.Name())))
	if !ok {
		return nil, nil // not declared in the body
	}
	if id, isID := cur.Node().(*ast.Ident); !isID || w.pass.TypesInfo.Defs[id] != v {
		return nil, nil
	}
	var stmt inspector.Cursor
	var init ast.Expr
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		if p.Tok != token.DEFINE || len(p.Lhs) != 1 || len(p.Rhs) != 1 {
			return nil, nil
		}
		stmt, init = cur.Parent(), p.Rhs[0]
	case *ast.ValueSpec:
		gd, ok := cur.Parent().Parent().Node().(*ast.GenDecl)
		if !ok || len(gd.Specs) != 1 || len(p.Names) != 1 || len(p.Values) > 1 {
			return nil, nil
		}
		stmt = cur.Parent().Parent().Parent()
		if _, ok := stmt.Node().(*ast.DeclStmt); !ok {
			return nil, nil
		}
		if len(p.Values) == 1 {
			init = p.Values[0]
		}
	default:
		return nil, nil
	}
	switch stmt.Parent().Node().(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		return stmt.Node().(ast.Stmt), init
	}
	return nil, nil
}

// pureFuncs are the functions whose calls have no side effects for the
// purpose of removing a record or an unused declaration: reading the
// clock and building log attributes or strings.
var pureFuncs = map[string]bool{
	"time.Now": true, "time.Since": true, "time.Until": true,
	"(time.Time).Sub": true, "(time.Duration).Seconds": true, "(time.Duration).Milliseconds": true,
	"errors.New": true, "fmt.Sprint": true, "fmt.Sprintf": true, "fmt.Errorf": true,
	"strconv.Itoa": true,
}

// sideEffect returns the first operand of es that may have a side effect
// (a call of anything but a conversion, a pure builtin, a pureFuncs entry
// or a log/slog attribute constructor; a receive), or nil.
func (w *track) sideEffect(es ...ast.Expr) ast.Node {
	info := w.pass.TypesInfo
	var bad ast.Node
	for _, e := range es {
		ast.Inspect(e, func(n ast.Node) bool {
			if bad != nil {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // a function value: nothing runs
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					bad = n
				}
			case *ast.CallExpr:
				if tv, ok := info.Types[n.Fun]; ok && tv.IsType() {
					return true
				}
				switch obj := typeutil.Callee(info, n).(type) {
				case *types.Builtin:
					switch obj.Name() {
					case "len", "cap", "min", "max", "complex", "real", "imag", "new", "make":
						return true
					}
				case *types.Func:
					if pureFuncs[obj.Origin().FullName()] {
						return true
					}
					if obj.Pkg() != nil && obj.Pkg().Path() == "log/slog" && obj.Signature().Recv() == nil {
						return true
					}
				}
				bad = n
			}
			return bad == nil
		})
		if bad != nil {
			return bad
		}
	}
	return nil
}

// importDrops returns the edits deleting the imports that only the
// removed statements used.
func (w *track) importDrops(removed map[ast.Stmt]bool) ([]analysis.TextEdit, error) {
	info := w.pass.TypesInfo
	var edits []analysis.TextEdit
	for _, spec := range w.file.Imports {
		var obj types.Object
		if spec.Name != nil {
			obj = info.Defs[spec.Name]
		} else {
			obj = info.Implicits[spec]
		}
		pn, ok := obj.(*types.PkgName)
		if !ok || pn.Imported().Path() == targets.IntelligencePath {
			continue
		}
		inRemoved, elsewhere := false, false
		ast.Inspect(w.file, func(n ast.Node) bool {
			if s, ok := n.(ast.Stmt); ok && removed[s] {
				inRemoved = inRemoved || typepred.Mentions(info, s, pn)
				return false
			}
			if id, ok := n.(*ast.Ident); ok && info.Uses[id] == pn {
				elsewhere = true
			}
			return !elsewhere
		})
		for _, k := range w.kept {
			elsewhere = elsewhere || typepred.Mentions(info, k, pn)
		}
		if !inRemoved || elsewhere {
			continue
		}
		e, err := w.deleteImport(spec)
		if err != nil {
			return nil, err
		}
		edits = append(edits, e)
	}
	return edits, nil
}

// deleteImport returns the edit deleting the lines of an import spec (the
// whole declaration when it is not parenthesized), and a blank line that
// would otherwise double another.
func (w *track) deleteImport(spec *ast.ImportSpec) (analysis.TextEdit, error) {
	src := w.source()
	tf := w.pass.Fset.File(spec.Pos())
	fail := errorf("%s: removing its hand-written records leaves the import of %s unused, and -fix cannot delete it cleanly: remove them by hand, then run -fix again", w.name(), spec.Path.Value)
	if src == nil || tf == nil {
		return analysis.TextEdit{}, fail
	}
	start, end := spec.Pos(), spec.End()
	if spec.Doc != nil {
		start = spec.Doc.Pos()
	}
	if spec.Comment != nil {
		end = spec.Comment.End()
	}
	for _, d := range w.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT && gd.Pos() <= spec.Pos() && spec.End() <= gd.End() && !gd.Lparen.IsValid() {
			start, end = gd.Pos(), gd.End()
			if gd.Doc != nil {
				start = gd.Doc.Pos()
			}
		}
	}
	lineStart := tf.LineStart(fileLine(tf, start))
	endLine := fileLine(tf, end)
	if strings.TrimSpace(string(src[tf.Offset(lineStart):tf.Offset(start)])) != "" {
		return analysis.TextEdit{}, fail
	}
	next := tf.Size()
	if endLine < tf.LineCount() {
		next = tf.Offset(tf.LineStart(endLine + 1))
	}
	if strings.TrimSpace(string(src[tf.Offset(end):next])) != "" {
		return analysis.TextEdit{}, fail
	}
	// A blank line on both sides: delete one of them too.
	prevBlank := fileLine(tf, start) > 1 && strings.TrimSpace(lineText(src, tf, fileLine(tf, start)-1)) == ""
	if endLine+1 < tf.LineCount() && strings.TrimSpace(lineText(src, tf, endLine+1)) == "" && prevBlank {
		next = tf.Offset(tf.LineStart(endLine + 2))
	}
	return analysis.TextEdit{Pos: lineStart, End: tf.Pos(next), NewText: []byte{}}, nil
}

// lineText returns the text of line n of tf (1-based), without its newline.
func lineText(src []byte, tf *token.File, n int) string {
	start := tf.Offset(tf.LineStart(n))
	end := len(src)
	if n < tf.LineCount() {
		end = tf.Offset(tf.LineStart(n + 1))
	}
	return strings.TrimRight(string(src[start:end]), "\r\n")
}

// removeStmts deletes the removed statements from the decorated method,
// moving their comments to the statement that follows (or precedes) them.
func (w *wrap) removeStmts(dec *decorator.Decorator, dfd *dst.FuncDecl, remove map[ast.Stmt]bool) error {
	if len(remove) == 0 {
		return nil
	}
	gone := map[dst.Stmt]ast.Stmt{}
	for s := range remove {
		ds, ok := dec.Dst.Nodes[s].(dst.Stmt)
		if !ok {
			return errorf("%s: internal error: record not found in the decorated file", w.name())
		}
		gone[ds] = s
	}
	n := 0
	filter := func(list []dst.Stmt, empty *dst.Decorations) []dst.Stmt {
		var out []dst.Stmt
		var carry []string
		for _, s := range list {
			if orig, ok := gone[s]; ok {
				d := s.Decorations()
				carry = append(carry, comments(d.Start)...)
				carry = append(carry, w.innerComments(orig)...)
				carry = append(carry, comments(d.End)...)
				n++
				continue
			}
			if len(carry) > 0 {
				d := s.Decorations()
				d.Start = append(dst.Decorations(carry), d.Start...)
				carry = nil
			}
			out = append(out, s)
		}
		if len(carry) > 0 {
			if len(out) > 0 {
				d := out[len(out)-1].Decorations()
				d.End = append(d.End, carry...)
			} else {
				empty.Append(carry...)
			}
		}
		return out
	}
	dst.Inspect(dfd.Body, func(x dst.Node) bool {
		switch x := x.(type) {
		case *dst.BlockStmt:
			x.List = filter(x.List, &x.Decs.Lbrace)
		case *dst.CaseClause:
			x.Body = filter(x.Body, &x.Decs.Colon)
		case *dst.CommClause:
			x.Body = filter(x.Body, &x.Decs.Colon)
		}
		return true
	})
	if n != len(gone) {
		return errorf("%s: internal error: %d of %d records removed", w.name(), n, len(gone))
	}
	return nil
}

// innerComments returns the text of the comments inside s, in order.
func (w *wrap) innerComments(s ast.Stmt) []string {
	var out []string
	for _, g := range w.file.Comments {
		if s.Pos() <= g.Pos() && g.End() <= s.End() {
			for _, c := range g.List {
				out = append(out, c.Text)
			}
		}
	}
	return out
}

// comments returns the comments of decorations, without line breaks.
func comments(d dst.Decorations) []string {
	var out []string
	for _, s := range d {
		if strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/*") {
			out = append(out, s)
		}
	}
	return out
}

func (w *wrap) inBody(pos token.Pos) bool {
	return w.decl.Body.Pos() <= pos && pos < w.decl.Body.End()
}

func (w *wrap) line(pos token.Pos) int { return w.pass.Fset.Position(pos).Line }

// exprText prints an expression as gofmt would.
func (w *wrap) exprText(n ast.Node) string {
	var buf bytes.Buffer
	if err := printer.Fprint(&buf, w.pass.Fset, n); err != nil {
		return "?"
	}
	return buf.String()
}

// callName names a call's callee for messages ("Tracker.TrackError").
func (w *wrap) callName(c *ast.CallExpr) string {
	if fn, ok := typeutil.Callee(w.pass.TypesInfo, c).(*types.Func); ok {
		if n := typepred.ReceiverNamed(fn); n != nil {
			return n.Obj().Name() + "." + fn.Name()
		}
		return fn.Pkg().Name() + "." + fn.Name()
	}
	return w.exprText(c.Fun)
}
