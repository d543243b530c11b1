// Package analyzerdoc extracts an analyzer's Doc from the doc comment of
// its package's doc.go, so that the documentation is written once: the
// pattern of x/tools' analyzers (whose helper, internal/analysisinternal,
// cannot be imported from outside x/tools).
//
// The doc comment holds a section per analyzer:
//
//	// # Analyzer NAME
//	//
//	// NAME: SUMMARY
//	//
//	// Full description, with headings of its own...
//
// The section runs to the next "# Analyzer" heading or the end of the
// comment. The analyzer embeds doc.go (//go:embed doc.go) and calls
// MustExtract(content, Name).
package analyzerdoc

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the Doc of the analyzer called name from content, the
// source of a doc.go file: its section's summary line (without "NAME: "),
// a blank line and the rest of the section.
func Extract(content, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", err
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc.go has no package doc comment")
	}
	lines := strings.Split(f.Doc.Text(), "\n")
	heading := "# Analyzer " + name
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == heading {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return "", fmt.Errorf("doc.go has no %q heading", heading)
	}
	end := len(lines)
	for i := start; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "# Analyzer ") {
			end = i
			break
		}
	}
	section := strings.TrimSpace(strings.Join(lines[start:end], "\n"))
	first, rest, _ := strings.Cut(section, "\n")
	summary, ok := strings.CutPrefix(first, name+": ")
	if !ok || strings.TrimSpace(summary) == "" {
		return "", fmt.Errorf("the %q section of doc.go must start with %q", heading, name+": SUMMARY")
	}
	if rest = strings.TrimSpace(rest); rest == "" {
		return summary, nil
	}
	return summary + "\n\n" + rest, nil
}

// MustExtract is Extract for package initialization: a doc.go without the
// analyzer's section is a programming error, found by any test.
func MustExtract(content, name string) string {
	doc, err := Extract(content, name)
	if err != nil {
		panic("analyzerdoc: " + err.Error())
	}
	return doc
}
