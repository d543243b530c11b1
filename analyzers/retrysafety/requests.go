package retrysafety

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// The request rule. A call that sends a non-idempotent HTTP request (a
// POST or a PATCH) makes a change on the server when it SUCCEEDS: a
// created issue, a started job. Retried alone, such a request is what
// the product retries on purpose (a timeout after the server acted is a
// transient failure, and the tool does not judge the idempotency of the
// request that fails). But once it has succeeded, a later call of the
// same body that can fail makes a retry send it again: a wrapper's
// CreateAndLabel that creates an issue, then labels it, creates a second
// issue when the label request fails once. So the request is an effect
// like a write of state before a failing call: unsafe exactly when
// another call that can fail comes after it, and not when it is the last.
//
// The request's method is found where the request is made:
//
//   - http.NewRequest and http.NewRequestWithContext with a constant
//     method ("POST", http.MethodPatch), http.Post, http.PostForm and the
//     same methods of *http.Client; resty's Request.Execute (its Post and
//     Patch call Execute with their method, so their facts say so);
//   - a function that passes one of its parameters as the method to one
//     of those, or to another such function: the MethodParam fact names
//     that parameter (go-github's and go-jira's Client.NewRequest,
//     pagerduty's Client.do, go-retryablehttp's NewRequest), and a call
//     of it with a constant POST or PATCH there is the request (an
//     interface method counts when an implementation in its package has
//     the fact).
//
// A request built by a call that returns it (http.NewRequest, an SDK's
// NewRequest) is sent by the first later call that can fail and is
// given it (the Do): the request is made there, so a call that can fail
// between the two (go-github's CreateReview checks its input after
// NewRequest) comes before it. A body that returns the *http.Request it
// builds sends nothing (its caller does). The request is recorded in the
// body's Writes fact (Sends, and SendsEarly when it comes before a later
// call that can fail), apart from its writes of state, so a caller in any
// package sees it ("calls w.gh.Issues.Create (which sends a POST (s.client.NewRequest)
// at issues.go:12)"), and a wrapper around an SDK's Create method is
// judged by the same rule; a write that is a last value (pagerduty's
// CreateIncident sets the caller's o.Type = "incident") stays one.
//
// What handles the request's own outcome is no other call: the calls
// after it that refer to its request, its response, its error, or what
// was read from them (a variable whose type is or holds an *http.Request
// or *http.Response, an error, a stream or a []byte, assigned from
// the request's call or from such a call that refers to one: the Do of
// the request built, the ReadAll of the response's body, the Unmarshal
// of what it read, the CheckResponse of the response; a variable filled
// through its address by such a call: errors.As(err, &aerr)) are part of
// the request, and so are the calls in a branch taken when it failed (an
// if whose condition reads its error, other than err == nil). The decoded
// result (the created issue) is not: a later call that uses its number
// is another request.

// MethodParam is the Fact exported for a function or method that passes
// its parameter Index (by index in its signature, the receiver not
// counted) as the HTTP method of a request it makes or builds: a call of
// it with a constant "POST" or "PATCH" there makes that request.
type MethodParam struct {
	Index int
}

// AFact marks MethodParam as an analysis.Fact.
func (*MethodParam) AFact() {}

// String describes the fact in analysistest wants: "HTTP method param 0".
func (m *MethodParam) String() string { return fmt.Sprintf("HTTP method param %d", m.Index) }

// requestAdvice is the advice of a refusal for a request.
const requestAdvice = "route the calls separately (the request alone, then the rest), or make the request idempotent, e.g. with an idempotency key the server checks"

// restyPkgs are resty's packages, whose Request.Execute takes the method.
var restyPkgs = map[string]bool{
	"github.com/go-resty/resty/v2": true,
	"resty.dev/v3":                 true,
}

