package retrysafety

import (
	"go/ast"
	"go/types"
)

// dynamicCall fills e for a call through a function value (a field,
// variable, map or slice element, or call result of func type): its body
// is not known, so a pointer to state that outlives the run passed to it
// may be written before it fails. msgpack's Decoder.DecodeValue is
// `decode := getDecoder(v.Type()); return decode(d, v)`: the decoder
// reads the stream d holds, so a retry would decode the next value. A
// function literal called on the spot is not dynamic: its body is visited
// where it appears.
//
// Only pointers (the receiver itself, &c.field, a pointer field or
// parameter) count: maps, slices and interfaces passed to a callback are
// read at least as often as written, and treating them as writes would
// refuse every method that hands its options or a buffer to a hook.
func (s *fnState) dynamicCall(c *ast.CallExpr, e *event) {
	if _, ok := ast.Unparen(c.Fun).(*ast.FuncLit); ok {
		return
	}
	for _, arg := range c.Args {
		t := s.info.TypeOf(arg)
		if t == nil || !isPointer(t) {
			continue
		}
		r, ok := s.sharedRef(arg)
		if !ok {
			continue
		}
		e.what = "passes " + types.ExprString(arg) + " to " + e.callName() + ", a function value whose body is not known, so it may write it"
		s.note(r, e.what+" at "+s.r.where(c.Pos()), nil)
		// When it writes is not known either: a failed call may have
		// written already.
		e.self = e.fail
		e.selfWhy = "what the function value does before it fails is not known, so a retry may repeat it"
		return
	}
}
