// Package fixapply applies analyzers' suggested fixes to files, all or
// nothing.
//
// A Plan is computed in memory from every fix: identical edits (the same
// fix reported for a package and its test variant, the same import added by
// two fixes) are merged, overlapping edits are a conflict, and the
// declarations the edits touch are gofmt-formatted, every other byte of
// the file left as it was (format.go). Before anything is written, Verify re-type-checks the
// rewritten packages through a go/packages overlay; Write then checks that
// every file is writable and replaces each one atomically (temporary file in
// the same directory, then rename), keeping its mode. If any step fails,
// nothing is written.
package fixapply

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// Edit replaces the bytes [Start, End) of File with New.
type Edit struct {
	File       string // absolute file name
	Start, End int    // byte offsets
	New        []byte
}

// Fix is one suggested fix: edits applied together or not at all.
type Fix struct {
	// Label names what the fix rewrites, for messages (e.g.
	// "retrycoverage: (*Loader).Load").
	Label string
	Edits []Edit
}

// FromSuggested converts the first of a diagnostic's suggested fixes (the
// one go vet -fix applies) into a Fix. ok is false if there is none.
func FromSuggested(fset *token.FileSet, label string, fixes []analysis.SuggestedFix) (fix Fix, ok bool) {
	if len(fixes) == 0 {
		return Fix{}, false
	}
	fix.Label = label
	for _, e := range fixes[0].TextEdits {
		start := fset.Position(e.Pos)
		end := start
		if e.End.IsValid() {
			end = fset.Position(e.End)
		}
		fix.Edits = append(fix.Edits, Edit{File: start.Filename, Start: start.Offset, End: end.Offset, New: e.NewText})
	}
	return fix, true
}

// FileChange is the new content of one file.
type FileChange struct {
	Name     string // absolute file name
	Old, New []byte
	Mode     os.FileMode
	// Labels are the fixes that touch the file, sorted.
	Labels []string
}

// Plan is the set of file changes that applying every fix produces.
type Plan struct {
	Files []FileChange // sorted by name; unchanged files are omitted
}

// ConflictError is two fixes whose edits overlap differently.
type ConflictError struct {
	File string
	A, B string // the labels of the two fixes
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s: the fixes for %s and %s overlap; apply them one at a time (fix one, re-run)", e.File, e.A, e.B)
}

type labelled struct {
	Edit
	label  string
	others []string // labels of other fixes merged into this edit
}

// NewPlan applies fixes in memory. readFile reads a file's current content
// (nil: os.ReadFile). The error is a *ConflictError, a read error, or a
// formatting error (a fix that does not produce valid Go).
func NewPlan(fixes []Fix, readFile func(string) ([]byte, error)) (*Plan, error) {
	if readFile == nil {
		readFile = os.ReadFile
	}
	byFile := make(map[string][]labelled)
	for _, f := range fixes {
		for _, e := range f.Edits {
			byFile[e.File] = append(byFile[e.File], labelled{Edit: e, label: f.Label})
		}
	}
	names := make([]string, 0, len(byFile))
	for name := range byFile {
		names = append(names, name)
	}
	sort.Strings(names)
	plan := &Plan{}
	for _, name := range names {
		edits, err := merge(name, byFile[name])
		if err != nil {
			return nil, err
		}
		old, err := readFile(name)
		if err != nil {
			return nil, err
		}
		fi, err := os.Stat(name)
		mode := os.FileMode(0o644)
		if err == nil {
			mode = fi.Mode().Perm()
		}
		var buf bytes.Buffer
		last := 0
		labels := make(map[string]bool)
		var touched []span // where the edits' texts are in buf
		for _, e := range edits {
			if e.Start < last || e.End > len(old) || e.Start > e.End {
				return nil, fmt.Errorf("%s: fix for %s has an edit [%d,%d) outside the file (%d bytes); is the file newer than the analysis?", name, e.label, e.Start, e.End, len(old))
			}
			buf.Write(old[last:e.Start])
			touched = append(touched, span{buf.Len(), buf.Len() + len(e.New)})
			buf.Write(e.New)
			last = e.End
			labels[e.label] = true
			for _, l := range e.others {
				labels[l] = true
			}
		}
		buf.Write(old[last:])
		out, err := formatTouched(buf.Bytes(), touched)
		if err != nil {
			return nil, fmt.Errorf("%s: the fixes (%s) produce invalid Go: %v", name, strings.Join(sortedKeys(labels), ", "), err)
		}
		if crlfOnly(old) {
			out = toCRLF(out)
		}
		if bytes.Equal(out, old) {
			continue
		}
		plan.Files = append(plan.Files, FileChange{Name: name, Old: old, New: out, Mode: mode, Labels: sortedKeys(labels)})
	}
	return plan, nil
}

