package driver

import (
	"fmt"
	"sync"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestOverlayTouchesConcurrent checks overlayTouches' answers on a chain
// of packages, asked from many goroutines at once, as the analyses of
// parallel packages ask it (go test -race caught a concurrent map write
// in -fix's later rounds, which run with an overlay).
func TestOverlayTouchesConcurrent(t *testing.T) {
	const n = 50
	pkgs := make([]*packages.Package, n)
	for i := range pkgs {
		pkgs[i] = &packages.Package{ID: fmt.Sprint(i), CompiledGoFiles: []string{fmt.Sprintf("/m/p%d/a.go", i)}, Imports: map[string]*packages.Package{}}
		if i > 0 {
			pkgs[i].Imports["p"] = pkgs[i-1] // p(i) imports p(i-1)
		}
	}
	touched := overlayTouches(map[string][]byte{"/m/p20/a.go": nil})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := n - 1; i >= 0; i-- {
				if got, want := touched(pkgs[i]), i >= 20; got != want {
					t.Errorf("package %d: touched = %v, want %v", i, got, want)
				}
			}
		}()
	}
	wg.Wait()
	if overlayTouches(nil)(pkgs[n-1]) {
		t.Error("no overlay touches a package")
	}
}
