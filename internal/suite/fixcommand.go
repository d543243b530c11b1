package suite

import (
	"strings"

	"golang.org/x/tools/go/analysis"
)

// CLIFixCommand is how the analyzers' messages tell the user to apply
// their fixes: the resilience-lint CLI's -fix.
const CLIFixCommand = "resilience-lint -fix"

// WithFixCommand returns analyzers that report as as do, with the fix
// command in their messages (CLIFixCommand) replaced by command, for
// drivers whose users apply fixes another way (golangci-lint run --fix).
// The analyzers are otherwise as: same names, requirements, facts and
// results; they have no flags.
func WithFixCommand(as []*analysis.Analyzer, command string) []*analysis.Analyzer {
	return rewrite(as, command, func(d *analysis.Diagnostic) {
		d.Message = strings.ReplaceAll(d.Message, CLIFixCommand, command)
	})
}

// WithoutRelated returns analyzers that report as as do, without related
// information, for drivers that turn each related location into a finding
// of its own (golangci-lint: a worker's untracked returns would become
// findings that --fix and //nolint on the method do not cover). The
// messages name every such place already.
func WithoutRelated(as []*analysis.Analyzer) []*analysis.Analyzer {
	return rewrite(as, "", func(d *analysis.Diagnostic) { d.Related = nil })
}

// rewrite returns analyzers that report as as do, with each diagnostic
// passed through edit first, and with command replacing CLIFixCommand in
// their Doc when command is not empty.
func rewrite(as []*analysis.Analyzer, command string, edit func(*analysis.Diagnostic)) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(as))
	for i, a := range as {
		doc := a.Doc
		if command != "" {
			doc = strings.ReplaceAll(doc, CLIFixCommand, command)
		}
		out[i] = &analysis.Analyzer{
			Name:       a.Name,
			Doc:        doc,
			URL:        a.URL,
			Requires:   a.Requires,
			FactTypes:  a.FactTypes,
			ResultType: a.ResultType,
			Run: func(pass *analysis.Pass) (any, error) {
				inner := *pass
				inner.Report = func(d analysis.Diagnostic) {
					edit(&d)
					pass.Report(d)
				}
				return a.Run(&inner)
			},
		}
	}
	return out
}
