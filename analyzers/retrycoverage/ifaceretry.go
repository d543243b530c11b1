package retrycoverage

import (
	"go/types"
	"slices"
	"strings"
)

// A call through an interface whose implementation retries, though no
// agent method implements it (ifacecalls.go covers those): stripe-go's
// resource clients call c.B.Call of the stripe.Backend interface, and
// BackendImplementation.Call sends through a retry loop of its own, with
// an idempotency key made for each Call; hcloud-go's Client.Do calls
// c.handler.Do, a chain of handlers of which retryHandler.Do retries. A
// fix around such a call nests that retry (stripe: 9 requests of 3 on a
// 500, and each attempt of the wrapper a new idempotency key, so a POST
// the server did carry out is carried out again), so it counts as a call
// of a function that retries part of its work (nests).
//
// The implementations looked at are the named types of the calling
// package, with T or *T implementing it, that retry when called (routed
// or nesting: r.routed, r.nestFuncs), and the methods of every package
// this one imports, directly or not, that carry a Fact saying they retry
// (depifaces.go): an SDK's backend next to its interface (stripe-go), or
// a transport in another module (go-elasticsearch's esapi.Transport,
// implemented by elastic-transport-go's Client.Perform).
// ifaceImplMethods returns the methods named like the interface method fn
// of the named types of this package whose value or pointer implements
// fn's interface, in scope order; nil when fn is no
// interface method. The list is kept for the run (it depends on types
// only).
func (r *runner) ifaceImplMethods(fn *types.Func) []*types.Func {
	iface := methodIface(fn)
	if iface == nil {
		return nil
	}
	if ms, ok := r.ifaceImplCache[fn]; ok {
		return ms
	}
	var out []*types.Func
	if !iface.Empty() {
		out = implMethods(r.pass.Pkg, iface, fn.Name())
	}
	if r.ifaceImplCache == nil {
		r.ifaceImplCache = map[*types.Func][]*types.Func{}
	}
	r.ifaceImplCache[fn] = out
	return out
}

// implMethods returns the methods called name of the non-interface,
// non-generic named types declared in pkg whose value or pointer
// implements iface.
func implMethods(pkg *types.Package, iface *types.Interface, name string) []*types.Func {
	var out []*types.Func
	scope := pkg.Scope()
	for _, n := range scope.Names() {
		tn, ok := scope.Lookup(n).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok || named.TypeParams().Len() > 0 || types.IsInterface(named) {
			continue
		}
		var recv types.Type
		switch {
		case types.Implements(named, iface):
			recv = named
		case types.Implements(types.NewPointer(named), iface):
			recv = types.NewPointer(named)
		default:
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(recv, true, pkg, name)
		if m, ok := obj.(*types.Func); ok {
			out = append(out, m.Origin())
		}
	}
	return out
}

// ifaceRetriers returns the implementations of the interface method fn
// that retry when called: those of this package (ifaceImplMethods) that
// are routed or nest, here or, for a method promoted from another
// package, through its Facts; then those of the imported packages that
// carry a Fact saying they retry (depIfaceRetriers). Methods of the
// types optional-retrying-types selects are left out.
func (r *runner) ifaceRetriers(fn *types.Func) []*types.Func {
	var out []*types.Func
	for _, m := range r.ifaceImplMethods(fn) {
		if r.cls.OptionalRetry(m) {
			continue // optional-retrying-types: the code does not turn it on
		}
		if m.Pkg() == r.pass.Pkg {
			if r.routed[m] || r.nestFuncs[m] != "" {
				out = append(out, m)
			}
			continue
		}
		// Another package's Facts are final: look each up once.
		retries, ok := r.otherRetries[m]
		if !ok {
			retries = r.pass.ImportObjectFact(m, new(RoutedFunc)) || r.pass.ImportObjectFact(m, new(NestedRetry))
			if r.otherRetries == nil {
				r.otherRetries = map[*types.Func]bool{}
			}
			r.otherRetries[m] = retries
		}
		if retries {
			out = append(out, m)
		}
	}
	for _, m := range r.depIfaceRetriers(fn) {
		if !r.cls.OptionalRetry(m) && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// nestingName names fn for a message saying that a call of it nests a
// retry: for an interface method whose implementations retry,
// "Backend.Call (an interface method BackendImplementation.Call
// implements)"; otherwise fn's name. self, the function whose call it
// is (or nil), is left out of the implementations unless it is the only
// one: a decorator that implements the interface it calls retries because
// of the others.
func (r *runner) nestingName(fn, self *types.Func) string {
	impls := r.ifaceRetriers(fn)
	if len(impls) > 1 {
		impls = slices.DeleteFunc(slices.Clone(impls), func(m *types.Func) bool { return m == self })
	}
	if len(impls) == 0 {
		return r.funcName(fn)
	}
	names := make([]string, len(impls))
	for i, m := range impls {
		names[i] = r.funcName(m)
	}
	verb := "implements"
	if len(names) > 1 {
		verb = "implement"
	}
	return r.ifaceName(fn) + " (an interface method " + strings.Join(names, ", ") + " " + verb + ")"
}
