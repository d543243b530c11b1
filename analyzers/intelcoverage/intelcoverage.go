package intelcoverage

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"

	"github.com/resilience-lint/resilience-lint/analyzers/internal/analyzerdoc"
	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// Name is the analyzer's name: in drivers' output, //nolint directives,
// golangci-lint settings and baselines.
const Name = "intelcoverage"

// Diagnostic categories: what a diagnostic is about, as data (messages
// are for people and may be reworded).
const (
	CategoryUntracked      = "untracked"        // a return of a run method whose outcome is not recorded (Worker.Reported)
	CategoryTrackerPerCall = "tracker-per-call" // a run method that builds a Tracker on every call (Worker.Reported)
	CategoryDirective      = "directive"        // a malformed //resilience: directive
)

// docGo is the source of doc.go, whose "# Analyzer" section is the
// analyzer's Doc: the documentation is written once.
//
//go:embed doc.go
var docGo string

// Options configures an Analyzer built by New.
type Options struct {
	// Config selects workers and tracking functions. nil: a fresh default
	// configuration, settable through the analyzer's flags.
	Config *config.Config
	// Fix, if set, computes the SuggestedFixes attached to each diagnostic
	// of an untracked run method. An error is a refusal, added to the
	// diagnostic's text.
	Fix FixFunc
}

// FixFunc computes the rewrite of one untracked run method.
type FixFunc func(pass *analysis.Pass, t *Target) ([]analysis.SuggestedFix, error)

// Target is an untracked worker run method, as the fixer needs it.
type Target struct {
	File   *ast.File
	Decl   *ast.FuncDecl
	Worker *types.TypeName
	// Agent is the agent name for intelligence.Op (configured, or derived
	// from the package).
	Agent string
	// TrackerField is the name of a *intelligence.Tracker or
	// intelligence.Tracker field of the receiver's type
	// (targets.TrackerField), "" if it has none (the fixer then uses nil =
	// Default()). The fixer takes a value field's address and refuses it
	// on a value receiver, where it would track into a copy.
	TrackerField string
	// Ctx is the method's first context.Context parameter
	// (targets.ContextParam; possibly blank or unnamed, which the fixer
	// names), nil if it has none.
	Ctx *types.Var
	// Records are the calls in Decl's body, function literals included,
	// that record an outcome by hand: Tracker.TrackSuccess,
	// Tracker.TrackError and track-funcs of kind success, error or
	// outcome, in source order. The fixer removes them, or refuses, as
	// the Track wrapper records every run itself.
	Records []*ast.CallExpr
	// Helpers are the calls in Decl's body, function literals included,
	// of tracking helpers that record an outcome (functions of any
	// package known through a TrackingFunc fact of kind success, error or
	// outcome), in source order. The Track wrapper would count their
	// records twice: the fixer removes a call to a helper of the package
	// that does nothing but record, and refuses the others.
	Helpers []*ast.CallExpr
}

// Status is the tracking status of one worker run method.
type Status int

// Worker statuses.
const (
	Tracked   Status = iota // every path records its outcome
	Exempt                  // //resilience:ignore <reason>
	Untracked               // reported
)

// Worker is the verdict on one worker type's run method.
type Worker struct {
	Pkg    string // import path
	Name   string
	Method string // run method name
	Agent  string
	Pos    token.Position
	Status Status
	// Reason is the exemption reason (Exempt) or what is missing, on which
	// path (Untracked).
	Reason string
	// Reported are the positions of the diagnostics reported for this
	// worker (CategoryUntracked at each untracked return,
	// CategoryTrackerPerCall): a driver ties a diagnostic to its worker by
	// analyzer and position, never by message text.
	Reported []token.Position
}

// Result is the analyzer's result: every worker of the package, including
// fully tracked ones, for the coverage report.
type Result struct {
	Workers []Worker
}

// TrackingFunc is the Fact exported for every function or method that
// records outcomes: Kind says which (success, error, outcome: success or
// error according to the result, wrap: its result is tracked like
// intelligence.Track's). A run method that calls one is tracked on the
// paths after the call, in any package.
type TrackingFunc struct {
	Kind targets.TrackKind
}

// AFact marks TrackingFunc as an analysis.Fact.
func (*TrackingFunc) AFact() {}

// String describes the fact in analysistest wants and fact dumps.
func (f *TrackingFunc) String() string { return "tracks " + f.Kind.String() }

// Analyzer is intelcoverage with its configuration bound to its flags.
var Analyzer = New(Options{})

// New returns an intelcoverage analyzer. Its flags (the config keys) are
// bound to opts.Config, which is read when the analyzer runs.
func New(opts Options) *analysis.Analyzer {
	if opts.Config == nil {
		opts.Config = config.Default()
	}
	a := &analysis.Analyzer{
		Name:       Name,
		Doc:        analyzerdoc.MustExtract(docGo, Name),
		URL:        "https://github.com/resilience-lint/resilience-lint/tree/main/analyzers/intelcoverage",
		Requires:   []*analysis.Analyzer{ctrlflow.Analyzer},
		FactTypes:  []analysis.Fact{new(TrackingFunc)},
		ResultType: reflect.TypeFor[*Result](),
	}
	a.Run = func(pass *analysis.Pass) (any, error) { return run(pass, opts) }
	opts.Config.BindFlags(&a.Flags)
	return a
}
