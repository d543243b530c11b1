// Package fixturemod writes throwaway Go modules that use this checkout of
// resilience-lint, for the tests that run the go command, the driver or the
// CLI over real module trees rather than analysistest stubs.
package fixturemod

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Repo is the module path of resilience-lint.
const Repo = "github.com/resilience-lint/resilience-lint"

// RepoRoot returns the root of this checkout of resilience-lint.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("fixturemod: no caller information")
	}
	root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.Contains(string(b), "module "+Repo+"\n") {
		t.Fatalf("fixturemod: %s is not the repository root (go.mod: %v)", root, err)
	}
	return root
}

// Write writes files (slash-separated paths) into a new module
// example.com/fx in a temporary directory and returns the directory. The
// module requires resilience-lint, replaced by this checkout, and starts
// from the repository's go.sum, which covers the module graph the replace
// brings in: go mod tidy then needs neither the network nor the checksum
// database (a fresh machine reaches only the module proxy). files may
// replace go.mod or go.sum.
func Write(t testing.TB, files map[string]string) string {
	t.Helper()
	root := RepoRoot(t)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{
		"go.mod": "module example.com/fx\n\ngo 1.26\n\nrequire " + Repo + " v0.0.0\n\nreplace " + Repo + " => " + root + "\n",
		"go.sum": string(sum),
	}
	for name, content := range files {
		all[name] = content
	}
	dir := t.TempDir()
	for name, content := range all {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tidy := exec.Command("go", "mod", "tidy")
	tidy.Dir = dir
	tidy.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := tidy.CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, out)
	}
	return dir
}
