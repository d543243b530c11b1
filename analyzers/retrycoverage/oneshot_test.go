package retrycoverage_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

// TestOneShotCursors checks that a caller's sequence a method sends is a
// one-shot input whatever its interface: a cursor (ReadRecord) in a
// request's field, one given directly, and an io.Reader inside a struct
// the method copies into its message (kafka-go's Client.Produce and
// RawProduce, whose retries after a reset connection sent no record and
// reported success). A struct used only as a selector's operand is not.
func TestOneShotCursors(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/producer")
}
