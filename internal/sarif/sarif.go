// Package sarif renders resilience-lint findings as a SARIF 2.1.0 log, the
// format GitHub code scanning (and most CI dashboards) accept.
//
// One run holds one rule per analyzer, one result per finding with its
// location, and the analyzer's suggested fix as a SARIF fix (artifact
// changes with byte-offset regions). Packages that could not be analyzed
// become error notifications of the invocation, which is then marked
// unsuccessful. File locations are relative to the base directory
// (uriBaseId "%SRCROOT%") when they are under it, as code scanning expects.
package sarif

import (
	"encoding/json"
	"go/token"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/internal/driver"
)

// Version and Schema identify the SARIF format written.
const (
	Version = "2.1.0"
	Schema  = "https://json.schemastore.org/sarif-2.1.0.json"
)

// srcRoot is the uriBaseId of relative locations.
const srcRoot = "%SRCROOT%"

// Log is a SARIF log (the subset this tool writes).
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []Run  `json:"runs"`
}

// Run is one run of the tool.
type Run struct {
	Tool        Tool                           `json:"tool"`
	Invocations []Invocation                   `json:"invocations"`
	Results     []Result                       `json:"results"`
	BaseIDs     map[string]ArtifactLocationRef `json:"originalUriBaseIds,omitempty"`
	ColumnKind  string                         `json:"columnKind"`
}

// ArtifactLocationRef gives a uriBaseId its absolute URI.
type ArtifactLocationRef struct {
	URI string `json:"uri"`
}

// Tool describes resilience-lint.
type Tool struct {
	Driver ToolComponent `json:"driver"`
}

// ToolComponent is the tool's name, version and rules.
type ToolComponent struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri,omitempty"`
	Rules          []Rule `json:"rules"`
}

// Rule is one analyzer.
type Rule struct {
	ID               string  `json:"id"`
	Name             string  `json:"name,omitempty"`
	ShortDescription Message `json:"shortDescription"`
	FullDescription  Message `json:"fullDescription"`
	HelpURI          string  `json:"helpUri,omitempty"`
	DefaultConfig    Config  `json:"defaultConfiguration"`
}

// Config is a rule's default configuration.
type Config struct {
	Level string `json:"level"`
}

// Message is a SARIF message.
type Message struct {
	Text string `json:"text"`
}

// Invocation records whether the run succeeded and its notifications.
type Invocation struct {
	ExecutionSuccessful bool           `json:"executionSuccessful"`
	Notifications       []Notification `json:"toolExecutionNotifications,omitempty"`
}

// Notification is a problem of the tool itself (a package that failed to load).
type Notification struct {
	Level     string     `json:"level"`
	Message   Message    `json:"message"`
	Locations []Location `json:"locations,omitempty"`
}

// Result is one finding.
type Result struct {
	RuleID    string     `json:"ruleId"`
	RuleIndex int        `json:"ruleIndex"`
	Level     string     `json:"level"`
	Message   Message    `json:"message"`
	Locations []Location `json:"locations"`
	Fixes     []Fix      `json:"fixes,omitempty"`
}

// Location is a physical location.
type Location struct {
	PhysicalLocation PhysicalLocation `json:"physicalLocation"`
}

// PhysicalLocation is a region of a file.
type PhysicalLocation struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Region           *Region          `json:"region,omitempty"`
}

// ArtifactLocation names a file.
type ArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// Region is a text region: lines and columns for locations, byte offsets
// for fix replacements.
type Region struct {
	StartLine   int  `json:"startLine,omitempty"`
	StartColumn int  `json:"startColumn,omitempty"`
	EndLine     int  `json:"endLine,omitempty"`
	EndColumn   int  `json:"endColumn,omitempty"`
	ByteOffset  *int `json:"byteOffset,omitempty"`
	ByteLength  *int `json:"byteLength,omitempty"`
}

// Fix is a suggested fix.
type Fix struct {
	Description     Message          `json:"description"`
	ArtifactChanges []ArtifactChange `json:"artifactChanges"`
}

// ArtifactChange is the replacements in one file.
type ArtifactChange struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Replacements     []Replacement    `json:"replacements"`
}

// Replacement replaces a region with new text.
type Replacement struct {
	DeletedRegion   Region   `json:"deletedRegion"`
	InsertedContent *Message `json:"insertedContent,omitempty"`
}

