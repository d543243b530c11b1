package fixers

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// The configured policy (config key policy) is a Go expression of type
// *recovery.Policy, in one of two forms:
//
//   - an expression in the file's scope: "a.policy", or
//     "platform.DefaultPolicy" when the file already imports platform;
//   - a full import path form, "example.com/shop/platform.DefaultPolicy":
//     the fixer imports the package (aliased if its name is taken where
//     the retry goes) and writes platform.DefaultPolicy. When the package
//     is among the analyzed package's dependencies, the expression is
//     type-checked in the package's scope, and only the package's exported
//     names are accepted; otherwise its name is not known, and the import
//     gets an explicit name (the path's last element), so that the
//     expression means what it says whatever the package's own name, and
//     the check is left to the type check of the rewritten package that
//     -fix makes before writing anything.
//
// An invalid expression is refused with an error that says where the
// policy was configured (Target.PolicySource, the file and line of the
// key when it comes from .resilience.yml) and the type checker's message
// without its position, which would point into the text of the
// expression, not into a file.

// splitPolicyPath splits the full import path form of a policy into the
// path and the expression after it. ok is false for an expression in the
// file's scope. Of the dots after the path's last slash, the first that
// ends a package among the dependencies is taken, else the first.
func (w *retry) splitPolicyPath(policy string) (path, rest string, ok bool) {
	end := 0
	for end < len(policy) && isImportPathChar(policy[end]) {
		end++
	}
	slash := strings.LastIndexByte(policy[:end], '/')
	if slash < 0 {
		return "", "", false
	}
	known := dependencies(w.pass.Pkg)
	first := -1
	for i := slash + 1; i < end; i++ {
		if policy[i] != '.' {
			continue
		}
		if first < 0 {
			first = i
		}
		if known[policy[:i]] != nil {
			return policy[:i], policy[i+1:], true
		}
	}
	if first < 0 {
		return "", "", false
	}
	return policy[:first], policy[first+1:], true
}

func isImportPathChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("/._~+-", c) >= 0
}

// dependencies returns the packages pkg imports, directly or not, by path.
func dependencies(pkg *types.Package) map[string]*types.Package {
	deps := map[string]*types.Package{}
	var visit func(*types.Package)
	visit = func(p *types.Package) {
		for _, imp := range p.Imports() {
			if deps[imp.Path()] == nil {
				deps[imp.Path()] = imp
				visit(imp)
			}
		}
	}
	if pkg != nil {
		visit(pkg)
	}
	return deps
}

// importedPolicy returns the policy argument for the full import path
// form, and the edits importing its package.
func (w *retry) importedPolicy(path, rest string) (string, []analysis.TextEdit, error) {
	expr, err := parser.ParseExpr(rest)
	if err != nil {
		return "", nil, w.policyError("is not a Go expression after the import path %s: %v", path, err)
	}
	root := rootIdent(expr)
	if root == nil {
		return "", nil, w.policyError("does not start with a name of package %s", path)
	}
	pkg := dependencies(w.pass.Pkg)[path]
	name := ""
	if pkg != nil {
		if err := w.checkImported(pkg, expr, root); err != nil {
			return "", nil, err
		}
		name = pkg.Name()
	} else {
		name = guessName(path)
		if name == "" {
			return "", nil, w.policyError("names the package %s, whose name -fix cannot tell: import it in the file and write the policy as name.%s", path, rest)
		}
	}
	local, edits, err := w.importName(path, name)
	if err != nil {
		return "", nil, err
	}
	if pkg == nil && edits != nil && local == name {
		// The package's own name is not known: say the name.
		edits = importEdits(w.pass.Fset, w.file, w.source(), path, name)
	}
	w.taken[local] = true
	return local + "." + rest, edits, nil
}

// checkImported type-checks expr, the policy after its import path, in
// pkg's scope: it must use only pkg's exported names, and only its first
// name may come from pkg (the fixer qualifies that one).
func (w *retry) checkImported(pkg *types.Package, expr ast.Expr, root *ast.Ident) error {
	tv := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
	if err := types.CheckExpr(token.NewFileSet(), pkg, token.NoPos, expr, tv); err != nil {
		return w.policyError("does not compile: %s", typeErrorText(err))
	}
	var bad error
	ast.Inspect(expr, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || bad != nil {
			return bad == nil
		}
		obj := tv.Uses[id]
		if obj == nil || obj.Pkg() != pkg {
			return true
		}
		switch {
		case !obj.Exported():
			bad = w.policyError("uses %s, which package %s does not export", id.Name, pkg.Path())
		case id != root && obj.Parent() == pkg.Scope():
			bad = w.policyError("uses %s of package %s after its first name: only the first name is qualified; write the policy in the file's scope instead", id.Name, pkg.Path())
		}
		return bad == nil
	})
	if bad != nil {
		return bad
	}
	return w.checkPolicyType(tv.Types[expr].Type)
}

// checkPolicyType refuses a policy expression that is not a
// *recovery.Policy.
func (w *retry) checkPolicyType(t types.Type) error {
	if !typepred.IsPointerToNamed(t, targets.RecoveryPath, "Policy") && t != types.Typ[types.UntypedNil] {
		return w.policyError("in %s is a %s, not a *recovery.Policy", w.name(), t)
	}
	return nil
}

// policyError returns an error about the configured policy expression,
// saying where it was configured.
func (w *retry) policyError(format string, args ...any) error {
	msg := fmt.Sprintf("policy expression %q ", w.policy) + fmt.Sprintf(format, args...)
	if w.policySource != "" {
		return errors.New(w.policySource + ": " + msg)
	}
	return errors.New(msg + " (the policy setting of .resilience.yml or -policy)")
}

// typeErrorText returns a type checker error without its position.
func typeErrorText(err error) string {
	var te types.Error
	if errors.As(err, &te) {
		return te.Msg
	}
	return err.Error()
}

// rootIdent returns the first name of a selector or call chain
// (platform in platform.Policies.Default or platform.New(3)), nil if it
// does not start with one.
func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.CallExpr:
			e = x.Fun
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.CompositeLit:
			e = x.Type
		case *ast.StarExpr:
			e = x.X
		case *ast.UnaryExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// guessName returns the name a package of the path is most likely
// called: its last element, without a major version suffix, if that is an
// identifier; "" otherwise.
func guessName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = elems[len(elems)-2]
	}
	if !token.IsIdentifier(name) || name == "_" {
		return ""
	}
	return name
}
