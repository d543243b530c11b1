package fixers

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// runtimePkg names the runtime package a rewrite calls and its entry
// points, indexed by the number of values returned besides the error.
type runtimePkg struct {
	path, name string
	funcs      [3]string
}

// wrap is one rewrite in progress, the part the retry and the tracking
// rewrites share: the method body, after the guards, moves into a closure
// passed to pkg.funcs[n]. What differs is a rewrite (retry, track).
type wrap struct {
	pass   *analysis.Pass
	file   *ast.File
	decl   *ast.FuncDecl
	guards int
	ctx    *types.Var
	pkg    runtimePkg

	// Computed by fix.
	sig   *types.Signature
	scope *types.Scope // the method's function scope
	pos   token.Pos    // where the wrapper call goes: the first moved statement
	moved []ast.Stmt
	taken map[string]bool                   // identifiers a fresh name must avoid
	edits []func(*decorator.Decorator) bool // signature edits, applied to the decorated file

	src     []byte // the file's source, read once by source
	srcRead bool
}

// rewrite is what one kind of rewrite adds to the shared steps of
// wrap.fix, called in this order once the method passed the shared
// checks and the context and runtime packages have names.
type rewrite interface {
	// arguments returns the wrapper call's arguments between the context
	// and the closure (policy; tracker and Op), with the edits adding the
	// imports they need.
	arguments(rtPkg string) (string, []analysis.TextEdit, error)
	// rebinds returns the variables the closure re-declares at its top,
	// and the comment above them.
	rebinds() (names []string, comment string)
	// removals returns the statements of the body the rewrite deletes,
	// and the edits deleting the imports they leave unused.
	removals() (map[ast.Stmt]bool, []analysis.TextEdit)
	// message returns the fix's message for the method and the entry
	// point it calls.
	message(method, entry string) string
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

func (w *wrap) name() string {
	if w.decl.Recv == nil || len(w.decl.Recv.List) == 0 {
		return w.decl.Name.Name
	}
	return "(" + types.ExprString(w.decl.Recv.List[0].Type) + ")." + w.decl.Name.Name
}

// fix checks that the method can be rewritten without changing its
// meaning, then computes the edits of r. All checks come before any edit,
// so a refusal never yields part of a rewrite.
func (w *wrap) fix(r rewrite) ([]analysis.SuggestedFix, error) {
	info := w.pass.TypesInfo
	if targets.IsCgoOutput(w.pass.Fset, w.file) {
		// The analyzers see cmd/cgo's rewrite, not the file the user
		// wrote: edits computed on it cannot be written back.
		return nil, errorf("%s is in a file that imports \"C\", which -fix does not rewrite", w.name())
	}
	if ast.IsGenerated(w.file) {
		return nil, errorf("%s is in a generated file: change its generator instead", w.name())
	}
	if w.decl.Body == nil {
		return nil, errorf("%s has no body", w.name())
	}
	fn, ok := info.Defs[w.decl.Name].(*types.Func)
	if !ok {
		return nil, errorf("%s is not type-checked", w.name())
	}
	w.sig = fn.Signature()
	res := w.sig.Results()
	n := res.Len()
	if n == 0 || !typepred.IsError(res.At(n-1).Type()) {
		return nil, errorf("%s does not return an error as its last result", w.name())
	}
	if n > len(w.pkg.funcs) {
		return nil, errorf("%s returns %d values besides the error; %s.%s takes at most %d: return a struct instead",
			w.name(), n-1, w.pkg.name, w.pkg.funcs[len(w.pkg.funcs)-1], len(w.pkg.funcs)-1)
	}
	body := w.decl.Body.List
	if w.guards < 0 || w.guards >= len(body) {
		return nil, errorf("%s has no statements after its %d validation guards", w.name(), w.guards)
	}
	w.moved = body[w.guards:]
	if w.alreadyWrapped() {
		return nil, nil
	}
	w.scope = info.Scopes[w.decl.Type]
	if w.scope == nil {
		return nil, errorf("%s has no scope information", w.name())
	}
	w.pos = w.moved[0].Pos()
	w.taken = identNames(w.decl)

	if err := w.checkGuards(); err != nil {
		return nil, err
	}
	results, err := w.resultList()
	if err != nil {
		return nil, err
	}

	// Names the wrapper code uses at w.pos: the packages first, then the
	// expressions that refer to the method's own variables.
	ctxPkg, ctxImport, err := w.importName("context", "context", "stdcontext")
	if err != nil {
		return nil, err
	}
	rtPkg, rtImport, err := w.importName(w.pkg.path, w.pkg.name, "rl"+w.pkg.name)
	if err != nil {
		return nil, err
	}
	w.taken[ctxPkg], w.taken[rtPkg] = true, true

	middle, argImports, err := r.arguments(rtPkg)
	if err != nil {
		return nil, err
	}
	ctxArg, ctxParam, err := w.context(ctxPkg)
	if err != nil {
		return nil, err
	}
	rebinds, rebindComment := r.rebinds()
	remove, dropImports := r.removals()

	call := rtPkg + "." + w.pkg.funcs[n-1] + "(" + ctxArg + ", " + middle + ", func(" + ctxParam + ") " + results + " {\n})"
	message := r.message(w.name(), w.pkg.name+"."+w.pkg.funcs[n-1])
	var edits []analysis.TextEdit
	if decideOnly(w.pass) {
		fixes, err := w.decided(wrapperFunc(call), message)
		if err != nil {
			return nil, err
		}
		if err := w.importsConflict(dropImports, ctxImport, rtImport, argImports); err != nil {
			return nil, err
		}
		return fixes, nil
	}
	text, err := w.print(call, rebinds, rebindComment, remove)
	if err != nil {
		return nil, err
	}
	edits, err = w.methodEdits(text)
	if err != nil {
		return nil, err
	}
	if err := w.importsConflict(dropImports, ctxImport, rtImport, argImports); err != nil {
		return nil, err
	}
	edits = append(edits, dropImports...)
	for _, e := range slices.Concat(ctxImport, rtImport, argImports) {
		if !slices.ContainsFunc(edits, func(x analysis.TextEdit) bool {
			return x.Pos == e.Pos && x.End == e.End && string(x.NewText) == string(e.NewText)
		}) {
			edits = append(edits, e)
		}
	}
	return []analysis.SuggestedFix{{
		Message:   message,
		TextEdits: edits,
	}}, nil
}

// importsConflict refuses a rewrite whose removal of an import the
// removed records leave unused overlaps an import it adds.
func (w *wrap) importsConflict(dropImports []analysis.TextEdit, added ...[]analysis.TextEdit) error {
	for _, d := range dropImports {
		for _, e := range slices.Concat(added...) {
			if e.Pos < d.End && d.Pos <= e.End {
				return errorf("%s: removing its hand-written records leaves an import unused next to one -fix adds: remove them by hand, then run -fix again", w.name())
			}
		}
	}
	return nil
}

// wrapperFunc returns the declaration of the function whose return
// statement holds the wrapper call (Go source), which print decorates and
// moves into the method.
func wrapperFunc(call string) string {
	return "func _() {\n\treturn " + call + "\n}\n"
}

// alreadyWrapped reports whether the statements after the guards are a
// single return of a call to one of the entry points.
func (w *wrap) alreadyWrapped() bool {
	if len(w.moved) != 1 {
		return false
	}
	ret, ok := w.moved[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return false
	}
	call, ok := ast.Unparen(ret.Results[0]).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, _ := typeutil.Callee(w.pass.TypesInfo, call).(*types.Func)
	return typepred.IsFunctionNamed(fn, w.pkg.path, w.pkg.funcs[:]...)
}

// checkGuards refuses what would change meaning when the guards stay
// outside the closure and the rest moves in: a goto or labelled branch
// between the two parts, a defer in a guard (it would run after every
// attempt instead of around each), and a named result that a guard sets
// without returning and that the moved code uses (the closure's result of
// the same name starts from zero). A result set by the guard's own check,
// as in "if name, err = clean(name); err != nil { return }", is nil when
// the work runs, so it does not count.
func (w *wrap) checkGuards() error {
	info := w.pass.TypesInfo
	var err error
	ast.Inspect(w.decl.Body, func(n ast.Node) bool {
		if err != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // labels do not cross function literals
		case *ast.BranchStmt:
			if n.Label == nil {
				break
			}
			if l, ok := info.Uses[n.Label].(*types.Label); ok && (n.Pos() < w.pos) != (l.Pos() < w.pos) {
				err = errorf("%s: %s %s at line %d jumps between the validation guards and the body",
					w.name(), n.Tok, n.Label.Name, w.pass.Fset.Position(n.Pos()).Line)
			}
		case *ast.DeferStmt:
			if n.Pos() < w.pos {
				err = errorf("%s defers in a validation guard (line %d); move the defer after the guards",
					w.name(), w.pass.Fset.Position(n.Pos()).Line)
			}
		}
		return true
	})
	if err != nil {
		return err
	}

	resultVars := map[types.Object]bool{}
	for v := range w.sig.Results().Variables() {
		if v.Name() != "" && v.Name() != "_" {
			resultVars[v] = true
		}
	}
	set := map[types.Object]bool{} // results a guard sets and may keep
	// "if v, err = check(); err != nil { return ... }": when the guard
	// lets the work run, err is nil, as fresh as the closure's own.
	nilWhenPassed := map[*ast.AssignStmt]types.Object{}
	for _, g := range w.decl.Body.List[:w.guards] {
		ifs, ok := g.(*ast.IfStmt)
		if !ok {
			continue
		}
		init, ok := ifs.Init.(*ast.AssignStmt)
		cond, ok2 := ifs.Cond.(*ast.BinaryExpr)
		if !ok || !ok2 || cond.Op != token.NEQ {
			continue
		}
		x, y := ast.Unparen(cond.X), ast.Unparen(cond.Y)
		if isNil(info, x) {
			x, y = y, x
		}
		if id, ok := x.(*ast.Ident); ok && isNil(info, y) && resultVars[info.Uses[id]] {
			nilWhenPassed[init] = info.Uses[id]
		}
	}
	var visit func(list []ast.Stmt, returns bool)
	visit = func(list []ast.Stmt, returns bool) {
		returns = returns || (len(list) > 0 && isReturn(list[len(list)-1]))
		for _, s := range list {
			ast.Inspect(s, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.BlockStmt:
					visit(n.List, false)
					return false
				case *ast.CaseClause:
					visit(n.Body, false)
					return false
				case *ast.CommClause:
					visit(n.Body, false)
					return false
				case *ast.AssignStmt:
					if !returns {
						for _, l := range n.Lhs {
							if id, ok := ast.Unparen(l).(*ast.Ident); ok && resultVars[info.ObjectOf(id)] && nilWhenPassed[n] != info.ObjectOf(id) {
								set[info.ObjectOf(id)] = true
							}
						}
					}
				case *ast.IncDecStmt:
					if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && !returns && resultVars[info.ObjectOf(id)] {
						set[info.ObjectOf(id)] = true
					}
				}
				return true
			})
		}
	}
	visit(w.decl.Body.List[:w.guards], false)
	for _, s := range w.moved {
		ast.Inspect(s, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && set[info.Uses[id]] && err == nil {
				err = errorf("%s: result %s is set by a validation guard and read by the body, which would see a fresh %s in each attempt",
					w.name(), id.Name, id.Name)
			}
			return err == nil
		})
	}
	return err
}

