package targets

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// Guards returns the length of fd's guard region: the leading statements
// of its body that stay outside a retry, so that invalid arguments are
// returned at once instead of retried. retrycoverage passes it to the
// fixer as Target.Guards; this is the one definition of the region.
//
// The region ends at its last validation guard. A validation guard is an
// if statement without else whose body ends in a return, whose init,
// condition and body make no call that canFail (nor a retry: canFail
// says yes to anything but a call that cannot fail), and whose body
// declares nothing (expression statements, assignments to existing
// variables, the return), so that it can stay where it is verbatim.
//
// Before and between the guards the region may hold computing
// statements: statements that only compute from the arguments, constants
// and the receiver, such as defaulting a field of an argument
// (opts.Timeout = d, or "if opts.Timeout == 0 { ... }"), building a
// suffix (path := "/items/" + id) or "opts = withDefaults(opts)" with a
// pure helper. They do not end the region, so the guards after them stay
// outside the retry too. Running them once before the retry instead of
// once per attempt keeps the meaning because they have no effect outside
// the method's own variables:
//
//   - an assignment, ++/--, or var, const or type declaration, or an if
//     statement (else allowed) made only of such statements, without
//     return, branch, defer, go, send, receive or function literal;
//   - every write goes to a parameter or local variable of the method
//     (its fields or array elements, but not through a pointer, slice or
//     map), never to the receiver, a named result or package state;
//   - every call is a conversion, a builtin that writes nothing (len,
//     cap, min, max, make, new, complex, real, imag, append to a local
//     declared in the method) or a function that pure knows to compute
//     only from its arguments (Purity), and cannot fail.
//
// Variables such statements declare are in the method's scope, so the
// retry closure, written after them, still sees them. Computing
// statements after the last guard are not part of the region: they move
// into the closure with the rest.
func Guards(info *types.Info, fd *ast.FuncDecl, canFail func(*ast.CallExpr) bool, pure *Purity) int {
	if fd.Body == nil {
		return 0
	}
	fn, _ := info.Defs[fd.Name].(*types.Func)
	var sig *types.Signature
	if fn != nil {
		sig = fn.Signature()
	} else {
		pure = nil // not type-checked: no statement is known to compute only
	}
	region := 0
	for i, st := range fd.Body.List {
		switch {
		case isGuard(st, canFail):
			region = i + 1
		case pure.computes(st, fd, sig, canFail):
		default:
			return region
		}
	}
	return region
}

// isGuard reports whether st is a validation guard (see Guards).
func isGuard(st ast.Stmt, canFail func(*ast.CallExpr) bool) bool {
	ifs, ok := st.(*ast.IfStmt)
	if !ok || ifs.Else != nil || len(ifs.Body.List) == 0 {
		return false
	}
	if _, ok := ifs.Body.List[len(ifs.Body.List)-1].(*ast.ReturnStmt); !ok {
		return false
	}
	ok = true
	ast.Inspect(ifs, func(x ast.Node) bool {
		if c, isCall := x.(*ast.CallExpr); isCall && canFail(c) {
			ok = false
		}
		_, lit := x.(*ast.FuncLit)
		return ok && !lit
	})
	if !ok {
		return false
	}
	for _, st := range ifs.Body.List {
		switch st := st.(type) {
		case *ast.ReturnStmt, *ast.ExprStmt:
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// Purity knows which functions compute only from their arguments: no
// write outside their own variables, no I/O, nothing but such calls.
// Besides a fixed list of the standard library (the functions of
// strings, strconv, unicode, unicode/utf8, path, path/filepath, math and
// net/url that return no error, fmt.Sprint/Sprintf/Sprintln, the error
// constructors, time.Duration's methods, the parsers of pureParsers), the functions and methods of
// the package whose bodies follow the rule of Guards' computing
// statements (loops and returns allowed) are pure, found as a fixed
// point. Functions of other packages are not known to be pure.
//
// A nil *Purity knows the standard library only.
type Purity struct {
	info  *types.Info
	local map[*types.Func]bool
}

// NewPurity finds the pure functions of a package's files.
func NewPurity(info *types.Info, files []*ast.File) *Purity {
	p := &Purity{info: info, local: map[*types.Func]bool{}}
	var decls []*ast.FuncDecl
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				decls = append(decls, fd)
			}
		}
	}
	never := func(*ast.CallExpr) bool { return false }
	for changed := true; changed; {
		changed = false
		for _, fd := range decls {
			fn, ok := info.Defs[fd.Name].(*types.Func)
			if !ok || p.local[fn] {
				continue
			}
			c := &computing{p: p, info: info, fd: fd, sig: fn.Signature(), canFail: never, helper: true}
			if c.block(fd.Body.List) {
				p.local[fn] = true
				changed = true
			}
		}
	}
	return p
}

