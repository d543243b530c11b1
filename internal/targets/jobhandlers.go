package targets

import (
	"go/types"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// A job-queue framework runs a user's handler for each job and retries the
// job itself when the handler fails, on a policy of its own (how many
// attempts, how long between them), and it reads the handler's error for
// what not to retry: asynq's SkipRetry and RevokeTask, river's JobCancel
// and JobSnooze. A retry inside the handler's method, around its whole
// body, nests in the framework's: every attempt the framework makes
// becomes several, a job the handler cancels is first retried inline when
// the cancelled error wraps a transient one, and the framework's attempt
// count no longer counts the attempts. Such a method is the framework's
// unit of retry, not an agent's work to retry (the agent methods it calls
// keep their fixes: their retry retries their own failure only).

// Kubernetes controllers are the same: controller-runtime runs a
// Reconciler's Reconcile for each request taken from its workqueue and,
// when it fails, puts the request back with the queue's rate-limited
// backoff (5ms doubling to 1000s per item, without end), and it reads
// reconcile.TerminalError as "do not requeue".

// jobHandlers are the handler interfaces of job-queue frameworks that
// retry a failed job by default, with the framework's name and the word it
// uses for a job. A generic interface (river.Worker[T]) is instantiated
// with the type arguments its method's signature binds; an alias of an
// instantiation (controller-runtime's reconcile.Reconciler =
// TypedReconciler[Request]) is found through its generic origin.
var jobHandlers = []struct{ pkg, name, framework, unit string }{
	{"github.com/hibiken/asynq", "Handler", "asynq", "task"},  // MaxRetry 25 by default
	{"github.com/riverqueue/river", "Worker", "river", "job"}, // MaxAttempts 25 by default
	// ObjectReconciler[T] (run through reconcile.AsReconciler, in the
	// same controller) first, as its users write it; then
	// Reconcile(ctx, reconcile.Request) and the typed forms
	// (TypedReconciler[R]).
	{"sigs.k8s.io/controller-runtime/pkg/reconcile", "ObjectReconciler", "controller-runtime", "request"},
	{"sigs.k8s.io/controller-runtime/pkg/reconcile", "TypedReconciler", "controller-runtime", "request"},
}

// JobHandler is a job-queue framework's handler interface that a method
// implements.
type JobHandler struct {
	// Framework is the framework's name ("asynq", "controller-runtime").
	Framework string
	// Iface is the interface as written in a message
	// ("river.Worker[SendArgs]").
	Iface string
	// Unit is the framework's word for a job ("task").
	Unit string
}

// JobHandlers finds the job handler interfaces among one package's
// imports, once, for JobHandlerOf.
type JobHandlers struct {
	pkg    *types.Package
	ifaces []jobIface
}

type jobIface struct {
	obj             *types.TypeName
	framework, unit string
}

// NewJobHandlers looks up the handler interfaces of jobHandlers among the
// packages pkg imports, directly or not.
func NewJobHandlers(pkg *types.Package) *JobHandlers {
	j := &JobHandlers{pkg: pkg}
	for _, h := range jobHandlers {
		p := findImport(pkg, h.pkg)
		if p == nil {
			continue
		}
		obj, ok := p.Scope().Lookup(h.name).(*types.TypeName)
		if !ok {
			continue
		}
		if _, ok := obj.Type().Underlying().(*types.Interface); ok {
			j.ifaces = append(j.ifaces, jobIface{obj, h.framework, h.unit})
		}
	}
	return j
}

// JobHandlerOf returns the handler interface of a job-queue framework that
// fn, a function of the package, implements (fn is one of the interface's
// methods and its receiver's type, or a pointer to it, implements the
// interface), or nil.
func (j *JobHandlers) JobHandlerOf(fn *types.Func) *JobHandler {
	recv := typepred.ReceiverNamed(fn)
	if recv == nil || len(j.ifaces) == 0 {
		return nil
	}
	for _, h := range j.ifaces {
		t := instantiateFor(h.obj, fn)
		if t == nil {
			continue
		}
		it := t.Underlying().(*types.Interface)
		if types.Implements(recv, it) || types.Implements(types.NewPointer(recv), it) {
			return &JobHandler{
				Framework: h.framework,
				Iface: types.TypeString(t, func(q *types.Package) string {
					if q == j.pkg {
						return ""
					}
					return q.Name()
				}),
				Unit: h.unit,
			}
		}
	}
	return nil
}

// findImport returns the package of path among pkg's imports, directly or
// not, or nil.
func findImport(pkg *types.Package, path string) *types.Package {
	seen := map[*types.Package]bool{}
	var visit func(p *types.Package) *types.Package
	visit = func(p *types.Package) *types.Package {
		if seen[p] {
			return nil
		}
		seen[p] = true
		if p.Path() == path {
			return p
		}
		for _, imp := range p.Imports() {
			if q := visit(imp); q != nil {
				return q
			}
		}
		return nil
	}
	return visit(pkg)
}

// instantiateFor returns the interface type named by obj, instantiated
// when it is generic with the type arguments that fn's signature binds in
// the interface's method of fn's name, or nil when fn is no method of the
// interface or its signature binds not every type parameter.
func instantiateFor(obj *types.TypeName, fn *types.Func) types.Type {
	named, ok := obj.Type().(*types.Named)
	if !ok {
		return nil
	}
	it := named.Underlying().(*types.Interface)
	var m *types.Func
	for i := 0; i < it.NumMethods(); i++ {
		if it.Method(i).Name() == fn.Name() {
			m = it.Method(i)
		}
	}
	if m == nil {
		return nil
	}
	tparams := named.TypeParams()
	if tparams.Len() == 0 {
		return named
	}
	bound := map[*types.TypeParam]types.Type{}
	if !unify(m.Type(), fn.Type().(*types.Signature), bound) {
		return nil
	}
	args := make([]types.Type, tparams.Len())
	for i := range args {
		if args[i] = bound[tparams.At(i)]; args[i] == nil {
			return nil
		}
	}
	t, err := types.Instantiate(nil, named, args, true)
	if err != nil {
		return nil
	}
	return t
}

// unify matches the generic type g against the concrete type c, binding
// g's type parameters in bound; it reports whether they can match. It
// follows pointers, slices, maps, signatures and the type arguments of
// named types; other types match when identical.
func unify(g, c types.Type, bound map[*types.TypeParam]types.Type) bool {
	g, c = types.Unalias(g), types.Unalias(c)
	switch g := g.(type) {
	case *types.TypeParam:
		if b, ok := bound[g]; ok {
			return types.Identical(b, c)
		}
		bound[g] = c
		return true
	case *types.Pointer:
		c, ok := c.(*types.Pointer)
		return ok && unify(g.Elem(), c.Elem(), bound)
	case *types.Slice:
		c, ok := c.(*types.Slice)
		return ok && unify(g.Elem(), c.Elem(), bound)
	case *types.Map:
		c, ok := c.(*types.Map)
		return ok && unify(g.Key(), c.Key(), bound) && unify(g.Elem(), c.Elem(), bound)
	case *types.Signature:
		c, ok := c.(*types.Signature)
		if !ok || g.Variadic() != c.Variadic() || g.Params().Len() != c.Params().Len() || g.Results().Len() != c.Results().Len() {
			return false
		}
		for i := 0; i < g.Params().Len(); i++ {
			if !unify(g.Params().At(i).Type(), c.Params().At(i).Type(), bound) {
				return false
			}
		}
		for i := 0; i < g.Results().Len(); i++ {
			if !unify(g.Results().At(i).Type(), c.Results().At(i).Type(), bound) {
				return false
			}
		}
		return true
	case *types.Named:
		c, ok := c.(*types.Named)
		if !ok || g.Origin() != c.Origin() || g.TypeArgs().Len() != c.TypeArgs().Len() {
			return false
		}
		for i := 0; i < g.TypeArgs().Len(); i++ {
			if !unify(g.TypeArgs().At(i), c.TypeArgs().At(i), bound) {
				return false
			}
		}
		return true
	}
	return types.Identical(g, c)
}
