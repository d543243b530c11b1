package retrysafety

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// The GraphQL rule. A GraphQL mutation is a write that the server makes
// at the very call that can fail, as an SQL INSERT is (sqlwrites.go): it
// travels as a POST, the connection can drop after the server executed it
// and before its answer arrives (a reset: an error a retry treats as
// transient), and a retry would execute it again: a second order, a
// second reservation. Queries read; GraphQL's own errors come back in an
// HTTP 200 answer and are no transient failures, so they are left to the
// classifier.
//
// A call that can fail sends a mutation when
//
//   - it is a mutation method of a client that builds the document from a
//     Go value (shurcooL/graphql's and hasura/go-graphql-client's Mutate,
//     MutateRaw, NamedMutate...), or
//   - an argument holds a GraphQL document whose operation is a mutation:
//     a constant string (hasura's Exec(ctx, "mutation ...", ...)), or a
//     value built in the body from one (genqlient's generated
//     &graphql.Request{Query: CreateOrder_Operation} given to
//     MakeRequest, machinebox/graphql's NewRequest("mutation ...") given
//     to Run), through the values assigned to local variables (each
//     variable followed once: gqlVar).
//
// As for a database, the server is state of no variable of the body: the
// write is noted as package state, so callers see it through the Writes
// fact ("calls CreateOrder (which sends a GraphQL mutation ...)").
//
// A sender of its caller's document (genqlient's client.MakeRequest,
// machinebox's Client.Run: the library's own code) sends a mutation or a
// query as its caller says. Such a function puts a parameter's value in
// a GraphQL-over-HTTP request body ({"query": ..., "variables": ...}: a
// struct with a string field tagged json:"query" and a field tagged
// json:"variables", the parameter's own type or a literal of the body,
// or a multipart form's "query" field) and sends an *http.Request. At
// that send the body cannot tell: it is a write there, for its caller
// chooses ("its caller chooses the document"), and the parameter is
// named in the Documents of the Writes fact. A caller's call is then
// judged by what it passes: a mutation is a write (gqlWrite, above), a
// query is none, a document of its own parameter passes the question on
// to its own callers (gqlDocCall), as SQL does (sqlwrites.go, Queries).

// gqlMutators are the packages whose clients' Mutate... methods send a
// mutation built from a Go value.
var gqlMutators = map[string]bool{
	"github.com/shurcooL/graphql":         true,
	"github.com/hasura/go-graphql-client": true,
	"github.com/cli/shurcooL-graphql":     true,
}

const (
	gqlWhy    = "the connection can fail after the server executed the mutation, so a retry would execute it again"
	gqlAdvice = "route only the queries, or make the mutation idempotent (an ID or idempotency key the server checks) and retry it by hand"
	// gqlParamWhy: a sender of its caller's document.
	gqlParamWhy = "its caller chooses the document and the tool cannot tell that it is no mutation, and the connection can fail after the server executed a mutation, so a retry would execute it again"
)

// gqlWrite fills e when c, a call of fn that can fail, sends a GraphQL
// mutation (the rule above), and reports whether it did.
func (s *fnState) gqlWrite(c *ast.CallExpr, fn *types.Func, e *event) bool {
	if !e.fail {
		return false
	}
	what := ""
	if fn != nil && fn.Pkg() != nil && gqlMutators[fn.Pkg().Path()] && strings.Contains(fn.Name(), "Mutate") {
		what = "sends a GraphQL mutation with " + e.callName()
	} else {
		for _, arg := range c.Args {
			if op, ok := s.gqlMutation(arg); ok {
				what = "sends a GraphQL mutation"
				if op != "" {
					what += " (" + op + ")"
				}
				what += " with " + e.callName()
				break
			}
		}
	}
	if what == "" {
		return s.gqlSend(c, e)
	}
	e.what = what
	s.note(root{kind: rootGlobal}, what+" at "+s.r.where(c.Pos()), nil)
	e.self, e.selfWhy, e.gql = true, gqlWhy, true
	return true
}

// gqlSend fills e when c, a call that can fail, sends an *http.Request
// in a body that puts a parameter's value in a GraphQL request
// (gqlDocParams): the caller's document, which may be a mutation.
func (s *fnState) gqlSend(c *ast.CallExpr, e *event) bool {
	docs := s.gqlDocParams()
	if len(docs) == 0 {
		return false
	}
	sends := false
	for _, arg := range c.Args {
		if p, ok := types.Unalias(s.info.TypeOf(arg)).(*types.Pointer); ok && httpNamed(p.Elem(), "Request") {
			sends = true
			break
		}
	}
	if !sends {
		return false
	}
	i := slices.Min(slices.Collect(maps.Keys(docs)))
	what := "sends the GraphQL document of its parameter " + docs[i] + " with " + e.callName()
	e.what, e.self, e.selfWhy, e.gql = what, true, gqlParamWhy, true
	s.noteDocument(i, what+" at "+s.r.where(c.Pos()))
	return true
}

