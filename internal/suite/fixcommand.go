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
	out := make([]*analysis.Analyzer, len(as))
	for i, a := range as {
		out[i] = &analysis.Analyzer{
			Name:       a.Name,
			Doc:        strings.ReplaceAll(a.Doc, CLIFixCommand, command),
			URL:        a.URL,
			Requires:   a.Requires,
			FactTypes:  a.FactTypes,
			ResultType: a.ResultType,
			Run: func(pass *analysis.Pass) (any, error) {
				inner := *pass
				inner.Report = func(d analysis.Diagnostic) {
					d.Message = strings.ReplaceAll(d.Message, CLIFixCommand, command)
					pass.Report(d)
				}
				return a.Run(&inner)
			},
		}
	}
	return out
}