// methodArg returns the index of the argument of a call of fn that is the
// HTTP method of the request it makes, or -1.
func (r *runner) methodArg(fn *types.Func) int {
	if fn == nil || fn.Pkg() == nil {
		return -1
	}
	fn = fn.Origin()
	path := fn.Pkg().Path()
	sig := fn.Type().(*types.Signature)
	switch {
	case path == "net/http" && sig.Recv() == nil && fn.Name() == "NewRequest":
		return 0
	case path == "net/http" && sig.Recv() == nil && fn.Name() == "NewRequestWithContext":
		return 1
	case restyPkgs[path] && fn.Name() == "Execute" && sig.Recv() != nil && recvTypeName(sig.Recv().Type()) == "Request":
		return 0
	}
	iface := sig.Recv() != nil && types.IsInterface(sig.Recv().Type())
	if iface {
		// An interface method: its implementations in its package.
		for _, m := range r.ifaceImpls(fn) {
			if j := r.methodArg(m); j >= 0 {
				return j
			}
		}
		return -1
	}
	if fn.Pkg() == r.pass.Pkg {
		if i, ok := r.methodParams[fn]; ok {
			return i
		}
		return -1
	}
	if i, ok := r.importedMethods[fn]; ok {
		return i
	}
	i := -1
	if !r.opaque(fn) {
		if f := new(MethodParam); r.pass.ImportObjectFact(fn, f) {
			i = f.Index
		}
	}
	r.importedMethods[fn] = i
	return i
}

// findMethodParams fills r.methodParams: the package's functions that
// pass a parameter as the method to a function methodArg knows (a
// fixed point, for helpers calling helpers).
func (r *runner) findMethodParams(fns []*types.Func) {
	for changed := true; changed; {
		changed = false
		for _, fn := range fns {
			if _, ok := r.methodParams[fn]; ok {
				continue
			}
			fd := r.decls[fn]
			params := fn.Type().(*types.Signature).Params()
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				c, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				callee, _ := typeutil.Callee(r.pass.TypesInfo, c).(*types.Func)
				i := r.methodArg(callee)
				if i < 0 || i >= len(c.Args) {
					return true
				}
				id, ok := ast.Unparen(c.Args[i]).(*ast.Ident)
				if !ok {
					return true
				}
				v, ok := r.pass.TypesInfo.Uses[id].(*types.Var)
				if !ok {
					return true
				}
				for j := range params.Len() {
					if params.At(j) == v {
						r.methodParams[fn] = j
						changed = true
						return false
					}
				}
				return true
			})
		}
	}
}

// requestMethod returns "POST" or "PATCH" when c, a call of fn, sends (or
// builds) such a request; "" otherwise.
func (s *fnState) requestMethod(c *ast.CallExpr, fn *types.Func) string {
	if fn == nil || fn.Pkg() == nil {
		return ""
	}
	if fn.Pkg().Path() == "net/http" && (fn.Name() == "Post" || fn.Name() == "PostForm") {
		if recv := fn.Type().(*types.Signature).Recv(); recv == nil || recvTypeName(recv.Type()) == "Client" {
			return "POST"
		}
	}
	i := s.r.methodArg(fn)
	if i < 0 || i >= len(c.Args) {
		return ""
	}
	tv, ok := s.info.Types[c.Args[i]]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return ""
	}
	switch m := strings.ToUpper(constant.StringVal(tv.Value)); m {
	case "POST", "PATCH":
		return m
	}
	return ""
}

// requestEvent returns the request event of call c, whose own event is
// e, and whether it has one: c sends a POST or a PATCH itself (the rule
// above), c sends a request the body built (builtRequests: the Do of a
// POST built by NewRequest), or its callee sends one (e.sends, from its
// Writes). A body that returns the request it builds sends none. The
// request is recorded in the body's Writes (Sends), so that its callers
// see it.
func (s *fnState) requestEvent(c *ast.CallExpr, e *event) (event, bool) {
	if s.buildsRequest {
		return event{}, false
	}
	req := event{key: e.key, pos: e.pos, fun: e.fun, call: c, request: true}
	leaf := e.sends
	switch b, built := s.builtRequests()[c]; {
	case built:
		// The request is sent here; its outcome is carried from
		// where it was built.
		req.what = "sends a " + b.method + " (" + types.ExprString(b.builder.Fun) + ")"
		req.call = b.builder
		leaf = req.what + " at " + s.r.where(c.Pos())
	case leaf != "":
		req.what = "calls " + e.callName() + " (which " + leaf + ")"
		req.self = e.fail && e.sendsEarly
		req.selfWhy = "it sends the request before it can fail, so a failed call may have been acted on already and a retry would send it again"
	default:
		fn, _ := typeutil.Callee(s.info, c).(*types.Func)
		method := s.requestMethod(c, fn)
		if method == "" || returnsRequest(fn.Type().(*types.Signature)) {
			// None, or one built here and sent by a later call.
			return event{}, false
		}
		req.what = "sends a " + method + " (" + e.callName() + ")"
		leaf = req.what + " at " + s.r.where(c.Pos())
	}
	if s.out.Sends == "" {
		s.out.Sends = leaf
	}
	return req, true
}

