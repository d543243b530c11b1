package retrycoverage

import (
	"cmp"
	"go/ast"
	"go/types"
	"maps"
	"slices"
	"strings"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// This file finds the functions a hand-rolled retry loop runs in each of
// its attempts: a retry around one of them would nest inside that loop,
// from below.
//
//	func (ptw *partitionWriter) writeBatch(batch *writeBatch) {
//		for attempt := 0; attempt < maxAttempts; attempt++ { // a retry loop
//			res, err = ptw.w.produce(key, batch)              // its attempt
//			...
//	func (w *Writer) produce(...) (*ProduceResponse, error) {
//		return w.client(timeout).Produce(ctx, ...)        // an agent method
//
// kafka-go's Writer retries a produce itself (MaxAttempts); the agent
// method Client.Produce it reaches does no retry of its own, so -fix
// wrapped it, and every attempt of the Writer's loop became three: a
// refused connection cost 9 produce requests instead of 3. Callers that
// call Client.Produce directly would gain a retry, but the package's own
// retry loop would multiply its attempts, so the method gets no fix.
//
// The same holds for the closure a function of the package hands a retry
// entry point (recovery.Do(ctx, p, func(ctx context.Context) error {
// return c.Fetch(ctx) }), or a retry library's: Classifier.IsRetryEntry):
// a fix of Fetch would nest in that retry.
//
// A job-queue framework's handler method (asynq.Handler's ProcessTask,
// river.Worker[T]'s Work: targets.JobHandlers) is such an attempt as a
// whole: the framework retries the job when it fails, so the package's
// methods it calls would multiply the framework's attempts, and retry
// inline what the handler tells the framework not to retry (a 429 it
// answers with asynq.SkipRetry or river.JobSnooze). So is a worker that
// puts the item back on a rate-limited work queue when its work fails
// (client-go's workqueue: processNextWorkItem calls syncHandler, then
// queue.AddRateLimited(key) on its error): requeueCall.
//
// The reach is the package's own code: the calls that can fail in a
// retry loop of the package (loops.go: r.loops) or in such a closure,
// and, transitively, the
// static calls in the bodies of the package's functions they call
// (function literals in those bodies included: a callback run by the
// attempt is part of it; go statements not: they run beside it, as
// discordgo's Session.Open starts its heartbeat). A method refused for
// another reason (it cannot run twice) keeps that reason. Calls through interfaces and function values
// are not followed, and a loop in an importing package cannot see this
// package's methods: those are not found.

// Across packages: a retry of this package that calls a method of
// another package in its attempts (a handler calling mail.Mailer.Send)
// cannot refuse that method's fix, which the other package's pass
// decides, before this one runs (a Fact flows from the callee's package
// to its importers, never back). So the reach also notes the methods of
// other packages (not the standard library's; static calls only) that
// the attempts call, in the Result (Result.Retried, with the refusal
// each would get), and a driver that sees every package's findings
// (the CLI: internal/driver) takes back the fix of such a method,
// replacing its message with that refusal (RefuseFix). A method reached
// only inside the other package (the handler calls mail.Client.Notify,
// which calls Mailer.Send) is not seen: no Fact says what a function of
// another package reaches.

// loopReach says how a retry reaches a function: the retry (a loop, or
// the call of a retry entry point), what it is for messages, the function
// it is in, and the functions in between, outermost first.
type loopReach struct {
	loop    ast.Node
	what    string
	in      *types.Func
	through []*types.Func
}

// retriedByLoop returns how a retry loop of the package reaches fn in its
// attempts, or nil. The reach of every loop is computed once per run.
func (r *runner) retriedByLoop(fn *types.Func) *loopReach {
	if r.loopReach == nil {
		r.loopReach, r.foreignReach = r.findLoopReach()
	}
	return r.loopReach[fn]
}

// retriedElsewhere returns the methods of other packages the package's
// retries call in their attempts, with the refusal each would get, sorted
// by package, type and method.
func (r *runner) retriedElsewhere() []RetriedMethod {
	if r.loopReach == nil {
		r.loopReach, r.foreignReach = r.findLoopReach()
	}
	var out []RetriedMethod
	add := func(m RetriedMethod) {
		if !slices.ContainsFunc(out, func(o RetriedMethod) bool { return o.Pkg == m.Pkg && o.Type == m.Type && o.Method == m.Method }) {
			out = append(out, m)
		}
	}
	for _, fn := range slices.SortedFunc(maps.Keys(r.foreignReach), func(a, b *types.Func) int {
		return cmp.Compare(qualifiedName(a), qualifiedName(b))
	}) {
		at := r.foreignReach[fn]
		reason := r.loopRefusal(at, qualifiedName)
		add(RetriedMethod{Pkg: fn.Pkg().Path(), Type: typepred.ReceiverTypeName(fn).Name(), Method: fn.Name(), Reason: reason})
		// The methods of its package whose fixes route it by
		// delegation (UnroutedMethod.Via, "mailsvc.Mailer.post"):
		// their fixes would nest in the retry too.
		fact := new(UnroutedMethod)
		if !r.pass.ImportObjectFact(fn, fact) {
			continue
		}
		for _, root := range fact.Via {
			parts := strings.Split(root, ".")
			if len(parts) == 3 && parts[0] == fn.Pkg().Name() {
				add(RetriedMethod{Pkg: fn.Pkg().Path(), Type: parts[1], Method: parts[2], Reason: reason})
			}
		}
	}
	slices.SortFunc(out, func(a, b RetriedMethod) int {
		return cmp.Or(cmp.Compare(a.Pkg, b.Pkg), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Method, b.Method))
	})
	return out
}

