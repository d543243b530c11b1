package targets

import (
	"go/types"
	"testing"
)

// TestImportsRuntime checks importsRuntime: the runtime package itself or
// through imports, and the package of an extra function name, matched on
// the whole path (example.com/li is not the package of example.com/lib.Do,
// nor is example.com/lib/sub).
func TestImportsRuntime(t *testing.T) {
	pkg := func(path string, imports ...*types.Package) *types.Package {
		p := types.NewPackage(path, "p")
		p.SetImports(imports)
		return p
	}
	rt := pkg(RecoveryPath)
	lib := pkg("example.com/lib")
	extra := []string{"example.com/lib.Do", "example.com/other.Retry"}
	tests := []struct {
		name string
		pkg  *types.Package
		want bool
	}{
		{"runtime itself", rt, true},
		{"imports the runtime", pkg("example.com/a", pkg("example.com/b", rt)), true},
		{"package of an extra name", lib, true},
		{"imports that package", pkg("example.com/c", lib), true},
		{"prefix of the path", pkg("example.com/li"), false},
		{"subpackage of the path", pkg("example.com/lib/sub"), false},
		{"path longer by a letter", pkg("example.com/libx"), false},
		{"unrelated", pkg("example.com/d", pkg("fmt")), false},
	}
	for _, tt := range tests {
		if got := importsRuntime(tt.pkg, RecoveryPath, extra); got != tt.want {
			t.Errorf("%s: importsRuntime(%s) = %v, want %v", tt.name, tt.pkg.Path(), got, tt.want)
		}
	}
}
