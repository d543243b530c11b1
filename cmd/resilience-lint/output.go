package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/resilience-lint/resilience-lint/internal/driver"
)

// relPath returns name relative to the working directory when it is under
// it, as go vet prints it.
func relPath(name string) string {
	wd := workDir()
	if wd == "" || !filepath.IsAbs(name) {
		return name
	}
	rel, err := filepath.Rel(wd, name)
	if err != nil || strings.HasPrefix(rel, "..") {
		return name
	}
	return rel
}

// relPos rewrites the file name of a "file:line:col" position with relPath.
func relPos(pos string) string {
	file, rest := pos, ""
	// The file name ends before the first ":<digits>" suffix.
	for i := len(pos) - 1; i >= 0; i-- {
		if pos[i] != ':' {
			continue
		}
		if _, err := strconv.Atoi(strings.SplitN(pos[i+1:], ":", 2)[0]); err == nil {
			file, rest = pos[:i], pos[i:]
		} else {
			break
		}
	}
	return relPath(file) + rest
}

// posKey identifies a position by file and line.
func posKey(p token.Position) string {
	return p.Filename + ":" + strconv.Itoa(p.Line)
}

// writeText prints findings as file:line:col: message.
func writeText(w io.Writer, findings []driver.Finding) error {
	for _, f := range findings {
		p := f.Pos
		if _, err := fmt.Fprintf(w, "%s:%d:%d: %s\n", relPath(p.Filename), p.Line, p.Column, f.Message); err != nil {
			return err
		}
	}
	return nil
}

// note prints a message for the user on w (stderr). A failure to write
// it cannot be reported anywhere, so it is ignored.
func note(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}

// The JSON shape of go vet -json and the go/analysis drivers: package ID ->
// analyzer -> diagnostics (or {"error": ...}).
type (
	jsonTextEdit struct {
		Filename string `json:"filename"`
		Start    int    `json:"start"`
		End      int    `json:"end"`
		New      string `json:"new"`
	}
	jsonSuggestedFix struct {
		Message string         `json:"message"`
		Edits   []jsonTextEdit `json:"edits"`
	}
	jsonRelated struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	jsonDiagnostic struct {
		Category       string             `json:"category,omitempty"`
		Posn           string             `json:"posn"`
		End            string             `json:"end"`
		Message        string             `json:"message"`
		URL            string             `json:"url,omitempty"`
		SuggestedFixes []jsonSuggestedFix `json:"suggested_fixes,omitempty"`
		Related        []jsonRelated      `json:"related,omitempty"`
	}
	jsonError struct {
		Err string `json:"error"`
	}
)

// writeJSON prints findings and package errors in the go/analysis JSON
// shape. A package's load errors appear under each analyzer as {"error"}.
func writeJSON(w io.Writer, res *driver.Result, findings []driver.Finding) error {
	tree := make(map[string]map[string]any)
	pkgMap := func(pkg string) map[string]any {
		m, ok := tree[pkg]
		if !ok {
			m = make(map[string]any)
			tree[pkg] = m
		}
		return m
	}
	for _, f := range findings {
		m := pkgMap(f.Package)
		d := jsonDiagnostic{
			Category: f.Category,
			Posn:     f.Pos.String(),
			End:      cmp.Or(f.End, f.Pos).String(),
			Message:  f.Message,
			URL:      f.URL,
		}
		for _, sf := range f.Fixes {
			jf := jsonSuggestedFix{Message: sf.Message}
			for _, e := range sf.TextEdits {
				start := res.Fset.Position(e.Pos)
				end := start
				if e.End.IsValid() {
					end = res.Fset.Position(e.End)
				}
				jf.Edits = append(jf.Edits, jsonTextEdit{Filename: start.Filename, Start: start.Offset, End: end.Offset, New: string(e.NewText)})
			}
			d.SuggestedFixes = append(d.SuggestedFixes, jf)
		}
		for _, r := range f.Related {
			p := res.Fset.Position(r.Pos)
			e := p
			if r.End.IsValid() {
				e = res.Fset.Position(r.End)
			}
			d.Related = append(d.Related, jsonRelated{Posn: p.String(), End: e.String(), Message: r.Message})
		}
		list, _ := m[f.Analyzer].([]jsonDiagnostic)
		m[f.Analyzer] = append(list, d)
	}
	errs := make(map[string][]string)
	for _, e := range res.Errors {
		errs[e.Package] = append(errs[e.Package], e.Error())
	}
	for pkg, list := range errs {
		m := pkgMap(pkg)
		for _, name := range []string{"retrycoverage", "intelcoverage"} {
			m[name] = jsonError{Err: strings.Join(list, "\n")}
		}
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}