// retriedElsewhereReach returns how a retry of the package reaches fn, a
// function of another package, or nil.
func (r *runner) retriedElsewhereReach(fn *types.Func) *loopReach {
	if r.loopReach == nil {
		r.loopReach, r.foreignReach = r.findLoopReach()
	}
	return r.foreignReach[fn]
}

// foreignMethod reports whether fn is a method of a named type of another
// package than the pass's, outside the standard library, that returns an
// error: one a retry of this package may reach across packages and that
// could be an agent method with a fix.
func (r *runner) foreignMethod(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg() == r.pass.Pkg || typepred.ReceiverTypeName(fn) == nil || !typepred.FailsWithError(fn.Signature()) {
		return false
	}
	if sig := fn.Signature(); types.IsInterface(sig.Recv().Type()) {
		return false
	}
	first, _, _ := strings.Cut(fn.Pkg().Path(), "/")
	return strings.Contains(first, ".")
}

// findLoopReach walks, breadth first from the calls that can fail in the
// package's retry loops, the static calls of the package's functions.
// Loops are taken in source order, so the reach a message names is the
// same on every run. foreign are the methods of other packages reached
// (foreignMethod), each with its first reach.
func (r *runner) findLoopReach() (reach, foreign map[*types.Func]*loopReach) {
	reach, foreign = map[*types.Func]*loopReach{}, map[*types.Func]*loopReach{}
	decls := map[*types.Func]*ast.FuncDecl{}
	type seed struct {
		call  *ast.CallExpr
		retry ast.Node
		what  string
		in    *types.Func
	}
	var seeds []seed
	for _, f := range r.pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, _ := r.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if fn == nil {
				continue
			}
			decls[fn] = fd
			var found []seed
			for c, loop := range r.loops {
				if c.Pos() >= fd.Body.Pos() && c.End() <= fd.Body.End() {
					found = append(found, seed{c, loop, "the retry loop", fn})
				}
			}
			if h := r.jobHandlerOf(fn); h != nil {
				// A job-queue framework retries the whole method
				// (targets/jobhandlers.go): each of its calls is in
				// the attempt.
				what := h.Framework + "'s retry of each " + h.Unit + " (" + h.Iface + ")"
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if _, ok := n.(*ast.GoStmt); ok {
						return false
					}
					if c, ok := n.(*ast.CallExpr); ok {
						found = append(found, seed{c, fd.Name, what, fn})
					}
					return true
				})
			}
			if requeue := r.requeueCall(fd.Body); requeue != nil {
				// The function puts the item it works back on a
				// rate-limited queue when its work fails: each of its
				// calls is in an attempt of that requeue.
				what := "the rate-limited requeue of each item (" + r.funcName(r.callee(requeue)) + ")"
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if _, ok := n.(*ast.GoStmt); ok {
						return false
					}
					if c, ok := n.(*ast.CallExpr); ok && c != requeue {
						found = append(found, seed{c, requeue, what, fn})
					}
					return true
				})
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				lit, entry := r.retryClosure(n)
				if lit == nil {
					return true
				}
				retry := n // the entry point's call
				ast.Inspect(lit.Body, func(m ast.Node) bool {
					if c, ok := m.(*ast.CallExpr); ok {
						found = append(found, seed{c, retry, "the retry of " + entry, fn})
					}
					return true
				})
				return true
			})
			slices.SortFunc(found, func(a, b seed) int { return int(a.call.Pos() - b.call.Pos()) })
			seeds = append(seeds, found...)
		}
	}
	type item struct {
		fn *types.Func
		at *loopReach
	}
	var queue []item
	for _, s := range seeds {
		fn := r.callee(s.call)
		if fn != nil && foreign[fn] == nil && r.foreignMethod(fn) {
			foreign[fn] = &loopReach{loop: s.retry, what: s.what, in: s.in}
		}
		if fn == nil || fn.Pkg() != r.pass.Pkg || reach[fn] != nil {
			continue
		}
		at := &loopReach{loop: s.retry, what: s.what, in: s.in}
		reach[fn] = at
		queue = append(queue, item{fn, at})
	}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		fd := decls[it.fn]
		if fd == nil {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if _, ok := n.(*ast.GoStmt); ok {
				return false // runs beside the attempt, not in it
			}
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := r.callee(c)
			if fn != nil && foreign[fn] == nil && r.foreignMethod(fn) {
				foreign[fn] = &loopReach{loop: it.at.loop, what: it.at.what, in: it.at.in, through: append(slices.Clip(it.at.through), it.fn)}
			}
			if fn == nil || fn.Pkg() != r.pass.Pkg || reach[fn] != nil || fn == it.at.in {
				return true
			}
			at := &loopReach{loop: it.at.loop, what: it.at.what, in: it.at.in, through: append(slices.Clip(it.at.through), it.fn)}
			reach[fn] = at
			queue = append(queue, item{fn, at})
			return true
		})
	}
	return reach, foreign
}

