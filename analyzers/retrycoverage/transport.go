package retrycoverage

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"path"
	"regexp"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// This file finds the retries a client adds at run time: a package that
// stores a client or transport built by a known retry library into a field
// (godo's New: c.HTTPClient = retryablehttp.NewClient().StandardClient()
// when WithRetryAndBackoffs is given) sends through that field with
// retries whenever the client was built so, although nothing in the types
// of the call (net/http.Client.Do) says it. Wrapping a method that sends
// through it would nest that retry (godo's 4 attempts inside each of 3),
// so such a method gets no fix, and neither do its callers, in any package
// (TransportRetry). A retrying value need not come from a retry library:
// a value of a type whose Do or RoundTrip is routed (a retrying decorator
// of the program's own) is one too, and so is what a function returns
// that may return one (RetryingSenderFunc), whatever its result type:
// go-containerregistry's transport.NewRetry returns its retryTransport as
// an http.RoundTripper, and pkg/v1/remote stores it into
// options.transport.

// TransportRetry is the Fact exported for every function, not routed,
// that sends through a client or transport a known retry library may have
// built (a field the package sets to one, or a value built on the spot),
// or calls a function that does: it may retry at run time, so wrapping a
// caller in a retry would nest that retry.
type TransportRetry struct {
	Expr    string // the expression sent through: "c.HTTPClient"
	Func    string // the function that sends through it: "godo.Client.Do"
	Set     string // where the package stores a retrying value into it ("godo.go:456"); "" when built on the spot
	Type    string // the type whose field holds it ("godo.Client"); "" for a variable
	Library string // the retry library: "go-retryablehttp"; or the method or constructor that retries: "transport.NewRetry"
	// Optional is the type whose method retries, as optional-retrying-types
	// names it ("github.com/slack-go/slack.retryClient"), when the value
	// is one of a type of the program's rather than a retry library's.
	Optional string

	home bool // found in the package being analyzed: Func is not qualified yet
}

// AFact marks TransportRetry as an analysis.Fact.
func (*TransportRetry) AFact() {}

// String describes the fact in analysistest wants and fact dumps.
func (*TransportRetry) String() string { return "sends through a retrying transport" }

// RetryingSenderFunc is the Fact exported for a function that may return
// a client or transport that retries: a value a known retry library
// built, a value of a type whose Do or RoundTrip is routed (a retry loop,
// a retry helper, runtime/recovery) or retries by construction, or what
// another such function returns. go-containerregistry's
// transport.NewRetry returns its retryTransport (whose RoundTrip retries
// through retry.Retry) as an http.RoundTripper, and the type says
// nothing: a package storing what NewRetry returns into a field sends
// through that field with retries (findRetryingHolders).
type RetryingSenderFunc struct {
	Via  string // what retries in the value it returns: "transport.retryTransport.RoundTrip", "go-retryablehttp"
	Type string // the retrying type, as optional-retrying-types names it; "" for a retry library's
}

// AFact marks RetryingSenderFunc as an analysis.Fact.
func (*RetryingSenderFunc) AFact() {}

// String describes the fact in analysistest wants and fact dumps.
func (f *RetryingSenderFunc) String() string { return "returns a retrying sender (" + f.Via + ")" }

// refusal is the text of the diagnostic of a method in fn (named self)
// that sends through t: why -fix leaves it alone and what to do instead.
func (t *TransportRetry) refusal(self string) string {
	s := "it sends through " + t.Expr
	if t.Func != self {
		s += " (in " + t.Func + ")"
	}
	if t.Set == "" {
		// Built on the spot, or of a type that retries: it always does.
		if t.Optional != "" {
			// A type of a program or SDK whose Do or RoundTrip retries
			// (heimdall's httpclient.Client): not a library entry point.
			return s + ", a retrying client (" + t.Library + "), and wrapping it would nest that retry (leave the retrying to it, or mark it //resilience:noretry <reason>)"
		}
		return s + ", a retrying client (" + t.Library + "), and wrapping it would nest that retry (send through the library's own entry point, which routes it, or mark it //resilience:noretry <reason>)"
	}
	declare := "the type"
	if t.Type != "" {
		declare = t.Type
	}
	optional := ""
	if t.Optional != "" {
		optional = ", name " + t.Optional + " in optional-retrying-types if the program never installs it"
	}
	return s + ", which " + t.Set + " may set to a retrying client (" + t.Library + "), and wrapping it would nest that retry when the client is built so (declare " + declare +
		" in retrying-types if it always is" + optional + ", or mark it //resilience:noretry <reason>)"
}

