package retrycoverage

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/internal/targets"
)

func (r *runner) report(am *agentMethod, unrouted map[*types.Func]*agentMethod, opts Options) {
	pass, t, m := r.pass, am.t, am.m
	name := t.Obj.Name() + "." + m.Func.Name()
	msg := fmt.Sprintf("%s returns an error but is not routed through runtime/recovery", name)
	diag := analysis.Diagnostic{Pos: m.Decl.Name.Pos(), End: m.Decl.Name.End(), Category: CategoryUnrouted}
	defer func() {
		diag.Message = msg
		if !r.cls.Skip(pass.Fset, m.File) {
			pass.Report(diag)
			am.out.Reported = append(am.out.Reported, pass.Fset.Position(diag.Pos))
		}
	}()

	callees, other := r.delegation(am, unrouted)
	if other {
		am.roots = nil // it gets a fix of its own
	}
	if len(callees) > 0 && !other {
		list := strings.Join(callees, ", ")
		am.out.Reason = fmt.Sprintf("it delegates to %s, which must be routed first", list)
		am.resolves = true
		msg += ": " + am.out.Reason + " (no fix here: retrying both would multiply their attempts; resilience-lint -fix routes " + strings.Join(am.roots, ", ") + ", then this method by delegation)"
		return
	}
	if am.out.Reason != "" {
		msg += ": " + am.out.Reason
	}
	nests := ""
	if len(callees) > 0 {
		nests = fmt.Sprintf("; note: the retry will nest the retries of %s (not routed yet either), multiplying their attempts", strings.Join(callees, ", "))
	}
	target := &Target{
		File:    m.File,
		Decl:    m.Decl,
		Agent:   t.Obj,
		Guards:  r.guards(m.Decl),
		Ctx:     targets.ContextParam(m.Func),
		OneShot: targets.OneShot(pass.TypesInfo, m.Decl),
		Policy:  r.cls.Config().Policy,
	}
	switch {
	case am.v.late:
		// Wrapping the body would put its recovery call inside a new
		// retry: the work after it must move into its closure instead.
		msg += "; -fix cannot rewrite it: the method already calls runtime/recovery, and wrapping its body would nest that retry (move the work after the retry into the retry closure by hand, or mark the method //resilience:noretry <reason>)"
	case target.OneShot != "" && targets.StreamMethod(m.Func) != "":
		msg += "; -fix cannot rewrite it: " + target.OneShot + " (a method that cannot run twice is not retried: retry its callers instead, or mark it //resilience:noretry <reason>)"
	case target.OneShot != "":
		msg += "; -fix cannot rewrite it: " + target.OneShot + " (give each attempt a fresh input or output, such as a buffer, or mark the method //resilience:noretry <reason>)"
	case opts.Fix != nil:
		fixes, err := opts.Fix(pass, target)
		if err != nil {
			msg += "; -fix cannot rewrite it: " + err.Error() + " (route it by hand, or mark it //resilience:noretry <reason>)"
		} else {
			// No fix and no refusal: the fixer sees nothing to change, so
			// nothing will route the method either.
			am.resolves = len(fixes) > 0
			diag.SuggestedFixes = fixes
			msg += nests + " (run resilience-lint -fix, or mark it //resilience:noretry <reason>)"
		}
	default:
		am.resolves = true
		msg += nests + " (run resilience-lint -fix, or mark it //resilience:noretry <reason>)"
	}
}

// missing says what is missing on which path, for the message and the
// Result; "" when no recovery call is made at all (the message then says
// it all).
func (r *runner) missing(v *verdict) string {
	b := v.bad[0]
	at := r.where(b.ret.Pos())
	switch {
	case len(v.retries) == 0 && len(v.goRetries) > 0:
		return fmt.Sprintf("the recovery call at %s runs in a go or defer statement, which does not count; the error returned at %s is not retried", r.where(v.goRetries[0]), at)
	case len(v.retries) == 0:
		return ""
	case b.late != nil:
		return fmt.Sprintf("the error returned at %s comes from %s at %s, which runs after the recovery call at %s, outside it",
			at, r.callName(b.late), r.where(b.late.Pos()), r.where(b.retry))
	case b.before:
		return fmt.Sprintf("the error returned at %s comes from work done before the %s at %s", at, v.retries[0].name, r.where(v.retries[0].pos))
	default:
		return fmt.Sprintf("the return at %s is reached on a path that does not call a recovery entry point", at)
	}
}

func (r *runner) where(pos token.Pos) string {
	p := r.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// check runs the routed analysis on a function body; nil if it has no CFG.
