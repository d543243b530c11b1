package fixers

import (
	"go/ast"
	"go/parser"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// retry is the retry rewrite: the wrapper is a recovery entry point
// called with the configured policy, and the closure re-declares the
// variables the body writes and reads, so every attempt starts from the
// same values.
type retry struct {
	*wrap
	policy       string // policy expression, "" = <recovery>.Default()
	policySource string // where the policy was configured ("file:line"), "" if unknown
}

func (w *retry) arguments(rtPkg string) (string, []analysis.TextEdit, error) {
	return w.policyExpr(rtPkg)
}

func (w *retry) rebinds() ([]string, string) {
	names, local := w.rebound()
	if local {
		return names, "// Every attempt starts from the values computed before the retry."
	}
	return names, "// Every attempt starts from the arguments as passed."
}

func (w *retry) removals() (map[ast.Stmt]bool, []analysis.TextEdit) { return nil, nil }

func (w *retry) message(method, entry string) string { return "wrap " + method + " in " + entry }

// policyExpr returns the policy argument, checking a configured
// expression where it will be evaluated, and the edits adding the import
// it needs (see policy.go).
func (w *retry) policyExpr(rtPkg string) (string, []analysis.TextEdit, error) {
	if w.policy == "" {
		return rtPkg + ".Default()", nil, nil
	}
	if path, rest, ok := w.splitPolicyPath(w.policy); ok {
		return w.importedPolicy(path, rest)
	}
	expr, err := parser.ParseExpr(w.policy)
	if err != nil {
		return "", nil, w.policyError("is not a Go expression: %v", err)
	}
	tv := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
	if err := types.CheckExpr(w.pass.Fset, w.pass.Pkg, w.pos, expr, tv); err != nil {
		hint := ""
		if id := rootIdent(expr); id != nil && tv.Uses[id] == nil {
			hint = "; name a package the file does not import by its import path, as in example.com/shop/platform.DefaultPolicy"
		}
		return "", nil, w.policyError("does not compile in %s: %s%s", w.name(), typeErrorText(err), hint)
	}
	if err := w.checkPolicyType(tv.Types[expr].Type); err != nil {
		return "", nil, err
	}
	ast.Inspect(expr, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			w.taken[id.Name] = true
		}
		return true
	})
	return w.policy, nil, nil
}