// retryOrigin says where a value that may retry comes from.
type retryOrigin struct {
	set token.Pos // the store into the holder; NoPos when built on the spot
	typ string    // the type whose field holds it, for a field
	lib string    // the retry library, or the method or constructor that retries
	// optional names the retrying type of the program's, as
	// optional-retrying-types would ("import/path.Type"); "" for a retry
	// library's.
	optional string
	// nests: a value of a type whose RoundTrip retries part of its
	// work (NestedRetry.Own) rather than all of it.
	nests bool
}

// store is an assignment of rhs: to lhs (x.f = e, v := e, var v = e) or,
// in a composite literal, to field (T{f: e}).
type store struct {
	lhs   ast.Expr
	field *types.Var
	owner types.Type // the composite literal's type, with field
	rhs   ast.Expr
	pos   token.Pos
}

// findRetryingHolders finds the fields and variables the package sets
// to a client or transport a known retry library builds (r.holders), to a
// fixed point: a field set from another such field holds one too.
//
// It finds too, in the same fixed point, the functions that may return
// such a value (r.senderFuncs, exported as RetryingSenderFunc): a return
// of one into a result of a sending type (an http.RoundTripper, a
// client). It runs after the routed analysis of the package, as a value
// of a type whose Do or RoundTrip is routed is such a value.
func (r *runner) findRetryingHolders() {
	r.holders = map[*types.Var]retryOrigin{}
	r.senderFuncs = map[*types.Func]retryOrigin{}
	info := r.pass.TypesInfo
	var stores []store
	type ret struct {
		fn  *types.Func
		val ast.Expr
	}
	var rets []ret
	for fd, fn := range r.funcDecls() {
		res := fn.Signature().Results()
		sends := false
		for i := range res.Len() {
			sends = sends || r.isSender(res.At(i).Type())
		}
		if !sends {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				if len(n.Results) == res.Len() {
					for i, e := range n.Results {
						if r.isSender(res.At(i).Type()) {
							rets = append(rets, ret{fn, e})
						}
					}
				}
			}
			return true
		})
	}
	// A constant is never a retrying value unless its type is a retry
	// library's or a sender's: tables of constants (x/tools' stdlib
	// manifest has some 20 000 struct literals of them) are no stores to
	// follow.
	never := func(e ast.Expr) bool {
		tv, ok := info.Types[e]
		return ok && tv.Value != nil && r.libraryOf(tv.Type) == "" && !r.isSender(tv.Type)
	}
	// A store none of whose targets can hold a sender (hold refuses
	// them all) changes nothing in the fixed point below, whatever its
	// value: most stores of a package are such (ints, strings, structs
	// of this package), and are left out before their values are
	// looked at, once instead of on every round.
	add := func(s store) {
		if r.storeCanHold(s) && !never(s.rhs) {
			stores = append(stores, s)
		}
	}
	// In source order, as ast.Inspect would visit them: the first store
	// that makes a variable hold a retrying value names where.
	for n := range r.inspector().PreorderSeq((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.CompositeLit)(nil)) {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				switch {
				case len(n.Rhs) == len(n.Lhs):
					add(store{lhs: l, rhs: n.Rhs[i], pos: n.Pos()})
				case len(n.Rhs) == 1:
					add(store{lhs: l, rhs: n.Rhs[0], pos: n.Pos()})
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				switch {
				case len(n.Values) == len(n.Names):
					add(store{lhs: name, rhs: n.Values[i], pos: name.Pos()})
				case len(n.Values) == 1:
					add(store{lhs: name, rhs: n.Values[0], pos: name.Pos()})
				}
			}
		case *ast.CompositeLit:
			t := info.TypeOf(n)
			if t == nil {
				break
			}
			st, ok := t.Underlying().(*types.Struct)
			if !ok {
				break
			}
			for i, el := range n.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						if v, ok := info.Uses[id].(*types.Var); ok && v.IsField() {
							add(store{field: v, owner: t, rhs: kv.Value, pos: kv.Pos()})
						}
					}
				} else if i < st.NumFields() {
					add(store{field: st.Field(i), owner: t, rhs: el, pos: el.Pos()})
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, rt := range rets {
			if _, ok := r.senderFuncs[rt.fn]; ok {
				continue
			}
			if o, ok := r.retryingValue(rt.val); ok {
				r.senderFuncs[rt.fn] = retryOrigin{lib: o.lib, optional: o.optional}
				changed = true
			}
		}
		for _, s := range stores {
			o, ok := r.retryingValue(s.rhs)
			if !ok {
				continue
			}
			o.set = s.pos
			if s.field != nil {
				o.typ = r.typeLabel(s.owner)
				changed = r.hold(s.field, o) || changed
				continue
			}
			changed = r.holdChain(s.lhs, o) || changed
		}
	}
}

