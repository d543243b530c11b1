package retrycoverage

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	inspectpass "golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/resilience-lint/resilience-lint/analyzers/internal/analyzerdoc"
	"github.com/resilience-lint/resilience-lint/analyzers/retrysafety"
	"github.com/resilience-lint/resilience-lint/config"
)

// Name is the analyzer's name: in drivers' output, //nolint directives,
// golangci-lint settings and baselines.
const Name = "retrycoverage"

// Diagnostic categories: what a diagnostic is about, as data (messages
// are for people and may be reworded).
const (
	CategoryUnrouted  = "unrouted"  // an in-scope method not routed; reported at its name (Method.Reported)
	CategoryDirective = "directive" // a malformed //resilience: directive
)

// docGo is the source of doc.go, whose "# Analyzer" section is the
// analyzer's Doc: the documentation is written once.
//
//go:embed doc.go
var docGo string

// Options configures an Analyzer built by New.
type Options struct {
	// Config selects agents and entry points. nil: a fresh default
	// configuration, settable through the analyzer's flags.
	Config *config.Config
	// Fix, if set, computes the SuggestedFixes attached to each diagnostic
	// of an unrouted method. An error is a refusal: its text is added to
	// the diagnostic ("-fix cannot rewrite it: ...").
	Fix FixFunc
}

// FixFunc computes the rewrite of one unrouted method.
type FixFunc func(pass *analysis.Pass, t *Target) ([]analysis.SuggestedFix, error)

// Target is an unrouted in-scope agent method, as the fixer needs it.
type Target struct {
	File  *ast.File
	Decl  *ast.FuncDecl
	Agent *types.TypeName
	// Guards is the number of leading statements of Decl.Body that stay
	// outside the retry closure: the guard region (targets.Guards:
	// validation guards and the statements before them that only compute
	// from the arguments), or more when statements that must run once (a
	// write that outlives an attempt, retrysafety's Verdict.Keep) lead the
	// body.
	Guards int
	// Ctx is the method's first context.Context parameter
	// (targets.ContextParam; possibly blank or unnamed, which the fixer
	// names), nil if it has none.
	Ctx *types.Var
	// OneShot, if not empty, says why the method is not safe to run twice
	// (targets.OneShot: it consumes an io.Reader or writes to an io.Writer
	// that is not an io.Seeker, or receives from a channel parameter); the
	// fixer refuses it with this reason.
	OneShot string
	// Unsafe, if not empty, says why running the body twice would repeat
	// something that outlives an attempt (retrysafety: a write before the
	// call that can fail, a stream held in the receiver, a cursor loop);
	// the fixer refuses it with this reason.
	Unsafe string
	// Policy is the configured policy expression ("" = recovery.Default()).
	Policy string
	// PolicySource says where Policy was configured, for the fixer's
	// errors ("file:line" of the key in .resilience.yml), "" if unknown.
	PolicySource string
}

// Status is the coverage status of one in-scope method.
type Status int

// Method statuses.
const (
	Routed   Status = iota // work runs inside a recovery entry point on every path
	Exempt                 // //resilience:noretry <reason> or //resilience:ignore <reason>
	Unrouted               // reported
)

// Method is the verdict on one in-scope method.
type Method struct {
	Name   string
	Pos    token.Position
	Status Status
	// Reason is the exemption reason (Exempt) or what is missing, on which
	// path (Unrouted).
	Reason string
	// Reported are the positions of the diagnostics reported for this
	// method (CategoryUnrouted, at its name): a driver ties a diagnostic
	// to its method by analyzer and position, never by message text.
	Reported []token.Position
}

// Agent is one agent type and its in-scope methods.
type Agent struct {
	Pkg     string // import path
	Name    string
	Pos     token.Position
	Methods []Method
}

// Result is the analyzer's result: every agent of the package, including
// fully routed ones, for the coverage report.
type Result struct {
	Agents []Agent
	// Retried are the methods of other packages that a retry of this
	// package runs in each of its attempts (a retry loop, a retry
	// entry point's closure, a job-queue framework's handler), through
	// static calls of this package's code: a fix of one would nest in
	// that retry, and the other package's pass, which ran before this
	// one, could not know it. A driver that sees every package's
	// findings takes their fixes back (RefuseFix).
	Retried []RetriedMethod
}

// RetriedMethod is a method of another package that a retry of the
// analyzed package runs in its attempts, and the refusal its fix gets:
// "it runs in each attempt of asynq's retry of each task (asynq.Handler)
// at handlers.go:31 in jobs.EmailHandler.ProcessTask, and a retry around
// it would multiply that retry's attempts (...)".
type RetriedMethod struct {
	Pkg, Type, Method string
	Reason            string
}

// fixHint ends the message of a finding that -fix rewrites (report).
const fixHint = " (run resilience-lint -fix, or mark it //resilience:noretry <reason>)"

// RefuseFix turns the message of a finding that -fix would rewrite into
// the message of a refusal for reason (a RetriedMethod's), for a driver
// that takes the finding's fix back; a message of another form is
// returned unchanged.
func RefuseFix(msg, reason string) string {
	base, ok := strings.CutSuffix(msg, fixHint)
	if !ok {
		return msg
	}
	if i := strings.Index(base, "; -fix retries only"); i >= 0 {
		base = base[:i]
	}
	return base + "; -fix cannot rewrite it: " + reason
}

