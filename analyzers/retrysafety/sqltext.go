package retrysafety

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// What the database rule can tell of a query's SQL (sqlwrites.go): a
// query only reads when its SQL's first keyword reads. The rule follows
// the SQL through what it can read in the body and the package:
//
//   - a constant;
//   - a string built from a start it can follow: s + ..., fmt.Sprintf
//     with a format whose text before its first verb it can follow, a
//     strings.Builder or bytes.Buffer whose first write it can follow
//     (b.String());
//   - a local variable, by every value assigned to it (q += ... keeps
//     its start); a package variable of the package assigned nowhere,
//     by its initial value; an element of a map, slice or array literal
//     held in such a variable (a table of queries), by the element of a
//     constant key, or by all of them;
//   - sqlx's Rebind, In and Named, and strings.Replace, ReplaceAll and
//     trims (sqlc's expansion of a slice parameter), which keep the verb
//     of the SQL they are given;
//   - a query builder's SQL (squirrel's sq.Select(...).From(...).ToSql(),
//     goqu's, go-sqlbuilder's): the verbs its chain of calls names
//     (Select, Insert, Update, Delete...), through locals holding the
//     builder; a write when one of them writes (INSERT ... SELECT), a
//     read when all of them are Select;
//   - a parameter of the function: the caller's SQL, judged at each call
//     through the Queries of the Writes fact.
//
//   - an unexported field of a struct type of the package, by every value
//     the package gives it (composite literals, by key or position, and
//     assignments: a constructor's &Store{listQ: "SELECT ..."}), and a
//     table of queries held in one; an exported field may be set by any
//     importer and is not followed.
//
// What it cannot follow (another field, a call's result, a parameter of a
// function literal) is SQL built at run time, of which the rule cannot
// tell that it only reads; so is a start that names no verb
// (fmt.Sprintf("%s ...")) or a WITH whose end is not known.

// sqlKind is what a query's SQL does, as far as the rule can tell.
type sqlKind int

const (
	sqlBuilt     sqlKind = iota // built at run time: not known to only read
	sqlReadOnly                 // its verb reads
	sqlChange                   // its verb (verb) changes the database
	sqlFromParam                // it is the value of parameter param (name): the caller's
	// sqlSame: the value of a variable being followed (q in q =
	// db.Rebind(q)): its other values tell, and it is unknown if none.
	sqlSame
)

// sqlClass is what sqlOf found.
type sqlClass struct {
	kind  sqlKind
	verb  string // for sqlChange
	param int    // for sqlFromParam
	name  string // for sqlFromParam: the parameter's name
}

// sqlOf tells what the SQL e does. partial: e is only the start of the
// SQL (a WITH's end is not known).
func (s *fnState) sqlOf(e ast.Expr, partial bool) sqlClass {
	if c := s.sqlOfSeen(e, partial, map[types.Object]bool{}); c.kind != sqlSame {
		return c
	}
	return sqlClass{}
}

func (s *fnState) sqlOfSeen(e ast.Expr, partial bool, seen map[types.Object]bool) sqlClass {
	e = ast.Unparen(e)
	if tv, ok := s.info.Types[e]; ok && tv.Value != nil {
		if tv.Value.Kind() != constant.String {
			return sqlClass{}
		}
		return classifySQL(constant.StringVal(tv.Value), partial)
	}
	switch e := e.(type) {
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return s.sqlOfSeen(e.X, true, seen)
		}
	case *ast.Ident:
		v, ok := s.info.ObjectOf(e).(*types.Var)
		if !ok {
			return sqlClass{}
		}
		if seen[v] {
			// A value already being followed (q = db.Rebind(q)): its
			// other values tell.
			return sqlClass{kind: sqlSame}
		}
		seen[v] = true
		defer delete(seen, v)
		return s.sqlOfVar(v, partial, seen)
	case *ast.IndexExpr:
		return s.sqlOfIndex(e, partial, seen)
	case *ast.CallExpr:
		return s.sqlOfCall(e, partial, seen)
	case *ast.SelectorExpr:
		f := s.sqlField(e)
		if f == nil {
			return sqlClass{}
		}
		if seen[f] {
			return sqlClass{kind: sqlSame}
		}
		seen[f] = true
		defer delete(seen, f)
		return s.sqlOfSources(s.r.fieldSources()[f], f.Name(), partial, seen)
	}
	return sqlClass{}
}

