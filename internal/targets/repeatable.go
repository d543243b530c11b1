package targets

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// DirRepeatable marks a struct field or package variable whose writes may
// repeat on every attempt (a cache of the last response's rate-limit
// headers, cached credentials): //resilience:repeatable <reason> in its
// doc comment or as its line comment. A write to it does not make a body
// unsafe to retry (package retrysafety).
const DirRepeatable = "repeatable"

// RepeatableVar is a field or package variable declared with
// //resilience:repeatable.
type RepeatableVar struct {
	Obj    *types.Var
	Reason string
}

// RepeatableVars returns the fields of the named struct types and the
// package variables declared in files whose doc or line comment carries
// //resilience:repeatable <reason>, and the directives without a reason
// as problems (such a directive is ignored). A directive on a field list
// entry with several names (a, b int) covers each of them.
func RepeatableVars(files []*ast.File, info *types.Info) ([]RepeatableVar, []Problem) {
	var out []RepeatableVar
	var problems []Problem
	add := func(names []*ast.Ident, docs ...*ast.CommentGroup) {
		var dir *Directive
		for _, doc := range docs {
			if dir = Find(Directives(doc), DirRepeatable); dir != nil {
				break
			}
		}
		if dir == nil {
			return
		}
		var vars []*types.Var
		for _, n := range names {
			if v, ok := info.Defs[n].(*types.Var); ok && n.Name != "_" {
				vars = append(vars, v)
			}
		}
		if len(vars) == 0 {
			return
		}
		if strings.TrimSpace(dir.Reason) == "" {
			problems = append(problems, Problem{dir.Pos, "//resilience:repeatable on " + vars[0].Name() + " needs a reason: //resilience:repeatable <why repeating its writes changes nothing>"})
			return
		}
		for _, v := range vars {
			out = append(out, RepeatableVar{Obj: v, Reason: dir.Reason})
		}
	}
	for _, f := range files {
		for ts := range typeSpecs(f) {
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, field := range st.Fields.List {
				add(field.Names, field.Doc, field.Comment)
			}
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				doc := vs.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				add(vs.Names, doc, vs.Comment)
			}
		}
	}
	return out, problems
}