// pureStd are the standard library packages whose functions without an
// error result compute only from their arguments.
var pureStd = map[string]bool{
	"strings": true, "strconv": true, "unicode": true, "unicode/utf8": true,
	"path": true, "path/filepath": true, "math": true,
}

// Func reports whether fn is known to compute only from its arguments.
func (p *Purity) Func(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	fn = fn.Origin()
	if p != nil && p.local[fn] {
		return true
	}
	sig := fn.Signature()
	path := fn.Pkg().Path()
	if sig.Recv() != nil {
		return typepred.IsTypeNamed(typepred.ReceiverNamed(fn), "time", "Duration")
	}
	if IsErrorConstructor(fn) {
		return true
	}
	switch path + "." + fn.Name() {
	case "fmt.Sprint", "fmt.Sprintf", "fmt.Sprintln", "net/url.PathEscape", "net/url.QueryEscape", "errors.Is":
		return true
	}
	if pureParsers[path+"."+fn.Name()] {
		return true
	}
	return pureStd[path] && !typepred.ReturnsError(sig)
}

// pureParsers are the argument checks (argumentChecks) whose results are
// values nothing can change between attempts (numbers, strings,
// durations, times, addresses, a match): parsing once before the retry
// gives every attempt what parsing in each would, so "d, err :=
// time.ParseDuration(timeout)" and its "if err != nil { return }" stay
// guards outside the retry. Those returning something an attempt could
// change (a *regexp.Regexp, a []byte, a map) are not listed.
var pureParsers = map[string]bool{
	"strconv.Atoi": true, "strconv.ParseBool": true, "strconv.ParseComplex": true,
	"strconv.ParseFloat": true, "strconv.ParseInt": true, "strconv.ParseUint": true,
	"strconv.QuotedPrefix": true, "strconv.Unquote": true, "strconv.UnquoteChar": true,
	"time.Parse": true, "time.ParseDuration": true, "time.ParseInLocation": true,
	"path.Match": true, "path/filepath.Match": true, "path/filepath.Rel": true,
	"net.SplitHostPort": true, "net/netip.ParseAddr": true, "net/netip.ParseAddrPort": true,
	"net/netip.ParsePrefix": true, "net/http.ParseTime": true,
}

func (p *Purity) computes(st ast.Stmt, fd *ast.FuncDecl, sig *types.Signature, canFail func(*ast.CallExpr) bool) bool {
	if p == nil {
		return false
	}
	c := &computing{p: p, info: p.info, fd: fd, sig: sig, canFail: canFail}
	return c.stmt(st)
}

// computing checks statements against the rule of Guards' computing
// statements, in fd (a helper allows loops, returns and writes to its
// receiver copy and results).
type computing struct {
	p       *Purity
	info    *types.Info
	fd      *ast.FuncDecl
	sig     *types.Signature
	canFail func(*ast.CallExpr) bool
	helper  bool
}

func (c *computing) block(list []ast.Stmt) bool {
	for _, s := range list {
		if !c.stmt(s) {
			return false
		}
	}
	return true
}

func (c *computing) stmt(s ast.Stmt) bool {
	switch s := s.(type) {
	case nil:
		return true
	case *ast.AssignStmt:
		for _, l := range s.Lhs {
			if id, ok := l.(*ast.Ident); ok && (id.Name == "_" || s.Tok == token.DEFINE && c.info.Defs[id] != nil) {
				continue // a new variable
			}
			if !c.writable(l) {
				return false
			}
		}
		return c.exprs(s.Rhs...)
	case *ast.IncDecStmt:
		return c.writable(s.X) && c.exprs(s.X)
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok {
			return false
		}
		for _, spec := range gd.Specs {
			if vs, ok := spec.(*ast.ValueSpec); ok && !c.exprs(vs.Values...) {
				return false
			}
		}
		return true
	case *ast.IfStmt:
		if !c.stmt(s.Init) || !c.exprs(s.Cond) || !c.block(s.Body.List) {
			return false
		}
		return s.Else == nil || c.stmt(s.Else)
	case *ast.BlockStmt:
		return c.block(s.List)
	case *ast.EmptyStmt:
		return true
	}
	if !c.helper {
		return false
	}
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return c.exprs(s.Results...)
	case *ast.ForStmt:
		return c.stmt(s.Init) && c.exprs(s.Cond) && c.stmt(s.Post) && c.block(s.Body.List)
	case *ast.RangeStmt:
		if s.Tok == token.ASSIGN && (s.Key != nil && !c.writable(s.Key) || s.Value != nil && !c.writable(s.Value)) {
			return false
		}
		switch t := c.info.TypeOf(s.X); {
		case t == nil:
			return false
		case isChanOrFunc(t):
			return false // receives, or calls an iterator
		}
		return c.exprs(s.X) && c.block(s.Body.List)
	case *ast.SwitchStmt:
		if !c.stmt(s.Init) || !c.exprs(s.Tag) {
			return false
		}
		for _, cc := range s.Body.List {
			cc := cc.(*ast.CaseClause)
			if !c.exprs(cc.List...) || !c.block(cc.Body) {
				return false
			}
		}
		return true
	case *ast.BranchStmt:
		return s.Tok != token.GOTO && s.Label == nil
	}
	return false
}

