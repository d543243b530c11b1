package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
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
		for _, name := range []string{retrycoverage.Name, intelcoverage.Name} {
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

// writeGitHub prints findings and package errors as GitHub Actions
// workflow commands (::error file=F,line=L,col=C,title=T::message), which
// the Actions runner turns into annotations on the pull request's diff.
// File names are relative to the working directory, the checkout's root in
// a workflow.
func writeGitHub(w io.Writer, res *driver.Result, findings []driver.Finding) error {
	for _, f := range findings {
		props := []string{
			"file=" + ghProperty(filepath.ToSlash(relPath(f.Pos.Filename))),
			"line=" + strconv.Itoa(f.Pos.Line),
			"col=" + strconv.Itoa(f.Pos.Column),
		}
		if f.End.IsValid() && f.End.Filename == f.Pos.Filename {
			props = append(props, "endLine="+strconv.Itoa(f.End.Line), "endColumn="+strconv.Itoa(f.End.Column))
		}
		props = append(props, "title="+ghProperty(f.Analyzer))
		if _, err := fmt.Fprintf(w, "::error %s::%s\n", strings.Join(props, ","), ghData(f.Message)); err != nil {
			return err
		}
	}
	for _, e := range res.Errors {
		props := "title=" + ghProperty("resilience-lint: "+e.Package+" could not be analyzed")
		if file, line, col, ok := splitPos(e.Pos); ok {
			where := "file=" + ghProperty(filepath.ToSlash(relPath(file))) + ",line=" + strconv.Itoa(line)
			if col > 0 {
				where += ",col=" + strconv.Itoa(col)
			}
			props = where + "," + props
		}
		if _, err := fmt.Fprintf(w, "::error %s::%s\n", props, ghData(e.Msg)); err != nil {
			return err
		}
	}
	return nil
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value, where ":" and
// "," are separators too.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// splitPos splits "file:line:col" (or "file:line").
func splitPos(pos string) (file string, line, col int, ok bool) {
	rest := pos
	var nums []int
	for len(nums) < 2 {
		i := strings.LastIndexByte(rest, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		rest = rest[:i]
	}
	switch len(nums) {
	case 2:
		return rest, nums[0], nums[1], true
	case 1:
		return rest, nums[0], 0, true
	}
	return "", 0, 0, false
}
