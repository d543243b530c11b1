package targets

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// ContextParam returns the first parameter of fn whose type is
// context.Context, or nil. A blank (_) or unnamed one is returned too: it
// still carries the caller's deadline and cancellation, so the fixer
// names it and passes it on rather than starting from
// context.Background().
func ContextParam(fn *types.Func) *types.Var {
	params := fn.Type().(*types.Signature).Params()
	for i := 0; i < params.Len(); i++ {
		if v := params.At(i); typepred.IsContext(v.Type()) {
			return v
		}
	}
	return nil
}

// OneShot returns why the method decl cannot safely run twice, or "": it
// uses a parameter that is an io.Reader but not an io.Seeker (reading
// consumes it), receives from a channel parameter (a received value is
// gone), or uses a parameter that is an io.Writer but not an io.Seeker (an
// attempt after a partial write would write the data again: a retried
// download into an http.ResponseWriter would send a corrupt body).
//
// One-shot inputs inside the arguments count the same way: a field, one
// or two levels deep (through pointers and embedded structs), of a struct
// or pointer-to-struct parameter that is such a reader (req.Body of an
// *http.Request) or a channel it receives from, and the elements of a
// slice, array or map parameter that are such readers or channels. Using
// the field (req.Body), an element (files[i], or ranging over the values)
// or passing the parameter itself (or the struct on the path to the field)
// to a call that may read it (hc.Do(req)) consumes the input; the first
// such use in the body decides the reason, which names the field. Fields
// of another package's struct count when they are exported.
//
// A method that is itself the Read of an io.Reader or the Write of an
// io.Writer (name and signature) is a stream: each call consumes or
// extends it, and a partial result with an error (n > 0 with io.EOF) is a
// normal outcome, so a retry would lose or duplicate data. The Close of an
// io.Closer cannot run twice either. It is the one rule for the analyzer's
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
	readers := map[types.Object]string{} // the reader's description
	writers := map[types.Object]bool{}
	chans := map[types.Object]bool{}
	var nested []nestedInput
	for i := 0; i < params.Len(); i++ {
		v := params.At(i)
		t := v.Type()
		seeker := types.Implements(t, typepred.IOSeeker)
		if desc := oneShotReader(t); desc != "" {
			readers[v] = desc
		} else if types.Implements(t, typepred.IOWriter) && !seeker {
			writers[v] = true
		}
		if ch, ok := t.Underlying().(*types.Chan); ok && ch.Dir() != types.SendOnly {
			chans[v] = true
		}
		if readers[v] == "" && !writers[v] && !chans[v] {
			nested = append(nested, nestedInputs(v, fn.Pkg())...)
		}
	}
	if len(readers) == 0 && len(writers) == 0 && len(chans) == 0 && len(nested) == 0 {
		return ""
	}
	var reason string
	// bases holds the operands of selectors seen so far: a selector is
	// visited before its operand, so a struct on the path to a nested
	// input that is not in bases is used as a value (copied, passed on).
	bases := map[ast.Expr]bool{}
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if reason != "" {
			return false
		}
		if sel, ok := n.(*ast.SelectorExpr); ok {
			bases[sel.X] = true
		}
		if why := nestedUse(info, nested, n, bases); why != "" {
			reason = why
			return false
		}
		switch n := n.(type) {
		case *ast.Ident:
			switch obj := info.Uses[n]; {
			case readers[obj] != "":
				reason = fmt.Sprintf("it consumes %s, %s, so a retry would read a drained input", n.Name, readers[obj])
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

// nestedInput is a one-shot input inside a parameter: a field (path, one
// or two fields from the parameter) or the parameter's elements (elem).
type nestedInput struct {
	param  *types.Var
	path   []*types.Var
	elem   bool
	isChan bool   // a channel received from, rather than a reader
	desc   string // a reader's description (oneShotReader)
}

// name spells the input as the body would: "req.Body", "files".
func (in nestedInput) name() string {
	s := in.param.Name()
	for _, f := range in.path {
		s += "." + f.Name()
	}
	return s
}

// oneShotType reports whether t is a one-shot input: a reader that cannot
// be rewound (oneShotReader: an io.Reader that is not an io.Seeker, or a
// cursor such as kafka-go's RecordReader; desc describes it), or a
// channel that can be received from (isChan).
func oneShotType(t types.Type) (ok, isChan bool, desc string) {
	if ch, isChan := t.Underlying().(*types.Chan); isChan {
		return ch.Dir() != types.SendOnly, true, ""
	}
	desc = oneShotReader(t)
	return desc != "", false, desc
}

// nestedInputs returns the one-shot inputs inside parameter v.
func nestedInputs(v *types.Var, pkg *types.Package) []nestedInput {
	var out []nestedInput
	switch u := v.Type().Underlying().(type) {
	case *types.Slice, *types.Array, *types.Map:
		if ok, ch, desc := oneShotType(u.(interface{ Elem() types.Type }).Elem()); ok {
			out = append(out, nestedInput{param: v, elem: true, isChan: ch, desc: desc})
		}
		return out
	}
	var walk func(t types.Type, path []*types.Var)
	walk = func(t types.Type, path []*types.Var) {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return
		}
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			if !f.Exported() && f.Pkg() != pkg {
				continue
			}
			p := append(slices.Clip(path), f)
			if ok, ch, desc := oneShotType(f.Type()); ok {
				out = append(out, nestedInput{param: v, path: p, isChan: ch, desc: desc})
			} else if len(p) < 2 {
				walk(f.Type(), p)
			}
		}
	}
	walk(v.Type(), nil)
	return out
}

