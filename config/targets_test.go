package config

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const wrapSrc = `package platform

import "context"

func WithRetry(ctx context.Context, f func(context.Context) error) error { return f(ctx) }

type base struct{}

func (base) Observe(err error) {}

type Tracker struct{ base }

func (*Tracker) Record(err error) {}

type Counter interface{ Inc() }

type Client struct {
	Rate  int
	cache map[string]int
	base
}

var Last int

func Helper() {}
`

func TestCheckTargets(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "platform.go", wrapSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("example.com/shop/platform", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A package importing platform: targets are found through imports.
	user := types.NewPackage("example.com/shop/agents", "agents")
	user.SetImports([]*types.Package{pkg})

	tests := []struct {
		name  string
		cfg   Config
		wants []string // substrings of the error; nil: no error
	}{
		{name: "known", cfg: Config{
			RetryFuncs: []string{"example.com/shop/platform.WithRetry"},
			TrackFuncs: []string{"example.com/shop/platform.Tracker.Record=error", "example.com/shop/platform.Tracker.Observe"},
		}},
		{name: "interface method and promoted method", cfg: Config{
			RepeatableFuncs: []string{"example.com/shop/platform.Counter.Inc", "example.com/shop/platform.Tracker.Observe"},
		}},
		{name: "unknown repeatable", cfg: Config{RepeatableFuncs: []string{"example.com/shop/platform.Counter.Add"}},
			wants: []string{`repeatable-funcs: "example.com/shop/platform.Counter.Add": package example.com/shop/platform has no method Add of a type Counter`}},
		{name: "package not loaded", cfg: Config{RetryFuncs: []string{"example.com/other.Retry"}}},
		{name: "unknown function", cfg: Config{RetryFuncs: []string{"example.com/shop/platform.WithRetries"}},
			wants: []string{`retry-funcs: "example.com/shop/platform.WithRetries": package example.com/shop/platform has no function WithRetries`}},
		{name: "unknown method", cfg: Config{TrackFuncs: []string{"example.com/shop/platform.Tracker.Track=wrap"}},
			wants: []string{`track-funcs: "example.com/shop/platform.Tracker.Track=wrap": package example.com/shop/platform has no method Track of a type Tracker`}},
		{name: "a type is not a function", cfg: Config{RetryFuncs: []string{"example.com/shop/platform.Tracker"}},
			wants: []string{"has no function Tracker"}},
		{name: "known fields and variable", cfg: Config{RepeatableWrites: []string{"example.com/shop/platform.Client.Rate",
			"example.com/shop/platform.Client.cache", "example.com/shop/platform.Last"}}},
		{name: "unknown field", cfg: Config{RepeatableWrites: []string{"example.com/shop/platform.Client.Rates"}},
			wants: []string{`repeatable-writes: "example.com/shop/platform.Client.Rates": package example.com/shop/platform has no field Rates in a struct type Client`}},
		{name: "a method is not a field", cfg: Config{RepeatableWrites: []string{"example.com/shop/platform.Tracker.Record"}},
			wants: []string{"has no field Record in a struct type Tracker"}},
		{name: "a function is not a variable", cfg: Config{RepeatableWrites: []string{"example.com/shop/platform.Helper"}},
			wants: []string{"has no package variable Helper"}},
		{name: "an interface has no fields", cfg: Config{RepeatableWrites: []string{"example.com/shop/platform.Counter.Inc"}},
			wants: []string{"has no field Inc in a struct type Counter"}},
		// platform is a dependency of the run's package: export data may
		// leave its unexported objects out, so they cannot be judged.
		{name: "unexported variable of a dependency", cfg: Config{RepeatableWrites: []string{"example.com/shop/platform.cachedMap",
			"example.com/shop/platform.opcodeSet.cache"}, RepeatableFuncs: []string{"example.com/shop/platform.store"}}},
		{name: "exported variable of a dependency", cfg: Config{RepeatableWrites: []string{"example.com/shop/platform.CachedMap"}},
			wants: []string{"has no package variable CachedMap"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.CheckTargets([]*types.Package{user})
			if tt.wants == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}

	// The run's own packages are type-checked from source: an unexported
	// name there is judged.
	if err := (&Config{RepeatableWrites: []string{"example.com/shop/platform.cachedMap"}}).CheckTargets([]*types.Package{pkg}); err == nil ||
		!strings.Contains(err.Error(), "has no package variable cachedMap") {
		t.Errorf("unexported variable of a root: %v, want it to name cachedMap", err)
	}

	// AtFile names the file and the key's line.
	file := filepath.Join(t.TempDir(), ".resilience.yml")
	if err := os.WriteFile(file, []byte("policy: x\nretry-funcs:\n  - example.com/shop/platform.Nope\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	err = AtFile(file, cfg.CheckTargets([]*types.Package{pkg}))
	if err == nil || !strings.HasPrefix(err.Error(), file+":2: retry-funcs: ") {
		t.Errorf("AtFile: %v, want it to start with %s:2: retry-funcs:", err, file)
	}
	if err := os.WriteFile(file, []byte("policy: x\nrepeatable-writes:\n  - example.com/shop/platform.Client.Rate\n  - example.com/shop/platform.Client.Nope\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if cfg, err = Load(file); err != nil {
		t.Fatal(err)
	}
	err = AtFile(file, cfg.CheckTargets([]*types.Package{pkg}))
	if err == nil || err.Error() != file+":2: repeatable-writes: \"example.com/shop/platform.Client.Nope\": package example.com/shop/platform has no field Nope in a struct type Client" {
		t.Errorf("AtFile: %v, want %s:2: repeatable-writes: ... has no field Nope", err, file)
	}
}
