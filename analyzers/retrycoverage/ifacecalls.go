package retrycoverage

import (
	"go/types"
	"slices"
	"strings"
)

// ifaceImpls returns the agent methods of this package that a call of fn
// may run when fn is an interface method: the methods of the same name
// whose receiver (T, or *T for a value receiver) implements fn's
// interface, in source order; nil when fn is no interface method.
//
// A call through an interface hides its callee from the static call
// graph: x/oauth2's clientcredentials.Config.Token is
// `return c.TokenSource(ctx).Token()`, which runs tokenSource.Token of the
// same package, so wrapping both nests two retries (9 requests instead of
// 3). Implementations in other packages are judged by their Facts
// (depifaces.go), not here: only this
// package's methods are decided in this run.
func (r *runner) ifaceImpls(fn *types.Func) []*agentMethod {
	iface := methodIface(fn)
	if iface == nil {
		return nil
	}
	var impls []*agentMethod
	for _, am := range r.agentMethods {
		if am.m.Func.Name() != fn.Name() {
			continue
		}
		recv := am.m.Func.Type().(*types.Signature).Recv().Type()
		if n, ok := types.Unalias(derefType(recv)).(*types.Named); ok && n.TypeParams().Len() > 0 {
			continue // a generic receiver: Implements needs an instance
		}
		if types.Implements(recv, iface) || (!isPointerType(recv) && types.Implements(types.NewPointer(recv), iface)) {
			impls = append(impls, am)
		}
	}
	slices.SortFunc(impls, r.inSourceOrder)
	return impls
}

// retriesWhenCalled reports whether calling am runs a retry once this
// run's fixes are applied: it gets a fix (or is routed by delegation to
// one), it retries part of its work without being routed, or it is routed
// already by a retry of its own or a routed callee.
func (am *agentMethod) retriesWhenCalled() bool {
	switch am.out.Status {
	case Unrouted:
		return am.resolves || am.nests
	case Routed:
		return am.retried
	}
	return false
}

// ifaceNesting names, for a message, the call of the interface method fn
// when an implementation of it among impls retries when called (other
// than one of am's own call cycle, scc): "Source.Token (an interface
// method tokenSource.Token implements)"; "" when none does.
func (r *runner) ifaceNesting(am *agentMethod, fn *types.Func, impls []*agentMethod) (name, origin string) {
	var names []string
	for _, impl := range impls {
		if impl == am || (impl.out.Status == Unrouted && impl.v != nil && am.v != nil && impl.scc == am.scc) {
			continue
		}
		if impl.retriesWhenCalled() {
			names = append(names, r.funcName(impl.m.Func))
			switch {
			case origin != "":
			case impl.nests:
				origin = impl.origin
			case impl.resolves:
				origin = "the retry -fix gives " + qualifiedName(impl.m.Func)
			default:
				origin = qualifiedName(impl.m.Func) // routed: it is the retry
			}
		}
	}
	if len(names) == 0 {
		return "", ""
	}
	verb := "implements"
	if len(names) > 1 {
		verb = "implement"
	}
	return r.ifaceName(fn) + " (an interface method " + strings.Join(names, ", ") + " " + verb + ")", origin
}

// ifaceName names an interface method: Iface.Method, qualified by its
// package when it is another's; the method alone for an unnamed interface.
func (r *runner) ifaceName(fn *types.Func) string {
	recv := fn.Type().(*types.Signature).Recv().Type()
	n, ok := types.Unalias(recv).(*types.Named)
	if !ok {
		return fn.Name()
	}
	name := n.Obj().Name() + "." + fn.Name()
	if n.Obj().Pkg() != nil && n.Obj().Pkg() != r.pass.Pkg {
		name = n.Obj().Pkg().Name() + "." + name
	}
	return name
}

func derefType(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func isPointerType(t types.Type) bool {
	_, ok := t.(*types.Pointer)
	return ok
}

// methodIface returns the interface whose method fn is, or nil when fn is
// nil or no interface method. The interface-call rules (ifaceImpls,
// ifaceImplMethods, depIfaceRetriers) start from it.
func methodIface(fn *types.Func) *types.Interface {
	if fn == nil {
		return nil
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil || !types.IsInterface(sig.Recv().Type()) {
		return nil
	}
	iface, _ := sig.Recv().Type().Underlying().(*types.Interface)
	return iface
}

// inSourceOrder orders agent methods by file name, then by offset. Not by
// token.Pos: drivers parse a package's files in parallel (go/packages
// does too), so the order of the files' bases in the FileSet, and of
// positions in different files, changes from run to run, and with it the
// names and origins a message lists first.
func (r *runner) inSourceOrder(a, b *agentMethod) int {
	pa, pb := r.pass.Fset.Position(a.m.Decl.Pos()), r.pass.Fset.Position(b.m.Decl.Pos())
	if c := strings.Compare(pa.Filename, pb.Filename); c != 0 {
		return c
	}
	return pa.Offset - pb.Offset
}