// exportSenderFuncs exports the RetryingSenderFunc facts of the
// package's functions.
func (r *runner) exportSenderFuncs() {
	for fn, o := range r.senderFuncs {
		r.pass.ExportObjectFact(fn, &RetryingSenderFunc{Via: o.lib, Type: o.optional})
	}
}

// holdChain records lhs (x.a.b, v) as holding a retrying value, and what
// it is part of: storing a retrying transport into c.HTTPClient.Transport
// makes c.HTTPClient a retrying client too.
func (r *runner) holdChain(lhs ast.Expr, o retryOrigin) bool {
	changed := false
	r.chainVars(lhs, func(v *types.Var, owner types.Type) {
		if owner == nil {
			changed = r.hold(v, retryOrigin{set: o.set, lib: o.lib, optional: o.optional}) || changed
			return
		}
		fo := o
		fo.typ = r.typeLabel(owner)
		changed = r.hold(v, fo) || changed
	})
	return changed
}

// chainVars calls yield with each field and variable that a store into
// lhs (x.a.b, v) makes hold the stored value, from the outermost field
// in: with the type the field is selected from, and a nil owner for the
// variable at the root.
func (r *runner) chainVars(lhs ast.Expr, yield func(v *types.Var, owner types.Type)) {
	info := r.pass.TypesInfo
	for e := ast.Unparen(lhs); e != nil; {
		switch x := e.(type) {
		case *ast.SelectorExpr:
			sel, ok := info.Selections[x]
			if !ok {
				// A qualified identifier: a variable of another package,
				// whose Facts this package cannot export.
				return
			}
			if sel.Kind() != types.FieldVal {
				return
			}
			yield(sel.Obj().(*types.Var), info.TypeOf(x.X))
			e = ast.Unparen(x.X)
		case *ast.StarExpr:
			e = ast.Unparen(x.X)
		case *ast.Ident:
			if v, ok := info.ObjectOf(x).(*types.Var); ok {
				yield(v, nil)
			}
			return
		default:
			return
		}
	}
}

// storeCanHold reports whether some target of s is a field or variable
// that hold would record: without one, s never changes r.holders.
func (r *runner) storeCanHold(s store) bool {
	if s.field != nil {
		return r.holdable(s.field)
	}
	can := false
	r.chainVars(s.lhs, func(v *types.Var, _ types.Type) {
		can = can || r.holdable(v)
	})
	return can
}

// holdable reports whether v can hold a retrying value: it can send (a
// client or a transport) and is not of a concrete type of this package
// (see hold).
func (r *runner) holdable(v *types.Var) bool {
	return r.isSender(v.Type()) && !r.ownConcrete(v.Type())
}

