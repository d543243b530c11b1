package flow_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"golang.org/x/tools/go/cfg"

	"github.com/resilience-lint/resilience-lint/analyzers/internal/flow"
)

// mark is the fact "mark() was called on every path".
const mark flow.Set = 1

func solve(t *testing.T, body string) map[string]bool {
	t.Helper()
	src := "package p\nfunc f(c bool) int {\n" + body + "\n}"
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := cfg.New(f.Decls[0].(*ast.FuncDecl).Body, func(*ast.CallExpr) bool { return true })
	transfer := func(b *cfg.Block, s flow.Set) flow.Set {
		for _, n := range b.Nodes {
			ast.Inspect(n, func(x ast.Node) bool {
				if c, ok := x.(*ast.CallExpr); ok && c.Fun.(*ast.Ident).Name == "mark" {
					s |= mark
				}
				return true
			})
		}
		return s
	}
	in := flow.Solve(g, 0, transfer)
	// Result: for each "return N", whether mark holds there.
	got := map[string]bool{}
	for _, b := range g.Blocks {
		if ret := b.Return(); ret != nil && b.Live {
			got[ret.Results[0].(*ast.BasicLit).Value] = transfer(b, in[b.Index])&mark != 0
		}
	}
	return got
}

func TestSolve(t *testing.T) {
	tests := []struct {
		name string
		body string
		want map[string]bool
	}{
		{"straight", "mark()\nreturn 1", map[string]bool{"1": true}},
		{"one branch", "if c { mark() }\nreturn 1", map[string]bool{"1": false}},
		{"both branches", "if c { mark() } else { mark() }\nreturn 1", map[string]bool{"1": true}},
		{"early return", "if c { return 1 }\nmark()\nreturn 2", map[string]bool{"1": false, "2": true}},
		{"loop may not run", "for c { mark() }\nreturn 1", map[string]bool{"1": false}},
		{"loop after mark", "mark()\nfor c { c = !c }\nreturn 1", map[string]bool{"1": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := solve(t, tt.body)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("return %s: mark=%v, want %v", k, got[k], v)
				}
			}
		})
	}
}
