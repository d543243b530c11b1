package suite

import (
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestRewrappedDiagnostics(t *testing.T) {
	a := &analysis.Analyzer{
		Name: "x",
		Doc:  "run " + CLIFixCommand,
		Run: func(pass *analysis.Pass) (any, error) {
			pass.Report(analysis.Diagnostic{
				Message: "W.Execute is not tracked (run " + CLIFixCommand + ")",
				Related: []analysis.RelatedInformation{{Message: "the error returned at w.go:3"}},
			})
			return nil, nil
		},
	}
	tests := []struct {
		name        string
		wrap        func([]*analysis.Analyzer) []*analysis.Analyzer
		wantMessage string
		wantRelated int
		wantDoc     string
	}{
		{"fix command", func(as []*analysis.Analyzer) []*analysis.Analyzer {
			return WithFixCommand(as, "golangci-lint run --fix")
		},
			"W.Execute is not tracked (run golangci-lint run --fix)", 1, "run golangci-lint run --fix"},
		{"without related", WithoutRelated,
			"W.Execute is not tracked (run resilience-lint -fix)", 0, "run resilience-lint -fix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.wrap([]*analysis.Analyzer{a})[0]
			var got []analysis.Diagnostic
			if _, err := w.Run(&analysis.Pass{Report: func(d analysis.Diagnostic) { got = append(got, d) }}); err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Message != tt.wantMessage || len(got[0].Related) != tt.wantRelated {
				t.Fatalf("reported %+v, want message %q with %d related", got, tt.wantMessage, tt.wantRelated)
			}
			if w.Doc != tt.wantDoc {
				t.Errorf("Doc = %q, want %q", w.Doc, tt.wantDoc)
			}
		})
	}
}
