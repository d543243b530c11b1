package fixers

import (
	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

// SetDecorateWholeFile makes the fixers decorate whole files (true) or
// each method alone when they can (false), and returns the previous
// setting.
func SetDecorateWholeFile(whole bool) bool {
	old := decorateWholeFile
	decorateWholeFile = whole
	return old
}

// DecoratesAlone reports whether the rewrite of t.Decl decorates the
// method alone rather than its whole file.
func DecoratesAlone(pass *analysis.Pass, t *retrycoverage.Target) bool {
	w := &wrap{pass: pass, file: t.File, decl: t.Decl}
	return w.decorateMethod("func _() {}\n") != nil
}

// WithDecideOnly runs f with pass marked FactsOnly (on) or not, whatever
// its mark, and gives it back its mark after.
func WithDecideOnly(pass *analysis.Pass, on bool, f func()) {
	_, was := factsOnly.Load(pass)
	mark := func(on bool) {
		if on {
			factsOnly.Store(pass, struct{}{})
		} else {
			factsOnly.Delete(pass)
		}
	}
	mark(on)
	defer mark(was)
	f()
}