// sqlField returns the field e selects when the rule can follow it: an
// unexported field of a struct type of the package (only the package can
// set it: fieldSources sees every value it gets); nil otherwise.
func (s *fnState) sqlField(e *ast.SelectorExpr) *types.Var {
	sel, ok := s.info.Selections[e]
	if !ok || sel.Kind() != types.FieldVal {
		return nil
	}
	f, ok := sel.Obj().(*types.Var)
	if !ok || f.Exported() || f.Pkg() != s.r.pass.Pkg {
		return nil
	}
	return f.Origin()
}

// fieldSources returns, for each unexported field of the package's struct
// types, the values the package gives it: the elements of composite
// literals (by key or by position) and the right-hand sides of
// assignments to it (x.f = ..., += keeps the start); a source that cannot
// be followed (its address taken, a range, a tuple of values other than
// a call's) has expr nil. Computed once per package.
func (r *runner) fieldSources() map[*types.Var][]varSource {
	if r.fieldSrcs != nil {
		return r.fieldSrcs
	}
	info := r.pass.TypesInfo
	out := map[*types.Var][]varSource{}
	appended := map[*types.Var]bool{}
	field := func(e ast.Expr) *types.Var {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.FieldVal {
			if f, ok := s.Obj().(*types.Var); ok && f.Pkg() == r.pass.Pkg && !f.Exported() {
				return f.Origin()
			}
		}
		return nil
	}
	add := func(f *types.Var, src varSource) {
		out[f] = append(out[f], src)
	}
	for _, file := range r.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				st, ok := typeUnder[*types.Struct](info.TypeOf(n))
				if !ok {
					return true
				}
				for i, elt := range n.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok {
						if id, ok := kv.Key.(*ast.Ident); ok {
							if f, ok := info.Uses[id].(*types.Var); ok && f.IsField() && f.Pkg() == r.pass.Pkg && !f.Exported() {
								add(f.Origin(), varSource{expr: kv.Value, param: -1})
							}
						}
						continue
					}
					if i < st.NumFields() {
						if f := st.Field(i); f.Pkg() == r.pass.Pkg && !f.Exported() {
							add(f.Origin(), varSource{expr: elt, param: -1})
						}
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					f := field(lhs)
					if f == nil {
						continue
					}
					switch {
					case n.Tok == token.ADD_ASSIGN:
						appended[f] = true
					case n.Tok != token.ASSIGN && n.Tok != token.DEFINE:
						add(f, varSource{param: -1})
					case len(n.Lhs) == len(n.Rhs):
						add(f, varSource{expr: n.Rhs[i], param: -1})
					case len(n.Rhs) == 1 && i == 0:
						add(f, varSource{expr: n.Rhs[0], param: -1})
					default:
						add(f, varSource{param: -1})
					}
				}
			case *ast.UnaryExpr:
				if f := field(n.X); f != nil && n.Op == token.AND {
					add(f, varSource{param: -1}) // handed on: set anywhere
				}
			case *ast.RangeStmt:
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if f := field(e); e != nil && f != nil {
						add(f, varSource{param: -1})
					}
				}
			}
			return true
		})
	}
	for f := range appended {
		for i := range out[f] {
			out[f][i].appended = true
		}
	}
	r.fieldSrcs = out
	return out
}