// RoutedFunc is the Fact exported for every function or method (not only
// agent methods) whose error result is routed on every path that does
// work (through a recovery entry point, a retry library, a retry loop of
// its own, a type that retries by construction or another routed
// function): a method that delegates to it is routed too, in any package.
type RoutedFunc struct {
	// By says what routes it when no recovery call does: "its own retry
	// at helper.go:12", "backoff.Retry", ...; "" for runtime/recovery.
	By string
}

// AFact marks RoutedFunc as an analysis.Fact.
func (*RoutedFunc) AFact() {}

// String describes the fact in analysistest wants and fact dumps.
func (f *RoutedFunc) String() string {
	if f.By == "" {
		return "routed"
	}
	return "routed by " + f.By
}

// NestedRetry is the Fact exported for every unrouted in-scope agent method
// that gets no fix because wrapping it would nest a retry: part of its
// work already retries (or will, once this run's fixes route its
// callees). Wrapping a method that calls it would nest that retry too, so
// such a caller, in any package, gets no fix either.
type NestedRetry struct {
	// Via says where the retry is, for messages: the function or method
	// that retries ("slack.retryClient.Do", "backoff.Retry"), "the retry
	// loop at f.go:N in pkg.F", "runtime/recovery in pkg.F", "the retries
	// -fix gives X". "" when not known (a Fact of an older run).
	Via string
	// Own: the retry is in its own body (a retry loop, a recursion, a
	// call of a retry entry point or of a routed function), not only in
	// a callee that nests. A Do or RoundTrip that retries so makes its
	// type a retrying sender, as a routed one does (rehttp's transport,
	// which buffers the request body before its loop).
	Own bool
}

// AFact marks NestedRetry as an analysis.Fact.
func (*NestedRetry) AFact() {}

// String describes the fact in analysistest wants and fact dumps.
func (*NestedRetry) String() string { return "nests" }

// WaitFunc is the Fact exported for every function whose body waits (it
// sleeps, receives from a channel or selects, or calls a function that
// waits): a loop calling it waits between its attempts, which is one of
// the marks of a hand-rolled retry loop (a backoff helper of another
// package, such as c.backoff.Wait(ctx)).
type WaitFunc struct{}

// AFact marks WaitFunc as an analysis.Fact.
func (*WaitFunc) AFact() {}

// String describes the fact in analysistest wants and fact dumps.
func (*WaitFunc) String() string { return "waits" }

// RetryingType is the Fact exported for a type declared with
// //resilience:retries <reason>: calls to its methods that return an
// error are retries, in any package.
type RetryingType struct {
	Reason string // "//resilience:retries <reason>"
}

// AFact marks RetryingType as an analysis.Fact.
func (*RetryingType) AFact() {}

// String describes the fact in analysistest wants and fact dumps.
func (f *RetryingType) String() string { return "retrying" }

// ValidatorFunc is the Fact exported for every function or method whose
// last result is an error (error, or an error type such as *MyError) and
// that makes no call that can fail (it only returns nil, sentinels or
// errors built on the spot from its arguments): calling one, in any
// package, is validation, not work to retry.
type ValidatorFunc struct{}

// AFact marks ValidatorFunc as an analysis.Fact.
func (*ValidatorFunc) AFact() {}

// String describes the fact in analysistest wants and fact dumps.
func (*ValidatorFunc) String() string { return "validator" }

// UnroutedMethod is the Fact exported for every in-scope agent method that
// is not routed yet but will be once the fixes of this run are applied: it
// gets a fix, or it only delegates to methods that do. A method of another
// package that only delegates to one is reported without a fix, so that
// -fix wraps the callee alone instead of nesting two retries.
type UnroutedMethod struct {
	// Via names the methods ("pkg.Type.Method") whose fixes route this
	// one by delegation, when it gets no fix of its own.
	Via []string
}

// AFact marks UnroutedMethod as an analysis.Fact.
func (*UnroutedMethod) AFact() {}

// String describes the fact in analysistest wants and fact dumps.
func (*UnroutedMethod) String() string { return "unrouted" }

// Analyzer is retrycoverage with its configuration bound to its flags.
var Analyzer = New(Options{})

// New returns a retrycoverage analyzer. Its flags (the config keys) are
// bound to opts.Config, which is read when the analyzer runs.
func New(opts Options) *analysis.Analyzer {
	if opts.Config == nil {
		opts.Config = config.Default()
	}
	a := &analysis.Analyzer{
		Name: Name,
		Doc:  analyzerdoc.MustExtract(docGo, Name),
		URL:  "https://github.com/resilience-lint/resilience-lint/tree/main/analyzers/retrycoverage",
		// retrysafety judges calls with the same configuration
		// (repeatable-funcs); safety.go finds it by its result type.
		// inspect (which ctrlflow requires too) finds the loops and the
		// statements of kinds the run looks for without walking every
		// node.
		Requires:   []*analysis.Analyzer{ctrlflow.Analyzer, retrysafety.New(retrysafety.Options{Config: opts.Config}), inspectpass.Analyzer},
		FactTypes:  []analysis.Fact{new(RoutedFunc), new(ValidatorFunc), new(UnroutedMethod), new(RetryingType), new(NestedRetry), new(WaitFunc), new(TransportRetry), new(PollFunc), new(RetryingSenderFunc), new(RetryingImpls)},
		ResultType: reflectTypeOfResult,
	}
	a.Run = func(pass *analysis.Pass) (any, error) { return run(pass, opts) }
	opts.Config.BindFlags(&a.Flags)
	return a
}
