package analyzerdoc_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

// TestAnalyzersDoc: each analyzer's Doc is its doc.go section: the
// summary line first, then the full description.
func TestAnalyzersDoc(t *testing.T) {
	for _, tt := range []struct {
		a       *analysis.Analyzer
		summary string
		has     string // a heading of the section
	}{
		{retrycoverage.Analyzer, "report exported agent methods not routed through runtime/recovery", "# Directives"},
		{intelcoverage.Analyzer, "report worker run methods whose outcomes are not tracked by runtime/intelligence", "# Directives"},
	} {
		first, rest, _ := strings.Cut(tt.a.Doc, "\n\n")
		if first != tt.summary || !strings.Contains(rest, tt.has) {
			t.Errorf("%s.Doc = %.200q..., want the summary %q then the section", tt.a.Name, tt.a.Doc, tt.summary)
		}
	}
	if err := analysis.Validate([]*analysis.Analyzer{retrycoverage.Analyzer, intelcoverage.Analyzer}); err != nil {
		t.Error(err)
	}
}
