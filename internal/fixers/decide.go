package fixers

import (
	"go/parser"
	"go/token"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
)

// A driver that analyzes a dependency only for its Facts never shows the
// dependency's diagnostics, and so never shows their fixes; but whether a
// method gets a fix is part of those Facts (retrycoverage exports
// UnroutedMethod for a method its fix will route, and its callers in other
// packages delegate to it). Printing the rewrite of every such method
// (decorating it with dst, restoring it, formatting and re-parsing it) was
// 7% of a first run's CPU on cobra with agent-types "*".
//
// For a pass marked with FactsOnly, Retry and Track decide whether a fix
// exists without writing it: every check of the rewrite runs (the same
// refusals, in the same order, with the same messages), the wrapper call
// is parsed as printing it would parse it, and the method is not printed.
// What they return then is one SuggestedFix with its message and no
// edits: "a fix exists". TestDecideOnly compares the two modes' answers
// on the fixers' testdata and on every method of this module and its
// dependencies taken as an agent's.

// factsOnly holds the passes marked with FactsOnly.
var factsOnly sync.Map // *analysis.Pass -> struct{}

// FactsOnly marks pass as the pass of a package whose diagnostics are not
// shown (a dependency analyzed for its Facts), until release is called:
// Retry and Track then decide whether a fix exists without computing its
// edits.
func FactsOnly(pass *analysis.Pass) (release func()) {
	factsOnly.Store(pass, struct{}{})
	return func() { factsOnly.Delete(pass) }
}

// allFactsOnly is set by FactsOnlyProcess.
var allFactsOnly atomic.Bool

// FactsOnlyProcess marks every pass of this process as FactsOnly: for a
// vet or fix tool run on a unit the go command analyzes only for its
// Facts (a dependency, VetxOnly in the unit's configuration), whose
// diagnostics and fixes unitchecker never prints.
func FactsOnlyProcess() { allFactsOnly.Store(true) }

// decideOnly reports whether pass is marked with FactsOnly.
func decideOnly(pass *analysis.Pass) bool {
	if allFactsOnly.Load() {
		return true
	}
	_, ok := factsOnly.Load(pass)
	return ok
}

// decided is what fix returns for a rewrite that decideOnly found
// possible, in place of printing it: the checks print makes before the
// method's text is produced (the wrapper parses as a function on its own;
// the method has position information), then a fix without edits.
func (w *wrap) decided(wrapper, message string) ([]analysis.SuggestedFix, error) {
	// decorate parses the wrapper with the method first and, when that
	// fails, on its own, where a failure is a refusal: a policy
	// expression that ends in a // comment comments out the closure.
	sf, err := parser.ParseFile(token.NewFileSet(), "", methodHeader+"\n"+wrapper, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil || len(sf.Decls) != 1 {
		return nil, errorf("%s: internal error: wrapper does not parse: %v", w.name(), err)
	}
	if w.pass.Fset.File(w.decl.Pos()) == nil {
		return nil, errorf("%s: no position information", w.name())
	}
	return []analysis.SuggestedFix{{Message: message}}, nil
}
