package retrycoverage

import (
	"go/types"
	"slices"
	"strings"
)

// This file extends the interface-call rule (ifacecalls.go) to the
// implementations in other packages. A call through an interface hides
// its callee from the static call graph, and the implementation that
// retries is often in another package, or another module, than the
// interface and its callers: go-elasticsearch's esapi request types send
// with `transport.Perform(req)` through esapi.Transport, and the client
// behind it is elastic-transport-go's Client, whose Perform retries 502,
// 503, 504 and transport errors itself (4 attempts). Wrapping the esapi
// methods in a retry of our own nested that one: 12 requests on a refused
// connection instead of 4.
//
// Which implementation runs is decided at run time, so the analysis
// cannot route such a call (a caller may pass one that does not retry);
// but it must not wrap it either, as the one that does retry is there to
// be passed. A call of an interface method that a method of a package this
// one imports (directly or not) implements with a retry is therefore
// treated as a call of a function that retries part of its work: the
// caller gets no fix, the diagnostic names the implementation, and the
// caller is itself a function that nests (NestedRetry), for its callers in
// turn. An implementation retries when it carries a Fact saying so:
// RoutedFunc (it retries all of its work), NestedRetry (part of it),
// TransportRetry (it sends through a retrying client) or UnroutedMethod
// (this run's fixes route it). Implementations in packages that import
// this one are not seen (their Facts do not exist yet): a user who knows
// that every implementation retries declares the interface in
// retrying-types, which routes its calls.

// depImpl is a method of another package that retries when called.
type depImpl struct {
	fn   *types.Func
	recv types.Type
}

// depRetrying returns the methods of other packages, visible through the
// Facts of this package's imports, that retry when called, by name; built
// on first use (most packages call no interface method as work).
func (r *runner) depRetrying() map[string][]depImpl {
	if r.depImpls != nil {
		return r.depImpls
	}
	r.depImpls = map[string][]depImpl{}
	for _, of := range r.pass.AllObjectFacts() {
		fn, ok := of.Object.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg() == r.pass.Pkg {
			continue
		}
		switch of.Fact.(type) {
		case *RoutedFunc, *NestedRetry, *TransportRetry, *UnroutedMethod:
		default:
			continue
		}
		sig := fn.Signature()
		if sig.Recv() == nil {
			continue
		}
		recv := sig.Recv().Type()
		if types.IsInterface(recv) {
			continue
		}
		if n, ok := types.Unalias(derefType(recv)).(*types.Named); ok && n.TypeParams().Len() > 0 {
			continue // a generic receiver: Implements needs an instance
		}
		impls := r.depImpls[fn.Name()]
		if slices.ContainsFunc(impls, func(d depImpl) bool { return d.fn == fn }) {
			continue // several Facts on one method
		}
		r.depImpls[fn.Name()] = append(impls, depImpl{fn: fn, recv: recv})
	}
	r.standInImpls(r.depImpls)
	return r.depImpls
}

// depIfaceRetriers returns the methods of other packages implementing
// the interface method fn that retry when called (depRetrying), ordered
// by name; nil when none does or fn is no interface method.
func (r *runner) depIfaceRetriers(fn *types.Func) []*types.Func {
	iface := methodIface(fn)
	if iface == nil {
		return nil
	}
	if n, ok := types.Unalias(fn.Signature().Recv().Type()).(*types.Named); ok && n.TypeParams().Len() > 0 {
		return nil // a generic interface: Implements needs an instance
	}
	candidates := r.depRetrying()[fn.Name()]
	if len(candidates) == 0 {
		return nil
	}
	var out []*types.Func
	for _, c := range candidates {
		if types.Implements(c.recv, iface) || (!isPointerType(c.recv) && types.Implements(types.NewPointer(c.recv), iface)) {
			out = append(out, c.fn)
		}
	}
	slices.SortFunc(out, func(a, b *types.Func) int { return strings.Compare(r.funcName(a), r.funcName(b)) })
	return out
}
