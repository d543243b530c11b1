package retrycoverage_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

// TestCalledByRetryLoop checks that an agent method a retry loop of its
// package runs in each attempt, through the package's own functions, gets
// no fix (kafka-go's Writer retried Client.Produce itself: -fix made a
// refused produce cost 9 requests instead of 3), and so does one the
// closure handed to recovery.Do runs (sync.go); a method no retry runs,
// and one an attempt starts with a go statement, keep their fixes.
func TestCalledByRetryLoop(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/batcher")
}