// Compose returns the plan of applying first, then next (computed on
// first's new contents): each file's Old is its content before first, its
// New the content after next, its labels those of both.
func Compose(first, next *Plan) *Plan {
	byName := make(map[string]int)
	out := &Plan{}
	for _, f := range first.Files {
		byName[f.Name] = len(out.Files)
		out.Files = append(out.Files, f)
	}
	for _, f := range next.Files {
		i, ok := byName[f.Name]
		if !ok {
			byName[f.Name] = len(out.Files)
			out.Files = append(out.Files, f)
			continue
		}
		g := &out.Files[i]
		g.New = f.New
		labels := make(map[string]bool)
		for _, l := range append(append([]string{}, g.Labels...), f.Labels...) {
			labels[l] = true
		}
		g.Labels = sortedKeys(labels)
	}
	kept := out.Files[:0]
	for _, f := range out.Files {
		if !bytes.Equal(f.Old, f.New) {
			kept = append(kept, f)
		}
	}
	out.Files = kept
	sort.Slice(out.Files, func(i, j int) bool { return out.Files[i].Name < out.Files[j].Name })
	return out
}

// merge sorts a file's edits, drops exact duplicates and reports overlaps.
func merge(file string, edits []labelled) ([]labelled, error) {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].Start != edits[j].Start {
			return edits[i].Start < edits[j].Start
		}
		return edits[i].End < edits[j].End
	})
	var out []labelled
	for _, e := range edits {
		if n := len(out); n > 0 {
			prev := &out[n-1]
			if prev.Start == e.Start && prev.End == e.End && bytes.Equal(prev.New, e.New) {
				continue // identical edit from another fix or a test variant
			}
			if e.Start == e.End && prev.Start == prev.End && e.Start == prev.Start {
				// Two pure insertions at one offset (typically two
				// fixes adding different imports): keep both, in a
				// deterministic order, unless one already holds the
				// other's text.
				switch {
				case bytes.Contains(prev.New, e.New):
				case bytes.Contains(e.New, prev.New):
					prev.New = e.New
				case bytes.Compare(e.New, prev.New) < 0:
					prev.New = joinInsertions(e.New, prev.New)
				default:
					prev.New = joinInsertions(prev.New, e.New)
				}
				prev.others = append(prev.others, e.label)
				continue
			}
			if e.Start < prev.End {
				return nil, &ConflictError{File: file, A: prev.label, B: e.label}
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// joinInsertions concatenates two insertions made at one offset. Each was
// written to stand alone, often as "\n<line>\n"; joined, the newline that
// ends a and the one that starts b would leave a blank line (in an import
// block, splitting it into two groups), so one of them is dropped.
func joinInsertions(a, b []byte) []byte {
	out := append([]byte{}, a...)
	if bytes.HasSuffix(a, []byte("\n")) && bytes.HasPrefix(b, []byte("\n")) {
		b = b[1:]
	}
	return append(out, b...)
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Diff writes a unified diff of every change to w, file names relative to
// dir when they are under it.
func (p *Plan) Diff(w io.Writer, dir string) error {
	for _, f := range p.Files {
		name := relative(dir, f.Name)
		d := udiff.Unified("a/"+name, "b/"+name, string(f.Old), string(f.New))
		if _, err := io.WriteString(w, d); err != nil {
			return err
		}
	}
	return nil
}

func relative(dir, name string) string {
	if dir == "" {
		return filepath.ToSlash(name)
	}
	if rel, err := filepath.Rel(dir, name); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(name)
}

// VerifyOptions configures Verify.
type VerifyOptions struct {
	Dir        string   // where the go command runs
	Env        []string // nil: the process's environment
	BuildFlags []string
	// Check, if set, type-checks the packages of files with overlay and
	// returns their errors, instead of go/packages (which, given an
	// overlay, type-checks every dependency from source; the CLI passes
	// driver.TypeCheck, which reads them from export data).
	Check func(ctx context.Context, overlay map[string][]byte, files []string) ([]string, error)
}

// VerifyError lists the errors the rewritten packages would have.
type VerifyError struct {
	Errors []string
}

func (e *VerifyError) Error() string {
	return "the fixed code would not compile, so nothing was written:\n\t" + strings.Join(e.Errors, "\n\t")
}

// Verify type-checks the packages of the changed files with the new
// contents in an overlay (the files on disk are not touched). The error is
// a *VerifyError if they would not compile.
func (p *Plan) Verify(ctx context.Context, opts VerifyOptions) error {
	if len(p.Files) == 0 {
		return nil
	}
	overlay := make(map[string][]byte, len(p.Files))
	var patterns []string
	tests := false
	for _, f := range p.Files {
		overlay[f.Name] = f.New
		if filepath.Ext(f.Name) != ".go" {
			continue // go.mod, go.sum: in the overlay, not packages
		}
		patterns = append(patterns, "file="+f.Name)
		tests = tests || strings.HasSuffix(f.Name, "_test.go")
	}
	if opts.Check != nil {
		files := make([]string, 0, len(p.Files))
		for _, f := range p.Files {
			files = append(files, f.Name)
		}
		errs, err := opts.Check(ctx, overlay, files)
		if err != nil {
			return fmt.Errorf("verifying the fixed code: %w", err)
		}
		if len(errs) > 0 {
			return &VerifyError{Errors: errs}
		}
		return nil
	}
	cfg := &packages.Config{
		Context:    ctx,
		Mode:       packages.LoadSyntax,
		Dir:        opts.Dir,
		Env:        opts.Env,
		BuildFlags: opts.BuildFlags,
		Overlay:    overlay,
		Tests:      tests,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return fmt.Errorf("verifying the fixed code: %w", err)
	}
	var errs []string
	seen := make(map[string]bool)
	for _, pkg := range pkgs {
		typed := false
		for _, e := range pkg.Errors {
			typed = typed || e.Kind != packages.ListError
		}
		for _, e := range pkg.Errors {
			// With source errors present, the compiler's copy of them
			// (a list error "# pkg ...") adds nothing.
			if typed && e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# ") {
				continue
			}
			s := e.Error()
			if !seen[s] {
				seen[s] = true
				errs = append(errs, s)
			}
		}
	}
	if len(errs) > 0 {
		return &VerifyError{Errors: errs}
	}
	return nil
}

// Write replaces every changed file (and creates those with a nil Old
// that do not exist). It first checks that each file still
// has its planned old content and is writable (a read-only file is an
// error), then writes each new content to a temporary file beside the
// original and renames it over the original, keeping the file's mode. If a
// check or a temporary write fails, no file is changed.
func (p *Plan) Write() error {
	var errs []error
	for _, f := range p.Files {
		fi, err := os.Stat(f.Name)
		if f.Old == nil && errors.Is(err, fs.ErrNotExist) {
			continue // a new file (go.sum of a module that had none)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if fi.Mode().Perm()&0o200 == 0 {
			errs = append(errs, fmt.Errorf("%s: file is read-only (mode %v); make it writable to apply the fix", f.Name, fi.Mode().Perm()))
			continue
		}
		cur, err := os.ReadFile(f.Name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !bytes.Equal(cur, f.Old) {
			errs = append(errs, fmt.Errorf("%s: file changed since it was analyzed; re-run", f.Name))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("nothing was written: %w", errors.Join(errs...))
	}
	temps := make([]string, len(p.Files))
	cleanup := func() {
		for _, t := range temps {
			if t != "" {
				_ = os.Remove(t) // best effort: the temporary files are ours
			}
		}
	}
	for i, f := range p.Files {
		t, err := writeTemp(f)
		if err != nil {
			cleanup()
			return fmt.Errorf("nothing was written: %w", err)
		}
		temps[i] = t
	}
	for i, f := range p.Files {
		if err := os.Rename(temps[i], f.Name); err != nil {
			cleanup()
			var done []string
			for _, g := range p.Files[:i] {
				done = append(done, g.Name)
			}
			return fmt.Errorf("%s: %w (already rewritten: %s)", f.Name, err, strings.Join(done, ", "))
		}
		temps[i] = ""
	}
	return nil
}

// writeTemp writes f.New to a temporary file in f's directory with f's mode.
func writeTemp(f FileChange) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(f.Name), "."+filepath.Base(f.Name)+".resilience-lint-*")
	if err != nil {
		return "", err
	}
	name := tmp.Name()
	_, werr := tmp.Write(f.New)
	if werr == nil {
		werr = tmp.Chmod(f.Mode)
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(name)
		return "", werr
	}
	return name, nil
}
