package main

import (
	"bytes"
	"errors"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/internal/coverage"
	"github.com/resilience-lint/resilience-lint/internal/driver"
)

func TestNormaliseArgs(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{[]string{"-fix", "./..."}, []string{"--fix", "./..."}},
		{[]string{"-config", "x.yml", "-json"}, []string{"--config", "x.yml", "--json"}},
		{[]string{"-config=x.yml"}, []string{"--config=x.yml"}},
		{[]string{"--diff", "-h"}, []string{"--diff", "-h"}},
		{[]string{"report", "-format", "json", "-fail-under", "retry=100"}, []string{"report", "--format", "json", "--fail-under", "retry=100"}},
		{[]string{"-fix", "--", "-notaflag"}, []string{"--fix", "--", "-notaflag"}},
		{[]string{"./pkg", "-"}, []string{"./pkg", "-"}},
	}
	for _, tt := range tests {
		if got := normaliseArgs(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("normaliseArgs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsToolInvocation(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"/tmp/go-build1/b001/vet.cfg"}, true},
		{[]string{"-retrycoverage.agent-types=X", "-fix", "-diff", "/tmp/b001/vet.cfg"}, true},
		{nil, false},
		{[]string{"./..."}, false},
		{[]string{"-fix", "./..."}, false},
		{[]string{"-V=full", "./..."}, false},
		{[]string{"-config", "my.cfg"}, false},
		{[]string{"--baseline", "old.cfg"}, false},
		{[]string{"-config=x.yml", "/tmp/b001/vet.cfg"}, true},
	}
	for _, tt := range tests {
		if got := isToolInvocation(tt.args); got != tt.want {
			t.Errorf("isToolInvocation(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

func TestProgressOnTerminal(t *testing.T) {
	var buf syncBuffer
	p := newProgress(&buf, true, 0)
	p.update(driver.Progress{Stage: driver.Analyzing, Done: 3, Total: 7})
	// The display redraws every 150ms; wait for a drawing of this state.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(buf.String(), "analyzing 3/7") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	p.stop()
	out := buf.String()
	if !strings.Contains(out, "analyzing 3/7") {
		t.Fatalf("progress not drawn: %q", out)
	}
	if !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress line not erased at the end: %q", out)
	}
}

// syncBuffer is a bytes.Buffer safe for the display's goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestProgressOnlyOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	p := startProgress(&buf)
	p.update(driver.Progress{Stage: driver.Loading, Done: 1, Total: 2})
	p.stop()
	if buf.Len() != 0 {
		t.Errorf("progress written to a non-terminal: %q", buf.String())
	}
}

// TestRuntimeHint checks that every way a fix fails for want of the
// runtime in the user's module (not required, go.mod out of date,
// vendored) says how to add it, for the binary that prints it (a release
// names its version, a development build its clone), and that other errors
// are left alone.
func TestRuntimeHint(t *testing.T) {
	devel := "go mod edit -require=" + runtimeModule + "@v0.0.0 -replace=" + runtimeModule + "="
	release := "go get " + runtimeModule + "@v1.4.2"
	tests := []struct {
		release string // releaseVersionOverride
		err     string
		want    []string // substrings; nil = unchanged
	}{
		{"", "a.go:7:2: could not import " + runtimeModule + "/runtime/recovery (invalid package name: \"\")", []string{devel + cloneDir() + "'", "development build"}},
		{"", "listing packages: go: updates to go.mod needed; to update it:\n\tgo mod tidy", []string{devel}},
		{"", "a.go:7:2: could not import " + runtimeModule + "/runtime/recovery: import lookup disabled by -mod=vendor", []string{devel, "go mod vendor"}},
		{"v1.4.2", "a.go:7:2: could not import " + runtimeModule + "/runtime/recovery (invalid package name: \"\")", []string{release}},
		{"v1.4.2", "a.go:7:2: could not import " + runtimeModule + "/runtime/recovery: import lookup disabled by -mod=vendor", []string{release, "then 'go mod vendor'"}},
		{"", "a.go:3:1: undefined: x", nil},
	}
	if cloneDir() == "" {
		t.Fatal("cloneDir() is empty in a test built from the clone")
	}
	for _, tt := range tests {
		releaseVersionOverride = tt.release
		got := runtimeHint(errors.New(tt.err)).Error()
		releaseVersionOverride = ""
		if tt.want == nil && got != tt.err {
			t.Errorf("runtimeHint(%q) = %q, want it unchanged", tt.err, got)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("release %q: runtimeHint(%q) = %q, want it to contain %q", tt.release, tt.err, got, w)
			}
		}
		if tt.release != "" && strings.Contains(got, "development build") {
			t.Errorf("a release build's hint speaks of a development build: %q", got)
		}
	}
}

func TestOldOffset(t *testing.T) {
	old := "a\nb\nc\nd\n"
	new := "a\nX\nY\nb\nc\nd\n" // two lines inserted after a, c kept
	es := udiff.Lines(old, new)
	tests := []struct{ newOff, oldOff int }{
		{0, 0}, // a: before the edit
		{strings.Index(new, "c"), strings.Index(old, "c")}, // after: shifted back
		{strings.Index(new, "X"), 2},                       // inside the insertion: its start
	}
	for _, tt := range tests {
		if got := oldOffset(es, tt.newOff); got != tt.oldOff {
			t.Errorf("oldOffset(%d) = %d, want %d", tt.newOff, got, tt.oldOff)
		}
	}
	if p := positionAt([]byte(old), "f", strings.Index(old, "c")); p.Line != 3 || p.Column != 1 {
		t.Errorf("positionAt = %v, want line 3 column 1", p)
	}
}

// TestFixLabel: labels come from the finding's subject, never from its
// message (which here says something else entirely).
func TestFixLabel(t *testing.T) {
	pos := token.Position{Filename: "a.go", Line: 3, Column: 7}
	tests := []struct {
		f    driver.Finding
		want string
	}{
		{driver.Finding{Analyzer: retrycoverage.Name, Pos: pos, Message: "Other.Thing is reworded",
			Subject: &coverage.Finding{Analyzer: retrycoverage.Name, Package: "p", Type: "Store", Method: "Get", Kind: coverage.KindUnrouted}}, "Store.Get (retry)"},
		{driver.Finding{Analyzer: intelcoverage.Name, Pos: pos, Message: "x",
			Subject: &coverage.Finding{Analyzer: intelcoverage.Name, Package: "p", Type: "SyncWorker", Method: "Execute", Kind: coverage.KindUntracked}}, "SyncWorker.Execute (tracking)"},
		{driver.Finding{Analyzer: retrycoverage.Name, Pos: pos, Message: "Store.Get: bad directive"}, "a.go:3:7"},
	}
	for _, tt := range tests {
		if got := fixLabel(tt.f); got != tt.want {
			t.Errorf("fixLabel(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}

func TestIsRelease(t *testing.T) {
	for v, want := range map[string]bool{
		"v1.2.3":                             true,
		"v0.9.0":                             true,
		"v1.3.0-rc.1":                        true,
		"v2.0.0":                             false, // a v2 module's path ends in /v2
		"(devel)":                            false,
		"":                                   false,
		"v1.2.3+dirty":                       false,
		"v0.0.0-20261129171500-3f74e3d1a2b3": false,
		"v0.0.0-20261129171500-3f74e3d1a2b3+dirty": false,
		"v1.2.4-0.20261129171500-3f74e3d1a2b3":     false, // a commit after v1.2.3
	} {
		if got := isRelease(v); got != want {
			t.Errorf("isRelease(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestUnitConfigFactsOnly: a unit the go command analyzes only for its
// Facts (VetxOnly) is told apart from one whose findings it prints.
func TestUnitConfigFactsOnly(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.go")
	if err := os.WriteFile(src, []byte("package a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		json string
		want bool
	}{
		{`{"GoFiles": [` + strconv.Quote(src) + `], "VetxOnly": true}`, true},
		{`{"GoFiles": [` + strconv.Quote(src) + `], "VetxOnly": false}`, false},
		{`{"GoFiles": [` + strconv.Quote(src) + `]}`, false},
		{`{"VetxOnly": true}`, true},
	} {
		cfgFile := filepath.Join(dir, "unit.cfg")
		if err := os.WriteFile(cfgFile, []byte(tt.json), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, factsOnly, err := unitConfig([]string{cfgFile})
		if err != nil || cfg == nil {
			t.Fatalf("unitConfig(%s): %v, %v", tt.json, cfg, err)
		}
		if factsOnly != tt.want {
			t.Errorf("unitConfig(%s): factsOnly %v, want %v", tt.json, factsOnly, tt.want)
		}
	}
	if _, _, err := unitConfig([]string{filepath.Join(dir, "missing.cfg")}); err == nil {
		t.Error("unitConfig of a missing .cfg file: no error")
	}
}
