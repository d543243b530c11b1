package targets_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// TestIsRetryEntryDefaults checks the known retry libraries (by package
// path and name, methods by receiver type), exclude-retry-funcs, and that
// a look-alike of another package is no entry point.
func TestIsRetryEntryDefaults(t *testing.T) {
	sig := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	fn := func(path, name string) *types.Func {
		return types.NewFunc(token.NoPos, types.NewPackage(path, "p"), name, sig)
	}
	method := func(path, typ, name string) *types.Func {
		pkg := types.NewPackage(path, "p")
		named := types.NewNamed(types.NewTypeName(token.NoPos, pkg, typ, nil), types.NewStruct(nil, nil), nil)
		recv := types.NewVar(token.NoPos, pkg, "r", types.NewPointer(named))
		return types.NewFunc(token.NoPos, pkg, name, types.NewSignatureType(recv, nil, nil, nil, nil, false))
	}
	tests := []struct {
		name    string
		exclude []string
		fn      *types.Func
		want    bool
	}{
		{"backoff v4", nil, fn("github.com/cenkalti/backoff/v4", "Retry"), true},
		{"backoff v4 notify", nil, fn("github.com/cenkalti/backoff/v4", "RetryNotifyWithData"), true},
		{"backoff v4 permanent", nil, fn("github.com/cenkalti/backoff/v4", "Permanent"), false},
		{"backoff v5", nil, fn("github.com/cenkalti/backoff/v5", "Retry"), true},
		{"retry-go v4", nil, fn("github.com/avast/retry-go/v4", "DoWithData"), true},
		{"retry-go v5 Retrier", nil, method("github.com/avast/retry-go/v5", "Retrier", "Do"), true},
		{"retry-go v5 has no Do", nil, fn("github.com/avast/retry-go/v5", "Do"), false},
		{"go-retry", nil, fn("github.com/sethvargo/go-retry", "Do"), true},
		{"retryablehttp client", nil, method("github.com/hashicorp/go-retryablehttp", "Client", "PostForm"), true},
		{"retryablehttp StandardClient", nil, method("github.com/hashicorp/go-retryablehttp", "Client", "StandardClient"), false},
		{"look-alike", nil, fn("example.com/backoff/v4", "Retry"), false},
		{"excluded by name", []string{"github.com/cenkalti/backoff/v4.Retry"}, fn("github.com/cenkalti/backoff/v4", "Retry"), false},
		{"excluded by package", []string{"github.com/hashicorp/go-retryablehttp"}, method("github.com/hashicorp/go-retryablehttp", "Client", "Do"), false},
		{"other package kept", []string{"github.com/hashicorp/go-retryablehttp"}, fn("github.com/cenkalti/backoff/v4", "Retry"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cls, err := targets.New(&config.Config{ExcludeRetryFuncs: tt.exclude})
			if err != nil {
				t.Fatal(err)
			}
			if got := cls.IsRetryEntry(tt.fn); got != tt.want {
				t.Errorf("IsRetryEntry(%s) = %v, want %v", targets.QualifiedName(tt.fn), got, tt.want)
			}
		})
	}
}

