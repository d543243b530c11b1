// Package fixers rewrites agent methods so that their work runs inside a
// runtime/recovery retry, and worker run methods so that their outcome is
// recorded by runtime/intelligence.
//
// Retry and Track are the analyzers' fix hooks (retrycoverage.FixFunc and
// intelcoverage.FixFunc; package suite attaches them). They return
// analysis.SuggestedFixes, so that every driver (-fix, -diff, go vet
// -vettool, go fix -fixtool, golangci-lint --fix and analysistest golden
// files) applies the same rewrite.
//
// The rewrite is computed on a github.com/dave/dst tree decorated from the
// pass's *ast.File, so comments move with the statements they describe, and
// it is handed out as two kinds of text edits:
//
//   - one edit replacing the changed lines of the method with the
//     re-printed, gofmt-formatted method;
//   - one insertion per added import. Its position and text depend only on
//     the original file, so two fixes in one file that need the same import
//     produce identical edits, which drivers coalesce when they merge fixes.
//
// A method that cannot be rewritten safely is refused with an error saying
// why (the analyzer appends it to its diagnostic); a refusal never yields a
// partial edit. A method that already has the wrapped shape yields no fix
// and no error.
package fixers

import (
	"go/ast"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// Retry is a retrycoverage.FixFunc. It moves the body of t.Decl, after its
// t.Guards leading statements (the guard region of targets.Guards:
// validation guards and the computing statements before them; or more,
// statements that must run once, such as counting the call in the
// receiver), into a closure passed to recovery.Do, recovery.DoValue or
// recovery.DoValue2 (by the number of results):
//
//	func (l *Loader) Load(ctx context.Context, path string) (*Table, error) {
//		if path == "" {
//			return nil, ErrEmptyPath
//		}
//		return recovery.DoValue(ctx, recovery.Default(), func(ctx context.Context) (*Table, error) {
//			...original body...
//		})
//	}
//
// The closure keeps the method's result names, so bare returns and deferred
// functions that set a result work as before (now per attempt). It takes
// the method's context parameter under the same name, so the body sees the
// attempt's context; an unnamed or blank context parameter is named, and a
// method without one uses context.Background(). Parameters that the body
// writes and reads are re-declared at the top of the closure, so every
// attempt starts from the caller's arguments; so are the variables the
// guard region declares. A deferred recover() moves
// with the body and still stops the body's panics: the error it sets is
// then classified and retried like any other.
//
// The policy is recovery.Default(), or t.Policy: an expression in the
// file's scope, or the full import path form
// "example.com/shop/platform.DefaultPolicy", whose package Retry imports
// (policy.go). An invalid policy is refused with an error that names the
// configuration file and the key's line (t.PolicySource).
//
// Retry refuses (returns an error) a method that is not safe to run twice
// (t.OneShot, decided by targets.OneShot: a one-shot input or output;
// t.Unsafe, decided by retrysafety: a write that outlives the attempt
// before the call that can fail, a stream held in the receiver, a cursor
// loop), has
// more than two results besides the error, jumps between the guards and
// the body with goto, defers in a guard, or whose result types or context
// would name something else inside the method.
func Retry(pass *analysis.Pass, t *retrycoverage.Target) ([]analysis.SuggestedFix, error) {
	if t == nil || t.Decl == nil || t.File == nil {
		return nil, errorf("no method to rewrite")
	}
	if t.OneShot != "" {
		return nil, errorf("%s: %s, or mark it //resilience:noretry <reason>", t.OneShot, targets.OneShotAdvice)
	}
	if t.Unsafe != "" {
		return nil, errorf("%s: route the call that can fail alone, or mark it //resilience:noretry <reason>", t.Unsafe)
	}
	w := &retry{
		wrap: &wrap{
			pass:   pass,
			file:   t.File,
			decl:   t.Decl,
			guards: t.Guards,
			ctx:    t.Ctx,
			pkg: runtimePkg{
				path:  targets.RecoveryPath,
				name:  "recovery",
				funcs: [3]string{"Do", "DoValue", "DoValue2"},
			},
		},
		policy:       strings.TrimSpace(t.Policy),
		policySource: t.PolicySource,
	}
	return w.fix(w)
}

// Track is an intelcoverage.FixFunc. It moves the whole body of t.Decl into
// a closure passed to intelligence.TrackErr, intelligence.Track or
// intelligence.Track2 (by the number of results), with an intelligence.Op
// naming t.Agent, the worker type and the method:
//
//	func (w *StatsWorker) Execute(ctx context.Context, in Input) (Result, error) {
//		return intelligence.Track(ctx, w.tracker, intelligence.Op{Agent: "aggregator", Worker: "StatsWorker", Operation: "Execute"}, func(ctx context.Context) (Result, error) {
//			...original body...
//		})
//	}
//
// The tracker is the receiver's t.TrackerField (its address when the field
// is a Tracker value; an unnamed receiver is named), else nil, which the
// runtime reads as intelligence.Default(). A Tracker value field on a
// value receiver is refused: the method would track into a copy.
//
// The wrapper records every run, so every record that reports this run's
// outcome must go, or the run would be counted twice: the records the
// body writes by hand (t.Records) — directly, deferred, or from a
// goroutine, in the body or in a function literal it defers or starts —
// and calls of tracking helpers (t.Helpers) of the package that do
// nothing but record. They are removed, with the statements left with
// nothing to do (an if, a deferred or go function literal that only held
// them), the local variables that only they used when their declarations
// have no side effects (start := time.Now(), op := intelligence.Op{...})
// and the imports nothing else uses; their comments move to the next
// statement. When every record is a Tracker method called with the same
// tracker and Op, and both can be evaluated at the method's start, the
// Track call reuses them. What cannot be taken over cleanly is refused
// with the reason: a record in another function literal, an expression
// or a labelled statement, one whose removal would drop a call with side
// effects or leave a variable assigned but unused, and a call of a
// tracking helper that does more than record or belongs to another
// package.
func Track(pass *analysis.Pass, t *intelcoverage.Target) ([]analysis.SuggestedFix, error) {
	if t == nil || t.Decl == nil || t.File == nil {
		return nil, errorf("no method to rewrite")
	}
	worker := ""
	if t.Worker != nil {
		worker = t.Worker.Name()
	} else if recv := receiverNamed(pass, t.Decl); recv != nil {
		worker = recv.Obj().Name()
	}
	w := &track{
		wrap: &wrap{
			pass: pass,
			file: t.File,
			decl: t.Decl,
			ctx:  t.Ctx,
			pkg: runtimePkg{
				path:  targets.IntelligencePath,
				name:  "intelligence",
				funcs: [3]string{"TrackErr", "Track", "Track2"},
			},
		},
		trackerField: t.TrackerField,
		records:      t.Records,
		helpers:      t.Helpers,
		op: "Op{Agent: " + strconv.Quote(t.Agent) +
			", Worker: " + strconv.Quote(worker) +
			", Operation: " + strconv.Quote(t.Decl.Name.Name) + "}",
	}
	return w.fix(w)
}

// receiverNamed returns the named type of decl's receiver, or nil.
func receiverNamed(pass *analysis.Pass, decl *ast.FuncDecl) *types.Named {
	fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
	if !ok {
		return nil
	}
	return typepred.ReceiverNamed(fn)
}
