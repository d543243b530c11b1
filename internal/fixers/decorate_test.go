package fixers_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/internal/fixers"
)

// TestDecorateMethodAlone checks that decorating each method on its own
// (the fixers' default when the source is readable) gives every rewrite
// case of testdata/rewrite exactly the edits that decorating its whole
// file gives, and that the method-alone path is the one taken.
func TestDecorateMethodAlone(t *testing.T) {
	for file, cases := range rewriteCases {
		c := checkRewriteFile(t, file)
		for _, rc := range cases {
			if rc.wantErr != "" || rc.none {
				continue
			}
			fd := c.method(rc.method)
			if !fixers.DecoratesAlone(c.pass, c.retryTarget(fd, 0, "")) {
				t.Errorf("%s %s: the method is not decorated alone", file, rc.method)
			}
			alone, err := rc.run(t, c)
			if err != nil {
				t.Fatalf("%s %s: %v", file, rc.method, err)
			}
			old := fixers.SetDecorateWholeFile(true)
			whole, err := rc.run(t, c)
			fixers.SetDecorateWholeFile(old)
			if err != nil {
				t.Fatalf("%s %s (whole file): %v", file, rc.method, err)
			}
			if !sameFixes(alone, whole) {
				t.Errorf("%s %s: method alone gives\n%s\nwhole file gives\n%s", file, rc.method, fixText(alone), fixText(whole))
			}
		}
	}
}

// TestDecorateMethodStale checks that a method whose source, as the pass
// reads it, differs from the parsed file by as little as an operator or a
// name of the same length is not decorated from that source.
func TestDecorateMethodStale(t *testing.T) {
	path := filepath.Join("testdata", "rewrite", "retry.go")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := check(t, path, src)
	if err != nil {
		t.Fatal(err)
	}
	fd := c.method("Store.OneValue")
	tf := c.pass.Fset.File(fd.Pos())
	start, end := tf.Offset(fd.Pos()), tf.Offset(fd.End())
	for _, tc := range []struct{ old, new string }{
		{"!ok", "-ok"},     // an operator
		{"v, ok", "w, ok"}, // a name
		{"!ok", "!ok"},     // the same source: decorated alone
	} {
		stale := slices.Clone(src)
		method := bytes.Replace(stale[start:end], []byte(tc.old), []byte(tc.new), 1)
		if len(method) != end-start {
			t.Fatalf("%q -> %q changes the length", tc.old, tc.new)
		}
		copy(stale[start:end], method)
		c.pass.ReadFile = func(string) ([]byte, error) { return stale, nil }
		alone := fixers.DecoratesAlone(c.pass, c.retryTarget(fd, 0, ""))
		if want := tc.old == tc.new; alone != want {
			t.Errorf("%q -> %q: decorated alone = %v, want %v", tc.old, tc.new, alone, want)
		}
	}
}

func sameFixes(a, b []analysis.SuggestedFix) bool {
	return slices.EqualFunc(a, b, func(x, y analysis.SuggestedFix) bool {
		return x.Message == y.Message && slices.EqualFunc(x.TextEdits, y.TextEdits, func(e, f analysis.TextEdit) bool {
			return e.Pos == f.Pos && e.End == f.End && bytes.Equal(e.NewText, f.NewText)
		})
	})
}

func fixText(fixes []analysis.SuggestedFix) string {
	var buf bytes.Buffer
	for _, f := range fixes {
		for _, e := range f.TextEdits {
			buf.Write(e.NewText)
			buf.WriteString("\n----\n")
		}
	}
	return buf.String()
}

// TestDecorateMethodLineDirective checks that a //line directive before
// the method (which renumbers the lines positions report) does not make
// the fixer read other lines as the method's: it is decorated alone and
// rewritten as with the whole file decorated.
func TestDecorateMethodLineDirective(t *testing.T) {
	const src = `package p

import "context"

type Store struct{ n int }

//line generated.tmpl:9000
func (s *Store) Load(ctx context.Context, key string) (int, error) {
	if key == "" {
		return 0, context.Canceled
	}
	return s.n, nil
}
`
	c, err := check(t, "line.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	rc := rewriteCase{method: "Store.Load"}
	if !fixers.DecoratesAlone(c.pass, c.retryTarget(c.method(rc.method), 0, "")) {
		t.Errorf("Store.Load is not decorated alone")
	}
	alone, err := rc.run(t, c)
	if err != nil {
		t.Fatal(err)
	}
	old := fixers.SetDecorateWholeFile(true)
	whole, err := rc.run(t, c)
	fixers.SetDecorateWholeFile(old)
	if err != nil {
		t.Fatal(err)
	}
	if !sameFixes(alone, whole) {
		t.Errorf("method alone gives\n%s\nwhole file gives\n%s", fixText(alone), fixText(whole))
	}
}

// TestLineDirectiveBeforeImports checks that a //line directive above the
// imports does not move (or break) the import the fix adds.
func TestLineDirectiveBeforeImports(t *testing.T) {
	const src = `package p

//line generated.tmpl:9000
import (
	"context"
)

type Store struct{ n int }

func (s *Store) Load(ctx context.Context) (int, error) {
	return s.n, context.Canceled
}
`
	c, err := check(t, "line.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fixes, err := rewriteCase{method: "Store.Load"}.run(t, c)
	if err != nil || len(fixes) != 1 {
		t.Fatalf("%d fixes, error %v", len(fixes), err)
	}
	out, err := c.apply(fixes)
	if err != nil {
		t.Fatal(err)
	}
	want := "import (\n\t\"context\"\n\n\t\"github.com/resilience-lint/resilience-lint/runtime/recovery\"\n)\n"
	if !bytes.Contains(out, []byte(want)) {
		t.Errorf("import block not as gofmt wants it:\n%s", out)
	}
	if _, err := check(t, "line.go", out); err != nil {
		t.Errorf("output does not type-check: %v\n%s", err, out)
	}
}
