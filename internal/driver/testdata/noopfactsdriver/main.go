// Command noopfactsdriver is the second baseline of the linter benchmarks:
// a go/analysis driver (singlechecker) whose one analyzer declares a Fact
// type and does nothing else. Declaring Facts is what makes a driver parse
// and type-check every dependency from source (checker loads with
// packages.LoadAllSyntax) and run the analyzer on each: what any
// go/analysis tool whose verdicts cross package boundaries pays on a first
// run, before its analyzers do any work.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/singlechecker"
)

// mark is the Fact type the analyzer declares and never exports.
type mark struct{}

func (*mark) AFact() {}

var noopFacts = &analysis.Analyzer{
	Name:      "noopfacts",
	Doc:       "declares a Fact type and does nothing",
	FactTypes: []analysis.Fact{new(mark)},
	Run:       func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { singlechecker.Main(noopFacts) }
