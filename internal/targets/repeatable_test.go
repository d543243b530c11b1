package targets_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// TestRepeatableVars: //resilience:repeatable on struct fields (doc or
// line comment, several names at once) and package variables is found
// with its reason; without a reason it is a problem and is ignored.
func TestRepeatableVars(t *testing.T) {
	src := `package api

type Rate struct{ Limit int }

type Client struct {
	// Rate is the last response's rate limit.
	//
	//resilience:repeatable overwritten by every response
	Rate Rate
	creds string //resilience:repeatable refetched when missing
	//resilience:repeatable both caches of the last page
	lastA, lastB int
	//resilience:repeatable
	bare  int
	plain int
}

//resilience:repeatable the last error seen, for debugging
var lastErr error

var (
	//resilience:repeatable a cache
	cache = map[string]int{}
	other int
)
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "api.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}}
	if _, err := new(types.Config).Check("example.com/api", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	found, problems := targets.RepeatableVars([]*ast.File{f}, info)
	got := map[string]string{}
	for _, v := range found {
		got[v.Obj.Name()] = v.Reason
	}
	want := map[string]string{
		"Rate":    "overwritten by every response",
		"creds":   "refetched when missing",
		"lastA":   "both caches of the last page",
		"lastB":   "both caches of the last page",
		"lastErr": "the last error seen, for debugging",
		"cache":   "a cache",
	}
	if !maps.Equal(got, want) {
		t.Errorf("repeatable = %q, want %q", got, want)
	}
	if len(problems) != 1 || problems[0].Message != "//resilience:repeatable on bare needs a reason: //resilience:repeatable <why repeating its writes changes nothing>" {
		t.Errorf("problems = %+v", problems)
	}
}