// TestIsRetryLibrary checks which packages are known retry libraries: the
// packages of the built-in entry points in effect, not a removed one, not
// a configured retry-funcs package (a code base's own), not a look-alike.
func TestIsRetryLibrary(t *testing.T) {
	tests := []struct {
		name string
		cfg  config.Config
		path string
		want bool
	}{
		{"retryablehttp", config.Config{}, "github.com/hashicorp/go-retryablehttp", true},
		{"failsafehttp", config.Config{}, "github.com/failsafe-go/failsafe-go/failsafehttp", true},
		{"backoff v5", config.Config{}, "github.com/cenkalti/backoff/v5", true},
		{"net/http", config.Config{}, "net/http", false},
		{"look-alike", config.Config{}, "example.com/go-retryablehttp", false},
		{"excluded", config.Config{ExcludeRetryFuncs: []string{"github.com/hashicorp/go-retryablehttp"}}, "github.com/hashicorp/go-retryablehttp", false},
		{"one entry excluded", config.Config{ExcludeRetryFuncs: []string{"github.com/hashicorp/go-retryablehttp.Get"}}, "github.com/hashicorp/go-retryablehttp", true},
		{"retry-funcs", config.Config{RetryFuncs: []string{"example.com/platform.Retry"}}, "example.com/platform", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cls, err := targets.New(&tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := cls.IsRetryLibrary(types.NewPackage(tt.path, "p")); got != tt.want {
				t.Errorf("IsRetryLibrary(%s) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
	if (&targets.Classifier{}).IsRetryLibrary(nil) {
		t.Error("IsRetryLibrary(nil) = true")
	}
}

func TestRetriesByConstruction(t *testing.T) {
	src := `package api

type Client struct{}

func (c *Client) Get() error { return nil }

type Other struct{}

func (Other) Put() error { return nil }

func Call() error { return nil }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "api.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := new(types.Config).Check("example.com/api", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(typ, name string) *types.Func {
		if typ == "" {
			return pkg.Scope().Lookup(name).(*types.Func)
		}
		obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(pkg.Scope().Lookup(typ).Type()), true, pkg, name)
		return obj.(*types.Func)
	}
	tests := []struct {
		name string
		cfg  config.Config
		fn   *types.Func
		want string
	}{
		{"none", config.Config{}, lookup("Client", "Get"), ""},
		{"type", config.Config{RetryingTypes: []string{"example.com/api.Client"}}, lookup("Client", "Get"), "retrying-types selects api.Client"},
		{"type pattern misses", config.Config{RetryingTypes: []string{"Client"}}, lookup("Other", "Put"), ""},
		{"package", config.Config{RetryingPackages: []string{"example.com/api"}}, lookup("", "Call"), "retrying-packages selects example.com/api"},
		{"package element", config.Config{RetryingPackages: []string{"api"}}, lookup("Other", "Put"), "retrying-packages selects example.com/api"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cls, err := targets.New(&tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := cls.RetriesByConstruction(tt.fn); got != tt.want {
				t.Errorf("RetriesByConstruction = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRetryingTypes(t *testing.T) {
	src := `package api

// Client retries.
//
//resilience:retries built with WithRetries(3)
type Client struct{}

type (
	// Doer retries too.
	//
	//resilience:retries its implementations retry
	Doer interface{ Do() error }

	//resilience:retries
	Bare struct{}

	Plain struct{}
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
	found, problems := targets.RetryingTypes([]*ast.File{f}, info)
	got := map[string]string{}
	for _, rt := range found {
		got[rt.Obj.Name()] = rt.Reason
	}
	want := map[string]string{"Client": "built with WithRetries(3)", "Doer": "its implementations retry"}
	if len(got) != len(want) || got["Client"] != want["Client"] || got["Doer"] != want["Doer"] {
		t.Errorf("retrying types = %q, want %q", got, want)
	}
	if len(problems) != 1 || problems[0].Message != "//resilience:retries on Bare needs a reason: //resilience:retries <how it retries>" {
		t.Errorf("problems = %+v", problems)
	}
}

func TestIsArgumentCheck(t *testing.T) {
	sig := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	for _, tt := range []struct {
		path, name string
		want       bool
	}{
		{"net/http", "NewRequestWithContext", true},
		{"net/url", "Parse", true},
		{"encoding/json", "Marshal", true},
		{"encoding/json", "NewEncoder", false},
		{"github.com/hashicorp/go-retryablehttp", "NewRequest", true},
		{"net/http", "Get", false},
		{"os", "Open", false},
	} {
		fn := types.NewFunc(token.NoPos, types.NewPackage(tt.path, "p"), tt.name, sig)
		if got := targets.IsArgumentCheck(fn); got != tt.want {
			t.Errorf("IsArgumentCheck(%s.%s) = %v, want %v", tt.path, tt.name, got, tt.want)
		}
	}
}

// TestReadsBody checks which bodies go-retryablehttp's request
// constructors read (BodyArg, ReadsBody): a stream, whatever holds it at
// run time, and a function they call; not bytes, strings, buffers, nor
// readers they can seek back.
func TestReadsBody(t *testing.T) {
	const src = `package p

import (
	"bytes"
	"io"
	"os"
	"strings"
)

type rc struct{}

func (rc) Read([]byte) (int, error) { return 0, nil }

var (
	anyBody    any
	reader     io.Reader
	readCloser io.ReadCloser
	readSeeker io.ReadSeeker
	stream     rc
	fn         func() (io.Reader, error)
	data       []byte
	text       string
	buf        *bytes.Buffer
	bytesRd    *bytes.Reader
	stringsRd  *strings.Reader
	file       *os.File
	value      struct{ N int }
)
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		t    types.Type
		want bool
	}{
		{"any", pkg.Scope().Lookup("anyBody").Type(), true},
		{"io.Reader", pkg.Scope().Lookup("reader").Type(), true},
		{"io.ReadCloser", pkg.Scope().Lookup("readCloser").Type(), true},
		{"io.ReadSeeker", pkg.Scope().Lookup("readSeeker").Type(), false},
		{"a reader that cannot seek", pkg.Scope().Lookup("stream").Type(), true},
		{"func() (io.Reader, error)", pkg.Scope().Lookup("fn").Type(), true},
		{"untyped nil", types.Typ[types.UntypedNil], false},
		{"[]byte", pkg.Scope().Lookup("data").Type(), false},
		{"string", pkg.Scope().Lookup("text").Type(), false},
		{"*bytes.Buffer", pkg.Scope().Lookup("buf").Type(), false},
		{"*bytes.Reader", pkg.Scope().Lookup("bytesRd").Type(), false},
		{"*strings.Reader (a seeker)", pkg.Scope().Lookup("stringsRd").Type(), false},
		{"*os.File (a seeker)", pkg.Scope().Lookup("file").Type(), false},
		{"a struct", pkg.Scope().Lookup("value").Type(), false},
	}
	for _, tt := range tests {
		if got := targets.ReadsBody(tt.t); got != tt.want {
			t.Errorf("ReadsBody(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
	sig := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	for _, tt := range []struct {
		path, name string
		want       int
	}{
		{"github.com/hashicorp/go-retryablehttp", "NewRequest", 2},
		{"github.com/hashicorp/go-retryablehttp", "NewRequestWithContext", 3},
		{"net/http", "NewRequest", -1},
		{"example.com/go-retryablehttp", "NewRequest", -1},
	} {
		fn := types.NewFunc(token.NoPos, types.NewPackage(tt.path, "p"), tt.name, sig)
		if got := targets.BodyArg(fn); got != tt.want {
			t.Errorf("BodyArg(%s.%s) = %d, want %d", tt.path, tt.name, got, tt.want)
		}
	}
}
