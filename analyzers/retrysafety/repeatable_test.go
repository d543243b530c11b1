package retrysafety_test

import (
	"go/importer"
	"go/types"
	"slices"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/analyzers/retrysafety"
	"github.com/resilience-lint/resilience-lint/config"
)

// TestDefaultRepeatable: the built-in entries have the shape of
// repeatable-funcs entries, are sorted and unique, and those of the
// standard library name functions and methods that exist (the others were
// checked against the modules' sources, and the fixtures repeat them).
func TestDefaultRepeatable(t *testing.T) {
	list := retrysafety.DefaultRepeatable()
	if !slices.IsSorted(list) || len(slices.Compact(slices.Clone(list))) != len(list) {
		t.Errorf("DefaultRepeatable is not sorted and unique: %q", list)
	}
	imp := importer.Default()
	pkgs := map[string]*types.Package{}
	std := 0
	for _, s := range list {
		pkgPath, name, err := config.SplitQualified(s)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if strings.Contains(strings.Split(pkgPath, "/")[0], ".") {
			continue // not the standard library
		}
		std++
		pkg, ok := pkgs[pkgPath]
		if !ok {
			if pkg, err = imp.Import(pkgPath); err != nil {
				t.Fatalf("import %s: %v", pkgPath, err)
			}
			pkgs[pkgPath] = pkg
		}
		typ, meth, isMethod := strings.Cut(name, ".")
		obj := pkg.Scope().Lookup(typ)
		if !isMethod {
			if _, ok := obj.(*types.Func); !ok {
				t.Errorf("%q: %s has no function %s", s, pkgPath, typ)
			}
			continue
		}
		tn, ok := obj.(*types.TypeName)
		if !ok {
			t.Errorf("%q: %s has no type %s", s, pkgPath, typ)
			continue
		}
		if m, _, _ := types.LookupFieldOrMethod(tn.Type(), true, pkg, meth); m == nil {
			t.Errorf("%q: %s.%s has no method %s", s, pkgPath, typ, meth)
		}
	}
	if std == 0 {
		t.Error("no entry of the standard library checked")
	}
}