// Build makes the SARIF log of findings (positions in fset) and package
// errors, with one rule per analyzer; locations are relative to baseDir
// when under it; version is the tool's version.
func Build(fset *token.FileSet, findings []driver.Finding, errs []driver.PackageError, analyzers []*analysis.Analyzer, baseDir, version string) *Log {
	run := Run{
		Tool: Tool{Driver: ToolComponent{
			Name:           "resilience-lint",
			Version:        version,
			InformationURI: "https://github.com/resilience-lint/resilience-lint",
			Rules:          []Rule{},
		}},
		Results: []Result{},
		// Go columns count bytes; SARIF has no byte column kind, and
		// code points are the closest (equal for ASCII source).
		ColumnKind: "unicodeCodePoints",
	}
	if baseDir != "" {
		run.BaseIDs = map[string]ArtifactLocationRef{srcRoot: {URI: fileURI(baseDir) + "/"}}
	}
	index := make(map[string]int)
	for _, a := range analyzers {
		index[a.Name] = len(run.Tool.Driver.Rules)
		short, _, _ := strings.Cut(a.Doc, "\n")
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, Rule{
			ID:               a.Name,
			Name:             a.Name,
			ShortDescription: Message{Text: short},
			FullDescription:  Message{Text: a.Doc},
			HelpURI:          a.URL,
			DefaultConfig:    Config{Level: "warning"},
		})
	}
	for _, f := range findings {
		i, ok := index[f.Analyzer]
		if !ok {
			i = len(run.Tool.Driver.Rules)
			index[f.Analyzer] = i
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, Rule{ID: f.Analyzer, ShortDescription: Message{Text: f.Analyzer}, FullDescription: Message{Text: f.Analyzer}, DefaultConfig: Config{Level: "warning"}})
		}
		r := Result{
			RuleID:    f.Analyzer,
			RuleIndex: i,
			Level:     "warning",
			Message:   Message{Text: f.Message},
			Locations: []Location{location(baseDir, f.Pos, f.End)},
		}
		for _, sf := range f.Fixes {
			r.Fixes = append(r.Fixes, fix(fset, baseDir, sf))
		}
		run.Results = append(run.Results, r)
	}
	inv := Invocation{ExecutionSuccessful: len(errs) == 0}
	for _, e := range errs {
		n := Notification{Level: "error", Message: Message{Text: e.Package + ": " + e.Msg}}
		if p, ok := parsePos(e.Pos); ok {
			n.Locations = []Location{location(baseDir, p, token.Position{})}
		}
		inv.Notifications = append(inv.Notifications, n)
	}
	run.Invocations = []Invocation{inv}
	return &Log{Schema: Schema, Version: Version, Runs: []Run{run}}
}

// Write writes log as indented JSON.
func Write(w io.Writer, log *Log) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func location(baseDir string, pos, end token.Position) Location {
	reg := &Region{StartLine: pos.Line, StartColumn: pos.Column}
	if end.IsValid() && end.Filename == pos.Filename {
		reg.EndLine, reg.EndColumn = end.Line, end.Column
	}
	if pos.Line == 0 {
		reg = nil
	}
	return Location{PhysicalLocation: PhysicalLocation{ArtifactLocation: artifact(baseDir, pos.Filename), Region: reg}}
}

func fix(fset *token.FileSet, baseDir string, sf analysis.SuggestedFix) Fix {
	byFile := make(map[string]*ArtifactChange)
	var order []string
	for _, e := range sf.TextEdits {
		start := fset.Position(e.Pos)
		end := start
		if e.End.IsValid() {
			end = fset.Position(e.End)
		}
		ch, ok := byFile[start.Filename]
		if !ok {
			ch = &ArtifactChange{ArtifactLocation: artifact(baseDir, start.Filename)}
			byFile[start.Filename] = ch
			order = append(order, start.Filename)
		}
		off, n := start.Offset, end.Offset-start.Offset
		rep := Replacement{DeletedRegion: Region{ByteOffset: &off, ByteLength: &n}}
		if len(e.NewText) > 0 {
			rep.InsertedContent = &Message{Text: string(e.NewText)}
		}
		ch.Replacements = append(ch.Replacements, rep)
	}
	out := Fix{Description: Message{Text: sf.Message}}
	for _, name := range order {
		out.ArtifactChanges = append(out.ArtifactChanges, *byFile[name])
	}
	return out
}

// artifact names file relative to baseDir (uriBaseId %SRCROOT%) when it is
// under it, else by absolute file URI.
func artifact(baseDir, file string) ArtifactLocation {
	if baseDir != "" {
		if rel, err := filepath.Rel(baseDir, file); err == nil && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel) {
			return ArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(rel)}).EscapedPath(), URIBaseID: srcRoot}
		}
	}
	return ArtifactLocation{URI: fileURI(file)}
}

func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows drive letters
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// parsePos parses "file:line:col" (or "file:line").
func parsePos(s string) (token.Position, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 {
		return token.Position{}, false
	}
	var p token.Position
	nums := []*int{&p.Line, &p.Column}
	// Take up to two trailing integers.
	k := 0
	for k < 2 && len(parts) > 1 {
		last := parts[len(parts)-1]
		n, ok := atoi(last)
		if !ok {
			break
		}
		*nums[k] = n
		parts = parts[:len(parts)-1]
		k++
	}
	if k == 0 {
		return token.Position{}, false
	}
	if k == 2 {
		p.Line, p.Column = p.Column, p.Line
	}
	p.Filename = strings.Join(parts, ":")
	return p, true
}

func atoi(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}