// gqlDocCall fills e when c, a call of fn whose Writes w say it sends the
// GraphQL document of a parameter, passes there a document of one of
// this body's own parameters: a write here, its callers' to judge. (An
// argument holding a mutation was a write for gqlWrite already; any
// other is taken for a query, as a document built at run time is.)
func (s *fnState) gqlDocCall(c *ast.CallExpr, fn *types.Func, w *Writes, e *event) {
	for i, arg := range c.Args {
		inner := w.Documents[paramKey(paramIndex(fn, i))]
		if inner == "" {
			continue
		}
		p, name, ok := s.gqlDocParam(arg, nil)
		if !ok {
			continue
		}
		what := "calls " + e.callName() + " (which " + inner + ") with the document of its parameter " + name
		e.what, e.self, e.selfWhy, e.gql = what, e.fail, gqlParamWhy, true
		s.noteDocument(p, what+" at "+s.r.where(c.Pos()))
		return
	}
}

// noteDocument records, in the function's Writes, that it sends the
// GraphQL document of parameter i (what: the send and its place).
func (s *fnState) noteDocument(i int, what string) {
	if s.out.Documents == nil {
		s.out.Documents = map[string]string{}
	}
	if _, ok := s.out.Documents[paramKey(i)]; !ok {
		s.out.Documents[paramKey(i)] = what
	}
}

// gqlDocParams returns the parameters, by index with their names, whose
// value the body puts in a GraphQL request: a parameter of a GraphQL
// request type (gqlQueryField), the query field of a literal of such a
// type, or a multipart form's "query" field (WriteField("query", x)),
// the value followed to a parameter by gqlDocParam. Computed once per
// function.
func (s *fnState) gqlDocParams() map[int]string {
	if s.gqlDocsDone {
		return s.gqlDocs
	}
	s.gqlDocsDone = true
	add := func(i int, name string) {
		if s.gqlDocs == nil {
			s.gqlDocs = map[int]string{}
		}
		s.gqlDocs[i] = name
	}
	for v, i := range s.params {
		if _, ok := gqlQueryField(v.Type()); ok {
			add(i, v.Name())
		}
	}
	if s.body == nil {
		return s.gqlDocs
	}
	ast.Inspect(s.body, func(n ast.Node) bool {
		var doc ast.Expr
		switch n := n.(type) {
		case *ast.CompositeLit:
			doc = s.gqlLitQuery(n)
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "WriteField" && len(n.Args) == 2 {
				if k := s.info.Types[n.Args[0]].Value; k != nil && k.Kind() == constant.String && constant.StringVal(k) == "query" {
					doc = n.Args[1]
				}
			}
		}
		if doc != nil {
			if i, name, ok := s.gqlDocParam(doc, nil); ok {
				add(i, name)
			}
		}
		return true
	})
	return s.gqlDocs
}

// gqlLitQuery returns the value a literal of a GraphQL request type
// gives its query field, nil if it is no such literal or gives none.
func (s *fnState) gqlLitQuery(lit *ast.CompositeLit) ast.Expr {
	field, ok := gqlQueryField(s.info.TypeOf(lit))
	if !ok {
		return nil
	}
	for i, elt := range lit.Elts {
		kv, isKV := elt.(*ast.KeyValueExpr)
		switch {
		case !isKV && i == field:
			return elt
		case isKV:
			if id, ok := kv.Key.(*ast.Ident); ok && s.info.Uses[id] != nil && s.info.Uses[id].Name() == id.Name && fieldIndex(s.info.TypeOf(lit), id.Name) == field {
				return kv.Value
			}
		}
	}
	return nil
}

// fieldIndex is the index of the field called name in the struct t (or
// *t), -1 if none.
func fieldIndex(t types.Type, name string) int {
	st, ok := derefType(t).Underlying().(*types.Struct)
	if !ok {
		return -1
	}
	for i := range st.NumFields() {
		if st.Field(i).Name() == name {
			return i
		}
	}
	return -1
}

