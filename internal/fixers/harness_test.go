package fixers_test

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// The packages that rewrite inputs may import, type-checked once.
var (
	loadOnce sync.Once
	loaded   map[string]*types.Package
	loadErr  error
)

func importer(tb testing.TB) types.ImporterFrom {
	tb.Helper()
	loadOnce.Do(func() {
		cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedImports | packages.NeedDeps}
		pkgs, err := packages.Load(cfg, "context", "errors", "fmt", "io", "os", "strings", "sync", "time",
			targets.RecoveryPath, targets.IntelligencePath)
		if err != nil {
			loadErr = err
			return
		}
		loaded = map[string]*types.Package{}
		packages.Visit(pkgs, nil, func(p *packages.Package) {
			for _, e := range p.Errors {
				loadErr = errors.Join(loadErr, e)
			}
			loaded[p.PkgPath] = p.Types
		})
	})
	if loadErr != nil {
		tb.Fatalf("loading importable packages: %v", loadErr)
	}
	return mapImporter(loaded)
}

type mapImporter map[string]*types.Package

func (m mapImporter) Import(path string) (*types.Package, error) { return m.ImportFrom(path, "", 0) }

func (m mapImporter) ImportFrom(path, _ string, _ types.ImportMode) (*types.Package, error) {
	if p, ok := m[path]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("package %s is not loaded by the test", path)
}

// checked is one parsed and type-checked single-file package, as a pass
// sees it.
type checked struct {
	src  []byte
	file *ast.File
	pass *analysis.Pass
}

// check parses and type-checks src. A parse error or type error is
// returned.
func check(tb testing.TB, filename string, src []byte) (*checked, error) {
	tb.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	info := newTypesInfo()
	conf := types.Config{Importer: importer(tb)}
	pkg, err := conf.Check(f.Name.Name, fset, []*ast.File{f}, info)
	if err != nil {
		return nil, err
	}
	pass := &analysis.Pass{
		Fset:      fset,
		Files:     []*ast.File{f},
		Pkg:       pkg,
		TypesInfo: info,
		ReadFile: func(name string) ([]byte, error) {
			if name != filename {
				return nil, fmt.Errorf("unexpected read of %s", name)
			}
			return src, nil
		},
	}
	return &checked{src: src, file: f, pass: pass}, nil
}

// method finds the method "Type.Name" (or function "Name").
func (c *checked) method(name string) *ast.FuncDecl {
	recv, fn, ok := strings.Cut(name, ".")
	if !ok {
		recv, fn = "", name
	}
	for _, d := range c.file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != fn {
			continue
		}
		if recvName(fd) == recv {
			return fd
		}
	}
	return nil
}

func recvName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// retryTarget describes fd as the analyzer does: its context parameter
// and whether it is safe to run twice come from package targets.
func (c *checked) retryTarget(fd *ast.FuncDecl, guards int, policy string) *retrycoverage.Target {
	return &retrycoverage.Target{File: c.file, Decl: fd, Guards: guards, Ctx: c.ctxParam(fd),
		OneShot: targets.OneShot(c.pass.TypesInfo, fd), Policy: policy}
}

// ctxParam returns fd's context parameter as the analyzers find it.
func (c *checked) ctxParam(fd *ast.FuncDecl) *types.Var {
	return targets.ContextParam(c.pass.TypesInfo.Defs[fd.Name].(*types.Func))
}

func (c *checked) trackTarget(fd *ast.FuncDecl, agent, trackerField string) *intelcoverage.Target {
	var worker *types.TypeName
	if obj, ok := c.pass.Pkg.Scope().Lookup(recvName(fd)).(*types.TypeName); ok {
		worker = obj
	}
	return &intelcoverage.Target{File: c.file, Decl: fd, Worker: worker, Agent: agent, TrackerField: trackerField, Ctx: c.ctxParam(fd), Records: c.records(fd)}
}

// records returns the hand-written records in fd's body, as intelcoverage
// finds them with the default configuration.
func (c *checked) records(fd *ast.FuncDecl) []*ast.CallExpr {
	cls, err := targets.New(nil)
	if err != nil {
		panic(err)
	}
	var calls []*ast.CallExpr
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func); ok {
				switch cls.TrackKindOf(fn) {
				case targets.TrackSuccess, targets.TrackError, targets.TrackOutcome:
					calls = append(calls, call)
				}
			}
		}
		return true
	})
	return calls
}

// apply applies the edits of fixes to c's source the way drivers merge
// fixes: identical edits are applied once, overlapping ones are an error.
func (c *checked) apply(fixes []analysis.SuggestedFix) ([]byte, error) {
	tf := c.pass.Fset.File(c.file.Pos())
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	for _, fix := range fixes {
		for _, e := range fix.TextEdits {
			ed := edit{tf.Offset(e.Pos), tf.Offset(e.End), string(e.NewText)}
			if !slices.Contains(edits, ed) {
				edits = append(edits, ed)
			}
		}
	}
	slices.SortStableFunc(edits, func(a, b edit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return a.end - b.end
	})
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		if e.start < last {
			return nil, fmt.Errorf("overlapping edits at offset %d", e.start)
		}
		out.Write(c.src[last:e.start])
		out.WriteString(e.text)
		last = e.end
	}
	out.Write(c.src[last:])
	return out.Bytes(), nil
}

// comments returns the text of every comment in src, in order.
func comments(tb testing.TB, src []byte) []string {
	tb.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ParseComments)
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	var out []string
	for _, g := range f.Comments {
		for _, c := range g.List {
			out = append(out, c.Text)
		}
	}
	return out
}

// isSubsequence reports whether every element of sub appears in seq, in
// order.
func isSubsequence(sub, seq []string) bool {
	i := 0
	for _, s := range seq {
		if i < len(sub) && s == sub[i] {
			i++
		}
	}
	return i == len(sub)
}

func gofmtStable(src []byte) error {
	out, err := format.Source(src)
	if err != nil {
		return err
	}
	if !bytes.Equal(out, src) {
		return fmt.Errorf("not gofmt-formatted")
	}
	return nil
}

// newTypesInfo returns a types.Info recording everything the fixers read.
func newTypesInfo() *types.Info {
	return &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Implicits:  map[ast.Node]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Scopes:     map[ast.Node]*types.Scope{},
		Instances:  map[*ast.Ident]types.Instance{},
	}
}

// checkRewriteFile reads and type-checks testdata/rewrite/file, failing
// the test when it cannot.
func checkRewriteFile(t testing.TB, file string) *checked {
	t.Helper()
	path := filepath.Join("testdata", "rewrite", file)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := check(t, path, src)
	if err != nil {
		t.Fatalf("%s does not type-check: %v", file, err)
	}
	return c
}