// sqlOfCall tells what the SQL a call returns does: fmt.Sprintf's,
// sqlx's Rebind, In and Named, a strings.Builder's String, a query
// builder's.
func (s *fnState) sqlOfCall(c *ast.CallExpr, partial bool, seen map[types.Object]bool) sqlClass {
	fn, _ := typeutil.Callee(s.info, c).(*types.Func)
	if fn == nil || fn.Pkg() == nil {
		return sqlClass{}
	}
	sel, _ := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	switch path, name := fn.Pkg().Path(), fn.Name(); {
	case path == "fmt" && name == "Sprintf" && len(c.Args) > 0:
		return s.sqlOfFormat(c.Args[0], partial, seen)
	case path == "strings" && sqlKeepVerb[name] && len(c.Args) > 0:
		// A substitution in the SQL (sqlc's expansion of a slice
		// parameter, strings.Replace(query, "/*SLICE:ids*/?", ...)), or
		// a trim: the verb stays.
		return s.sqlOfSeen(c.Args[0], true, seen)
	case sqlPkgs[path] && (name == "Rebind" || name == "In" || name == "Named" || name == "BindNamed"):
		for _, arg := range c.Args {
			if isString(s.info.TypeOf(arg)) {
				return s.sqlOfSeen(arg, partial, seen)
			}
		}
	case name == "String" && sel != nil && (path == "strings" || path == "bytes"):
		return s.sqlOfBuilder(sel.X, seen)
	case sqlBuildMethods[name] && sel != nil:
		return s.sqlOfChain(sel.X, seen)
	}
	return sqlClass{}
}

// sqlKeepVerb are the functions of package strings whose result starts
// as their first argument does, but for a substitution or trimmed space.
var sqlKeepVerb = map[string]bool{"Replace": true, "ReplaceAll": true, "TrimSpace": true, "TrimSuffix": true, "TrimRight": true}

// sqlOfFormat tells what fmt.Sprintf(format, ...) makes: the format's
// text before its first verb starts the SQL.
func (s *fnState) sqlOfFormat(format ast.Expr, partial bool, seen map[types.Object]bool) sqlClass {
	tv, ok := s.info.Types[format]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return s.sqlOfSeen(format, true, seen)
	}
	f := constant.StringVal(tv.Value)
	if i := strings.IndexByte(f, '%'); i >= 0 {
		return classifySQL(f[:i], true)
	}
	return classifySQL(f, partial)
}

// sqlOfBuilder tells what the SQL written into b, a strings.Builder or
// bytes.Buffer, does: its first write in the body starts it.
func (s *fnState) sqlOfBuilder(b ast.Expr, seen map[types.Object]bool) sqlClass {
	id, ok := ast.Unparen(b).(*ast.Ident)
	if !ok || s.body == nil {
		return sqlClass{}
	}
	v := s.info.ObjectOf(id)
	var first ast.Expr
	format := false
	ast.Inspect(s.body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || first != nil {
			return first == nil
		}
		fn, _ := typeutil.Callee(s.info, c).(*types.Func)
		if fn == nil || fn.Pkg() == nil {
			return true
		}
		switch {
		case (fn.Name() == "WriteString" || fn.Name() == "Write") && len(c.Args) == 1:
			if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && refersTo(s.info, sel.X, v) {
				first = c.Args[0]
			}
		case fn.Pkg().Path() == "fmt" && fn.Name() == "Fprintf" && len(c.Args) > 1 && refersTo(s.info, c.Args[0], v):
			first, format = c.Args[1], true
		}
		return first == nil
	})
	switch {
	case first == nil:
		return sqlClass{}
	case format:
		return s.sqlOfFormat(first, true, seen)
	}
	if conv, ok := ast.Unparen(first).(*ast.CallExpr); ok && len(conv.Args) == 1 {
		if tv, ok := s.info.Types[conv.Fun]; ok && tv.IsType() {
			first = conv.Args[0] // []byte("SELECT ...")
		}
	}
	return s.sqlOfSeen(first, true, seen)
}