// gqlQueryField reports whether t (or what it points to) is a GraphQL
// request body: a struct with a string field tagged json:"query" and a
// field tagged json:"variables" (GraphQL over HTTP's {"query": ...,
// "variables": ...}), and returns the query field's index. A body with a
// "query" alone is a search's, not GraphQL's.
func gqlQueryField(t types.Type) (int, bool) {
	if t == nil {
		return 0, false
	}
	st, ok := derefType(t).Underlying().(*types.Struct)
	if !ok {
		return 0, false
	}
	query, vars := -1, false
	for i := range st.NumFields() {
		name, _, _ := strings.Cut(reflect.StructTag(st.Tag(i)).Get("json"), ",")
		switch name {
		case "query":
			if b, ok := st.Field(i).Type().Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
				query = i
			}
		case "variables":
			vars = true
		}
	}
	return query, query >= 0 && vars
}

// gqlDocParam reports whether the document x holds is the value of a
// parameter of the body, and returns its index and name: the parameter
// itself, a field of it (machinebox's req.q), through &, *, locals (every
// value the package assigns them), the query field of a GraphQL request
// literal, and the string arguments of a call (NewRequest(doc)).
func (s *fnState) gqlDocParam(x ast.Expr, seen map[*types.Var]bool) (int, string, bool) {
	switch x := ast.Unparen(x).(type) {
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return s.gqlDocParam(x.X, seen)
		}
	case *ast.StarExpr:
		return s.gqlDocParam(x.X, seen)
	case *ast.SelectorExpr:
		if sel, ok := s.info.Selections[x]; ok && sel.Kind() == types.FieldVal {
			return s.gqlDocParam(x.X, seen)
		}
	case *ast.Ident:
		v, ok := s.info.Uses[x].(*types.Var)
		if !ok || v.IsField() {
			return 0, "", false
		}
		if i, ok := s.params[v]; ok {
			return i, v.Name(), true
		}
		if v.Parent() == nil || v.Parent() == v.Pkg().Scope() || seen[v] {
			return 0, "", false
		}
		if seen == nil {
			seen = map[*types.Var]bool{}
		}
		seen[v] = true
		for _, rhs := range s.r.localValues()[v] {
			if i, name, ok := s.gqlDocParam(rhs, seen); ok {
				return i, name, true
			}
		}
	case *ast.CompositeLit:
		if q := s.gqlLitQuery(x); q != nil {
			return s.gqlDocParam(q, seen)
		}
	case *ast.CallExpr:
		if tv, ok := s.info.Types[x.Fun]; ok && tv.IsType() {
			return s.gqlDocParam(x.Args[0], seen) // a conversion
		}
		for _, arg := range x.Args {
			t := s.info.TypeOf(arg)
			if t == nil {
				continue
			}
			if b, ok := t.Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
				if i, name, ok := s.gqlDocParam(arg, seen); ok {
					return i, name, true
				}
			}
		}
	}
	return 0, "", false
}

// gqlMutation reports whether x holds a GraphQL mutation document: a
// constant string in it (function literals aside), or, for a local
// variable, in what the package assigns to it (gqlVar). It returns the
// operation's name, "" when it has none.
func (s *fnState) gqlMutation(x ast.Expr) (op string, ok bool) {
	ast.Inspect(x, func(n ast.Node) bool {
		if ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case ast.Expr:
			tv, has := s.info.Types[n]
			if has && tv.Value != nil && tv.Value.Kind() == constant.String {
				op, ok = gqlMutationOp(constant.StringVal(tv.Value))
				return false
			}
			if id, isID := n.(*ast.Ident); isID {
				if v, isVar := s.info.Uses[id].(*types.Var); isVar && !v.IsField() && v.Parent() != nil && v.Parent() != v.Pkg().Scope() {
					op, ok = s.gqlVar(v)
				}
			}
		}
		return true
	})
	return op, ok
}

// gqlDoc is what gqlVar found of a variable.
type gqlDoc struct {
	op string
	ok bool
}

// gqlVar reports whether a value the package assigns to the local v holds
// a mutation document, once per variable: followed value by value at
// every use, a variable assigned many times whose values name other such
// variables (cloudflare-go's request builders) took minutes. A variable
// met again while its own values are followed adds nothing.
func (s *fnState) gqlVar(v *types.Var) (string, bool) {
	if d, seen := s.r.gqlVars[v]; seen {
		return d.op, d.ok
	}
	if s.r.gqlVars == nil {
		s.r.gqlVars = map[*types.Var]gqlDoc{}
	}
	s.r.gqlVars[v] = gqlDoc{}
	var d gqlDoc
	for _, rhs := range s.r.localValues()[v] {
		if d.op, d.ok = s.gqlMutation(rhs); d.ok {
			break
		}
	}
	s.r.gqlVars[v] = d
	return d.op, d.ok
}

