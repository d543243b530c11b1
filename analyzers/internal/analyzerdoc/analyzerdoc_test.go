package analyzerdoc

import (
	"strings"
	"testing"
)

const twoAnalyzers = `// Package p defines two analyzers.
//
// # Analyzer first
//
// first: report the first thing
//
// The first analyzer reports things.
//
// # Details
//
//   - one
//   - two
//
// # Analyzer second
//
// second: report the second thing
package p
`

func TestExtract(t *testing.T) {
	tests := []struct {
		content, name string
		want, err     string
	}{
		{twoAnalyzers, "first", "report the first thing\n\nThe first analyzer reports things.\n\n# Details\n\n  - one\n  - two", ""},
		{twoAnalyzers, "second", "report the second thing", ""},
		{twoAnalyzers, "third", "", `no "# Analyzer third" heading`},
		{"// Package p.\n//\n// # Analyzer x\n//\n// Summary without the name.\npackage p\n", "x", "", `must start with "x: SUMMARY"`},
		{"package p\n", "x", "", "no package doc comment"},
	}
	for _, tt := range tests {
		got, err := Extract(tt.content, tt.name)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Extract(%s): error %v, want one containing %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Extract(%s) = %q, %v\nwant %q", tt.name, got, err, tt.want)
		}
	}
}