// refersTo reports whether e is v or &v.
func refersTo(info *types.Info, e ast.Expr, v types.Object) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	id, ok := e.(*ast.Ident)
	return ok && info.ObjectOf(id) == v
}

// sqlBuildMethods are the methods that turn a query builder into SQL.
var sqlBuildMethods = map[string]bool{"ToSql": true, "ToSQL": true, "MustSql": true, "Build": true, "BuildWithFlavor": true, "SQL": true, "Sql": true}

// sqlBuilderVerbs are the verbs of the statements a builder's calls
// start (after "New" and before "Builder" are cut: NewSelectBuilder).
var sqlBuilderVerbs = map[string]string{
	"Select": "SELECT", "Insert": "INSERT", "InsertInto": "INSERT", "Upsert": "INSERT", "Replace": "REPLACE",
	"Update": "UPDATE", "Delete": "DELETE", "DeleteFrom": "DELETE", "Truncate": "TRUNCATE", "Merge": "MERGE",
}

// sqlOfChain tells what the SQL of a query builder does, from the verbs
// the chain of calls that built it names (through locals holding it):
// the first that changes the database, else a read if one is Select.
func (s *fnState) sqlOfChain(e ast.Expr, seen map[types.Object]bool) sqlClass {
	read, write := false, ""
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		for e != nil && write == "" {
			e = ast.Unparen(e)
			switch x := e.(type) {
			case *ast.CallExpr:
				fun := ast.Unparen(x.Fun)
				if ix, ok := fun.(*ast.IndexExpr); ok {
					fun = ix.X // a generic builder: Select[T](...)
				}
				var name string
				switch f := fun.(type) {
				case *ast.SelectorExpr:
					name, e = f.Sel.Name, f.X
				case *ast.Ident:
					name, e = f.Name, nil
				default:
					return
				}
				name = strings.TrimPrefix(name, "New")
				name = strings.TrimSuffix(strings.TrimSuffix(name, "Builder"), "Stmt")
				switch verb := sqlBuilderVerbs[name]; verb {
				case "":
				case "SELECT":
					read = true
				default:
					write = verb
				}
			case *ast.SelectorExpr:
				e = x.X
			case *ast.Ident:
				v, ok := s.info.ObjectOf(x).(*types.Var)
				if !ok || seen[v] || s.body == nil {
					return
				}
				seen[v] = true
				for _, src := range s.varSources(v) {
					if src.expr != nil {
						walk(src.expr)
					}
				}
				delete(seen, v)
				return
			default:
				return
			}
		}
	}
	walk(e)
	switch {
	case write != "":
		return sqlClass{kind: sqlChange, verb: write}
	case read:
		return sqlClass{kind: sqlReadOnly}
	}
	return sqlClass{}
}

// sqlOfIndex tells what an element of a table of queries does: a map,
// slice or array literal held in a variable assigned once.
func (s *fnState) sqlOfIndex(e *ast.IndexExpr, partial bool, seen map[types.Object]bool) sqlClass {
	var v *types.Var
	var srcs []varSource
	switch x := ast.Unparen(e.X).(type) {
	case *ast.Ident:
		v, _ = s.info.ObjectOf(x).(*types.Var)
		if v != nil && !seen[v] {
			srcs = s.varSources(v)
		}
	case *ast.SelectorExpr:
		// A table held in a field (sqlField).
		if v = s.sqlField(x); v != nil && !seen[v] {
			srcs = s.r.fieldSources()[v]
		}
	}
	if v == nil || seen[v] {
		return sqlClass{}
	}
	if len(srcs) != 1 || srcs[0].expr == nil || srcs[0].param >= 0 {
		return sqlClass{}
	}
	lit, ok := ast.Unparen(srcs[0].expr).(*ast.CompositeLit)
	if !ok {
		return sqlClass{}
	}
	seen[v] = true
	defer delete(seen, v)
	key := s.info.Types[e.Index].Value
	var out []sqlClass
	for _, elt := range lit.Elts {
		val := elt
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			val = kv.Value
			if k := s.info.Types[kv.Key].Value; key != nil && k != nil && k.Kind() == key.Kind() && constant.Compare(k, token.EQL, key) {
				return s.sqlOfSeen(val, partial, seen)
			}
		}
		out = append(out, s.sqlOfSeen(val, partial, seen))
	}
	if len(out) == 0 {
		return sqlClass{}
	}
	return combineSQL(out)
}