// nestedUse returns why node n consumes one of the nested inputs, or "".
// bases holds the operands of the selectors around n.
func nestedUse(info *types.Info, inputs []nestedInput, n ast.Node, bases map[ast.Expr]bool) string {
	if len(inputs) == 0 {
		return ""
	}
	// resolve resolves x.f1.f2 to its root variable and fields.
	resolve := func(e ast.Expr) (types.Object, []types.Object) {
		var fields []types.Object
		for {
			switch x := ast.Unparen(e).(type) {
			case *ast.SelectorExpr:
				f, ok := info.Uses[x.Sel].(*types.Var)
				if !ok || !f.IsField() {
					return nil, nil
				}
				fields = append([]types.Object{f}, fields...)
				e = x.X
			case *ast.StarExpr:
				e = x.X
			case *ast.Ident:
				return info.Uses[x], fields
			default:
				return nil, nil
			}
		}
	}
	// matches reports whether fields ends the input's path at k fields.
	matches := func(in nestedInput, obj types.Object, fields []types.Object, k int) bool {
		if obj != in.param || len(fields) == 0 && k != 0 {
			return false
		}
		if k == 0 {
			return len(fields) == 0
		}
		return fields[len(fields)-1] == in.path[k-1]
	}
	switch n := n.(type) {
	case *ast.SelectorExpr:
		obj, fields := resolve(n)
		for _, in := range inputs {
			if in.elem || !matches(in, obj, fields, len(in.path)) {
				continue
			}
			if in.isChan {
				return "" // a receive decides, below
			}
			return fmt.Sprintf("it consumes %s, %s (a field of the parameter %s), so a retry would read a drained input", types.ExprString(n), in.desc, in.param.Name())
		}
		// A struct on the path to a reader, used as a value (copied into
		// a request, assigned, its address taken) rather than as the
		// operand of a selector, hands the reader on: kafka-go's
		// RawProduce puts req.RawRecords, which holds an io.Reader, into
		// the request it sends.
		if bases[n] {
			break
		}
		for _, in := range inputs {
			for k := 1; !in.elem && !in.isChan && k < len(in.path); k++ {
				if matches(in, obj, fields, k) {
					return fmt.Sprintf("it hands on %s, which holds %s, %s, so a retry would read a drained input", types.ExprString(n), in.name(), in.desc)
				}
			}
		}
	case *ast.UnaryExpr:
		if n.Op != token.ARROW {
			break
		}
		if why := nestedReceive(info, inputs, n.X, resolve, matches); why != "" {
			return why
		}
	case *ast.RangeStmt:
		if why := nestedReceive(info, inputs, n.X, resolve, matches); why != "" {
			return why
		}
		if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Value != nil {
			for _, in := range inputs {
				if in.elem && !in.isChan && info.Uses[id] == in.param {
					return fmt.Sprintf("it consumes the elements of %s, each %s, so a retry would read drained inputs", id.Name, in.desc)
				}
			}
		}
	case *ast.IndexExpr:
		if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
			for _, in := range inputs {
				if in.elem && !in.isChan && info.Uses[id] == in.param {
					return fmt.Sprintf("it consumes %s, %s (an element of the parameter %s), so a retry would read a drained input", types.ExprString(n), in.desc, id.Name)
				}
			}
		}
	case *ast.CallExpr:
		// Passing the parameter, or the struct on the path to a reader
		// field, lets the callee read it (not a builtin's: len, cap).
		if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
			if _, builtin := info.Uses[id].(*types.Builtin); builtin {
				break
			}
		}
		if tv, ok := info.Types[n.Fun]; ok && tv.IsType() {
			break // a conversion
		}
		for _, arg := range n.Args {
			obj, fields := resolve(arg)
			if obj == nil {
				continue
			}
			for _, in := range inputs {
				if in.isChan {
					continue
				}
				if in.elem && len(fields) == 0 && obj == in.param {
					return fmt.Sprintf("it passes %s to %s, which may consume its elements, each %s, so a retry would read drained inputs", types.ExprString(arg), types.ExprString(n.Fun), in.desc)
				}
				for k := 0; !in.elem && k < len(in.path); k++ {
					if matches(in, obj, fields, k) {
						return fmt.Sprintf("it passes %s to %s, which may consume %s, %s, so a retry would read a drained input", types.ExprString(arg), types.ExprString(n.Fun), in.name(), in.desc)
					}
				}
			}
		}
	}
	return ""
}