// resultList returns the closure's result list: the method's, names kept,
// types re-printed without comments. Every identifier of the types must
// denote the same thing at w.pos as in the signature (a parameter named
// error would hide the predeclared type).
func (w *wrap) resultList() (string, error) {
	info := w.pass.TypesInfo
	var err error
	var parts []string
	named := false
	for _, f := range w.decl.Type.Results.List {
		ast.Inspect(f.Type, func(n ast.Node) bool {
			if err != nil {
				return false
			}
			var id *ast.Ident
			switch n := n.(type) {
			case *ast.SelectorExpr:
				id, _ = n.X.(*ast.Ident) // a qualified identifier: check the package name only
			case *ast.Ident:
				id = n
			default:
				return true
			}
			if id != nil {
				if obj := info.Uses[id]; obj != nil {
					if _, got := w.scope.LookupParent(id.Name, w.pos); got != obj {
						err = errorf("%s: result type %s would refer to another %s inside the method; rename the parameter %s",
							w.name(), types.ExprString(f.Type), id.Name, id.Name)
					}
				}
			}
			_, sel := n.(*ast.SelectorExpr)
			return !sel
		})
		var buf bytes.Buffer
		if perr := printer.Fprint(&buf, w.pass.Fset, f.Type); perr != nil {
			return "", perr
		}
		typ := buf.String()
		if len(f.Names) == 0 {
			parts = append(parts, typ)
			continue
		}
		named = true
		var names []string
		for _, id := range f.Names {
			names = append(names, id.Name)
		}
		parts = append(parts, strings.Join(names, ", ")+" "+typ)
	}
	if err != nil {
		return "", err
	}
	if len(parts) == 1 && !named {
		return parts[0], nil
	}
	return "(" + strings.Join(parts, ", ") + ")", nil
}

