package intelcoverage_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
)

func TestDefaults(t *testing.T) {
	a := intelcoverage.New(intelcoverage.Options{})
	analysistest.Run(t, analysistest.TestData(), a, "example.com/workers", "example.com/trackhelp", "example.com/delegating")
}

func TestConfigured(t *testing.T) {
	a := intelcoverage.New(intelcoverage.Options{})
	for k, v := range map[string]string{
		"worker-types":      "Job*",
		"worker-methods":    "Run",
		"worker-interfaces": "example.com/configured.Runner",
		"track-funcs":       "example.com/configured.Observe=outcome",
	} {
		if err := a.Flags.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	analysistest.Run(t, analysistest.TestData(), a, "example.com/configured")
}
