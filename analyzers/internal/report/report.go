// Package report is the one diagnostic shape of the analyzers: one
// diagnostic per verdict, at the declaration it is about, with the places
// that explain it as related information and the fix attached once. The
// model is staticcheck's report.Report.
package report

import (
	"go/token"

	"golang.org/x/tools/go/analysis"
)

// Option sets a field of a diagnostic built by Report.
type Option func(*analysis.Diagnostic)

// Category sets the diagnostic's category.
func Category(c string) Option {
	return func(d *analysis.Diagnostic) { d.Category = c }
}

// Related adds a place that explains the diagnostic (an offending return,
// the call that makes it so).
func Related(at analysis.Range, message string) Option {
	return func(d *analysis.Diagnostic) {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: at.Pos(), End: at.End(), Message: message})
	}
}

// Fixes attaches suggested fixes.
func Fixes(fixes ...analysis.SuggestedFix) Option {
	return func(d *analysis.Diagnostic) { d.SuggestedFixes = append(d.SuggestedFixes, fixes...) }
}

// Report reports message at the range of at (a method's name, say).
func Report(pass *analysis.Pass, at analysis.Range, message string, opts ...Option) {
	d := analysis.Diagnostic{Pos: at.Pos(), End: at.End(), Message: message}
	for _, o := range opts {
		o(&d)
	}
	pass.Report(d)
}

// Pos is a range of a single position, for diagnostics without a node.
type Pos token.Pos

// Pos returns p.
func (p Pos) Pos() token.Pos { return token.Pos(p) }

// End returns p: an empty range.
func (p Pos) End() token.Pos { return token.NoPos }
