package fixers

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// TestImportEdits adds the imports of a retry fix (context, recovery) and
// of a tracking fix (context, intelligence) to files of every import
// layout, alone and merged in both orders as drivers merge fixes
// (identical edits once, insertions at one offset in fix order), and
// checks that each import appears once, sorted into the right group.
func TestImportEdits(t *testing.T) {
	files := map[string]string{
		"none":          "package p\n\nfunc F() {}\n",
		"none adjacent": "package p // c\nfunc F() {}\n",
		"single":        "package p\n\nimport \"fmt\"\n\nvar _ = fmt.Sprint\n",
		"std group":     "package p\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nvar _, _ = fmt.Sprint, os.Exit\n",
		"std after ctx": "package p\n\nimport (\n\t\"bytes\" // b\n)\n\nvar _ = bytes.Clone\n",
		"two groups":    "package p\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/other/x\"\n)\n\nvar _, _ = fmt.Sprint, x.X\n",
		"third only":    "package p\n\nimport (\n\t// doc\n\t\"github.com/other/x\"\n)\n\nvar _ = x.X\n",
		"has context":   "package p\n\nimport (\n\t\"context\"\n\t\"fmt\"\n)\n\nvar _, _ = fmt.Sprint, context.TODO\n",
	}
	retry := []string{"context", targets.RecoveryPath}
	track := []string{"context", targets.IntelligencePath}
	for name, src := range files {
		t.Run(name, func(t *testing.T) {
			edits := func(paths []string) []analysis.TextEdit {
				fset := token.NewFileSet()
				f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
				if err != nil {
					t.Fatal(err)
				}
				var out []analysis.TextEdit
				for _, p := range paths {
					if slices.ContainsFunc(f.Imports, func(s *ast.ImportSpec) bool { return s.Path.Value == strconv.Quote(p) }) {
						continue
					}
					for _, e := range importEdits(fset, f, []byte(src), p, "") {
						if !slices.ContainsFunc(out, func(x analysis.TextEdit) bool { return x.Pos == e.Pos && string(x.NewText) == string(e.NewText) }) {
							out = append(out, e)
						}
					}
				}
				base := token.Pos(fset.File(f.Pos()).Base())
				for i := range out {
					out[i].Pos -= base
					out[i].End -= base
				}
				return out
			}
			for _, fixes := range [][][]string{{retry}, {track}, {retry, track}, {track, retry}} {
				var all []analysis.TextEdit
				for _, fix := range fixes {
					all = mergeEdits(all, edits(fix))
				}
				var out bytes.Buffer
				last := 0
				for _, e := range all {
					out.WriteString(src[last:e.Pos])
					out.Write(e.NewText)
					last = int(e.End)
				}
				out.WriteString(src[last:])
				got := out.Bytes()
				f, err := parser.ParseFile(token.NewFileSet(), "", got, parser.ImportsOnly)
				if err != nil {
					t.Fatalf("%v: does not parse: %v\n%s", fixes, err, got)
				}
				seen := map[string]int{}
				for _, s := range f.Imports {
					seen[s.Path.Value]++
				}
				for _, fix := range fixes {
					for _, p := range fix {
						if seen[strconv.Quote(p)] != 1 {
							t.Errorf("%v: %s imported %d times:\n%s", fixes, p, seen[strconv.Quote(p)], got)
						}
					}
				}
				formatted, err := format.Source(got)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(formatted, got) {
					t.Errorf("%v: not gofmt-formatted:\n%s\ngofmt:\n%s", fixes, got, formatted)
				}
			}
		})
	}
}

// mergeEdits merges y into x as x/tools' diff.Merge does for insertions:
// identical edits once; at one offset, x's insertions first.
func mergeEdits(x, y []analysis.TextEdit) []analysis.TextEdit {
	var out []analysis.TextEdit
	same := func(a, b analysis.TextEdit) bool {
		return a.Pos == b.Pos && a.End == b.End && string(a.NewText) == string(b.NewText)
	}
	slices.SortStableFunc(x, func(a, b analysis.TextEdit) int { return int(a.Pos - b.Pos) })
	slices.SortStableFunc(y, func(a, b analysis.TextEdit) int { return int(a.Pos - b.Pos) })
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case same(x[i], y[j]):
			out = append(out, x[i])
			i, j = i+1, j+1
		case x[i].End <= y[j].Pos:
			out = append(out, x[i])
			i++
		default:
			out = append(out, y[j])
			j++
		}
	}
	return append(append(out, x[i:]...), y[j:]...)
}
