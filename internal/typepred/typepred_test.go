package typepred_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// sources are the packages of the test world, checked in this order.
var sources = []struct{ path, src string }{
	{"context", `package context
type Context interface{ Err() error }`},
	{"example.com/rt", `package rt
type Tracker struct{}
func (*Tracker) TrackError(error) {}
func (Tracker) TrackSuccess() {}
func New() *Tracker { return nil }
type Box[T any] struct{ v T }
func (b *Box[T]) Get() T { return b.v }
type Iface interface{ Track() }`},
	{"example.com/user", `package user
import (
	ctx "context"
	"example.com/rt"
)
type Ctx = ctx.Context
type Err = error
type TrackerPtr = *rt.Tracker
type MyErr struct{}
func (MyErr) Error() string { return "" }
var (
	C ctx.Context
	CA Ctx
	E error
	EA Err
	ME MyErr
	T rt.Tracker
	TP *rt.Tracker
	TPA TrackerPtr
	B rt.Box[int]
	Fn = rt.New
)
type File struct{}
func (*File) Read(p []byte) (int, error) { return 0, nil }
func (*File) Write(p []byte) (n int, err error) { return 0, nil }
func (*File) Close() error { return nil }
type Seeker struct{ File }
func (*Seeker) Seek(offset int64, whence int) (int64, error) { return 0, nil }
func Work(ctx.Context) (int, error) { return 0, nil }
func NoErr() (error, int) { return nil, 0 }`},
}

