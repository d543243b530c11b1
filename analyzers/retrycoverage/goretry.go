package retrycoverage

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// This file finds the retries a function runs in a goroutine that is
// waited for. cloud.google.com/go/storage's gRPC client opens an
// appendable object's takeover stream in a goroutine, inside the
// package's retry (run), keeps the result (w.streamResult, setError) and
// closes a channel (donec) when it is done;
// ObjectHandle.NewWriterFromAppendableObject waits on that channel for the
// offset or the failure. Each attempt of a retry around the method runs
// run's attempts again: a nested retry. kafka-go's Dialer.LookupPartition
// runs its retry loop (temporary errors, with a backoff) in a goroutine and
// waits for its result on two channels.
//
// A goroutine counts when the function literal a go statement starts
// signals its end: it sends on a channel, closes one or calls
// sync.WaitGroup.Done (directly or deferred, not in a literal nested in
// it): someone waits for it, the function itself (a receive) or a caller
// (storage's wait is in the caller of the function that starts the
// goroutine). Its retry is the first call of the literal (not in a
// literal nested in it) whose result is not discarded on the spot
// (assigned, sent, passed on) and that retries: a retry call (a recovery
// call, a call in a retry loop of the literal, a retry library, a routed
// function, a method of a type that retries by construction) or a call of
// a function that retries part of its work (nests, here or through the
// NestedRetry fact, or an interface method an implementation of which
// does). A function that starts such a goroutine retries part of its
// work, as one mixing a retry of its own with other work does: it nests
// (the NestedRetry fact), and an agent method gets no fix. The error of
// the goroutine need not reach a return of the function (storage's
// reaches its caller's): the attempt that waits for the goroutine runs
// its retry whole. A goroutine that signals nobody (a background loop
// keeping its last error in a field), a retry whose result is dropped,
// and "go recovery.Do(...)", which drops its error, do not count, as
// before.

// goNest is a retry that a goroutine the function starts runs.
type goNest struct {
	at     token.Pos // the go statement
	what   string    // the retry, for messages: "the retry loop at f.go:12"
	origin string    // where the retry is (NestedRetry.Via)
}

// awaited returns the function literal g starts when it signals its end
// (signalsEnd), nil otherwise.
func (r *runner) awaited(g *ast.GoStmt) *ast.FuncLit {
	lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit)
	if !ok || !r.signalsEnd(lit) {
		return nil
	}
	return lit
}

// goNesting returns the first retry that a goroutine of v.awaited runs,
// fn being the function that starts it; ok is false when there is none.
// It depends on what nests (r.nestFuncs), so it is asked for where that
// is decided, not kept in the routing.
func (r *runner) goNesting(v *routing, fn *types.Func) (goNest, bool) {
	for _, g := range v.awaited {
		lit := r.awaited(g)
		var found goNest
		ok := false
		r.calls(lit.Body, false, func(call *ast.CallExpr, k callKind) {
			if ok || r.discarded[call] {
				return
			}
			switch callee := r.callee(call); {
			case k == callRetry:
				c := r.retryCallOf(call)
				found = goNest{g.Pos(), "the " + r.retryLabel(c) + " at " + r.where(c.pos), r.retryCallOrigin(c, fn)}
				ok = true
			case k == callFailable && r.nests(callee):
				origin := r.retryOrigin(callee, nil)
				what := "a call to " + r.nestingName(callee, nil) + " at " + r.where(call.Pos())
				if origin != "" && !namedIn(origin, what) {
					what += ", through " + origin
				}
				found = goNest{g.Pos(), what, origin}
				ok = true
			}
		})
		if ok {
			return found, true
		}
	}
	return goNest{}, false
}

// signalsEnd reports whether the function literal sends on a channel,
// closes one or calls sync.WaitGroup.Done, in its body or in its defer
// statements (not in function literals nested in it): someone waits for
// it.
func (r *runner) signalsEnd(lit *ast.FuncLit) bool {
	info := r.pass.TypesInfo
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SendStmt:
			found = true
		case *ast.CallExpr:
			switch fn := typeutil.Callee(info, n).(type) {
			case *types.Builtin:
				found = found || fn.Name() == "close"
			case *types.Func:
				found = found || typepred.IsMethodNamed(fn, "sync", "WaitGroup", "Done")
			}
		}
		return !found
	})
	return found
}

// goNestRefusal says why an agent method that starts a goroutine running
// g is not wrapped.
func (r *runner) goNestRefusal(g goNest) string {
	return fmt.Sprintf("the goroutine it starts at %s retries (%s) and signals its end, and wrapping it would nest that retry in each attempt that waits for it (move the work outside into that retry by hand, or mark the method //resilience:noretry <reason>)", r.where(g.at), g.what)
}

// hasGoNesting reports whether the unrouted agent method am starts a
// goroutine that runs a retry and is waited for.
func (r *runner) hasGoNesting(am *agentMethod) bool {
	_, ok := r.goNesting(am.v, am.m.Func)
	return ok
}