// hold records v as holding a retrying value from o, if v can send (a
// client or a transport) and is not known already. A variable or field of
// a concrete type of this package (godo's c *Client in New, whose
// HTTPClient field is set) holds none: the analysis sees how its methods
// send, through the fields that do.
func (r *runner) hold(v *types.Var, o retryOrigin) bool {
	if _, ok := r.holders[v]; ok || !r.holdable(v) {
		return false
	}
	r.holders[v] = o
	return true
}

// ownConcrete reports whether t (through a pointer) is a named type of
// this package that is not an interface.
func (r *runner) ownConcrete(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() == r.pass.Pkg && !types.IsInterface(n)
}

// typeLabel names the named type of t (through a pointer) for messages,
// "pkg.Name"; "" for other types.
func (r *runner) typeLabel(t types.Type) string {
	if t == nil {
		return ""
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Name() + "." + n.Obj().Name()
}

// retryingValue reports whether the value of e may be a client or
// transport a known retry library built, and where it comes from: a value
// of one of the library's types, a call of one of its functions
// (StandardClient, NewRoundTripper), a field or variable that holds one,
// or a value built from one (&http.Client{Transport: rt}, wrap(rt)). The
// plain fields of a library's types (retryablehttp.Client.HTTPClient, the
// client it sends through) are not.
func (r *runner) retryingValue(e ast.Expr) (retryOrigin, bool) {
	info := r.pass.TypesInfo
	e = ast.Unparen(e)
	if lib := r.libraryOf(info.TypeOf(e)); lib != "" {
		return retryOrigin{lib: lib}, true
	}
	if via, typ, nests := r.retryingSenderType(info.TypeOf(e)); via != "" {
		return retryOrigin{lib: via, optional: typ, nests: nests}, true
	}
	switch x := e.(type) {
	case *ast.Ident:
		if v, ok := info.Uses[x].(*types.Var); ok {
			o, ok := r.holders[v]
			return o, ok
		}
	case *ast.SelectorExpr:
		if v, ok := info.Uses[x.Sel].(*types.Var); ok {
			o, ok := r.holders[v]
			return o, ok
		}
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return r.retryingValue(x.X)
		}
	case *ast.StarExpr:
		return r.retryingValue(x.X)
	case *ast.CompositeLit:
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				el = kv.Value
			}
			if o, ok := r.retryingValue(el); ok {
				return o, true
			}
		}
	case *ast.CallExpr:
		if fn := r.callee(x); fn != nil {
			if r.cls.IsRetryLibrary(fn.Pkg()) {
				return retryOrigin{lib: libraryName(fn.Pkg().Path())}, true
			}
			if o, ok := r.senderFuncs[fn]; ok {
				return retryOrigin{lib: qualifiedName(fn), optional: o.optional}, true
			}
			if fact := new(RetryingSenderFunc); fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(fn, fact) {
				return retryOrigin{lib: qualifiedName(fn), optional: fact.Type}, true
			}
		}
		for _, a := range x.Args {
			if o, ok := r.retryingValue(a); ok {
				return o, true
			}
		}
	}
	return retryOrigin{}, false
}

