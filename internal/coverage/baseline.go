package coverage

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

// Analyzer names and finding kinds: the analyzers' own constants, so that
// a baseline written today matches the diagnostics of tomorrow.
const (
	RetryAnalyzer = retrycoverage.Name
	IntelAnalyzer = intelcoverage.Name

	KindUnrouted  = retrycoverage.CategoryUnrouted  // an in-scope agent method not routed through recovery
	KindUntracked = intelcoverage.CategoryUntracked // a worker run method whose outcomes are not all tracked
)

// Finding is one unrouted method or untracked worker, identified so that
// it survives edits around it: Analyzer, Package, Type, Method and Kind are
// its identity; Message, File and Line are informational only.
type Finding struct {
	Analyzer string `json:"analyzer"` // RetryAnalyzer or IntelAnalyzer
	Package  string `json:"package"`  // import path
	Type     string `json:"type"`     // agent or worker type name
	Method   string `json:"method"`   // method or run method name
	Kind     string `json:"kind"`     // KindUnrouted or KindUntracked

	Message string `json:"message,omitempty"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
}

// findingKey is the identity of a Finding.
type findingKey struct{ analyzer, pkg, typ, method, kind string }

func (f Finding) key() findingKey {
	return findingKey{f.Analyzer, f.Package, f.Type, f.Method, f.Kind}
}

// String formats f as "pkg.Type.Method (analyzer: kind)".
func (f Finding) String() string {
	return f.Package + "." + f.Type + "." + f.Method + " (" + f.Analyzer + ": " + f.Kind + ")"
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Package, b.Package), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Method, b.Method),
		cmp.Compare(a.Analyzer, b.Analyzer), cmp.Compare(a.Kind, b.Kind))
}

// Findings returns the report's findings (missing methods and workers),
// sorted by package, type and method.
func (r *Report) Findings() []Finding {
	fs := []Finding{}
	for _, a := range r.Agents {
		for _, m := range a.Methods {
			if m.Status == Missing {
				fs = append(fs, Finding{
					Analyzer: RetryAnalyzer, Package: a.Package, Type: a.Name, Method: m.Name, Kind: KindUnrouted,
					Message: m.Reason, File: m.File, Line: m.Line,
				})
			}
		}
	}
	for _, w := range r.Workers {
		if w.Status == Missing {
			fs = append(fs, Finding{
				Analyzer: IntelAnalyzer, Package: w.Package, Type: w.Name, Method: w.Method, Kind: KindUntracked,
				Message: w.Reason, File: w.File, Line: w.Line,
			})
		}
	}
	slices.SortStableFunc(fs, compareFindings)
	return fs
}

// Baseline is a recorded set of findings. The zero value and nil are empty
// baselines.
//
// For the lint command: load it once with LoadBaseline and drop each
// finding b.Contains reports; build Findings from the analyzers' results
// with Build(...).Findings().
type Baseline struct {
	findings []Finding
	set      map[findingKey]bool
}

// NewBaseline returns a baseline holding fs (positions and messages are
// dropped: they are not part of a finding's identity).
func NewBaseline(fs []Finding) *Baseline {
	b := &Baseline{set: map[findingKey]bool{}}
	for _, f := range fs {
		if b.set[f.key()] {
			continue
		}
		b.set[f.key()] = true
		b.findings = append(b.findings, Finding{
			Analyzer: f.Analyzer, Package: f.Package, Type: f.Type, Method: f.Method, Kind: f.Kind,
		})
	}
	slices.SortFunc(b.findings, compareFindings)
	return b
}

// Contains reports whether f (matched by analyzer, package, type, method
// and kind) is in the baseline.
func (b *Baseline) Contains(f Finding) bool {
	return b != nil && b.set[f.key()]
}

// Findings returns the baseline's findings, sorted.
func (b *Baseline) Findings() []Finding {
	if b == nil {
		return nil
	}
	return slices.Clone(b.findings)
}

// Len returns the number of findings in the baseline.
func (b *Baseline) Len() int {
	if b == nil {
		return 0
	}
	return len(b.findings)
}

// baselineFile is the on-disk form. It holds no positions, messages or
// timestamps, so rewriting it after unrelated edits changes nothing.
type baselineFile struct {
	SchemaVersion int       `json:"schema_version"`
	Tool          string    `json:"tool"`
	Findings      []Finding `json:"findings"`
}

// WriteTo writes b as JSON.
func (b *Baseline) WriteTo(w io.Writer) (int64, error) {
	f := baselineFile{SchemaVersion: SchemaVersion, Tool: "resilience-lint", Findings: b.Findings()}
	if f.Findings == nil {
		f.Findings = []Finding{}
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return 0, err
	}
	n, err := w.Write(append(data, '\n'))
	return int64(n), err
}

// ReadBaseline parses a baseline written by WriteTo or WriteBaseline.
// Unknown fields, another schema version and findings without an identity
// are errors.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f baselineFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty baseline file")
		}
		return nil, fmt.Errorf("not a resilience-lint baseline: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not a resilience-lint baseline: trailing data after the JSON object")
	}
	if f.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("baseline schema_version %d is not supported (want %d)", f.SchemaVersion, SchemaVersion)
	}
	for i, fd := range f.Findings {
		switch {
		case fd.Analyzer != RetryAnalyzer && fd.Analyzer != IntelAnalyzer:
			return nil, fmt.Errorf("finding %d: analyzer %q is not %q or %q", i, fd.Analyzer, RetryAnalyzer, IntelAnalyzer)
		case fd.Package == "" || fd.Type == "" || fd.Method == "" || fd.Kind == "":
			return nil, fmt.Errorf("finding %d: package, type, method and kind are required", i)
		}
	}
	return NewBaseline(f.Findings), nil
}

// LoadBaseline reads the baseline file at path. Errors name the file.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	b, err := ReadBaseline(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	return b, nil
}

// WriteBaseline writes fs as a baseline file at path, atomically: the
// file is either replaced whole or left as it was.
func WriteBaseline(path string, fs []Finding) error {
	var buf bytes.Buffer
	if _, err := NewBaseline(fs).WriteTo(&buf); err != nil {
		return fmt.Errorf("baseline %s: %w", path, err)
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("baseline %s: %w", path, err)
	}
	return nil
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it over path, keeping path's mode when it exists.
func writeFileAtomic(path string, data []byte) (err error) {
	mode := os.FileMode(0o644)
	if fi, statErr := os.Stat(path); statErr == nil {
		if !fi.Mode().IsRegular() {
			return errors.New("not a regular file")
		}
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name()) // best effort: the error returned matters more
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Progress is a report's progress against a baseline.
type Progress struct {
	File      string    `json:"file,omitempty"`
	Recorded  int       `json:"recorded"`  // findings in the baseline
	Remaining int       `json:"remaining"` // baseline findings still present
	Fixed     []Finding `json:"fixed"`     // baseline findings no longer present
	New       []Finding `json:"new"`       // present findings not in the baseline
}

// Compare records in r.Baseline (and returns) the progress of r against b;
// file is the baseline's name as shown in the report.
func (r *Report) Compare(b *Baseline, file string) *Progress {
	p := &Progress{File: file, Recorded: b.Len(), Fixed: []Finding{}, New: []Finding{}}
	present := map[findingKey]bool{}
	for _, f := range r.Findings() {
		present[f.key()] = true
		if b.Contains(f) {
			p.Remaining++
		} else {
			p.New = append(p.New, f)
		}
	}
	for _, f := range b.Findings() {
		if !present[f.key()] {
			p.Fixed = append(p.Fixed, f)
		}
	}
	r.Baseline = p
	return p
}

// Subjects maps each diagnostic the analyzers reported for a verdict to
// the method or worker it is about, by analyzer and exact position (the
// Reported positions of the analyzers' results), so that labels and
// baselines never depend on message text.
type Subjects map[subjectKey]Finding

type subjectKey struct {
	analyzer string
	pos      token.Position
}

// NewSubjects indexes the reported diagnostics of the analyzers' results.
// An Unrouted method's diagnostics get Kind KindUnrouted; an Untracked
// worker's, KindUntracked. Subjects hold the identity only (no message,
// file or line), so that a baseline written from them is the same on
// every machine and after any edit around the method.
func NewSubjects(retry []*retrycoverage.Result, intel []*intelcoverage.Result) Subjects {
	s := make(Subjects)
	for _, r := range retry {
		for _, a := range r.Agents {
			for _, m := range a.Methods {
				f := Finding{Analyzer: RetryAnalyzer, Package: a.Pkg, Type: a.Name, Method: m.Name, Kind: KindUnrouted}
				for _, p := range m.Reported {
					s[subjectKey{RetryAnalyzer, positionKey(p)}] = f
				}
			}
		}
	}
	for _, r := range intel {
		for _, w := range r.Workers {
			f := Finding{Analyzer: IntelAnalyzer, Package: w.Pkg, Type: w.Name, Method: w.Method, Kind: KindUntracked}
			for _, p := range w.Reported {
				s[subjectKey{IntelAnalyzer, positionKey(p)}] = f
			}
		}
	}
	return s
}

// Lookup returns the subject of the diagnostic of analyzer at pos, if it
// was reported for a verdict (a malformed directive is not).
func (s Subjects) Lookup(analyzer string, pos token.Position) (Finding, bool) {
	f, ok := s[subjectKey{analyzer, positionKey(pos)}]
	return f, ok
}

// positionKey keeps what identifies a position across file sets: the file,
// line and column (an Offset may be missing).
func positionKey(p token.Position) token.Position {
	return token.Position{Filename: p.Filename, Line: p.Line, Column: p.Column}
}