// nestedReceive returns why receiving from x (a receive or a range)
// consumes a nested channel input, or "".
func nestedReceive(info *types.Info, inputs []nestedInput, x ast.Expr,
	resolve func(ast.Expr) (types.Object, []types.Object),
	matches func(nestedInput, types.Object, []types.Object, int) bool) string {
	if ix, ok := ast.Unparen(x).(*ast.IndexExpr); ok {
		if id, ok := ast.Unparen(ix.X).(*ast.Ident); ok {
			for _, in := range inputs {
				if in.elem && in.isChan && info.Uses[id] == in.param {
					return fmt.Sprintf("it receives from %s, a channel in the parameter %s, so a retry would not see the values already received", types.ExprString(x), id.Name)
				}
			}
		}
		return ""
	}
	obj, fields := resolve(x)
	for _, in := range inputs {
		if in.isChan && !in.elem && matches(in, obj, fields, len(in.path)) {
			return fmt.Sprintf("it receives from the channel %s (a field of the parameter %s), so a retry would not see the values already received", types.ExprString(x), in.param.Name())
		}
	}
	return ""
}

// OneShotAdvice is what to do about a method that OneShot names and that
// is not a StreamMethod (no fresh input helps a stream): the one wording
// of that advice, for the analyzer's message and the fixer's refusal.
const OneShotAdvice = "give each attempt a fresh input or output, such as a buffer"

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
		{typepred.IOReader, "io.Reader", "each call consumes the stream and a short read with io.EOF is a normal result, so a retry would lose the data already read"},
		{typepred.IOWriter, "io.Writer", "each call extends the stream, so an attempt after a partial write would write the data again"},
		{typepred.IOCloser, "io.Closer", "closing twice is not safe (a closed channel panics, a closed file reports os.ErrClosed instead of the first error)"},
	} {
		m := s.iface.Method(0)
		// Identical ignores receivers: the signatures are compared.
		if fn.Name() == m.Name() && types.Identical(sig, m.Type()) {
			return fmt.Sprintf("it is the %s method of an %s: %s", m.Name(), s.name, s.why)
		}
	}
	return ""
}

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