// writable reports whether writing e writes only a variable of the
// function: a parameter or local (or, in a helper, its receiver copy or
// a result), its fields or array elements, not through a pointer, slice
// or map.
func (c *computing) writable(e ast.Expr) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := c.info.Uses[x].(*types.Var)
			if !ok || v.IsField() || !c.inFunc(v.Pos()) {
				return false
			}
			if c.helper {
				return true
			}
			if c.sig != nil && c.sig.Recv() == v {
				return false
			}
			for r := range c.sig.Results().Variables() {
				if r == v {
					return false
				}
			}
			return true
		case *ast.SelectorExpr:
			sel := c.info.Selections[x]
			if sel == nil || sel.Kind() != types.FieldVal || sel.Indirect() {
				return false
			}
			e = x.X
		case *ast.IndexExpr:
			t := c.info.TypeOf(x.X)
			if t == nil {
				return false
			}
			if _, ok := t.Underlying().(*types.Array); !ok {
				return false
			}
			if !c.exprs(x.Index) {
				return false
			}
			e = x.X
		default:
			return false
		}
	}
}

// inFunc reports whether pos is inside the function: its signature
// (receiver, parameters, results) or body.
func (c *computing) inFunc(pos token.Pos) bool {
	return c.fd.Pos() <= pos && pos < c.fd.End()
}

// inBody reports whether v is declared in the function's body.
func (c *computing) inBody(v types.Object) bool {
	return v != nil && c.fd.Body.Pos() <= v.Pos() && v.Pos() < c.fd.Body.End()
}

// exprs reports whether evaluating es has no effect outside the
// function's variables and makes no call that can fail.
func (c *computing) exprs(es ...ast.Expr) bool {
	ok := true
	for _, e := range es {
		if e == nil {
			continue
		}
		ast.Inspect(e, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				ok = false
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					ok = false
				}
			case *ast.CallExpr:
				ok = c.call(n)
			}
			return ok
		})
		if !ok {
			return false
		}
	}
	return true
}

func (c *computing) call(call *ast.CallExpr) bool {
	if tv, ok := c.info.Types[call.Fun]; ok && tv.IsType() {
		return true // a conversion
	}
	if c.canFail(call) {
		return false
	}
	switch obj := calleeOf(c.info, call).(type) {
	case *types.Builtin:
		switch obj.Name() {
		case "len", "cap", "min", "max", "make", "new", "complex", "real", "imag":
			return true
		case "append":
			if len(call.Args) == 0 {
				return false
			}
			if tv, ok := c.info.Types[call.Args[0]]; ok && tv.IsNil() {
				return true
			}
			if _, ok := ast.Unparen(call.Args[0]).(*ast.CompositeLit); ok {
				return true
			}
			id, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
			return ok && c.inBody(c.info.Uses[id])
		}
		return false
	case *types.Func:
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if s := c.info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
				// The receiver is an argument: a pointer method writes
				// nothing only if it is pure, which Func decides.
				if !c.exprs(sel.X) {
					return false
				}
			}
		}
		return c.p.Func(obj)
	}
	return false // a function value
}

// calleeOf returns the object a call calls: a *types.Func (generic ones
// as their origin), a *types.Builtin, or nil for a function value.
func calleeOf(info *types.Info, call *ast.CallExpr) types.Object {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	var id *ast.Ident
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		if s := info.Selections[f]; s != nil {
			if s.Kind() == types.MethodVal {
				return s.Obj()
			}
			return nil // a field of function type
		}
		id = f.Sel
	default:
		return nil
	}
	switch obj := info.Uses[id].(type) {
	case *types.Func:
		return obj.Origin()
	case *types.Builtin:
		return obj
	}
	return nil
}

func isChanOrFunc(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Chan, *types.Signature:
		return true
	}
	return false
}
