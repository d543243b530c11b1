package retrycoverage

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// decide gives the verdict on m: exempt, routed or unrouted; the
// diagnostic of an unrouted method waits for report.
func (r *runner) decide(t *targets.Type, m *targets.Method) *agentMethod {
	am := &agentMethod{t: t, m: m, out: Method{Name: m.Func.Name(), Pos: r.pass.Fset.Position(m.Decl.Name.Pos())}}
	if reason, ok := targets.Exemption(t, m, targets.DirNoRetry); ok {
		am.out.Status, am.out.Reason = Exempt, reason
		return am
	}
	v := r.check(m.Decl)
	if v == nil || len(v.bad) == 0 {
		am.out.Status = Routed
		if v != nil {
			am.out.Reason = r.routedReason(v)
			am.retried = len(v.retries) > 0
		}
		return am
	}
	am.out.Status = Unrouted
	am.out.Reason = r.missing(v)
	am.v = v
	return am
}

// routedReason describes how a routed method is routed, for the Result: ""
// when it calls a recovery entry point itself; "routed by its own retry
// at f.go:12" (a retry loop), "routed by backoff.Retry" (a retry library),
// "delegates to X, which is routed [by ...]" (a routed function).
func (r *runner) routedReason(v *routing) string {
	switch {
	case !v.failable && !v.dropped && len(v.retries) == 0:
		return "does no work that can fail"
	case len(v.retries) == 0:
		return "no error of its work reaches its error result"
	}
	var names []string
	by := ""
	for _, c := range v.retries {
		switch {
		case c.kind == retryRecovery:
			return ""
		case c.kind != retryDelegate:
			return "routed by " + r.routedVia(c)
		}
		if deleg := r.funcName(c.fn); !slices.Contains(names, deleg) {
			names = append(names, deleg)
			if len(names) == 1 {
				by = c.by
			}
		}
	}
	if len(names) > 1 {
		return "delegates to " + strings.Join(names, ", ") + ", which are routed"
	}
	if by != "" {
		return "delegates to " + names[0] + ", which is routed by " + by
	}
	return "delegates to " + names[0] + ", which is routed"
}

// calleesFirst returns the unrouted methods of methods ordered so that a
// method comes after the unrouted methods of this package it calls,
// except within a cycle (a strongly connected component, numbered in
// am.scc), whose members come in source order.
func (r *runner) calleesFirst(methods []*agentMethod, unrouted map[*types.Func]*agentMethod) []*agentMethod {
	// Tarjan's algorithm emits each component after every component it
	// calls into: callees first.
	index := map[*agentMethod]int{}
	low := map[*agentMethod]int{}
	onStack := map[*agentMethod]bool{}
	var stack, order []*agentMethod
	scc := 0
	var visit func(am *agentMethod)
	visit = func(am *agentMethod) {
		index[am] = len(index)
		low[am] = index[am]
		stack = append(stack, am)
		onStack[am] = true
		for _, c := range am.v.work {
			fn := r.callee(c)
			callees := []*agentMethod{unrouted[fn]}
			for _, impl := range r.ifaceImpls(fn) {
				// A call through an interface: its implementations
				// here are decided first too.
				callees = append(callees, unrouted[impl.m.Func])
			}
			for _, cb := range r.callbackFuncs(c) {
				// The functions it hands its callee (callbacks.go).
				callees = append(callees, unrouted[cb])
			}
			for _, callee := range callees {
				if callee == nil {
					continue
				}
				if _, seen := index[callee]; !seen {
					visit(callee)
					low[am] = min(low[am], low[callee])
				} else if onStack[callee] {
					low[am] = min(low[am], index[callee])
				}
			}
		}
		if low[am] != index[am] {
			return
		}
		var comp []*agentMethod
		for {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[top] = false
			top.scc = scc
			comp = append(comp, top)
			if top == am {
				break
			}
		}
		slices.SortFunc(comp, r.inSourceOrder)
		order = append(order, comp...)
		scc++
	}
	for _, am := range methods {
		if am.v != nil {
			if _, seen := index[am]; !seen {
				visit(am)
			}
		}
	}
	return order
}

// callee returns the function or method a call statically calls (its
// generic origin), or nil.
func (r *runner) callee(c *ast.CallExpr) *types.Func {
	fn, ok := typeutil.Callee(r.pass.TypesInfo, c).(*types.Func)
	if !ok {
		return nil
	}
	return fn.Origin()
}

