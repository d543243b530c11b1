package fixers_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// TestGoldenExistingRetries checks that -fix leaves code that already
// retries as it is (a retry library's call, a hand-rolled retry loop of
// another package, a method mixing work in a retry with work outside it,
// a method that only delegates) and wraps only the method doing its work
// unrouted.
func TestGoldenExistingRetries(t *testing.T) {
	a := suiteAnalyzer(t, "retrycoverage")
	pkgs := []string{"example.com/agents/existing"}
	if *update {
		writeGoldens(t, a, pkgs...)
	}
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), a, pkgs...)
}
