package driver_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

func TestTypeCheck(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"a/a.go":      "package a\n\n// F is used by b.\nfunc F() int { return 1 }\n",
		"b/b.go":      "package b\n\nimport \"example.com/fx/a\"\n\n// G uses a.F.\nfunc G() int { return a.F() }\n",
		"b/b_test.go": "package b\n\nimport \"testing\"\n\nfunc TestG(t *testing.T) { _ = G() }\n",
	})
	a, b, bt := filepath.Join(dir, "a", "a.go"), filepath.Join(dir, "b", "b.go"), filepath.Join(dir, "b", "b_test.go")
	tests := []struct {
		name    string
		overlay map[string]string
		files   []string
		want    string // substring of the one error; "" for none
	}{
		{"unchanged", nil, []string{b}, ""},
		{"rewritten, compiles", map[string]string{b: "package b\n\nimport \"example.com/fx/a\"\n\n// G uses a.F twice.\nfunc G() int { return a.F() + a.F() }\n"}, []string{b}, ""},
		{"rewritten, does not compile", map[string]string{b: "package b\n\nfunc G() int { return \"x\" }\n"}, []string{b}, "b.go:3:"},
		// b is checked against a's rewritten export data, built by the
		// go command under the overlay.
		{"a dependency rewritten", map[string]string{a: "package a\n\n// F now returns a string.\nfunc F() string { return \"1\" }\n"}, []string{b}, "b.go:6:"},
		{"test file rewritten", map[string]string{bt: "package b\n\nimport \"testing\"\n\nfunc TestG(t *testing.T) { var s string = G(); _ = s }\n"}, []string{bt}, "b_test.go:5:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			overlay := make(map[string][]byte)
			for name, src := range tt.overlay {
				overlay[name] = []byte(src)
			}
			errs, err := driver.TypeCheck(context.Background(), driver.Options{Dir: dir, Overlay: overlay}, tt.files)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == "" && len(errs) > 0:
				t.Errorf("errors %q, want none", errs)
			case tt.want != "" && (len(errs) != 1 || !strings.Contains(errs[0], tt.want)):
				t.Errorf("errors %q, want one at %s", errs, tt.want)
			}
		})
	}
}

// TestTypeCheckedClean checks when the run of a Rerun answers for
// TypeCheck (the verification of -fix's final overlay): only for the same
// options and overlay, Go files of packages it type-checked from source,
// and no error anywhere in them or below; and that whenever it answers,
// TypeCheck agrees.
func TestTypeCheckedClean(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"a/a.go": "package a\n\n// F is used by b.\nfunc F() int { return 1 }\n",
		"b/b.go": "package b\n\nimport \"example.com/fx/a\"\n\n// G uses a.F.\nfunc G() int { return a.F() }\n",
		"c/c.go": "package c\n\n// H is alone.\nfunc H() int { return 2 }\n",
	})
	ctx := context.Background()
	a, b, c := filepath.Join(dir, "a", "a.go"), filepath.Join(dir, "b", "b.go"), filepath.Join(dir, "c", "c.go")
	good := map[string][]byte{b: []byte("package b\n\nimport \"example.com/fx/a\"\n\n// G uses a.F twice.\nfunc G() int { return a.F() + a.F() }\n")}
	other := map[string][]byte{b: []byte("package b\n\nimport \"example.com/fx/a\"\n\n// G uses a.F thrice.\nfunc G() int { return a.F() + a.F() + a.F() }\n")}
	bad := map[string][]byte{b: []byte("package b\n\n// G does not compile.\nfunc G() int { return \"x\" }\n")}
	withMod := map[string][]byte{b: good[b], filepath.Join(dir, "go.mod"): nil}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	withMod[filepath.Join(dir, "go.mod")] = mod
	tests := []struct {
		name    string
		overlay map[string][]byte // the Rerun's
		check   map[string][]byte // TypeCheck's (nil: the Rerun's)
		opts    func(*driver.Options)
		files   []string
		want    bool
	}{
		{"same overlay, clean", good, nil, nil, []string{b}, true},
		{"go.mod in the overlay too", withMod, nil, nil, []string{b, filepath.Join(dir, "go.mod")}, true},
		{"another overlay", good, other, nil, []string{b}, false},
		{"the overlay does not compile", bad, nil, nil, []string{b}, false},
		{"a file the run did not type-check", good, nil, nil, []string{b, a}, false},
		{"a file outside the run", good, nil, nil, []string{c}, false},
		{"no Go file", good, nil, nil, []string{filepath.Join(dir, "go.mod")}, false},
		{"tests", good, nil, func(o *driver.Options) { o.Tests = true }, []string{b}, false},
		{"other build flags", good, nil, func(o *driver.Options) { o.BuildFlags = []string{"-tags=x"} }, []string{b}, false},
		{"other environment", good, nil, func(o *driver.Options) { o.Env = append(os.Environ(), "GOFLAGS=-mod=mod") }, []string{b}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := driver.Options{Dir: dir, Patterns: []string{"./..."}, Reanalyze: true}
			prev, err := driver.Run(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			opts.Overlay = tt.overlay
			if prev.TypeCheckedClean(opts, []string{b}) {
				t.Error("a run without an overlay answered for an overlay")
			}
			again, err := driver.Rerun(ctx, prev, opts)
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				opts.Overlay = tt.check
			}
			if tt.opts != nil {
				tt.opts(&opts)
			}
			got := again.TypeCheckedClean(opts, tt.files)
			if got != tt.want {
				t.Errorf("TypeCheckedClean = %v, want %v", got, tt.want)
			}
			if got {
				errs, err := driver.TypeCheck(ctx, opts, tt.files)
				if err != nil || len(errs) > 0 {
					t.Errorf("TypeCheck disagrees: %q, %v", errs, err)
				}
			}
		})
	}
}
