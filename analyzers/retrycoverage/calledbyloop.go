package retrycoverage

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/resilience-lint/resilience-lint/internal/targets"
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
		r.loopReach = r.findLoopReach()
	}
	return r.loopReach[fn]
}

// findLoopReach walks, breadth first from the calls that can fail in the
// package's retry loops, the static calls of the package's functions.
// Loops are taken in source order, so the reach a message names is the
// same on every run.
func (r *runner) findLoopReach() map[*types.Func]*loopReach {
	reach := map[*types.Func]*loopReach{}
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
			if fn == nil || fn.Pkg() != r.pass.Pkg || reach[fn] != nil || fn == it.at.in {
				return true
			}
			at := &loopReach{loop: it.at.loop, what: it.at.what, in: it.at.in, through: append(slices.Clip(it.at.through), it.fn)}
			reach[fn] = at
			queue = append(queue, item{fn, at})
			return true
		})
	}
	return reach
}

// calledByLoopRefusal is the refusal for an agent method a retry loop of
// its package reaches.
func (r *runner) calledByLoopRefusal(at *loopReach) string {
	via := ""
	if len(at.through) > 0 {
		names := make([]string, len(at.through))
		for i, fn := range at.through {
			names[i] = r.funcName(fn)
		}
		via = ", through " + strings.Join(names, ", ")
	}
	return "it runs in each attempt of " + at.what + " at " + r.where(at.loop.Pos()) + " in " + r.funcName(at.in) + via +
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