// sqlOfVar tells what the SQL held in v does, by every value assigned
// to it.
func (s *fnState) sqlOfVar(v *types.Var, partial bool, seen map[types.Object]bool) sqlClass {
	return s.sqlOfSources(s.varSources(v), v.Name(), partial, seen)
}

// sqlOfSources tells what the SQL held in a variable or field called
// name does, by every value srcs it is given.
func (s *fnState) sqlOfSources(srcs []varSource, name string, partial bool, seen map[types.Object]bool) sqlClass {
	if len(srcs) == 0 {
		return sqlClass{}
	}
	out := make([]sqlClass, 0, len(srcs))
	for _, src := range srcs {
		switch {
		case src.param >= 0:
			out = append(out, sqlClass{kind: sqlFromParam, param: src.param, name: name})
		case src.expr == nil:
			return sqlClass{}
		default:
			out = append(out, s.sqlOfSeen(src.expr, partial || src.appended, seen))
		}
	}
	if c := combineSQL(out); c.kind != sqlSame {
		return c
	}
	return sqlClass{} // only values built from itself: no start known
}

// combineSQL is what SQL that may be any of cs does: built at run time
// if one is, else a change if one changes, else a parameter's (one
// parameter), else a read; the variable being followed itself (sqlSame)
// when all of them are.
func combineSQL(cs []sqlClass) sqlClass {
	var change, param *sqlClass
	same := 0
	for i, c := range cs {
		switch c.kind {
		case sqlSame:
			same++
		case sqlBuilt:
			return c
		case sqlChange:
			if change == nil {
				change = &cs[i]
			}
		case sqlFromParam:
			if param != nil && param.param != c.param {
				return sqlClass{}
			}
			param = &cs[i]
		}
	}
	switch {
	case change != nil:
		return *change
	case param != nil:
		return *param
	case same == len(cs):
		return sqlClass{kind: sqlSame} // nothing but the variable itself
	}
	return sqlClass{kind: sqlReadOnly}
}

// varSource is one value of a variable: an expression assigned to it
// (for a tuple, the call), or its value as parameter param; appended:
// more is added to it (+=) somewhere. expr nil and param < 0: a value
// that cannot be followed (a range, &v handed on, another operator).
type varSource struct {
	expr     ast.Expr
	param    int
	appended bool
}