// libraryOf names the retry library that declares t's named type (through
// a pointer), "" if none does.
func (r *runner) libraryOf(t types.Type) string {
	if t == nil {
		return ""
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || !r.cls.IsRetryLibrary(n.Obj().Pkg()) {
		return ""
	}
	return libraryName(n.Obj().Pkg().Path())
}

// retryingSenderType names the method that makes a value of t (through
// a pointer) a retrying sender: its Do or RoundTrip, failing with an
// error, is routed (here, or through the RoutedFunc fact) or retries by
// construction, or its RoundTrip retries part of its work in its own body
// (NestedRetry.Own: nests is then true; rehttp's Transport.RoundTrip
// buffers the request's body, then retries in a loop); and the type, as
// optional-retrying-types names it. ""
// if neither does, for interfaces, and for the types that
// optional-retrying-types selects (the program never installs them: a
// call through an interface they implement does not nest their retry,
// nor does sending through a field set to one).
func (r *runner) retryingSenderType(t types.Type) (via, typ string, nests bool) {
	if t == nil || types.IsInterface(t) {
		return "", "", false
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return "", "", false
	}
	mset := r.msets.MethodSet(types.NewPointer(t))
	for i := range mset.Len() {
		fn, ok := mset.At(i).Obj().(*types.Func)
		if !ok || (fn.Name() != "Do" && fn.Name() != "RoundTrip") || !typepred.FailsWithError(fn.Signature()) {
			continue
		}
		fn = fn.Origin()
		if r.cls.OptionalRetry(fn) {
			continue
		}
		// A RoundTrip whose own body retries, with work outside that
		// retry (rehttp's buffers the request body before its loop),
		// retries the round trip all the same. One that only calls a
		// sender that retries is no origin of its own: the sender it
		// calls is found where it is stored.
		typ := n.Obj().Pkg().Path() + "." + n.Obj().Name()
		switch {
		case r.routed[fn], r.retrying(fn) != "",
			fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(fn, new(RoutedFunc)):
			return qualifiedName(fn), typ, false
		case fn.Name() == "RoundTrip" && (r.ownNest[fn] || fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && r.importsOwnNest(fn)):
			// Only a transport: net/http's Client.Do calls its
			// RoundTrip out of sight. A Do that nests is seen where it
			// is called (the callee rule, the interface rules).
			return qualifiedName(fn), typ, true
		}
	}
	return "", "", false
}

// importsOwnNest reports whether fn, of another package, carries a
// NestedRetry fact whose retry is in its own body.
func (r *runner) importsOwnNest(fn *types.Func) bool {
	f := new(NestedRetry)
	return r.pass.ImportObjectFact(fn, f) && f.Own
}

// qualifiedName names fn with its package's name, wherever it is
// declared: "transport.NewRetry", "transport.retryTransport.RoundTrip".
func qualifiedName(fn *types.Func) string {
	name := fn.Name()
	if recv := typepred.ReceiverTypeName(fn); recv != nil {
		name = recv.Name() + "." + name
	}
	if fn.Pkg() != nil {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}

// majorVersion matches the major-version element of an import path.
var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// libraryName names a library by the last element of its import path that
// is not a major version: "go-retryablehttp", "failsafehttp".
func libraryName(p string) string {
	name := path.Base(p)
	if majorVersion.MatchString(name) {
		name = path.Base(path.Dir(p))
	}
	return name
}

// isSender reports whether a value of type t sends requests: it has a Do
// or RoundTrip method that can fail (an *http.Client, an
// http.RoundTripper, an SDK's client), or a retry entry point of a known
// library as a method (*retryablehttp.Client). Requests, loggers, options
// and durations are not.
func (r *runner) isSender(t types.Type) bool {
	if t == nil {
		return false
	}
	if v, ok := r.senderTypes[t]; ok {
		return v
	}
	v := r.hasSenderMethod(t)
	if r.senderTypes == nil {
		r.senderTypes = map[types.Type]bool{}
	}
	r.senderTypes[t] = v
	return v
}

// hasSenderMethod computes isSender (which remembers it per type: a
// package asks about the same few types again and again).
func (r *runner) hasSenderMethod(t types.Type) bool {
	if methods, ok := declaredMethods(t); ok {
		for fn := range methods {
			if r.senderMethod(fn) {
				return true
			}
		}
		return false
	}
	mset := r.msets.MethodSet(t)
	if _, isPtr := t.Underlying().(*types.Pointer); !isPtr && !types.IsInterface(t) {
		mset = r.msets.MethodSet(types.NewPointer(t))
	}
	for i := range mset.Len() {
		fn, ok := mset.At(i).Obj().(*types.Func)
		if !ok {
			continue
		}
		if r.senderMethod(fn) {
			return true
		}
	}
	return false
}

// senderMethod reports whether fn makes a value of its receiver's type a
// sender (isSender).
func (r *runner) senderMethod(fn *types.Func) bool {
	return (fn.Name() == "Do" || fn.Name() == "RoundTrip") && typepred.FailsWithError(fn.Signature()) || r.cls.IsRetryEntry(fn)
}

// declaredMethods returns the methods of t, or of *t, when they are the
// methods its named type declares: t is a named type (or a pointer to
// one) that is not an interface and whose underlying type neither is a
// pointer (whose method set is empty) nor embeds anything (whose methods
// would be promoted). Then no method set needs computing: most types a
// package stores into are such. ok is false for every other type.
func declaredMethods(t types.Type) (methods iter.Seq[*types.Func], ok bool) {
	if p, isPtr := types.Unalias(t).(*types.Pointer); isPtr {
		t = p.Elem()
	}
	n, isNamed := types.Unalias(t).(*types.Named)
	if !isNamed {
		return nil, false
	}
	switch u := n.Underlying().(type) {
	case *types.Interface, *types.Pointer:
		return nil, false
	case *types.Struct:
		for f := range u.Fields() {
			if f.Embedded() {
				return nil, false
			}
		}
	}
	return n.Methods(), true
}

// sendsThrough returns, for a call that is work, the retrying client or
// transport it sends through, if any: the call is a method of one
// (c.HTTPClient.Do(req)) or passes one on (DoRequestWithClient(ctx,
// c.HTTPClient, req)). Func is left for the caller to fill.
func (r *runner) sendsThrough(c *ast.CallExpr) *TransportRetry {
	info := r.pass.TypesInfo
	check := func(e ast.Expr) *TransportRetry {
		// A transport whose own type's RoundTrip retries part of its
		// work (*rehttp.Transport) is left to the callee rule where it
		// is used as itself: a call of that RoundTrip nests, with a
		// message saying where the retry is, and its other methods
		// send nothing. It counts once stored as another type (in an
		// http.Client, whose Do calls RoundTrip out of sight).
		if _, _, nests := r.retryingSenderType(info.TypeOf(e)); nests {
			return nil
		}
		o, ok := r.retryingValue(e)
		if !ok || !r.isSender(info.TypeOf(e)) {
			return nil
		}
		t := &TransportRetry{Expr: types.ExprString(ast.Unparen(e)), Type: o.typ, Library: o.lib, Optional: o.optional}
		if o.set.IsValid() {
			t.Set = r.where(o.set)
		}
		return t
	}
	if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			if t := check(sel.X); t != nil {
				return t
			}
		}
	}
	for _, a := range c.Args {
		if t := check(a); t != nil {
			return t
		}
	}
	return nil
}

