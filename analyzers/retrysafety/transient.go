package retrysafety

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// Later calls that cannot fail transiently. The request rule refuses a
// body that sends a POST and then makes another call that can fail,
// because a retry after that call's failure sends the POST again. But
// -fix routes through recovery's default classifier (IsTransient), which
// retries only failures known to be transient: an error that carries no
// signal (no Timeout, Temporary, Retryable, retry-after, HTTP or gRPC
// status, none of the transient errnos) is returned after one attempt.
// A later call whose error provably carries none cannot make the retry
// run again, so it is no reason to refuse:
//
//   - parsing and decoding of values in memory by the standard library
//     (strconv's Parse... and Atoi, net/url's Parse..., time.Parse,
//     ParseInLocation and ParseDuration, encoding/base64's and
//     encoding/hex's Decode and DecodeString, net/mail.ParseAddress,
//     net/netip's Parse..., regexp.Compile) and google/uuid's Parse,
//     ParseBytes and Validate: their errors are syntax errors
//     (strconv's *NumError is even classified permanent);
//   - encoding/json's and encoding/xml's Unmarshal of a []byte into a
//     value whose type has no decoding method of its own anywhere in it
//     (UnmarshalJSON, UnmarshalXML, UnmarshalText, ...: such a method
//     may return any error) and no interface it would decode into in
//     place (a field or slice element of interface type may hold a
//     value with such a method);
//   - a function or method of the package whose every error result is
//     nil, errors.New, fmt.Errorf without %w, a sentinel of the package
//     made so (var ErrX = errors.New(...), never assigned again), a
//     call of the above, or a local variable only ever set from those
//     (a validation: if v.Name == "" { return errors.New("...") }).
//
// Only when the body itself makes no error that may be transient: every
// error it returns or assigns, other than a variable, a call's result or
// nil, is a sentinel of the package made by errors.New or fmt.Errorf
// without %w, or a value of an error type with no classifier signal (no
// method Timeout, Temporary, Retryable, RetryAfter, StatusCode,
// HTTPStatusCode, GRPCStatus, Status or Unwrap, no field StatusCode,
// HTTPStatusCode, HTTPStatus, Status, Code, RetryAfter, Response or
// HTTPResponse). Otherwise the body could answer the decode's failure
// with an error the classifier retries (return ErrUnavailable), and the
// later calls count as before. Functions of other packages (but those
// listed) are not looked into: their calls count as before.

// plainParsers are the functions and methods of the first item above.
var plainParsers = map[string]bool{
	"strconv.Atoi":                               true,
	"strconv.ParseInt":                           true,
	"strconv.ParseUint":                          true,
	"strconv.ParseFloat":                         true,
	"strconv.ParseBool":                          true,
	"strconv.ParseComplex":                       true,
	"strconv.Unquote":                            true,
	"net/url.Parse":                              true,
	"net/url.ParseRequestURI":                    true,
	"net/url.ParseQuery":                         true,
	"net/url.PathUnescape":                       true,
	"net/url.QueryUnescape":                      true,
	"time.Parse":                                 true,
	"time.ParseInLocation":                       true,
	"time.ParseDuration":                         true,
	"encoding/base64.Encoding.DecodeString":      true,
	"encoding/base64.Encoding.Decode":            true,
	"encoding/hex.DecodeString":                  true,
	"encoding/hex.Decode":                        true,
	"net/mail.ParseAddress":                      true,
	"net/netip.ParseAddr":                        true,
	"net/netip.ParsePrefix":                      true,
	"net/netip.ParseAddrPort":                    true,
	"regexp.Compile":                             true,
	"github.com/google/uuid.Parse":               true,
	"github.com/google/uuid.ParseBytes":          true,
	"github.com/google/uuid.Validate":            true,
	"encoding/json.Unmarshal":                    true,
	"encoding/xml.Unmarshal":                     true,
	"net/url.URL.Parse":                          true,
	"github.com/google/uuid.NewRandomFromReader": false,
}

// decodeMethods are the methods through which json and xml decode a
// value in their own way: a type with one may fail as it likes.
var decodeMethods = []string{"UnmarshalJSON", "UnmarshalXML", "UnmarshalXMLAttr", "UnmarshalText", "UnmarshalBinary"}

// plainCall reports whether c, a call that can fail, provably fails only
// with an error the default classifier does not retry (the rule above,
// but for the body's own errors: see mayMakeTransient).
func (s *fnState) plainCall(c *ast.CallExpr) bool {
	fn, _ := typeutil.Callee(s.info, c).(*types.Func)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	fn = fn.Origin()
	key := txHelperKey(fn)
	if plainParsers[key] {
		switch key {
		case "encoding/json.Unmarshal", "encoding/xml.Unmarshal":
			return len(c.Args) == 2 && plainTarget(s.info.TypeOf(c.Args[1]), map[types.Type]bool{})
		}
		return true
	}
	if fn.Pkg() != s.r.pass.Pkg {
		return false
	}
	return s.r.plainFunc(fn)
}

