package targets_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// TestGuards checks the guard region: validation guards and the
// computing statements before them stay outside the retry; the region
// ends at the last guard, before the first statement that is neither.
func TestGuards(t *testing.T) {
	src := `package p

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

var errBad = errors.New("bad")

var state int

type Opts struct {
	Timeout time.Duration
	Tags    []string
}

func defaults(o Opts) Opts {
	if o.Timeout == 0 {
		o.Timeout = time.Second
	}
	var tags []string
	for _, t := range o.Tags {
		tags = append(tags, strings.ToLower(t))
	}
	o.Tags = tags
	return o
}

func bump(o *Opts) Opts { o.Timeout++; return *o }

func tick() int { state++; return state }

func work(ctx context.Context) error { return ctx.Err() }

type C struct{ n int }

func (c *C) None(ctx context.Context) error { return work(ctx) }

func (c *C) Guard(ctx context.Context, id string) error {
	if id == "" {
		return errBad
	}
	return work(ctx)
}

func (c *C) Computed(ctx context.Context, id string, o Opts) error {
	id = strings.TrimSpace(id)
	o = defaults(o)
	if o.Timeout > time.Hour {
		o.Timeout = time.Hour
	} else {
		o.Timeout += time.Millisecond
	}
	suffix := fmt.Sprintf("/%s/%d", id, len(o.Tags))
	var n int
	n++
	if id == "" {
		return errBad
	}
	o.Timeout = o.Timeout.Round(time.Second)
	if suffix == "/" {
		return fmt.Errorf("bad suffix %q", suffix)
	}
	_ = n
	return work(ctx)
}

func (c *C) Trailing(ctx context.Context, id string) error {
	if id == "" {
		return errBad
	}
	s := id + "/"
	_ = s
	return work(ctx)
}

func (c *C) Receiver(ctx context.Context, id string) error {
	c.n++
	if id == "" {
		return errBad
	}
	return work(ctx)
}

func (c *C) Package(ctx context.Context, id string) error {
	n := tick()
	if id == "" || n < 0 {
		return errBad
	}
	return work(ctx)
}

func (c *C) Pointer(ctx context.Context, o *Opts) error {
	o.Timeout = time.Second
	if o.Timeout == 0 {
		return errBad
	}
	return work(ctx)
}

func (c *C) ImpureHelper(ctx context.Context, o Opts) error {
	x := bump(&o)
	if x.Timeout == 0 {
		return errBad
	}
	return work(ctx)
}

func (c *C) Fails(ctx context.Context, id string) error {
	err := work(ctx)
	if id == "" {
		return err
	}
	return nil
}

func (c *C) FailingGuard(ctx context.Context, id string) error {
	if id == "" {
		return errBad
	}
	if err := work(ctx); err != nil {
		return err
	}
	return nil
}

func (c *C) Result(ctx context.Context, id string) (n int, err error) {
	n = 1
	if id == "" {
		return 0, errBad
	}
	return n, work(ctx)
}

func (c *C) Receive(ctx context.Context, ch chan string) error {
	id := <-ch
	if id == "" {
		return errBad
	}
	return work(ctx)
}

func (c *C) Append(ctx context.Context, tags []string) error {
	tags = append(tags, "x")
	if len(tags) == 0 {
		return errBad
	}
	return work(ctx)
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Types:      map[ast.Expr]types.TypeAndValue{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	// As the analyzer decides: a call of a function returning an error,
	// except the error constructors, can fail.
	canFail := func(c *ast.CallExpr) bool {
		fn, ok := typeutil.Callee(info, c).(*types.Func)
		return ok && typepred.ReturnsError(fn.Signature()) && !targets.IsErrorConstructor(fn)
	}
	pure := targets.NewPurity(info, []*ast.File{f})
	want := map[string]int{
		"None": 0, "Guard": 1, "Computed": 9, "Trailing": 1, "Receiver": 0, "Package": 0,
		"Pointer": 0, "ImpureHelper": 0, "Fails": 0, "FailingGuard": 1, "Result": 0, "Receive": 0, "Append": 0,
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil {
			continue
		}
		w, ok := want[fd.Name.Name]
		if !ok {
			t.Errorf("no expectation for %s", fd.Name.Name)
			continue
		}
		if got := targets.Guards(info, fd, canFail, pure); got != w {
			t.Errorf("Guards(%s) = %d, want %d", fd.Name.Name, got, w)
		}
	}
	for name, want := range map[string]bool{"defaults": true, "bump": false, "tick": false, "work": false} {
		obj, _ := lookupFunc(info, f, name)
		if got := pure.Func(obj); got != want {
			t.Errorf("Purity.Func(%s) = %v, want %v", name, got, want)
		}
	}
	// A nil Purity knows the standard library only.
	var none *targets.Purity
	// The parsers of values (pureParsers) are pure though they return an
	// error; one returning what an attempt could change is not, nor one
	// that reads more than its arguments.
	for path, want := range map[string]bool{"strings.TrimSpace": true, "fmt.Sprintf": true, "time.Now": false,
		"strconv.Atoi": true, "time.ParseDuration": true, "net/netip.ParseAddr": true,
		"regexp.Compile": false, "encoding/hex.DecodeString": false, "time.LoadLocation": false, "os.ReadFile": false} {
		obj := stdFunc(t, path)
		if got := none.Func(obj); got != want {
			t.Errorf("Purity.Func(%s) = %v, want %v", path, got, want)
		}
	}
}

func lookupFunc(info *types.Info, f *ast.File, name string) (*types.Func, bool) {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == name {
			fn, ok := info.Defs[fd.Name].(*types.Func)
			return fn, ok
		}
	}
	return nil, false
}

// stdFunc returns the package-level function "pkg.Name" of the standard
// library.
func stdFunc(t *testing.T, path string) *types.Func {
	t.Helper()
	i := len(path) - 1
	for path[i] != '.' {
		i--
	}
	pkg, err := importer.Default().Import(path[:i])
	if err != nil {
		t.Fatal(err)
	}
	fn, ok := pkg.Scope().Lookup(path[i+1:]).(*types.Func)
	if !ok {
		t.Fatalf("no func %s", path)
	}
	return fn
}
