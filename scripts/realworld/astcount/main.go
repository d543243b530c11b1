// Command astcount is the real-world sweep's independent count of the
// methods resilience-lint should find: exported methods, declared on the
// types that the given agent-type patterns select, whose last result is
// error and whose body calls something whose last result is error (work
// that can fail), other than the standard error constructors.
//
// It shares only the pattern matcher with the analyzers, not their
// classification, so the sweep can compare the two:
//
//	astcount -agent-types '["Client"]' ./...
//
// prints one "pkg.Type.Method" a line and, last, "total N".
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/types"
	"os"
	"sort"

	"golang.org/x/tools/go/packages"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

func main() {
	patternsJSON := flag.String("agent-types", "[]", "agent-type patterns as a JSON list")
	flag.Parse()
	var patterns []string
	if err := json.Unmarshal([]byte(*patternsJSON), &patterns); err != nil {
		fmt.Fprintln(os.Stderr, "astcount: -agent-types:", err)
		os.Exit(2)
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
		packages.NeedTypes | packages.NeedTypesInfo}
	pkgs, err := packages.Load(cfg, flag.Args()...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "astcount:", err)
		os.Exit(1)
	}
	packages.PrintErrors(pkgs)
	var found []string
	for _, p := range pkgs {
		for _, f := range p.Syntax {
			if ast.IsGenerated(f) {
				continue
			}
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Recv == nil || fd.Body == nil || !fd.Name.IsExported() {
					continue
				}
				fn, _ := p.TypesInfo.Defs[fd.Name].(*types.Func)
				if fn == nil {
					continue
				}
				tn := typepred.ReceiverTypeName(fn)
				if tn == nil || !targets.MatchType(patterns, p.PkgPath, tn.Name()) {
					continue
				}
				sig := fn.Signature()
				if !typepred.ReturnsError(sig) || !callsFailing(p.TypesInfo, fd.Body) {
					continue
				}
				found = append(found, p.PkgPath+"."+tn.Name()+"."+fn.Name())
			}
		}
	}
	sort.Strings(found)
	for _, s := range found {
		fmt.Println(s)
	}
	fmt.Println("total", len(found))
}

// callsFailing reports whether body calls a function or method whose last
// result is error, other than errors.New, fmt.Errorf and friends.
func callsFailing(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		tv, ok := info.Types[c.Fun]
		if !ok || tv.IsType() {
			return true
		}
		sig, ok := tv.Type.Underlying().(*types.Signature)
		if !ok || !typepred.FailsWithError(sig) {
			return true // (a call returning *MyError can fail too)
		}
		if fn := calleeFunc(info, c); fn != nil && targets.IsErrorConstructor(fn) {
			return true
		}
		found = true
		return false
	})
	return found
}

func calleeFunc(info *types.Info, c *ast.CallExpr) *types.Func {
	switch f := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		fn, _ := info.Uses[f].(*types.Func)
		return fn
	case *ast.SelectorExpr:
		fn, _ := info.Uses[f.Sel].(*types.Func)
		return fn
	}
	return nil
}