// plainTarget reports whether json or xml decode into a value of type t
// (the pointer given to Unmarshal) only with errors of their own: t
// points to a value whose type, and the types in it, have no decoding
// method (decodeMethods) and no interface decoded in place.
func plainTarget(t types.Type, seen map[types.Type]bool) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false // an interface: not known; a non-pointer: InvalidUnmarshalError, but say no
	}
	return plainValue(p.Elem(), seen)
}

// plainValue is plainTarget for a value of type t decoded into.
func plainValue(t types.Type, seen map[types.Type]bool) bool {
	t = types.Unalias(t)
	if seen[t] {
		return true
	}
	seen[t] = true
	if _, ok := t.(*types.Named); ok {
		ms := typeutil.IntuitiveMethodSet(t, nil)
		for _, m := range ms {
			name := m.Obj().Name()
			for _, d := range decodeMethods {
				if name == d {
					return false
				}
			}
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return true
	case *types.Pointer:
		return plainValue(u.Elem(), seen)
	case *types.Slice:
		return !types.IsInterface(u.Elem()) && plainValue(u.Elem(), seen)
	case *types.Array:
		return !types.IsInterface(u.Elem()) && plainValue(u.Elem(), seen)
	case *types.Map:
		// A map's entries are made anew: an interface value there
		// decodes as JSON's own types.
		return plainValue(u.Key(), seen) && (types.IsInterface(u.Elem()) || plainValue(u.Elem(), seen))
	case *types.Struct:
		for f := range u.Fields() {
			if types.IsInterface(f.Type()) || !plainValue(f.Type(), seen) {
				return false
			}
		}
		return true
	}
	return false // channels, functions, interfaces
}

// plainFunc reports whether fn, a function of the package, returns only
// errors of the kinds listed above (its own errors.New, fmt.Errorf
// without %w, sentinels of the package, plain calls, locals set from
// them); computed once per function. A function in the middle of being
// asked (recursion) is not plain.
func (r *runner) plainFunc(fn *types.Func) bool {
	if v, ok := r.plainFns[fn]; ok {
		return v
	}
	if r.plainFns == nil {
		r.plainFns = map[*types.Func]bool{}
	}
	r.plainFns[fn] = false
	fd := r.decls[fn]
	sig := fn.Type().(*types.Signature)
	res := sig.Results()
	if fd == nil || res.Len() == 0 || !typepred.IsError(res.At(res.Len()-1).Type()) || res.At(res.Len()-1).Name() != "" {
		return false // no body, no error, or a named one a bare return gives
	}
	s := &fnState{fnStatic: &fnStatic{body: fd.Body}, r: r, info: r.pass.TypesInfo}
	ok := true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			switch {
			case len(n.Results) == res.Len():
				ok = ok && s.plainErr(n.Results[len(n.Results)-1], fd.Body, 0)
			case len(n.Results) == 1:
				c, isCall := ast.Unparen(n.Results[0]).(*ast.CallExpr)
				ok = ok && isCall && s.plainCall(c)
			default:
				ok = false
			}
		}
		return ok
	})
	r.plainFns[fn] = ok
	return ok
}

// plainErr reports whether the error e, returned in body, is nil,
// errors.New, fmt.Errorf without %w, a plain sentinel of the package, a
// plain call, or a local variable only ever set from those (depth
// bounds the locals followed).
func (s *fnState) plainErr(e ast.Expr, body *ast.BlockStmt, depth int) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		if x.Name == "nil" && s.info.Uses[x] == types.Universe.Lookup("nil") {
			return true
		}
		v, ok := s.info.Uses[x].(*types.Var)
		if !ok {
			return false
		}
		if isGlobal(v) {
			return s.r.plainSentinel(v)
		}
		if depth > 2 {
			return false
		}
		srcs, ok := s.errSources(body, v)
		if !ok {
			return false
		}
		for _, src := range srcs {
			if !s.plainErr(src, body, depth+1) {
				return false
			}
		}
		return true
	case *ast.SelectorExpr:
		if v, ok := s.info.Uses[x.Sel].(*types.Var); ok && isGlobal(v) {
			return s.r.plainSentinel(v)
		}
	case *ast.CallExpr:
		return s.freshErr(x) || s.plainCall(x)
	}
	return false
}

// freshErr reports whether c makes an error of its own: errors.New, or
// fmt.Errorf with a constant format without %w.
func (s *fnState) freshErr(c *ast.CallExpr) bool {
	fn, _ := typeutil.Callee(s.info, c).(*types.Func)
	switch {
	case typepred.IsFunctionNamed(fn, "errors", "New"):
		return true
	case typepred.IsFunctionNamed(fn, "fmt", "Errorf"):
		if len(c.Args) == 0 {
			return false
		}
		tv := s.info.Types[c.Args[0]]
		return tv.Value != nil && tv.Value.Kind() == constant.String && !strings.Contains(constant.StringVal(tv.Value), "%w")
	}
	return false
}

