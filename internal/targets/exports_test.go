package targets

import (
	"go/types"
	"testing"

	"github.com/resilience-lint/resilience-lint/config"
)

func TestExportsFacts(t *testing.T) {
	saved := RetryLibraries
	RetryLibraries = []string{"example.com/backoff/v4"}
	defer func() { RetryLibraries = saved }()

	pkg := func(path string, imports ...*types.Package) *types.Package {
		p := types.NewPackage(path, "p")
		p.SetImports(imports)
		return p
	}
	recovery := pkg(RecoveryPath)
	intel := pkg(IntelligencePath)
	backoffSub := pkg("example.com/backoff/v4/internal/clock")
	custom := pkg("example.com/retry")
	plain := pkg("example.com/plain", pkg("strings"))
	c, err := New(&config.Config{RetryFuncs: []string{"example.com/retry.Do"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		pkg     *types.Package
		version string
		want    bool
	}{
		{"main module", plain, "", true},
		{"dependency using nothing (a retry loop of its own can route callers)", plain, "v1.0.0", true},
		{"dependency importing recovery", pkg("example.com/a", recovery), "v1.0.0", true},
		{"dependency importing intelligence indirectly", pkg("example.com/b", pkg("example.com/c", intel)), "v1.0.0", true},
		{"dependency importing a retry library package", pkg("example.com/d", backoffSub), "v1.2.3", true},
		{"dependency importing a configured retry-funcs package", pkg("example.com/e", custom), "v1.2.3", true},
		{"the configured package itself", custom, "v1.2.3", true},
	}
	for _, tt := range tests {
		if got := c.ExportsFacts(tt.pkg, tt.version); got != tt.want {
			t.Errorf("%s: ExportsFacts = %v, want %v", tt.name, got, tt.want)
		}
	}
	for path, want := range map[string]bool{
		RecoveryPath:                          true,
		"example.com/backoff/v4":              true,
		"example.com/backoff/v4/x":            true,
		"example.com/backoff/v45":             false,
		"example.com/retry":                   false, // without the configuration
		"github.com/resilience-lint/runtimes": false,
	} {
		if got := EntryPackage(path, nil); got != want {
			t.Errorf("EntryPackage(%q, nil) = %v, want %v", path, got, want)
		}
	}
}
