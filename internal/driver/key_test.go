package driver

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestKeyModuleCache checks which files a cache key reads: a package of a
// module version in the module cache is keyed by its module's version and
// its file names (the files are never read: the go command checks them
// against go.sum), any other package by the content of its files, so that
// an edit changes its key.
func TestKeyModuleCache(t *testing.T) {
	modCache := t.TempDir()
	work := t.TempDir()
	inCache := filepath.Join(modCache, "example.com", "dep@v1.0.0")
	tests := []struct {
		name    string
		module  *packages.Module
		file    string
		content bool // the key reads and hashes the file
	}{
		{"module cache", &packages.Module{Path: "example.com/dep", Version: "v1.0.0", Dir: inCache}, filepath.Join(inCache, "dep.go"), false},
		{"main module", &packages.Module{Path: "example.com/fx", Dir: work, Main: true}, filepath.Join(work, "a.go"), true},
		{"replaced by a directory", &packages.Module{Path: "example.com/dep", Version: "v1.0.0", Dir: work, Replace: &packages.Module{Path: "../dep", Dir: work}}, filepath.Join(work, "b.go"), true},
		{"version outside the module cache (vendored)", &packages.Module{Path: "example.com/dep", Version: "v1.0.0", Dir: filepath.Join(work, "vendor")}, filepath.Join(work, "vendor", "c.go"), true},
		{"no module", nil, filepath.Join(work, "d.go"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.MkdirAll(filepath.Dir(tt.file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(tt.file, []byte("package p\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			key := func() string {
				c := &resultCache{keys: make(map[*packages.Package]string), modCache: modCache, goCache: "\x00"}
				p := &packages.Package{ID: "p", PkgPath: "p", Name: "p", Module: tt.module, CompiledGoFiles: []string{tt.file}}
				k, err := c.key(p, func(*packages.Package) bool { return true })
				if err != nil {
					t.Fatal(err)
				}
				return k
			}
			before := key()
			if err := os.WriteFile(tt.file, []byte("package p\n\n// Edited.\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if changed := key() != before; changed != tt.content {
				t.Errorf("key changed with the file's content: %v, want %v", changed, tt.content)
			}
		})
	}
}

func TestGoDirs(t *testing.T) {
	mod, gocache := goDirs([]string{"GOPATH=/gp:/other", "GOCACHE=/gc"})
	if mod != filepath.Clean("/gp/pkg/mod") || gocache != "/gc" {
		t.Errorf("goDirs = %q, %q; want /gp/pkg/mod, /gc", mod, gocache)
	}
	mod, _ = goDirs([]string{"GOPATH=/gp", "GOMODCACHE=/mc/"})
	if mod != "/mc" {
		t.Errorf("GOMODCACHE: goDirs = %q, want /mc", mod)
	}
}