// context returns the context argument of the wrapper call and the
// closure's parameter declaration. The closure's parameter has the name of
// the method's, so the body uses the attempt's context.
func (w *wrap) context(ctxPkg string) (arg, param string, err error) {
	if w.ctx == nil {
		return ctxPkg + ".Background()", ctxPkg + ".Context", nil
	}
	if !typepred.IsContext(w.ctx.Type()) {
		return "", "", errorf("%s: parameter %s is not a context.Context", w.name(), w.ctx.Name())
	}
	name := w.ctx.Name()
	if name == "" || name == "_" {
		name = w.fresh("ctx")
		if err := w.nameParam(w.decl.Type.Params, w.sig.Params(), w.ctx, name); err != nil {
			return "", "", err
		}
	} else if _, obj := w.scope.LookupParent(name, w.pos); obj != w.ctx {
		return "", "", errorf("%s: context parameter %s is redeclared before the work starts", w.name(), name)
	}
	return name, name + " " + ctxPkg + ".Context", nil
}

// fresh returns the first of the candidates (then the first with a number
// appended) that no identifier of the method uses.
func (w *wrap) fresh(candidates ...string) string {
	for i := 0; ; i++ {
		for _, c := range candidates {
			if i > 0 {
				c += strconv.Itoa(i + 1)
			}
			if !w.taken[c] && types.Universe.Lookup(c) == nil && token.Lookup(c) == token.IDENT {
				w.taken[c] = true
				return c
			}
		}
	}
}