// builtRequest is a POST or PATCH built by a call of the body (builder:
// http.NewRequest, an SDK's NewRequest with the method given).
type builtRequest struct {
	builder *ast.CallExpr
	method  string
}

// builtRequests returns, by the call that sends it, each POST or PATCH
// request the body builds (a call returning an *http.Request, or a value
// holding one, assigned to a variable): the first later call that can
// fail and refers to that variable (the Do it is given to). The request
// is made there, not where it is built: a call that can fail between the
// two (a check of the body, a signature) comes before it. Computed once
// per body (the methods taken as parameters are known before any body is
// judged).
func (s *fnState) builtRequests() map[*ast.CallExpr]builtRequest {
	if s.builtDone {
		return s.built
	}
	s.builtDone = true
	type pending struct {
		b   builtRequest
		v   types.Object
		end token.Pos
	}
	var builders []pending
	ast.Inspect(s.body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 {
			return true
		}
		c, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok {
			return true
		}
		fn, _ := typeutil.Callee(s.info, c).(*types.Func)
		if fn == nil || !returnsRequest(fn.Type().(*types.Signature)) {
			return true
		}
		method := s.requestMethod(c, fn)
		if method == "" {
			return true
		}
		for _, l := range as.Lhs {
			id, ok := ast.Unparen(l).(*ast.Ident)
			if !ok || id.Name == "_" {
				continue
			}
			if obj := s.info.ObjectOf(id); obj != nil && holdsNamed(obj.Type(), "Request", 2) {
				builders = append(builders, pending{builtRequest{c, method}, obj, c.End()})
				break
			}
		}
		return true
	})
	for _, p := range builders {
		fam := map[types.Object]bool{p.v: true}
		var send *ast.CallExpr
		ast.Inspect(s.body, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || send != nil || c.Pos() < p.end {
				return send == nil
			}
			if s.fails(c) && s.refersTo(c, fam) {
				send = c
				return false
			}
			return true
		})
		if send != nil {
			if s.built == nil {
				s.built = map[*ast.CallExpr]builtRequest{}
			}
			s.built[send] = p.b
		}
	}
	return s.built
}

// returnsRequest reports whether sig has a result that is or holds an
// *http.Request (go-retryablehttp's Request embeds one): a function that
// builds a request for its caller to send.
func returnsRequest(sig *types.Signature) bool {
	for v := range sig.Results().Variables() {
		if holdsNamed(v.Type(), "Request", 2) {
			return true
		}
	}
	return false
}

// httpNamed reports whether t is net/http's type of that name.
func httpNamed(t types.Type, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "net/http" && n.Obj().Name() == name
}

// holdsNamed reports whether t is or holds (in its fields, embedded or
// not, within depth levels) a pointer to net/http's type of that name.
func holdsNamed(t types.Type, name string, depth int) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	if httpNamed(p.Elem(), name) {
		return true
	}
	if n, ok := types.Unalias(p.Elem()).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "net/http" {
		return false // an *http.Response holds its Request: not one to send
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	if !ok || depth == 0 {
		return false
	}
	for f := range st.Fields() {
		if holdsNamed(f.Type(), name, depth-1) {
			return true
		}
	}
	return false
}

// holdsHTTP reports whether t is or holds an *http.Request or an
// *http.Response (holdsNamed): go-github's and godo's Response embed
// the *http.Response.
func holdsHTTP(t types.Type, depth int) bool {
	return holdsNamed(t, "Request", depth) || holdsNamed(t, "Response", depth)
}

// outcomeType reports whether a variable of type t can carry a request's
// own outcome (the rule above): an error (of any type: go-github's
// *AcceptedError holds the answer's body), a []byte, a stream or a value
// holding one (moby's ImageBuildResult holds the response's Body), or a
// type holding an *http.Request or *http.Response.
func (s *fnState) outcomeType(t types.Type) bool {
	if t == nil {
		return false
	}
	if typepred.ImplementsError(t) || holdsHTTP(t, 2) || s.r.isStream(t) {
		return true
	}
	sl, ok := t.Underlying().(*types.Slice)
	return ok && types.Identical(sl.Elem(), types.Typ[types.Byte])
}

