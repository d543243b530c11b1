package targets_test

import (
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/targets"
)

func TestMatchPackage(t *testing.T) {
	tests := []struct {
		patterns []string
		path     string
		want     bool
	}{
		{[]string{"agents"}, "example.com/svc/agents/loader", true},
		{[]string{"agents"}, "example.com/svc/agents", true},
		{[]string{"agents"}, "example.com/agentsx/loader", false},
		{[]string{"agent*"}, "example.com/agentsx/loader", true},
		{[]string{"example.com/svc/*"}, "example.com/svc/loader", true},
		{[]string{"example.com/svc/*"}, "example.com/svc/loader/deep", false},
		{[]string{}, "example.com/agents", false},
	}
	for _, tt := range tests {
		if got := targets.MatchPackage(tt.patterns, tt.path); got != tt.want {
			t.Errorf("MatchPackage(%q, %q) = %v, want %v", tt.patterns, tt.path, got, tt.want)
		}
	}
}

func TestMatchType(t *testing.T) {
	tests := []struct {
		patterns  []string
		pkg, name string
		want      bool
	}{
		{[]string{"*Worker"}, "x.com/a", "StatsWorker", true},
		{[]string{"*Worker"}, "x.com/a", "Workers", false},
		{[]string{"x.com/a.Svc*"}, "x.com/a", "SvcA", true},
		{[]string{"x.com/a.Svc*"}, "x.com/b", "SvcA", false},
	}
	for _, tt := range tests {
		if got := targets.MatchType(tt.patterns, tt.pkg, tt.name); got != tt.want {
			t.Errorf("MatchType(%q, %q, %q) = %v, want %v", tt.patterns, tt.pkg, tt.name, got, tt.want)
		}
	}
}