// localValues returns, per local variable of the package, the
// expressions assigned to it one to one (x := e, x = e, var x = e), made
// on first use.
func (r *runner) localValues() map[*types.Var][]ast.Expr {
	if r.locals != nil {
		return r.locals
	}
	r.locals = map[*types.Var][]ast.Expr{}
	info := r.pass.TypesInfo
	add := func(id *ast.Ident, rhs ast.Expr) {
		if v, ok := info.ObjectOf(id).(*types.Var); ok && !v.IsField() {
			r.locals[v] = append(r.locals[v], rhs)
		}
	}
	for _, f := range r.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) && (n.Tok == token.DEFINE || n.Tok == token.ASSIGN) {
					for i, l := range n.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							add(id, n.Rhs[i])
						}
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == len(n.Values) {
					for i, id := range n.Names {
						add(id, n.Values[i])
					}
				}
			}
			return true
		})
	}
	return r.locals
}

// assignCounts returns, per local variable of the package, how many
// times it is assigned in any form (varUses).
func (r *runner) assignCounts() map[*types.Var]int {
	r.varUses()
	return r.assigns
}

// addrTaken returns the local variables of the package whose address is
// taken (varUses).
func (r *runner) addrTaken() map[*types.Var]bool {
	r.varUses()
	return r.addrs
}

// varUses makes assigns and addrs in one walk of the package's files.
func (r *runner) varUses() {
	if r.assigns != nil {
		return
	}
	r.assigns, r.addrs = map[*types.Var]int{}, map[*types.Var]bool{}
	info := r.pass.TypesInfo
	count := func(x ast.Expr) {
		if id, ok := x.(*ast.Ident); ok {
			if v, ok := info.ObjectOf(id).(*types.Var); ok && !v.IsField() {
				r.assigns[v]++
			}
		}
	}
	for _, f := range r.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					count(l)
				}
			case *ast.RangeStmt:
				if n.Key != nil {
					count(n.Key)
				}
				if n.Value != nil {
					count(n.Value)
				}
			case *ast.ValueSpec:
				if len(n.Values) > 0 {
					for _, id := range n.Names {
						count(id)
					}
				}
			case *ast.UnaryExpr:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
					if v, ok := info.Uses[id].(*types.Var); ok {
						r.addrs[v] = true
					}
				}
			}
			return true
		})
	}
}

// gqlMutationOp reports whether doc is a GraphQL document holding a
// mutation operation ("mutation CreateOrder($sku: ID!) { ... }", maybe
// after fragments and comments) and returns the operation's name.
func gqlMutationOp(doc string) (string, bool) {
	depth := 0
	for i := 0; i < len(doc); {
		ch := doc[i]
		switch {
		case ch == '#':
			j := strings.IndexByte(doc[i:], '\n')
			if j < 0 {
				return "", false
			}
			i += j + 1
			continue
		case ch == '"':
			j := strings.IndexByte(doc[i+1:], '"')
			if j < 0 {
				return "", false
			}
			i += j + 2
			continue
		case ch == '{' || ch == '(':
			depth++
		case ch == '}' || ch == ')':
			depth--
		case depth == 0 && isWordByte(ch):
			j := i
			for j < len(doc) && isWordByte(doc[j]) {
				j++
			}
			if doc[i:j] == "mutation" {
				if name, ok := gqlOperation(doc[j:]); ok {
					return name, true
				}
			}
			i = j
			continue
		}
		i++
	}
	return "", false
}

// gqlOperation reports whether rest, what follows an operation keyword,
// is the rest of an operation definition: an optional name, optional
// variable definitions in parentheses and directives, then the selection
// set's "{". It returns the name.
func gqlOperation(rest string) (string, bool) {
	skip := func() { rest = strings.TrimLeft(rest, " \t\r\n,") }
	word := func() string {
		k := 0
		for k < len(rest) && isWordByte(rest[k]) {
			k++
		}
		w := rest[:k]
		rest = rest[k:]
		return w
	}
	parens := func() bool {
		if !strings.HasPrefix(rest, "(") {
			return true
		}
		k := strings.IndexByte(rest, ')')
		if k < 0 {
			return false
		}
		rest = rest[k+1:]
		return true
	}
	skip()
	name := word()
	skip()
	if !parens() {
		return "", false
	}
	skip()
	for strings.HasPrefix(rest, "@") {
		rest = rest[1:]
		word()
		skip()
		if !parens() {
			return "", false
		}
		skip()
	}
	return name, strings.HasPrefix(rest, "{")
}
