package retrycoverage

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/analyzers/internal/report"
	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// report reports the unrouted method am, with its fix unless wrapping it
// would nest retries: it only delegates to unrouted methods that this
// run's fixes will route (once they are, it is routed by delegation), it
// mixes work in a retry with work outside it, it calls such methods
// besides other work, it calls a function that retries in part, or it is
// recursive. Retrying both would multiply the attempts (3 x 3).
func (r *runner) report(am *agentMethod, unrouted map[*types.Func]*agentMethod, opts Options) {
	pass, t, m := r.pass, am.t, am.m
	name := t.Obj.Name() + "." + m.Func.Name()
	msg := fmt.Sprintf("%s returns an error but is not routed through runtime/recovery", name)
	var attached []analysis.SuggestedFix
	defer func() {
		// Classify leaves out methods of the files the analyzers skip.
		report.Report(pass, m.Decl.Name, msg, report.Category(CategoryUnrouted), report.Fixes(attached...))
		am.out.Reported = append(am.out.Reported, pass.Fset.Position(m.Decl.Name.Pos()))
	}()

	callees, fixed, nesting, origins, cycle, other, transport := r.delegation(am, unrouted)
	if other {
		am.roots = nil // it gets a fix of its own
	}
	if len(callees) > 0 && !other && r.jobHandlerOf(m.Func) == nil && r.retriedByLoop(m.Func) == nil {
		// (A method a retry of the package runs, or a job handler,
		// delegates to nothing a fix will route: the callees it
		// reaches are refused, here or, for another package's, by the
		// driver through Result.Retried.)
		list := strings.Join(callees, ", ")
		am.out.Reason = fmt.Sprintf("it delegates to %s, which must be routed first", list)
		am.resolves = true
		msg += ": " + am.out.Reason + " (no fix here: retrying both would multiply their attempts; resilience-lint -fix routes " + strings.Join(am.roots, ", ") + ", then this method by delegation)"
		return
	}
	if am.out.Reason != "" {
		msg += ": " + am.out.Reason
	}
	unsafe, advice, guards, kept := r.retrySafety(m.Func, m.Decl, targets.Guards(pass.TypesInfo, m.Decl, r.canFail, r.purityOf()))
	target := &Target{
		File:    m.File,
		Decl:    m.Decl,
		Agent:   t.Obj,
		Guards:  guards,
		Ctx:     targets.ContextParam(m.Func),
		OneShot: targets.OneShot(pass.TypesInfo, m.Decl),
		Unsafe:  unsafe,
		Policy:  r.cls.Config().Policy,
	}
	target.PolicySource = r.cls.Config().PolicySource
	switch {
	case am.v.late && slices.ContainsFunc(am.v.retries, func(c retryCall) bool { return c.kind == retryRecovery }):
		// Wrapping the body would put its recovery call inside a new
		// retry: the work after it must move into its closure instead.
		am.nests = true
		am.origin = "runtime/recovery in " + qualifiedName(m.Func)
		msg += "; -fix cannot rewrite it: the method already calls runtime/recovery, and wrapping its body would nest that retry (move the work after the retry into the retry closure by hand, or mark the method //resilience:noretry <reason>)"
	case len(am.v.retries) > 0:
		// Some of its work already retries, some does not: wrapping
		// the body would nest the existing retry in a new one.
		c := am.v.retries[0]
		am.nests = true
		am.origin = r.retryCallOrigin(c, m.Func)
		msg += fmt.Sprintf("; -fix cannot rewrite it: it mixes work inside a retry (the %s at %s) with work outside it, and wrapping its body would nest that retry (move the work outside into that retry by hand, or mark the method //resilience:noretry <reason>)", r.retryLabel(c), r.where(c.pos))
	case transport != nil:
		// Its client may retry at run time (godo's
		// WithRetryAndBackoffs): a retry around it would nest that one.
		msg += "; -fix cannot rewrite it: " + transport.refusal(r.funcName(m.Func))
	case len(callees) > 0:
		// Retries never nest: the callees get their own fixes.
		am.nests = true
		am.origin = "the retries -fix gives " + strings.Join(fixed, ", ")
		msg += fmt.Sprintf("; -fix cannot rewrite it: wrapping it would nest the retries that -fix gives %s, multiplying their attempts (move its other work that can fail into a method of its own, or mark it //resilience:noretry <reason>)", strings.Join(callees, ", "))
	case len(cycle) > 0 && r.recursiveRetry(m.Decl) != nil:
		// A retry written as a recursion (recursion.go): callers nest it.
		am.nests = true
		am.origin = "the retry by recursion in " + qualifiedName(m.Func)
		msg += "; -fix cannot rewrite it: " + r.recursionRefusal(r.recursiveRetry(m.Decl))
	case len(cycle) > 0:
		// Not a nesting of existing retries (callers may wrap it), but
		// one of its own at every level of the recursion.
		calls := "it calls " + strings.Join(cycle, ", ") + ", which calls it back"
		if len(cycle) == 1 && cycle[0] == r.funcName(m.Func) {
			calls = "it calls itself"
		}
		msg += "; -fix cannot rewrite it: " + calls + " (recursion), and a retry around it would nest a retry at every level (retry its callers instead, or mark it //resilience:noretry <reason>)"
	case len(nesting) > 0 && am.handedOnly && target.Unsafe != "":
		// What the callback does with the values it is handed is not
		// known; what a retry would repeat is (go-redis's
		// Ring.ForEachShard runs fn on every shard): that is named. It
		// still nests for its callers.
		am.nests = true
		am.origin = origins[0]
		msg += "; -fix cannot rewrite it: " + target.Unsafe + " (" + advice + ", or mark the method //resilience:noretry <reason>)"
	case len(nesting) > 0:
		am.nests = true
		am.origin = origins[0]
		var through []string
		for i, o := range origins {
			// A routed callee or implementation is where the retry is:
			// the name in the message says so already.
			if o != "" && !namedIn(o, nesting[i]) && !slices.Contains(through, o) {
				through = append(through, o)
			}
		}
		where := ""
		if len(through) > 0 {
			where = " (through " + strings.Join(through, "; ") + ")"
		}
		msg += fmt.Sprintf("; -fix cannot rewrite it: it calls %s, which already retries part of its work%s, and wrapping it would nest that retry (route the callee first, or mark it //resilience:noretry <reason>)", strings.Join(nesting, ", "), where)
	case r.hasGoNesting(am):
		// A retry in a goroutine it starts and whose end is signalled
		// (goretry.go): an attempt that waits for it runs all of its
		// attempts.
		g, _ := r.goNesting(am.v, m.Func)
		am.nests = true
		am.origin = g.origin
		msg += "; -fix cannot rewrite it: " + r.goNestRefusal(g)
	case target.OneShot != "" && targets.StreamMethod(m.Func) != "":
		msg += "; -fix cannot rewrite it: " + target.OneShot + " (a method that cannot run twice is not retried: retry its callers instead, or mark it //resilience:noretry <reason>)"
	case target.OneShot != "":
		msg += "; -fix cannot rewrite it: " + target.OneShot + " (" + targets.OneShotAdvice + ", or mark the method //resilience:noretry <reason>)"
	case target.Unsafe != "":
		msg += "; -fix cannot rewrite it: " + target.Unsafe + " (" + advice + ", or mark the method //resilience:noretry <reason>)"
	case r.retriedByLoop(m.Func) != nil:
		// A retry loop of the package runs it in each attempt
		// (calledbyloop.go): a retry around it would nest in that loop.
		msg += "; -fix cannot rewrite it: " + r.calledByLoopRefusal(r.retriedByLoop(m.Func))
	case r.jobHandlerOf(m.Func) != nil:
		// A job-queue framework runs it and retries the job
		// (targets/jobhandlers.go): a retry around it nests in that one.
		msg += "; -fix cannot rewrite it: " + jobHandlerRefusal(r.jobHandlerOf(m.Func))
	case opts.Fix != nil:
		fixes, err := opts.Fix(pass, target)
		if err != nil {
			msg += "; -fix cannot rewrite it: " + err.Error() + " (route it by hand, or mark it //resilience:noretry <reason>)"
		} else {
			// No fix and no refusal: the fixer sees nothing to change, so
			// nothing will route the method either.
			am.resolves = len(fixes) > 0
			attached = fixes
			msg += kept + fixHint
		}
	default:
		am.resolves = true
		msg += kept + fixHint
	}
}