func TestDirectives(t *testing.T) {
	src := `package p

// Doc text.
//
//resilience:noretry writes are not idempotent
//resilience:ignore
//resilience:ignore // just a comment
//resilience:agent
func F() {}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	dirs := targets.Directives(f.Decls[0].(*ast.FuncDecl).Doc)
	want := []targets.Directive{
		{Kind: "noretry", Reason: "writes are not idempotent"},
		{Kind: "ignore"},
		{Kind: "ignore"},
		{Kind: "agent"},
	}
	if len(dirs) != len(want) {
		t.Fatalf("got %d directives, want %d: %+v", len(dirs), len(want), dirs)
	}
	for i := range want {
		if dirs[i].Kind != want[i].Kind || dirs[i].Reason != want[i].Reason || !dirs[i].Pos.IsValid() {
			t.Errorf("directive %d = %+v, want %+v", i, dirs[i], want[i])
		}
	}
}

// check type-checks src as package example.com/agents/p.
func check(t *testing.T, src string) (*token.FileSet, *ast.File, *types.Package, *types.Info) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("example.com/agents/p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	return fset, f, pkg, info
}

func TestClassify(t *testing.T) {
	src := `package p

import (
	"context"
	"io"
)

type Options struct{ N int }

type Loader struct{}

func (Loader) Load(ctx context.Context) error { return nil }
func (*Loader) Count() int                      { return 0 }
func (Loader) load() error                      { return nil }

type StatsWorker struct{}

func (StatsWorker) Execute(ctx context.Context) error { return nil }
func (StatsWorker) Other() error                      { return nil }

type Cache[K comparable] struct{}

func (c *Cache[K]) Get(k K) (int, error) { return 0, nil }

type Stream struct{}

func (Stream) Read(r io.Reader, seeker io.ReadSeeker, ch <-chan int) error {
	seeker.Seek(0, 0)
	return nil
}
`
	fset, f, pkg, info := check(t, src)
	cls, err := targets.New(config.Default())
	if err != nil {
		t.Fatal(err)
	}
	got := cls.Classify(fset, []*ast.File{f}, pkg, info)
	agents := map[string][]string{}
	for _, a := range got.Agents {
		for _, m := range a.Methods {
			agents[a.Obj.Name()] = append(agents[a.Obj.Name()], m.Func.Name())
		}
	}
	if len(got.Agents) != 3 || len(agents["Loader"]) != 1 || agents["Loader"][0] != "Load" || len(agents["Cache"]) != 1 || len(agents["Stream"]) != 1 {
		t.Errorf("agents = %v (%d)", agents, len(got.Agents))
	}
	if len(got.Workers) != 1 || got.Workers[0].Obj.Name() != "StatsWorker" || len(got.Workers[0].Methods) != 1 || got.Workers[0].Methods[0].Func.Name() != "Execute" {
		t.Errorf("workers = %+v", got.Workers)
	}
	// Stream.Read uses no parameter: nothing is consumed.
	for _, a := range got.Agents {
		if a.Obj.Name() == "Stream" {
			if why := targets.OneShot(info, a.Methods[0].Decl); why != "" {
				t.Errorf("OneShot = %q for unused reader", why)
			}
		}
	}

	// Without the default package pattern, nothing is an agent.
	cls2, err := targets.New(&config.Config{AgentPackages: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := cls2.Classify(fset, []*ast.File{f}, pkg, info); len(got.Agents) != 0 {
		t.Errorf("agent-packages=[]: %d agents", len(got.Agents))
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := targets.New(&config.Config{WorkerTypes: []string{"["}}); err == nil {
		t.Fatal("no error for a bad pattern")
	}
}

// TestOneShot checks the one rule for "not safe to run twice", shared by
// the analyzer, the report and the fixer.
func TestOneShot(t *testing.T) {
	src := `package p

import (
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"strings"
)

type A struct{}

func (A) Reader(r io.Reader) error         { _, err := io.ReadAll(r); return err }
func (A) Seeker(r io.ReadSeeker) error     { _, err := io.ReadAll(r); return err }
func (A) Writer(w io.Writer) error         { _, err := io.WriteString(w, "x"); return err }
func (A) Response(w http.ResponseWriter) error { _, err := w.Write(nil); return err }
func (A) File(f *os.File) error            { _, err := f.WriteString("x"); return err }
func (A) Builder(b *strings.Builder) error { _, err := b.WriteString("x"); return err }
func (A) Both(rw io.ReadWriter) error      { _, err := rw.Write(nil); return err }
func (A) Recv(ch <-chan int) error         { <-ch; return nil }
func (A) Range(ch chan int) error          { for range ch {}; return nil }
func (A) Send(ch chan<- int) error         { ch <- 1; return nil }
func (A) Unused(r io.Reader, w io.Writer) error { return nil }

type S struct{ buf []byte }

func (s *S) Read(p []byte) (int, error)  { n := copy(p, s.buf); s.buf = s.buf[n:]; return n, nil }
func (s *S) Write(p []byte) (int, error) { s.buf = append(s.buf, p...); return len(p), nil }
func (s *S) Close() error                { s.buf = nil; return nil }
func (s *S) ReadAll(p []byte) (int, error) { return copy(p, s.buf), nil }

type Upload struct {
	Name string
	Body io.Reader
	Seek io.ReadSeeker
	Part struct{ Data io.Reader }
	Done <-chan struct{}
}

type client struct{ hc *http.Client }

func (A) Field(u Upload) error               { _, err := io.ReadAll(u.Body); return err }
func (A) PtrField(u *Upload) error           { _, err := io.ReadAll(u.Body); return err }
func (A) Deep(u *Upload) error               { _, err := io.ReadAll(u.Part.Data); return err }
func (A) SeekField(u *Upload) error          { _, err := io.ReadAll(u.Seek); return err }
func (A) NameOnly(u *Upload) error           { _ = u.Name; return nil }
func (A) FieldChan(u *Upload) error          { <-u.Done; return nil }
func (c client) Request(req *http.Request) error { _, err := c.hc.Do(req); return err }
func (A) PassPart(u *Upload) error           { return send(u.Part) }
func (A) Elems(rs []io.Reader) error         { _, err := io.ReadAll(rs[0]); return err }
func (A) RangeElems(rs map[string]io.Reader) error { for _, r := range rs { _, _ = io.ReadAll(r) }; return nil }
func (A) SeekElems(rs []io.ReadSeeker) error { _, err := io.ReadAll(rs[0]); return err }
func (A) ElemChans(chs []chan int) error     { <-chs[0]; return nil }
func (A) ElemLen(rs []io.Reader) error       { _ = len(rs); return nil }

func send(p struct{ Data io.Reader }) error { return nil }

// Cursors: readers that hand out the next item, not io.Readers.
type Record struct{ Value []byte }
type RecordReader interface{ ReadRecord() (*Record, error) }
type Files interface{ ReadFile(name string) ([]byte, error) }
type Probe interface{ Ready() (bool, error) }
type Rewinder interface {
	Next() (*Record, error)
	Seek(offset int64, whence int) (int64, error)
}
type Socket interface {
	ReadMessage() (kind int, p []byte, err error)
	ReadJSON(v any) error
}
type Status interface{ ReadStatus() error }
type ProduceRequest struct {
	Topic   string
	Records RecordReader
}
type RawSet struct{ Reader io.Reader }
type RawRequest struct {
	Topic string
	Raw   RawSet
	Meta  struct{ Name, Key string }
}
type wire struct{ Set RawSet }

func (A) Cursor(rr RecordReader) error       { _, err := rr.ReadRecord(); return err }
func (A) CSV(r *csv.Reader) error            { _, err := r.Read(); return err }
func (A) Socket(ws Socket) error             { _, _, err := ws.ReadMessage(); return err }
func (A) Status(st Status) error             { return st.ReadStatus() }
func (A) Getter(fs Files) error              { _, err := fs.ReadFile("a"); return err }
func (A) NotCursor(p Probe) error            { _, err := p.Ready(); return err }
func (A) SeekCursor(r Rewinder) error        { _, err := r.Next(); return err }
func (A) CursorField(req *ProduceRequest) error { return post(ProduceRequest{Topic: req.Topic, Records: req.Records}) }
func (A) HandOn(req *RawRequest) error       { return post(wire{Set: req.Raw}) }
func (A) HandOnAddr(req *RawRequest) error   { p := &req.Raw; _ = p; return nil }
func (A) PathBase(req *RawRequest) error     { _ = req.Meta.Name; _ = req.Topic; return nil }

func post(v any) error { return nil }
`
	_, f, _, info := check(t, src)
	tests := []struct {
		method string
		want   string // prefix of the reason; "" = safe to run twice
	}{
		{"Reader", "it consumes r, an io.Reader that is not an io.Seeker"},
		{"Seeker", ""},
		{"Writer", "it writes to w, an io.Writer that is not an io.Seeker, so an attempt after a partial write would write the data again"},
		{"Response", "it writes to w, an io.Writer that is not an io.Seeker"},
		{"File", ""}, // *os.File seeks
		{"Builder", "it writes to b, an io.Writer"},
		{"Both", "it consumes rw, an io.Reader"},
		{"Recv", "it receives from the channel ch"},
		{"Range", "it receives from the channel ch"},
		{"Send", ""},
		{"Unused", ""},
		// Stream methods consume or extend their receiver, and a partial
		// result with an error (io.EOF) is normal: a retry loses data.
		{"Read", "it is the Read method of an io.Reader"},
		{"Write", "it is the Write method of an io.Writer"},
		{"Close", "it is the Close method of an io.Closer: closing twice is not safe"},
		{"ReadAll", ""}, // not the io.Reader method
		// One-shot inputs inside the arguments.
		{"Field", "it consumes u.Body, an io.Reader that is not an io.Seeker (a field of the parameter u), so a retry would read a drained input"},
		{"PtrField", "it consumes u.Body, an io.Reader that is not an io.Seeker (a field of the parameter u)"},
		{"Deep", "it consumes u.Part.Data, an io.Reader that is not an io.Seeker (a field of the parameter u)"},
		{"SeekField", ""},
		{"NameOnly", ""},
		{"FieldChan", "it receives from the channel u.Done (a field of the parameter u)"},
		{"Request", "it passes req to c.hc.Do, which may consume req.Body, an io.Reader that is not an io.Seeker"},
		{"PassPart", "it passes u.Part to send, which may consume u.Part.Data"},
		{"Elems", "it consumes rs[0], an io.Reader that is not an io.Seeker (an element of the parameter rs)"},
		{"RangeElems", "it consumes the elements of rs"},
		{"SeekElems", ""},
		{"ElemChans", "it receives from chs[0], a channel in the parameter chs"},
		{"ElemLen", ""},
		// Cursors (a no-argument Read..., Next or Recv giving an item and
		// an error) are one-shot inputs too; a getter is not.
		{"Cursor", "it consumes rr, a reader (ReadRecord) that cannot be rewound, so a retry would read a drained input"},
		{"CSV", "it consumes r, a reader (Read) that cannot be rewound"},
		{"Socket", "it consumes ws, a reader (ReadMessage) that cannot be rewound"},
		{"Status", ""}, // gives no item
		{"Getter", ""},
		{"NotCursor", ""},
		{"SeekCursor", ""},
		{"CursorField", "it consumes req.Records, a reader (ReadRecord) that cannot be rewound (a field of the parameter req)"},
		// A struct holding a reader, used as a value, hands the reader on.
		{"HandOn", "it hands on req.Raw, which holds req.Raw.Reader, an io.Reader that is not an io.Seeker, so a retry would read a drained input"},
		{"HandOnAddr", "it hands on req.Raw, which holds req.Raw.Reader"},
		{"PathBase", ""},
	}
	decls := map[string]*ast.FuncDecl{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			decls[fd.Name.Name] = fd
		}
	}
	for _, tt := range tests {
		got := targets.OneShot(info, decls[tt.method])
		if (tt.want == "") != (got == "") || !strings.HasPrefix(got, tt.want) {
			t.Errorf("OneShot(%s) = %q, want prefix %q", tt.method, got, tt.want)
		}
	}
}

// TestContextParam checks that the first context.Context parameter is
// found whatever its name: the fixer names a blank or unnamed one.
func TestContextParam(t *testing.T) {
	src := `package p

import "context"

type Ctx = context.Context

func Named(n int, ctx context.Context, other context.Context) error { return nil }
func Blank(_ context.Context, key string) error                     { return nil }
func Unnamed(context.Context, string) error                         { return nil }
func Aliased(c Ctx) error                                           { return nil }
func None(n int) error                                              { return nil }
`
	_, _, pkg, _ := check(t, src)
	tests := []struct {
		fn    string
		index int // of the parameter returned; -1 = nil
	}{
		{"Named", 1},
		{"Blank", 0},
		{"Unnamed", 0},
		{"Aliased", 0},
		{"None", -1},
	}
	for _, tt := range tests {
		fn := pkg.Scope().Lookup(tt.fn).(*types.Func)
		got := targets.ContextParam(fn)
		var want *types.Var
		if tt.index >= 0 {
			want = fn.Signature().Params().At(tt.index)
		}
		if got != want {
			t.Errorf("ContextParam(%s) = %v, want %v", tt.fn, got, want)
		}
	}
}

// TestTrackerField checks which receiver field the Track rewrite uses:
// *Tracker fields first, then Tracker value fields, then promoted ones.
func TestTrackerField(t *testing.T) {
	intel := types.NewPackage(targets.IntelligencePath, "intelligence")
	tracker := types.NewNamed(types.NewTypeName(token.NoPos, intel, "Tracker", nil), types.NewStruct(nil, nil), nil)
	p := types.NewPackage("example.com/agents/p", "p")
	field := func(name string, typ types.Type, embedded bool) *types.Var {
		return types.NewField(token.NoPos, p, name, typ, embedded)
	}
	named := func(name string, fields ...*types.Var) *types.Named {
		return types.NewNamed(types.NewTypeName(token.NoPos, p, name, nil), types.NewStruct(fields, nil), nil)
	}
	ptr := types.NewPointer(tracker)
	tests := []struct {
		name string
		typ  types.Type
		want string
	}{
		{"pointer", named("A", field("n", types.Typ[types.Int], false), field("t", ptr, false)), "t"},
		{"value", named("B", field("t", tracker, false)), "t"},
		{"pointer preferred", named("C", field("v", tracker, false), field("p", ptr, false)), "p"},
		{"through a pointer to the worker", types.NewPointer(named("D", field("v", tracker, false))), "v"},
		{"embedded pointer", named("E", field("Tracker", ptr, true)), "Tracker"},
		{"embedded value", named("F", field("Tracker", tracker, true)), "Tracker"},
		{"promoted", named("G", field("Base", named("Base", field("tr", tracker, false)), true)), "tr"},
		{"own field before promoted", named("H", field("Base", named("Base2", field("tr", ptr, false)), true), field("mine", tracker, false)), "mine"},
		{"none", named("I", field("n", types.Typ[types.Int], false)), ""},
		{"not a struct", types.Typ[types.Int], ""},
	}
	for _, tt := range tests {
		if got := targets.TrackerField(tt.typ); got != tt.want {
			t.Errorf("%s: TrackerField = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestIsRetryEntry checks that the entry points are recognised by package
// path and name, fallback forms included, and configured extras too.
func TestIsRetryEntry(t *testing.T) {
	cfg := config.Default()
	cfg.RetryFuncs = []string{"example.com/wrap.Retry"}
	cls, err := targets.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := types.NewPackage(targets.RecoveryPath, "recovery")
	other := types.NewPackage("example.com/wrap", "wrap")
	sig := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	policy := types.NewNamed(types.NewTypeName(token.NoPos, rec, "Policy", nil), types.NewStruct(nil, nil), nil)
	method := types.NewFunc(token.NoPos, rec, "Do",
		types.NewSignatureType(types.NewVar(token.NoPos, rec, "p", types.NewPointer(policy)), nil, nil, nil, nil, false))
	tests := []struct {
		fn   *types.Func
		want bool
	}{
		{types.NewFunc(token.NoPos, rec, "Do", sig), true},
		{types.NewFunc(token.NoPos, rec, "DoValue", sig), true},
		{types.NewFunc(token.NoPos, rec, "DoValue2", sig), true},
		{types.NewFunc(token.NoPos, rec, "DoFallback", sig), true},
		{types.NewFunc(token.NoPos, rec, "DoValueFallback", sig), true},
		{types.NewFunc(token.NoPos, rec, "DoValue2Fallback", sig), true},
		{types.NewFunc(token.NoPos, rec, "Retry", sig), false},
		{method, false}, // a method named Do is not the entry point
		{types.NewFunc(token.NoPos, other, "DoFallback", sig), false},
		{types.NewFunc(token.NoPos, other, "Retry", sig), true},
		{nil, false},
	}
	for _, tt := range tests {
		if got := cls.IsRetryEntry(tt.fn); got != tt.want {
			t.Errorf("IsRetryEntry(%v) = %v, want %v", tt.fn, got, tt.want)
		}
	}
}

// TestSkipCgo checks that a file cgo produced from a user's file (what
// go/analysis sees for a package with import "C") is analyzed, while
// other generated files are skipped.
func TestSkipCgo(t *testing.T) {
	tests := []struct {
		name, src string
		skip, cgo bool
	}{
		{"cgo output of a user file", "// Code generated by cmd/cgo; DO NOT EDIT.\n\n//line /src/p/c.go:1:1\npackage p\n", false, true},
		{"cgo's own file", "// Code generated by cmd/cgo; DO NOT EDIT.\n\npackage p\n", true, false},
		{"other generated file", "// Code generated by stringer; DO NOT EDIT.\n\n//line /src/p/c.go:1:1\npackage p\n", true, false},
		{"plain file", "package p\n", false, false},
	}
	cls, err := targets.New(&config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "/cache/0123-cgo.go", tt.src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if got := cls.Skip(fset, f); got != tt.skip {
			t.Errorf("%s: Skip = %v, want %v", tt.name, got, tt.skip)
		}
		if got := targets.IsCgoOutput(fset, f); got != tt.cgo {
			t.Errorf("%s: IsCgoOutput = %v, want %v", tt.name, got, tt.cgo)
		}
	}
}

func TestInGOROOT(t *testing.T) {
	for _, tc := range []struct {
		file string
		want bool
	}{
		{filepath.Join(build.Default.GOROOT, "src", "strconv", "atob.go"), true},
		{filepath.Join(t.TempDir(), "agents", "a.go"), false},
		{filepath.Join(build.Default.GOROOT+"x", "src", "a.go"), false},
	} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, tc.file, "package p\n", 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := targets.InGOROOT(fset, []*ast.File{f}); got != tc.want {
			t.Errorf("InGOROOT(%s) = %v, want %v", tc.file, got, tc.want)
		}
	}
}
