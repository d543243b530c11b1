package fixers_test

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/internal/fixapply"
)

// TestGoldenUntouched fixes a file that gofmt would change outside the
// methods -fix rewrites (old-style doc comments, misaligned fields and
// values, a hand-formatted function, extra blank lines, a doc comment on
// a rewritten method) and applies the fixes the way -fix and -diff do
// (fixapply.NewPlan). The result must equal the .golden file byte for
// byte: every declaration the fixes do not touch, and every doc comment,
// as it was; the rewritten methods and the import block gofmt-formatted;
// the whole type-checking, and a second run finding nothing to fix.
func TestGoldenUntouched(t *testing.T) {
	for _, tc := range []struct {
		analyzer, pkg string
		rewritten     []string // "Type.Method"
	}{
		{"retrycoverage", "example.com/agents/untouched", []string{"Loader.Load", "Loader.Remove"}},
		// Removing the hand-written records drops the import of time.
		{"intelcoverage", "example.com/untouchedworkers", []string{"TimedWorker.Execute"}},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			untouched(t, tc.analyzer, tc.pkg, tc.rewritten)
		})
	}
}

func untouched(t *testing.T, analyzer, pkg string, methods []string) {
	a := suiteAnalyzer(t, analyzer)
	results := analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), a, pkg)
	var fixes []fixapply.Fix
	for _, r := range results {
		for _, d := range r.Action.Diagnostics {
			if fix, ok := fixapply.FromSuggested(r.Action.Package.Fset, d.Message, d.SuggestedFixes); ok {
				fixes = append(fixes, fix)
			}
		}
	}
	if len(fixes) != len(methods) {
		t.Fatalf("got %d fixes, want %d (%v)", len(fixes), len(methods), methods)
	}
	plan, err := fixapply.NewPlan(fixes, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Files) != 1 {
		t.Fatalf("plan changes %d files, want 1", len(plan.Files))
	}
	f := plan.Files[0]
	golden := f.Name + ".golden"
	if *update {
		if err := os.WriteFile(golden, f.New, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.New, want) {
		t.Errorf("-fix of %s: got\n%s\nwant\n%s", filepath.Base(f.Name), f.New, want)
	}

	// The test means something only if gofmt would change the input
	// outside what the fixes rewrite.
	if formatted, err := format.Source(f.Old); err != nil || bytes.Equal(formatted, f.Old) {
		t.Fatalf("%s is gofmt-formatted (%v): it must not be, for this test", filepath.Base(f.Name), err)
	}
	rewritten := map[string]bool{}
	for _, m := range methods {
		_, name, _ := strings.Cut(m, ".")
		rewritten[name] = true
	}
	oldFile, oldDecls := declTexts(t, f.Old)
	_, newDecls := declTexts(t, f.New)
	if len(oldDecls) != len(newDecls) {
		t.Fatalf("%d declarations before, %d after", len(oldDecls), len(newDecls))
	}
	formattedNew, err := format.Source(f.New)
	if err != nil {
		t.Fatal(err)
	}
	_, fmtDecls := declTexts(t, formattedNew)
	for i, d := range oldFile.Decls {
		touched := false
		switch d := d.(type) {
		case *ast.FuncDecl:
			touched = rewritten[d.Name.Name]
		case *ast.GenDecl:
			touched = d.Tok == token.IMPORT
		}
		if !touched {
			// Untouched, doc comment and all: byte for byte.
			if newDecls[i].withDoc != oldDecls[i].withDoc {
				t.Errorf("declaration %d changed:\n%s\nbecame\n%s", i, oldDecls[i].withDoc, newDecls[i].withDoc)
			}
			continue
		}
		// Rewritten: gofmt-formatted, its doc comment as it was.
		if newDecls[i].text != fmtDecls[i].text {
			t.Errorf("rewritten declaration %d is not gofmt-formatted:\n%s", i, newDecls[i].text)
		}
		if newDecls[i].doc != oldDecls[i].doc {
			t.Errorf("doc comment of declaration %d changed:\n%s\nbecame\n%s", i, oldDecls[i].doc, newDecls[i].doc)
		}
	}

	c, err := check(t, f.Name, f.New)
	if err != nil {
		t.Fatalf("the fixed file does not type-check: %v\n%s", err, f.New)
	}
	for _, m := range methods {
		rc := rewriteCase{method: m, track: analyzer == "intelcoverage"}
		if again, err := rc.run(t, c); err != nil || len(again) != 0 {
			t.Errorf("%s: second run: %d fixes, error %v; want nothing", rc.method, len(again), err)
		}
	}
}

// declText is a top-level declaration's source: from its keyword to its
// end (text), its doc comment (doc), and both with what lies between
// them (withDoc).
type declText struct{ text, doc, withDoc string }

// declTexts parses src and returns the text of each declaration.
func declTexts(t *testing.T, src []byte) (*ast.File, []declText) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	tf := fset.File(f.Pos())
	var out []declText
	for _, d := range f.Decls {
		var doc *ast.CommentGroup
		switch d := d.(type) {
		case *ast.FuncDecl:
			doc = d.Doc
		case *ast.GenDecl:
			doc = d.Doc
		}
		start, end := tf.Offset(d.Pos()), tf.Offset(d.End())
		dt := declText{text: string(src[start:end]), withDoc: string(src[start:end])}
		if doc != nil {
			dt.doc = string(src[tf.Offset(doc.Pos()):tf.Offset(doc.End())])
			dt.withDoc = string(src[tf.Offset(doc.Pos()):end])
		}
		out = append(out, dt)
	}
	return f, out
}