// namedIn reports whether origin, a qualified function name
// ("sdkiface.BackendImplementation.Call"), is the function text names
// ("Backend.Call (an interface method BackendImplementation.Call
// implements)"), with or without its package.
func namedIn(origin, text string) bool {
	if strings.Contains(origin, " ") {
		return false // a loop, a recovery call, a fix: no function name
	}
	_, local, _ := strings.Cut(origin, ".")
	for _, name := range []string{origin, local} {
		for i := strings.Index(text, name); i >= 0 && name != ""; {
			end := i + len(name)
			before := i == 0 || text[i-1] == ' ' || text[i-1] == '('
			after := end == len(text) || text[end] == ' ' || text[end] == ',' || text[end] == ')'
			if before && after {
				return true
			}
			next := strings.Index(text[i+1:], name)
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	return false
}

// missing says what is missing on which path, for the message and the
// Result; "" when no recovery call is made at all (the message then says
// it all).
func (r *runner) missing(v *routing) string {
	b := v.bad[0]
	at := r.where(b.ret.Pos())
	switch {
	case len(v.retries) == 0 && len(v.goRetries) > 0:
		return fmt.Sprintf("the recovery call at %s runs in a go or defer statement, which does not count; the error returned at %s is not retried", r.where(v.goRetries[0]), at)
	case len(v.retries) == 0:
		return ""
	case b.late != nil:
		return fmt.Sprintf("the error returned at %s comes from %s at %s, which runs after the %s at %s, outside it",
			at, r.callName(b.late), r.where(b.late.Pos()), r.retryLabel(b.retry), r.where(b.retry.pos))
	case b.before:
		return fmt.Sprintf("the error returned at %s comes from work done before the %s at %s", at, r.retryLabel(v.retries[0]), r.where(v.retries[0].pos))
	default:
		return fmt.Sprintf("the return at %s is reached on a path that does not call a recovery entry point", at)
	}
}

func (r *runner) where(pos token.Pos) string {
	p := r.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// jobHandlerRefusal is the refusal for a method a job-queue framework runs
// for each job and retries when it fails.
func jobHandlerRefusal(h *targets.JobHandler) string {
	return fmt.Sprintf("%s runs it for each %s through %s and retries the %s when it fails, and a retry around it would multiply that retry's attempts and retry the errors that tell %s not to (configure %s's retries instead, or mark it //resilience:noretry <reason>)",
		h.Framework, h.Unit, h.Iface, h.Unit, h.Framework, h.Framework)
}
