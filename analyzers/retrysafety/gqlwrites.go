package retrysafety

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
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
		return false
	}
	e.what = what
	s.note(root{kind: rootGlobal}, what+" at "+s.r.where(c.Pos()), nil)
	e.self, e.selfWhy, e.gql = true, gqlWhy, true
	return true
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
