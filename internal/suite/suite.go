// Package suite wires the analyzers to their fixers: the one set of
// analyzers that the CLI, the vet tool mode and the golangci-lint plugin run.
//
// The analyzers do not import the fixers (runtime <- analyzers <- fixers <-
// drivers); suite is where the two meet.
package suite

import (
	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/fixers"
)

// Analyzers returns retrycoverage and intelcoverage sharing cfg (nil: a
// default configuration settable through either analyzer's flags), with
// SuggestedFixes attached. retrysafety, which decides whether a body is
// safe to run twice, is not listed: it has no flags and no diagnostics,
// and every driver (the checker, unitchecker in vet-tool mode,
// golangci-lint) runs it, and exchanges its Facts, as retrycoverage's
// requirement.
func Analyzers(cfg *config.Config) []*analysis.Analyzer {
	if cfg == nil {
		cfg = &config.Config{}
	}
	return []*analysis.Analyzer{
		retrycoverage.New(retrycoverage.Options{Config: cfg, Fix: fixers.Retry}),
		intelcoverage.New(intelcoverage.Options{Config: cfg, Fix: fixers.Track}),
	}
}