func world(t *testing.T) map[string]*types.Package {
	t.Helper()
	fset := token.NewFileSet()
	pkgs := map[string]*types.Package{}
	imp := importerFunc(func(path string) (*types.Package, error) { return pkgs[path], nil })
	for _, s := range sources {
		f, err := parser.ParseFile(fset, s.path+".go", s.src, 0)
		if err != nil {
			t.Fatal(err)
		}
		conf := types.Config{Importer: imp}
		pkg, err := conf.Check(s.path, fset, []*ast.File{f}, nil)
		if err != nil {
			t.Fatal(err)
		}
		pkgs[s.path] = pkg
	}
	return pkgs
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func TestTypePredicates(t *testing.T) {
	pkgs := world(t)
	user := pkgs["example.com/user"].Scope()
	typeOf := func(name string) types.Type { return user.Lookup(name).Type() }
	for _, tc := range []struct {
		name string
		got  bool
		want bool
	}{
		{"context.Context", typepred.IsContext(typeOf("C")), true},
		{"alias of context.Context", typepred.IsContext(typeOf("CA")), true},
		{"error is not a context", typepred.IsContext(typeOf("E")), false},
		{"error", typepred.IsError(typeOf("E")), true},
		{"alias of error", typepred.IsError(typeOf("EA")), true},
		{"an error implementation is not error", typepred.IsError(typeOf("ME")), false},
		{"nil type is not error", typepred.IsError(nil), false},
		{"error implements error", typepred.ImplementsError(typeOf("E")), true},
		{"alias of error implements error", typepred.ImplementsError(typeOf("EA")), true},
		{"an error implementation implements error", typepred.ImplementsError(typeOf("ME")), true},
		{"a pointer to one implements error", typepred.ImplementsError(types.NewPointer(typeOf("ME"))), true},
		{"string does not implement error", typepred.ImplementsError(types.Typ[types.String]), false},
		{"int does not implement error", typepred.ImplementsError(types.Typ[types.Int]), false},
		{"Tracker does not implement error", typepred.ImplementsError(typeOf("T")), false},
		{"nil type does not implement error", typepred.ImplementsError(nil), false},
		// types.Implements holds for an invalid type (no follow-up
		// errors), and ImplementsError does not second-guess it.
		{"invalid type as types.Implements says", typepred.ImplementsError(types.Typ[types.Invalid]), types.Implements(types.Typ[types.Invalid], types.Universe.Lookup("error").Type().Underlying().(*types.Interface))},
		{"Tracker", typepred.IsTypeNamed(typeOf("T"), "example.com/rt", "Tracker"), true},
		{"Tracker among names", typepred.IsTypeNamed(typeOf("T"), "example.com/rt", "Other", "Tracker"), true},
		{"Tracker in another package", typepred.IsTypeNamed(typeOf("T"), "example.com/user", "Tracker"), false},
		{"*Tracker is not Tracker", typepred.IsTypeNamed(typeOf("TP"), "example.com/rt", "Tracker"), false},
		{"*Tracker", typepred.IsPointerToNamed(typeOf("TP"), "example.com/rt", "Tracker"), true},
		{"alias of *Tracker", typepred.IsPointerToNamed(typeOf("TPA"), "example.com/rt", "Tracker"), true},
		{"Tracker is not a pointer", typepred.IsPointerToNamed(typeOf("T"), "example.com/rt", "Tracker"), false},
		{"Tracker or pointer: value", typepred.IsNamedOrPointer(typeOf("T"), "example.com/rt", "Tracker"), true},
		{"Tracker or pointer: pointer", typepred.IsNamedOrPointer(typeOf("TPA"), "example.com/rt", "Tracker"), true},
		{"instantiated generic type", typepred.IsTypeNamed(typeOf("B"), "example.com/rt", "Box"), true},
		{"func type is not named", typepred.IsTypeNamed(typeOf("Fn"), "example.com/rt", "New"), false},
		{"File is a reader", types.Implements(types.NewPointer(typeOf("File")), typepred.IOReader), true},
		{"File is a writer", types.Implements(types.NewPointer(typeOf("File")), typepred.IOWriter), true},
		{"File is a closer", types.Implements(types.NewPointer(typeOf("File")), typepred.IOCloser), true},
		{"File is not a seeker", types.Implements(types.NewPointer(typeOf("File")), typepred.IOSeeker), false},
		{"Seeker is a seeker", types.Implements(types.NewPointer(typeOf("Seeker")), typepred.IOSeeker), true},
		{"MyErr is not a reader", types.Implements(typeOf("ME"), typepred.IOReader), false},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestFuncPredicates(t *testing.T) {
	pkgs := world(t)
	rt, user := pkgs["example.com/rt"].Scope(), pkgs["example.com/user"].Scope()
	fn := func(s *types.Scope, name string) *types.Func { return s.Lookup(name).(*types.Func) }
	method := func(s *types.Scope, typ, name string) *types.Func {
		t := s.Lookup(typ).Type()
		if !types.IsInterface(t) {
			t = types.NewPointer(t)
		}
		obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
		return obj.(*types.Func)
	}
	boxGet := method(user, "B", "Get") // instantiated: Box[int].Get
	if boxGet == nil {
		t.Fatal("no Box[int].Get")
	}
	for _, tc := range []struct {
		name string
		got  bool
		want bool
	}{
		{"New is a function", typepred.IsFunctionNamed(fn(rt, "New"), "example.com/rt", "New"), true},
		{"New among names", typepred.IsFunctionNamed(fn(rt, "New"), "example.com/rt", "Make", "New"), true},
		{"New in another package", typepred.IsFunctionNamed(fn(rt, "New"), "example.com/user", "New"), false},
		{"a method is not a function", typepred.IsFunctionNamed(method(rt, "Tracker", "TrackSuccess"), "example.com/rt", "TrackSuccess"), false},
		{"nil is no function", typepred.IsFunctionNamed(nil, "example.com/rt", "New"), false},
		{"value method", typepred.IsMethodNamed(method(rt, "Tracker", "TrackSuccess"), "example.com/rt", "Tracker", "TrackSuccess"), true},
		{"pointer method", typepred.IsMethodNamed(method(rt, "Tracker", "TrackError"), "example.com/rt", "Tracker", "TrackSuccess", "TrackError"), true},
		{"method of another type", typepred.IsMethodNamed(method(rt, "Tracker", "TrackError"), "example.com/rt", "Box", "TrackError"), false},
		{"other method name", typepred.IsMethodNamed(method(rt, "Tracker", "TrackError"), "example.com/rt", "Tracker", "TrackSuccess"), false},
		{"a function is not a method", typepred.IsMethodNamed(fn(rt, "New"), "example.com/rt", "Tracker", "New"), false},
		{"method of an instantiation", typepred.IsMethodNamed(boxGet, "example.com/rt", "Box", "Get"), true},
		{"interface method", typepred.IsMethodNamed(method(rt, "Iface", "Track"), "example.com/rt", "Iface", "Track"), true},
		{"package func", typepred.IsPackageFunc(fn(rt, "New")), true},
		{"method is no package func", typepred.IsPackageFunc(method(rt, "Tracker", "TrackError")), false},
		{"returns error", typepred.ReturnsError(fn(user, "Work").Signature()), true},
		{"error not last", typepred.ReturnsError(fn(user, "NoErr").Signature()), false},
		{"no results", typepred.ReturnsError(method(rt, "Tracker", "TrackSuccess").Signature()), false},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}

	for _, tc := range []struct {
		fn   *types.Func
		want string // the receiver's type name, "" for nil
	}{
		{fn(rt, "New"), ""},
		{method(rt, "Tracker", "TrackError"), "Tracker"},
		{method(rt, "Tracker", "TrackSuccess"), "Tracker"},
		{method(rt, "Iface", "Track"), "Iface"},
		{boxGet, "Box"},
	} {
		got := ""
		if n := typepred.ReceiverNamed(tc.fn); n != nil {
			got = n.Obj().Name()
		}
		if got != tc.want {
			t.Errorf("ReceiverNamed(%s) = %q, want %q", tc.fn, got, tc.want)
		}
	}
}

// TestMentions checks Mentions on the uses of a variable: in the node,
// in a function literal inside it, and not its declaration or another
// variable of the same name.
func TestMentions(t *testing.T) {
	const src = `package p

func f(x int) int {
	a := x + 1
	g := func() int { return x }
	{
		x := 2
		_ = x
	}
	return a + g()
}
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	if _, err := new(types.Config).Check("p", fset, []*ast.File{file}, info); err != nil {
		t.Fatal(err)
	}
	fd := file.Decls[0].(*ast.FuncDecl)
	param := info.Defs[fd.Type.Params.List[0].Names[0]]
	body := fd.Body.List
	for i, want := range []bool{true, true, false, false} {
		if got := typepred.Mentions(info, body[i], param); got != want {
			t.Errorf("statement %d (%T): Mentions = %v, want %v", i, body[i], got, want)
		}
	}
}

// TestRangeYieldsError checks RangeYieldsError on the range statements of
// one function, in order: iterators yielding an error bound to a variable
// (Seq2's value, Seq's key, a named iterator type, an error type of its
// own), and those that yield none, discard it, or are no functions.
func TestRangeYieldsError(t *testing.T) {
	const src = `package p

type Seq[V any] func(yield func(V) bool)
type Seq2[K, V any] func(yield func(K, V) bool)
type MyErr struct{}
func (*MyErr) Error() string { return "" }

func stream() Seq2[string, error] { return nil }
func errs() Seq[error] { return nil }
func mine() func(func(int, *MyErr) bool) { return nil }
func names() Seq[string] { return nil }

func f() {
	for s, err := range stream() { _, _ = s, err }
	for err := range errs() { _ = err }
	for _, err := range mine() { _ = err }
	for s := range stream() { _ = s }
	for s, _ := range stream() { _ = s }
	for s := range names() { _ = s }
	for i, s := range []string{} { _, _ = i, s }
	for range stream() {}
}
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	if _, err := new(types.Config).Check("p", fset, []*ast.File{file}, info); err != nil {
		t.Fatal(err)
	}
	fd := file.Decls[len(file.Decls)-1].(*ast.FuncDecl)
	for i, want := range []bool{true, true, true, false, false, false, false, false} {
		if got := typepred.RangeYieldsError(info, fd.Body.List[i].(*ast.RangeStmt)); got != want {
			t.Errorf("range statement %d: RangeYieldsError = %v, want %v", i, got, want)
		}
	}
}