// requestFamily is what handles the outcome of one request (the rule
// above): the variables carrying it, and the branches taken when it
// failed.
type requestFamily struct {
	vars map[types.Object]bool
	// failed are the bodies of the if statements whose condition reads
	// the request's error, other than a test that it is nil (if err !=
	// nil, if IsUnauthorized(err): moby's ImagePull sends its POST again
	// with fresh credentials there), from Pos to End.
	failed [][2]token.Pos
}

// handles reports whether the call c handles the request's outcome: it
// refers to a variable carrying it, or it is made in a branch taken when
// the request failed.
func (f *requestFamily) handles(s *fnState, c *ast.CallExpr) bool {
	for _, r := range f.failed {
		if c.Pos() >= r[0] && c.End() <= r[1] {
			return true
		}
	}
	return s.refersTo(c, f.vars)
}

// requestFamily returns what handles the outcome of the request made by
// call c, computed once per call.
func (s *fnState) requestFamily(c *ast.CallExpr) *requestFamily {
	if fam, ok := s.families[c]; ok {
		return fam
	}
	vars := map[types.Object]bool{}
	type assign struct{ lhs, rhs []ast.Expr }
	var assigns []assign
	var calls []*ast.CallExpr
	var ifs []*ast.IfStmt
	ast.Inspect(s.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			assigns = append(assigns, assign{n.Lhs, n.Rhs})
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			assigns = append(assigns, assign{lhs, n.Values})
		case *ast.CallExpr:
			calls = append(calls, n)
		case *ast.IfStmt:
			ifs = append(ifs, n)
		}
		return true
	})
	add := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok || id.Name == "_" {
			return false
		}
		obj := s.info.ObjectOf(id)
		if obj == nil || vars[obj] || !s.outcomeType(obj.Type()) {
			return false
		}
		vars[obj] = true
		return true
	}
	for _, a := range assigns {
		switch {
		case len(a.rhs) == 1 && ast.Unparen(a.rhs[0]) == c:
			for _, l := range a.lhs {
				add(l)
			}
		case len(a.rhs) == len(a.lhs):
			for i, r := range a.rhs {
				if ast.Unparen(r) == c {
					add(a.lhs[i])
				}
			}
		}
	}
	for changed := len(vars) > 0; changed; {
		changed = false
		for _, a := range assigns {
			refers := false
			for _, r := range a.rhs {
				refers = refers || s.refersTo(r, vars)
			}
			if !refers {
				continue
			}
			for _, l := range a.lhs {
				if add(l) {
					changed = true
				}
			}
		}
		// A variable filled through its address by a call given the
		// outcome: errors.As(err, &target).
		for _, call := range calls {
			if !s.refersTo(call, vars) {
				continue
			}
			for _, arg := range call.Args {
				if u, ok := ast.Unparen(arg).(*ast.UnaryExpr); ok && u.Op == token.AND && add(u.X) {
					changed = true
				}
			}
		}
	}
	fam := &requestFamily{vars: vars}
	for _, st := range ifs {
		if s.readsFailure(st.Cond, vars) {
			fam.failed = append(fam.failed, [2]token.Pos{st.Body.Pos(), st.Body.End()})
		}
	}
	if s.families == nil {
		s.families = map[*ast.CallExpr]*requestFamily{}
	}
	s.families[c] = fam
	return fam
}

// readsFailure reports whether the condition cond reads an error of vars
// and tests no error of vars for nil (err == nil: the branch taken when
// the request succeeded).
func (s *fnState) readsFailure(cond ast.Expr, vars map[types.Object]bool) bool {
	reads, success := false, false
	isErr := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		obj := s.info.Uses[id]
		return vars[obj] && typepred.ImplementsError(obj.Type())
	}
	ast.Inspect(cond, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op == token.EQL && (isErr(n.X) || isErr(n.Y)) {
				success = true
			}
		case *ast.Ident:
			if isErr(n) {
				reads = true
			}
		}
		return true
	})
	return reads && !success
}

// refersTo reports whether e uses one of the variables of fam.
func (s *fnState) refersTo(e ast.Node, fam map[types.Object]bool) bool {
	if len(fam) == 0 || e == nil {
		return false
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && fam[s.info.Uses[id]] {
			found = true
		}
		return !found
	})
	return found
}
