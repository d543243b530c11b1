package driver

import (
	"context"
	"fmt"
	"go/token"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"

	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// TestLoaderPipeline checks the order in which the loader runs the steps of
// each source package, on a graph with a chain, a diamond, a package in
// between read from export data and an independent package, with one, two
// and four workers:
//
//   - every package is type-checked without waiting for any analysis: the
//     gate, which holds back every analysis, opens only once all of them
//     are type-checked (a loader that analyzed a package before checking
//     its importers would never get there);
//   - no analysis starts before the gate opens;
//   - a package is analyzed once, after it is type-checked and after every
//     source package below it (through the package read from export data
//     too) is analyzed;
//   - when a package is type-checked, every package below it is complete.
func TestLoaderPipeline(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"a/a.go":   "package a\n\ntype T struct{ N int }\n\nfunc New() T { return T{} }\n",
		"b/b.go":   "package b\n\nimport \"example.com/fx/a\"\n\nfunc B() a.T { return a.New() }\n",
		"c/c.go":   "package c\n\nimport \"example.com/fx/a\"\n\nfunc C() int { return a.New().N }\n",
		"d/d.go":   "package d\n\nimport (\n\t\"example.com/fx/b\"\n\t\"example.com/fx/c\"\n)\n\nfunc D() int { return b.B().N + c.C() }\n",
		"x/x.go":   "package x\n\nimport \"example.com/fx/d\"\n\nfunc X() int { return d.D() }\n",
		"e/e.go":   "package e\n\nimport \"example.com/fx/x\"\n\nfunc E() int { return x.X() }\n",
		"f/f.go":   "package f\n\nimport \"strings\"\n\nfunc F() string { return strings.ToUpper(\"f\") }\n",
		"f/f2.go":  "package f\n\nfunc G() string { return F() + F() }\n",
		"a/doc.go": "// Package a is the bottom of the graph.\npackage a\n",
	})
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprint("GOMAXPROCS=", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			fset := token.NewFileSet()
			listed, err := packages.Load(&packages.Config{Dir: dir, Mode: listMode, Fset: fset, Env: append(os.Environ(), "GOWORK=off")}, "./...")
			if err != nil {
				t.Fatal(err)
			}
			source := make(map[*packages.Package]bool)
			byPath := make(map[string]*packages.Package)
			packages.Visit(listed, nil, func(p *packages.Package) {
				byPath[p.PkgPath] = p
				// x is read from export data: e waits for d through it.
				if len(p.PkgPath) == len("example.com/fx/a") && p.PkgPath != "example.com/fx/x" && p.Module != nil {
					source[p] = true
				}
			})
			if len(source) != 6 {
				t.Fatalf("%d source packages, want 6", len(source))
			}
			below := func(p *packages.Package) []*packages.Package {
				var out []*packages.Package
				seen := make(map[*packages.Package]bool)
				var walk func(q *packages.Package)
				walk = func(q *packages.Package) {
					for _, imp := range q.Imports {
						if !seen[imp] {
							seen[imp] = true
							if source[imp] {
								out = append(out, imp)
							}
							walk(imp)
						}
					}
				}
				walk(p)
				return out
			}

			var (
				mu       sync.Mutex
				checked  = make(map[*packages.Package]int)
				analyzed = make(map[*packages.Package]int)
				gateOpen bool
			)
			gate := make(chan struct{})
			allChecked := make(chan struct{})
			ld := newLoader(context.Background(), fset, nil, listed, source, nil)
			ld.gate = gate
			ld.checked = func(p *packages.Package) {
				mu.Lock()
				defer mu.Unlock()
				for _, q := range below(p) {
					if checked[q] == 0 || !q.Types.Complete() {
						t.Errorf("%s type-checked before %s, which it imports", p.PkgPath, q.PkgPath)
					}
				}
				if checked[p]++; len(checked) == len(source) {
					close(allChecked)
				}
			}
			ld.after = func(p *packages.Package) {
				mu.Lock()
				defer mu.Unlock()
				if !gateOpen {
					t.Errorf("%s analyzed before the gate opened", p.PkgPath)
				}
				if p.TypesInfo == nil || !p.Types.Complete() {
					t.Errorf("%s analyzed before it was type-checked", p.PkgPath)
				}
				for _, q := range below(p) {
					if analyzed[q] == 0 {
						t.Errorf("%s analyzed before %s, which it imports", p.PkgPath, q.PkgPath)
					}
				}
				analyzed[p]++
			}
			// Open the gate once every source package is type-checked.
			go func() {
				select {
				case <-allChecked:
				case <-time.After(time.Minute):
					t.Error("not every package was type-checked before the analyses")
				}
				mu.Lock()
				gateOpen = true
				mu.Unlock()
				close(gate)
			}()
			ld.load(listed)
			for p := range source {
				if checked[p] != 1 || analyzed[p] != 1 {
					t.Errorf("%s type-checked %d times, analyzed %d times, want once", p.PkgPath, checked[p], analyzed[p])
				}
				if len(p.Errors) > 0 || p.IllTyped {
					t.Errorf("%s: errors %v", p.PkgPath, p.Errors)
				}
				for _, q := range below(p) {
					if !q.Types.Complete() {
						t.Errorf("%s below %s is incomplete", q.PkgPath, p.PkgPath)
					}
				}
			}
			if f := byPath["example.com/fx/f"]; f != nil && len(f.Syntax) != 2 {
				t.Errorf("f: %d files parsed, want 2", len(f.Syntax))
			}
		})
	}
}