// calledByLoopRefusal is the refusal for an agent method a retry loop of
// its package reaches.
func (r *runner) calledByLoopRefusal(at *loopReach) string {
	return r.loopRefusal(at, r.funcName)
}

// loopRefusal is calledByLoopRefusal with the functions named by name
// (qualifiedName for a message on another package's method).
func (r *runner) loopRefusal(at *loopReach, name func(*types.Func) string) string {
	via := ""
	if len(at.through) > 0 {
		names := make([]string, len(at.through))
		for i, fn := range at.through {
			names[i] = name(fn)
		}
		via = ", through " + strings.Join(names, ", ")
	}
	return "it runs in each attempt of " + at.what + " at " + r.where(at.loop.Pos()) + " in " + name(at.in) + via +
		", and a retry around it would multiply that retry's attempts (leave the retrying to that retry, or mark it //resilience:noretry <reason>)"
}

// retryClosure returns the function literal n hands a retry entry point
// as its last argument (the runtime's, or a retry library's) and that
// entry point's name, or nil.
func (r *runner) retryClosure(n ast.Node) (*ast.FuncLit, string) {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return nil, ""
	}
	lit, ok := ast.Unparen(call.Args[len(call.Args)-1]).(*ast.FuncLit)
	if !ok {
		return nil, ""
	}
	fn := r.callee(call)
	if fn == nil || !targets.IsRecoveryEntry(fn) && !r.cls.IsRetryEntry(fn) {
		return nil, ""
	}
	return lit, fn.Pkg().Name() + "." + fn.Name()
}

// requeueMethods are the methods that put an item back on a work queue
// to be worked again after a rate-limited delay: client-go's workqueue
// (RateLimitingInterface and TypedRateLimitingInterface[T]; the
// per-item delay doubles from 5ms to 1000s with the default controller
// rate limiter, without end unless the worker stops requeueing).
var requeueMethods = []struct{ pkg, name string }{
	{"k8s.io/client-go/util/workqueue", "AddRateLimited"},
}

// requeueCall returns the first call in body (outside function literals
// and go statements) of a requeue method, or nil. A worker that requeues
// the item whose work failed (client-go's processNextWorkItem: syncHandler
// fails, queue.AddRateLimited(key)) retries that work through the queue,
// as a job-queue framework retries a handler.
func (r *runner) requeueCall(body *ast.BlockStmt) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			return false
		case *ast.CallExpr:
			if found != nil {
				return false
			}
			fn := r.callee(n)
			if fn == nil || fn.Pkg() == nil {
				return true
			}
			for _, m := range requeueMethods {
				if fn.Pkg().Path() == m.pkg && fn.Name() == m.name {
					found = n
					return false
				}
			}
		}
		return true
	})
	return found
}

// jobHandlerOf returns the job-queue framework's handler interface fn
// implements, or nil (targets.JobHandlers, found once per run).
func (r *runner) jobHandlerOf(fn *types.Func) *targets.JobHandler {
	if r.jobHandlers == nil {
		r.jobHandlers = targets.NewJobHandlers(r.pass.Pkg)
	}
	return r.jobHandlers.JobHandlerOf(fn)
}
