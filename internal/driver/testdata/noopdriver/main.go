// Command noopdriver is the baseline of the linter benchmarks: a
// go/analysis driver (singlechecker) whose one analyzer does nothing. What
// it costs (listing, export data, parsing and type-checking the named
// packages) any go/analysis tool pays; resilience-lint is measured against it.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/singlechecker"
)

var noop = &analysis.Analyzer{
	Name: "noop",
	Doc:  "does nothing",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { singlechecker.Main(noop) }
