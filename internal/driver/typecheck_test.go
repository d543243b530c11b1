package driver_test

import (
	"context"
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