// varSources returns the values of v: for a parameter of the function,
// its value and what the body assigns to it; for another local, what the
// body assigns; for a package variable of the package assigned nowhere
// in it, its initial value. None for others.
func (s *fnState) varSources(v *types.Var) []varSource {
	if v.Pkg() == nil {
		return nil
	}
	if v.Parent() == v.Pkg().Scope() {
		if v.Pkg() != s.r.pass.Pkg || s.r.assignedGlobals()[v] {
			return nil
		}
		for _, init := range s.info.InitOrder {
			if len(init.Lhs) == 1 && init.Lhs[0] == v {
				return []varSource{{expr: init.Rhs, param: -1}}
			}
		}
		return nil
	}
	if s.body == nil || v.IsField() {
		return nil
	}
	var out []varSource
	if i, ok := s.params[v]; ok {
		out = append(out, varSource{param: i})
	} else if v.Pos() < s.body.Pos() || v.Pos() >= s.body.End() {
		return nil // the receiver, a result, or a variable of another function
	}
	appended := false
	bad := false
	ast.Inspect(s.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if id, ok := ast.Unparen(lhs).(*ast.Ident); !ok || s.info.ObjectOf(id) != v {
					continue
				}
				switch {
				case n.Tok == token.ADD_ASSIGN:
					appended = true
				case n.Tok != token.ASSIGN && n.Tok != token.DEFINE:
					bad = true
				case len(n.Lhs) == len(n.Rhs):
					out = append(out, varSource{expr: n.Rhs[i], param: -1})
				case len(n.Rhs) == 1 && i == 0:
					out = append(out, varSource{expr: n.Rhs[0], param: -1}) // q, args, err := b.ToSql()
				default:
					bad = true
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if s.info.Defs[name] != v {
					continue
				}
				switch {
				case len(n.Values) == len(n.Names):
					out = append(out, varSource{expr: n.Values[i], param: -1})
				case len(n.Values) == 1 && i == 0:
					out = append(out, varSource{expr: n.Values[0], param: -1})
				case len(n.Values) > 0:
					bad = true
				}
			}
		case *ast.RangeStmt:
			if n.Key != nil && refersTo(s.info, n.Key, v) || n.Value != nil && refersTo(s.info, n.Value, v) {
				bad = true
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && refersTo(s.info, n.X, v) && !isBuilder(v.Type()) {
				bad = true // handed on as a pointer: written anywhere
			}
		}
		return !bad
	})
	if bad {
		return []varSource{{param: -1}}
	}
	if appended {
		for i := range out {
			out[i].appended = true
		}
	}
	return out
}

// isBuilder reports whether t is a strings.Builder or a bytes.Buffer
// (or points to one).
func isBuilder(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	path, name := n.Obj().Pkg().Path(), n.Obj().Name()
	return path == "strings" && name == "Builder" || path == "bytes" && name == "Buffer"
}

// assignedGlobals returns the package variables of the package that its
// functions assign, in whole or in part (v = ..., v[k] = ..., v.f = ...,
// v++, &v), computed once.
func (r *runner) assignedGlobals() map[*types.Var]bool {
	if r.globalsDone {
		return r.globalsSet
	}
	r.globalsDone = true
	r.globalsSet = map[*types.Var]bool{}
	info := r.pass.TypesInfo
	mark := func(e ast.Expr) {
		for {
			switch x := ast.Unparen(e).(type) {
			case *ast.IndexExpr:
				e = x.X
				continue
			case *ast.SelectorExpr:
				e = x.X
				continue
			case *ast.StarExpr:
				e = x.X
				continue
			case *ast.Ident:
				if v, ok := info.Uses[x].(*types.Var); ok && v.Pkg() == r.pass.Pkg && v.Parent() == v.Pkg().Scope() {
					r.globalsSet[v] = true
				}
			}
			return
		}
	}
	for _, f := range r.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					mark(lhs)
				}
			case *ast.IncDecStmt:
				mark(n.X)
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					mark(n.X)
				}
			}
			return true
		})
	}
	return r.globalsSet
}

// classifySQL tells what the SQL q (or its start, when partial) does:
// its first keyword, past comments; for a WITH, the first INSERT,
// UPDATE, DELETE or MERGE in it, and a read only when all of it is
// known.
func classifySQL(q string, partial bool) sqlClass {
	words := sqlWords(q)
	if len(words) == 0 {
		return sqlClass{}
	}
	if words[0] == "WITH" {
		for _, w := range words[1:] {
			switch w {
			case "INSERT", "UPDATE", "DELETE", "MERGE":
				return sqlClass{kind: sqlChange, verb: w}
			}
		}
		if partial {
			return sqlClass{}
		}
		return sqlClass{kind: sqlReadOnly}
	}
	if sqlReads[words[0]] {
		return sqlClass{kind: sqlReadOnly}
	}
	return sqlClass{kind: sqlChange, verb: words[0]}
}

// isString reports whether t is a string type.
func isString(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}
