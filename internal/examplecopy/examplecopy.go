// Package examplecopy copies the embedded example code base (examples/) to
// a module of its own, for the tests that run the real CLI over it as a new
// user would: the end-to-end journey (e2e) and the rollout guide (docs).
package examplecopy

import (
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"

	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	// Repo is the module path of resilience-lint.
	Repo = fixturemod.Repo
	// Module is the module path of the copy.
	Module = "example.com/shop"

	examplePrefix = Repo + "/examples/"
)

// Copy copies examples/ of the checkout at root (fixturemod.RepoRoot) to dir as module Module,
// rewriting the example's imports of its own packages. The runtime it
// imports resolves to root through a replace directive, and the
// repository's go.sum covers the module graph that brings in.
func Copy(t testing.TB, root, dir string) {
	t.Helper()
	src := filepath.Join(root, "examples")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".go") {
			b = bytes.ReplaceAll(b, []byte(`"`+examplePrefix), []byte(`"`+Module+"/"))
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := ""
	for line := range strings.Lines(string(mod)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "go "); ok {
			goVersion = v
		}
	}
	if goVersion == "" {
		t.Fatal("examplecopy: go.mod has no go directive")
	}
	gomod := "module " + Module + "\n\ngo " + goVersion + "\n\n" +
		"require " + Repo + " v0.0.0-00010101000000-000000000000\n\n" +
		"replace " + Repo + " => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
}