// transportOf returns what the work call c, made in the function named
// self, sends through that may retry at run time: a retrying client it
// sends through itself, or the TransportRetry of its callee (of this
// package, or another's through the Fact). nil if none.
func (r *runner) transportOf(c *ast.CallExpr, self string) *TransportRetry {
	if t := r.sendsThrough(c); t != nil {
		t.Func, t.home = self, true
		return t
	}
	fn := r.callee(c)
	switch {
	case fn == nil:
		return nil
	case r.transport[fn] != nil:
		return r.transport[fn]
	case fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg:
		if fact := new(TransportRetry); r.pass.ImportObjectFact(fn, fact) {
			return fact
		}
	}
	return nil
}

// findTransports finds the functions of the package, among those not
// routed (partial, with their routed analysis), that send through a
// retrying client or call one that does (r.transport), to a fixed point.
// Each keeps the first such call of its work, in CFG order.
func (r *runner) findTransports(funcs []*ast.FuncDecl, partial map[*types.Func]*routing) {
	for changed := true; changed; {
		changed = false
		for _, fd := range funcs {
			fn := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			v := partial[fn]
			if v == nil {
				continue
			}
			for _, c := range v.work {
				if t := r.transportOf(c, r.funcName(fn)); t != nil {
					if old := r.transport[fn]; old == nil || *old != *t {
						r.transport[fn] = t
						changed = true
					}
					break
				}
			}
		}
	}
}

// exportTransports exports the TransportRetry facts of the package's
// functions, naming the functions of this package with its name.
func (r *runner) exportTransports() {
	for fn, t := range r.transport {
		fact := *t
		if fact.home {
			fact.Func = r.pass.Pkg.Name() + "." + fact.Func
			fact.home = false
		}
		r.pass.ExportObjectFact(fn, &fact)
	}
}