// nameParam records a signature edit that gives v the name name. In a list
// of unnamed parameters every other parameter is named _.
func (w *wrap) nameParam(list *ast.FieldList, tuple *types.Tuple, v *types.Var, name string) error {
	index := -1
	for i := range tuple.Len() {
		if tuple.At(i) == v {
			index = i
		}
	}
	if list == nil || index < 0 {
		return errorf("%s: cannot find parameter %s in the signature", w.name(), v.Name())
	}
	w.edits = append(w.edits, func(dec *decorator.Decorator) bool {
		dlist, ok := dec.Dst.Nodes[list].(*dst.FieldList)
		if !ok {
			return false
		}
		i := 0
		for _, f := range dlist.List {
			if len(f.Names) == 0 {
				n := "_"
				if i == index {
					n = name
				}
				f.Names = []*dst.Ident{dst.NewIdent(n)}
				i++
				continue
			}
			for _, id := range f.Names {
				if i == index {
					id.Name = name
				}
				i++
			}
		}
		return true
	})
	return nil
}

// print rewrites the decorated file and returns the text of the rewritten
// method, gofmt-formatted.
func (w *wrap) print(call string, rebinds []string, rebindComment string, remove map[ast.Stmt]bool) (string, error) {
	d, err := w.decorate(wrapperFunc(call))
	if err != nil {
		return "", err
	}
	ret, ok := d.wrapper.Body.List[0].(*dst.ReturnStmt)
	if !ok {
		return "", errorf("%s: internal error: wrapper is not a return", w.name())
	}
	dcall := ret.Results[0].(*dst.CallExpr)
	lit := dcall.Args[len(dcall.Args)-1].(*dst.FuncLit)
	dec, df, dfd := d.dec, d.file, d.decl
	for _, e := range w.edits {
		if !e(dec) {
			return "", errorf("%s: internal error: signature not found in the decorated file", w.name())
		}
	}
	if err := w.removeStmts(dec, dfd, remove); err != nil {
		return "", err
	}

	list := dfd.Body.List
	moved := slices.Clone(list[w.guards:])
	first := moved[0].Decorations()
	ret.Decs.Before = first.Before
	ret.Decs.After = dst.NewLine
	first.Before = dst.NewLine
	var stmts []dst.Stmt
	for i, name := range rebinds {
		s := &dst.AssignStmt{Lhs: []dst.Expr{dst.NewIdent(name)}, Tok: token.DEFINE, Rhs: []dst.Expr{dst.NewIdent(name)}}
		s.Decs.Before = dst.NewLine
		if i == 0 {
			s.Decs.Start.Append(rebindComment)
		}
		stmts = append(stmts, s)
	}
	if len(rebinds) > 0 {
		first.Before = dst.EmptyLine
	}
	stmts = append(stmts, moved...)
	lit.Body.List = stmts
	dfd.Body.List = append(slices.Clone(list[:w.guards]), ret)

	var buf bytes.Buffer
	if err := decorator.NewRestorer().Fprint(&buf, df); err != nil {
		return "", errorf("%s: cannot print the rewrite: %v", w.name(), err)
	}
	out := buf.Bytes()
	fset := token.NewFileSet()
	pf, err := parser.ParseFile(fset, "", out, parser.SkipObjectResolution)
	if err != nil {
		return "", errorf("%s: internal error: rewrite does not parse: %v", w.name(), err)
	}
	index := d.index
	if index < 0 || index >= len(pf.Decls) {
		return "", errorf("%s: internal error: rewritten method not found", w.name())
	}
	nd := pf.Decls[index]
	tf := fset.File(pf.Pos())
	return string(out[tf.Offset(nd.Pos()):tf.Offset(nd.End())]), nil
}

