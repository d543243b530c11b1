package targets

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
)

// ContextParam returns the first parameter of fn whose type is
// context.Context, or nil. A blank (_) or unnamed one is returned too: it
// still carries the caller's deadline and cancellation, so the fixer
// names it and passes it on rather than starting from
// context.Background().
func ContextParam(fn *types.Func) *types.Var {
	params := fn.Type().(*types.Signature).Params()
	for i := 0; i < params.Len(); i++ {
		if v := params.At(i); isContext(v.Type()) {
			return v
		}
	}
	return nil
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// ioReader, ioWriter and ioSeeker are io.Reader, io.Writer and io.Seeker
// built structurally, so the check works in packages that do not import
// io.
var ioReader, ioWriter, ioSeeker = func() (*types.Interface, *types.Interface, *types.Interface) {
	byteSlice := types.NewSlice(types.Typ[types.Byte])
	intT, int64T := types.Typ[types.Int], types.Typ[types.Int64]
	errV := func() *types.Var { return types.NewParam(token.NoPos, nil, "", errorType) }
	read := types.NewFunc(token.NoPos, nil, "Read", types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewParam(token.NoPos, nil, "p", byteSlice)),
		types.NewTuple(types.NewParam(token.NoPos, nil, "n", intT), errV()), false))
	write := types.NewFunc(token.NoPos, nil, "Write", types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewParam(token.NoPos, nil, "p", byteSlice)),
		types.NewTuple(types.NewParam(token.NoPos, nil, "n", intT), errV()), false))
	seek := types.NewFunc(token.NoPos, nil, "Seek", types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewParam(token.NoPos, nil, "offset", int64T), types.NewParam(token.NoPos, nil, "whence", intT)),
		types.NewTuple(types.NewParam(token.NoPos, nil, "", int64T), errV()), false))
	r := types.NewInterfaceType([]*types.Func{read}, nil).Complete()
	w := types.NewInterfaceType([]*types.Func{write}, nil).Complete()
	s := types.NewInterfaceType([]*types.Func{seek}, nil).Complete()
	return r, w, s
}()

// OneShot returns why the method decl cannot safely run twice, or "": it
// uses a parameter that is an io.Reader but not an io.Seeker (reading
// consumes it), receives from a channel parameter (a received value is
// gone), or uses a parameter that is an io.Writer but not an io.Seeker (an
// attempt after a partial write would write the data again: a retried
// download into an http.ResponseWriter would send a corrupt body). The
// first such use in the body decides the reason. A method that is itself
// the Read of an io.Reader or the Write of an io.Writer (name and
// signature) is a stream: each call consumes or extends it, and a partial
// result with an error (n > 0 with io.EOF) is a normal outcome, so a retry
// would lose or duplicate data. The Close of an io.Closer cannot run twice
// either. It is the one rule for the analyzer's
// diagnostic, the report and the fixer's refusal.
func OneShot(info *types.Info, decl *ast.FuncDecl) string {
	fn, _ := info.Defs[decl.Name].(*types.Func)
	if fn == nil || decl.Body == nil {
		return ""
	}
	if why := StreamMethod(fn); why != "" {
		return why
	}
	params := fn.Type().(*types.Signature).Params()
	readers := map[types.Object]bool{}
	writers := map[types.Object]bool{}
	chans := map[types.Object]bool{}
	for i := 0; i < params.Len(); i++ {
		v := params.At(i)
		t := v.Type()
		seeker := types.Implements(t, ioSeeker)
		if types.Implements(t, ioReader) && !seeker {
			readers[v] = true
		} else if types.Implements(t, ioWriter) && !seeker {
			writers[v] = true
		}
		if ch, ok := t.Underlying().(*types.Chan); ok && ch.Dir() != types.SendOnly {
			chans[v] = true
		}
	}
	if len(readers) == 0 && len(writers) == 0 && len(chans) == 0 {
		return ""
	}
	var reason string
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if reason != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.Ident:
			switch obj := info.Uses[n]; {
			case readers[obj]:
				reason = fmt.Sprintf("it consumes %s, an io.Reader that is not an io.Seeker, so a retry would read a drained input", n.Name)
			case writers[obj]:
				reason = fmt.Sprintf("it writes to %s, an io.Writer that is not an io.Seeker, so an attempt after a partial write would write the data again", n.Name)
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.ARROW && chans[info.Uses[id]] {
				reason = fmt.Sprintf("it receives from the channel %s, so a retry would not see the values already received", id.Name)
			}
		case *ast.RangeStmt:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && chans[info.Uses[id]] {
				reason = fmt.Sprintf("it receives from the channel %s, so a retry would not see the values already received", id.Name)
			}
		}
		return true
	})
	return reason
}

// StreamMethod returns why fn cannot run twice because it is itself the
// Read of an io.Reader, the Write of an io.Writer or the Close of an
// io.Closer (by name and signature), or "". OneShot includes it; callers
// use it to give advice that fits (no fresh input helps a stream).
func StreamMethod(fn *types.Func) string {
	sig := fn.Type().(*types.Signature)
	if sig.Recv() == nil {
		return ""
	}
	for _, s := range []struct {
		iface *types.Interface
		name  string
		why   string
	}{
		{ioReader, "io.Reader", "each call consumes the stream and a short read with io.EOF is a normal result, so a retry would lose the data already read"},
		{ioWriter, "io.Writer", "each call extends the stream, so an attempt after a partial write would write the data again"},
		{ioCloser, "io.Closer", "closing twice is not safe (a closed channel panics, a closed file reports os.ErrClosed instead of the first error)"},
	} {
		m := s.iface.Method(0)
		// Identical ignores receivers: the signatures are compared.
		if fn.Name() == m.Name() && types.Identical(sig, m.Type()) {
			return fmt.Sprintf("it is the %s method of an %s: %s", m.Name(), s.name, s.why)
		}
	}
	return ""
}

// ioCloser is io.Closer, built structurally.
var ioCloser = types.NewInterfaceType([]*types.Func{types.NewFunc(token.NoPos, nil, "Close",
	types.NewSignatureType(nil, nil, nil, nil, types.NewTuple(types.NewParam(token.NoPos, nil, "", errorType)), false))}, nil).Complete()

// TrackerField returns the name of a field of the struct underlying t (or
// *t) whose type is *intelligence.Tracker or intelligence.Tracker, "" if
// there is none. A pointer field is preferred to a value field (the
// fixer takes a value field's address, which a value receiver cannot
// give: it would track into a copy). Promoted fields of embedded structs
// count, after the struct's own fields.
func TrackerField(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return ""
	}
	for _, pointer := range []bool{true, false} {
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			_, isPtr := types.Unalias(f.Type()).(*types.Pointer)
			if isPtr == pointer && IsTrackerType(f.Type()) {
				return f.Name()
			}
		}
	}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if f.Embedded() && !IsTrackerType(f.Type()) {
			if name := TrackerField(f.Type()); name != "" {
				return name
			}
		}
	}
	return ""
}
