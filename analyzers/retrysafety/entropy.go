package retrysafety

import (
	"go/ast"
	"go/types"
)

// isEntropy reports whether e is crypto/rand.Reader. It is a source of
// random bytes, not a stream with a position: reading it again on a retry
// gives other random bytes, as a first attempt would have, and leaves
// nothing behind that the program reads back. gorilla/websocket reads it
// for every handshake key (io.ReadFull(rand.Reader, p)), so every method
// that may dial a websocket looked as if it consumed a stream.
func isEntropy(info *types.Info, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := info.Uses[sel.Sel].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "crypto/rand" && v.Name() == "Reader"
}