// methodEdits returns the edit replacing the method with text, trimmed to
// the lines that differ when the original source is readable.
func (w *wrap) methodEdits(text string) ([]analysis.TextEdit, error) {
	start, end := w.decl.Pos(), w.decl.End()
	tf := w.pass.Fset.File(start)
	if tf == nil {
		return nil, errorf("%s: no position information", w.name())
	}
	if src := w.source(); src != nil {
		{
			old := string(src[tf.Offset(start):tf.Offset(end)])
			p, s := commonLines(old, text)
			return []analysis.TextEdit{{
				Pos:     start + token.Pos(p),
				End:     end - token.Pos(s),
				NewText: []byte(text[p : len(text)-s]),
			}}, nil
		}
	}
	return []analysis.TextEdit{{Pos: start, End: end, NewText: []byte(text)}}, nil
}

// source returns the file's source as the pass reads it, nil if it cannot
// be read or does not match the parsed file.
func (w *wrap) source() []byte {
	if w.srcRead {
		return w.src
	}
	w.srcRead = true
	tf := w.pass.Fset.File(w.file.Pos())
	if w.pass.ReadFile == nil || tf == nil {
		return nil
	}
	src, err := w.pass.ReadFile(tf.Name())
	if err != nil || len(src) != tf.Size() {
		return nil
	}
	w.src = src
	return src
}

// commonLines returns the lengths of the longest common prefix and suffix
// of a and b that are made of whole lines and do not overlap.
func commonLines(a, b string) (prefix, suffix int) {
	for {
		i := strings.IndexByte(a[prefix:], '\n')
		j := strings.IndexByte(b[prefix:], '\n')
		if i < 0 || i != j || a[prefix:prefix+i] != b[prefix:prefix+j] {
			break
		}
		prefix += i + 1
	}
	for {
		ra, rb := a[prefix:len(a)-suffix], b[prefix:len(b)-suffix]
		i := strings.LastIndexByte(ra, '\n')
		j := strings.LastIndexByte(rb, '\n')
		if i < 0 || j < 0 || ra[i:] != rb[j:] {
			break
		}
		suffix += len(ra) - i
	}
	return prefix, suffix
}

// identNames returns every identifier name in n.
func identNames(n ast.Node) map[string]bool {
	names := map[string]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			names[id.Name] = true
		}
		return true
	})
	return names
}

// isNil reports whether e is the predeclared nil.
func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil
}

func isReturn(s ast.Stmt) bool {
	_, ok := s.(*ast.ReturnStmt)
	return ok
}