// errSources returns the values assigned to the local v in body (the
// call, for a call of several results), and false when v is set some
// other way (its address taken, a range, a tuple of values).
func (s *fnState) errSources(body *ast.BlockStmt, v *types.Var) ([]ast.Expr, bool) {
	var srcs []ast.Expr
	ok := true
	is := func(e ast.Expr) bool {
		id, isID := ast.Unparen(e).(*ast.Ident)
		return isID && s.info.ObjectOf(id) == v
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if !is(l) {
					continue
				}
				switch {
				case n.Tok != token.ASSIGN && n.Tok != token.DEFINE:
					ok = false
				case len(n.Lhs) == len(n.Rhs):
					srcs = append(srcs, n.Rhs[i])
				case len(n.Rhs) == 1 && i == len(n.Lhs)-1:
					if _, isCall := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); isCall {
						srcs = append(srcs, n.Rhs[0])
					} else {
						ok = false // v, ok := m[k], x.(T), <-ch
					}
				default:
					ok = false
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if s.info.Defs[id] != v {
					continue
				}
				switch {
				case len(n.Values) == 0:
				case len(n.Values) == len(n.Names):
					srcs = append(srcs, n.Values[i])
				default:
					ok = false
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && is(n.X) {
				ok = false
			}
		case *ast.RangeStmt:
			if (n.Key != nil && is(n.Key)) || (n.Value != nil && is(n.Value)) {
				ok = false
			}
		}
		return ok
	})
	return srcs, ok
}

// plainSentinel reports whether the package variable v is a sentinel of
// the package made by errors.New or fmt.Errorf without %w and never
// assigned in the package.
func (r *runner) plainSentinel(v *types.Var) bool {
	if v.Pkg() != r.pass.Pkg || r.assignedGlobals()[v] {
		return false
	}
	init := r.globalInit(v)
	c, ok := ast.Unparen(init).(*ast.CallExpr)
	if !ok {
		return false
	}
	s := &fnState{r: r, info: r.pass.TypesInfo}
	return s.freshErr(c)
}

// globalInit returns the value the package-level declaration of v gives
// it, or nil.
func (r *runner) globalInit(v *types.Var) ast.Expr {
	for _, f := range r.pass.Files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, sp := range gd.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if r.pass.TypesInfo.Defs[id] == v && len(vs.Values) == len(vs.Names) {
						return vs.Values[i]
					}
				}
			}
		}
	}
	return nil
}

// signalMethods and signalFields are what the default classifier reads of
// an error value (runtime/recovery's IsTransient).
var (
	signalMethods = []string{"Timeout", "Temporary", "Retryable", "RetryAfter", "StatusCode", "HTTPStatusCode", "GRPCStatus", "Status", "Unwrap"}
	signalFields  = []string{"StatusCode", "HTTPStatusCode", "HTTPStatus", "Status", "Code", "RetryAfter", "Response", "HTTPResponse"}
)

// signalType reports whether values of the error type t may carry a
// signal the classifier reads.
func signalType(t types.Type) bool {
	ms := typeutil.IntuitiveMethodSet(t, nil)
	for _, m := range ms {
		for _, name := range signalMethods {
			if m.Obj().Name() == name {
				return true
			}
		}
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		for _, name := range signalFields {
			if f.Name() == name {
				return true
			}
		}
	}
	return false
}

// mayMakeTransient reports whether the body makes, returns or assigns an
// error that the classifier may retry other than through a call (the
// rule above): a sentinel of another package, a field read, a value of
// an error type with a signal. Computed once per body.
func (s *fnState) mayMakeTransient() bool {
	if s.transientDone {
		return s.transient
	}
	s.transientDone = true
	// made reports whether e, an error the body returns or assigns,
	// may be a transient one it makes itself.
	var made func(e ast.Expr) bool
	made = func(e ast.Expr) bool {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := s.info.Uses[x].(*types.Var)
			return ok && isGlobal(v) && !s.r.plainSentinel(v)
		case *ast.CallExpr:
			if tv, ok := s.info.Types[x.Fun]; ok && tv.IsType() {
				return signalType(tv.Type) // a conversion
			}
			fn, _ := typeutil.Callee(s.info, x).(*types.Func)
			if targets.IsErrorConstructor(fn) {
				for _, a := range x.Args {
					if t := s.info.TypeOf(a); t != nil && typepred.ImplementsError(t) && made(a) {
						return true
					}
				}
			}
			return false // a call: its failure is an event of its own
		case *ast.CompositeLit:
			return signalType(s.info.TypeOf(x))
		case *ast.UnaryExpr:
			if x.Op == token.AND {
				return signalType(s.info.TypeOf(x))
			}
			return true
		case *ast.SelectorExpr:
			if v, ok := s.info.Uses[x.Sel].(*types.Var); ok && isGlobal(v) {
				return !s.r.plainSentinel(v)
			}
			return true // a field: who made it is not known
		}
		return true
	}
	errTyped := func(e ast.Expr) bool {
		t := s.info.TypeOf(e)
		return t != nil && typepred.ImplementsError(t)
	}
	ast.Inspect(s.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				if errTyped(r) && made(r) {
					s.transient = true
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					if errTyped(l) && made(n.Rhs[i]) {
						s.transient = true
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i, id := range n.Names {
					if errTyped(id) && made(n.Values[i]) {
						s.transient = true
					}
				}
			}
		}
		return !s.transient
	})
	return s.transient
}