// delegation sorts the work of an unrouted method: the unrouted agent
// methods it calls that this run's fixes will route (of this package,
// decided already, or of another through the UnroutedMethod fact), the
// methods it calls that already retry part of their work and get no fix
// (am.nests here, the NestedRetry fact elsewhere), the methods of its own
// call cycle it calls (recursion: a cycle has no callee to route first,
// and a retry around it would nest at every level), and whether it does
// other work that can fail (a call of the cycle is such work). transport
// is the first call of its work that sends through a client a retry
// library may have built (transport.go), nil if none: such a call is
// other work, which may retry at run time. origins says, for each of
// nesting in turn, where the retry it nests is (retryOrigin), and fixed
// names the callees qualified by their packages, for NestedRetry.Via.
func (r *runner) delegation(am *agentMethod, unrouted map[*types.Func]*agentMethod) (callees, fixed, nesting, origins, cycle []string, other bool, transport *TransportRetry) {
	addNesting := func(name, origin string) {
		if !slices.Contains(nesting, name) {
			nesting = append(nesting, name)
			origins = append(origins, origin)
		}
	}
	// weak are the nestings through methods of values handed to a
	// callback the caller passes (callbackNestingOf): named only when
	// the method's own calls name no other.
	var weak, weakOrigins []string
	defer func() {
		if len(nesting) == 0 {
			nesting, origins = weak, weakOrigins
			am.handedOnly = len(weak) > 0
		}
	}()
	for _, c := range am.v.work {
		if t := r.transportOf(c, r.funcName(am.m.Func)); t != nil {
			other = true
			if transport == nil {
				transport = t
			}
			continue
		}
		if name, origin, isWeak := r.callbackNestingOf(am, c, unrouted); name != "" {
			// It hands its callee a function that retries (callbacks.go).
			other = true
			if isWeak {
				if !slices.Contains(weak, name) {
					weak, weakOrigins = append(weak, name), append(weakOrigins, origin)
				}
			} else {
				addNesting(name, origin)
			}
			continue
		}
		fn := r.callee(c)
		if name, origin := r.ifaceNesting(am, fn, r.ifaceImpls(fn)); name != "" {
			// A call through an interface that an agent method of the
			// package implements with a retry: wrapping it would nest
			// that retry whichever way the call goes. Implementations
			// that are no agent methods, here or in other packages, make
			// the call nest below (nests, ifaceretry.go).
			other = true
			addNesting(name, origin)
			continue
		}
		var pending, nests bool
		var roots []string
		switch callee := unrouted[fn]; {
		case fn == nil: // a call of a function value: work
		case callee != nil && callee.scc == am.scc && callee != am && callee.nests:
			// A method of its cycle decided already, which nests a
			// retry: that is the cause to name, not the cycle
			// (go-redis's Pipeline.TxPipelined calls Pipelined, which
			// calls Exec; the cycle closes only through the caller's
			// callback Pipelined hands its receiver).
			nests = true
		case callee != nil && callee.scc == am.scc:
			// Recursion (itself, or a method calling it back): a retry
			// around it would nest one at every level.
			if name := r.funcName(fn); !slices.Contains(cycle, name) {
				cycle = append(cycle, name)
			}
		case callee != nil:
			pending = callee.resolves
			nests = callee.nests
			roots = callee.roots
		case fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg && !r.nests(fn) && r.retriedElsewhereReach(fn) != nil:
			// A retry of this package runs it (a job handler calls it):
			// the driver takes its fix back (Result.Retried), so it is
			// work that nothing will route. One that retries part of its
			// work itself nests below, whoever else runs it (anthropic's
			// RequestConfig.Execute, which a retry loop of the package
			// also calls).
		case fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg:
			fact := new(UnroutedMethod)
			pending = r.pass.ImportObjectFact(fn, fact)
			roots = fact.Via
			nests = !pending && r.nests(fn)
		default:
			nests = r.nests(fn) // a function of the package that retries in part
		}
		if nests {
			other = true
			addNesting(r.nestingName(fn, am.m.Func), r.retryOrigin(fn, am.m.Func))
			continue
		}
		if !pending {
			other = true
			continue
		}
		name := r.funcName(fn)
		if !slices.Contains(callees, name) {
			callees = append(callees, name)
			fixed = append(fixed, qualifiedName(fn))
		}
		if len(roots) == 0 {
			roots = []string{name} // the callee gets the fix
		}
		for _, root := range roots {
			if !slices.Contains(am.roots, root) {
				am.roots = append(am.roots, root)
			}
		}
	}
	return callees, fixed, nesting, origins, cycle, other, transport
}

// funcName names a function or method for messages: Type.Method, or
// pkg.Func for a function of another package.
func (r *runner) funcName(fn *types.Func) string {
	name := fn.Name()
	if recv := typepred.ReceiverTypeName(fn); recv != nil {
		name = recv.Name() + "." + name
		if fn.Pkg() != r.pass.Pkg {
			name = fn.Pkg().Name() + "." + name
		}
	} else if fn.Pkg() != r.pass.Pkg {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}
