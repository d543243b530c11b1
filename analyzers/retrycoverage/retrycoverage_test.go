package retrycoverage_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/config"
)

func TestDefaults(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{})
	analysistest.Run(t, analysistest.TestData(), a,
		"example.com/agents/loader", "example.com/helpers", "example.com/agents/delegate",
		"example.com/marked", "example.com/agents/gen", "example.com/agents/withtests")
}

func TestConfiguredAgentTypes(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{})
	if err := a.Flags.Set("agent-types", "Repo,example.com/configured.Svc*"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), a, "example.com/configured")
}

func TestBadConfigIsAnError(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{Config: &config.Config{AgentTypes: []string{"[bad"}}})
	results := analysistest.Run(&collect{T: t}, analysistest.TestData(), a, "example.com/configured")
	for _, r := range results {
		if r.Err == nil {
			t.Errorf("%s: no error for a bad pattern", r.Action)
		}
	}
}

// collect lets an expected analysis error through without failing the test.
type collect struct{ *testing.T }

func (c *collect) Errorf(format string, args ...any) {}
