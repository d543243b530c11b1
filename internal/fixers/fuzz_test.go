package fixers_test

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/internal/fixers"
	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// FuzzRetryRewrite checks, for any source that parses, that the fixers
// (Retry, or Track when track is set) applied to every function returning
// an error either refuse or produce code that parses; and, for the
// gofmt-formatted source, that the output is gofmt-formatted, type-checks
// when the input does, and that a second run on it offers nothing.
func FuzzRetryRewrite(f *testing.F) {
	var seeds []string
	for _, glob := range []string{"testdata/rewrite/*.go", "testdata/src/example.com/*/*.go", "testdata/src/example.com/*/*/*.go"} {
		names, err := filepath.Glob(glob)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, names...)
	}
	for _, name := range seeds {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src), false)
		f.Add(string(src), true)
	}
	f.Fuzz(func(t *testing.T, src string, track bool) {
		// As written, the input must not make the fixer fail or produce
		// code that does not parse.
		c, _ := checkLoose(t, []byte(src))
		if c == nil {
			return // does not parse
		}
		if fixes := fixAll(c, track); len(fixes) > 0 {
			out, err := c.apply(fixes)
			if err != nil {
				t.Fatalf("applying fixes: %v", err)
			}
			if _, err := parser.ParseFile(token.NewFileSet(), "", out, parser.ParseComments); err != nil {
				t.Fatalf("output does not parse: %v\n%s", err, out)
			}
		}

		// Formatted, as code bases are, it must give formatted code that
		// type-checks if the input did, and a second run must offer
		// nothing.
		formatted, err := format.Source([]byte(src))
		if err != nil {
			return
		}
		c, typeErr := checkLoose(t, formatted)
		if c == nil {
			t.Fatalf("gofmt output does not parse:\n%s", formatted)
		}
		fixes := fixAll(c, track)
		if len(fixes) == 0 {
			return
		}
		out, err := c.apply(fixes)
		if err != nil {
			t.Fatalf("applying fixes: %v", err)
		}
		if err := gofmtStableButAlignment(out); err != nil {
			t.Fatalf("output: %v\n%s", err, out)
		}
		c2, typeErr2 := checkLoose(t, out)
		if c2 == nil {
			t.Fatalf("output does not parse\n%s", out)
		}
		if typeErr == nil && typeErr2 != nil {
			t.Fatalf("input type-checks, output does not: %v\n%s", typeErr2, out)
		}
		if again := fixAll(c2, track); len(again) > 0 {
			t.Fatalf("second run offers %d fixes (%s) on\n%s", len(again), again[0].Message, out)
		}
	})
}

// checkLoose parses and type-checks src, keeping the partial type
// information of a package with type errors (the first is returned). It
// returns nil if src does not parse.
func checkLoose(tb testing.TB, src []byte) (*checked, error) {
	fset := token.NewFileSet()
	const name = "fuzz.go"
	file, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil
	}
	info := newTypesInfo()
	var typeErr error
	conf := types.Config{
		Importer: importer(tb),
		Error: func(err error) {
			if typeErr == nil {
				typeErr = err
			}
		},
	}
	pkg, _ := conf.Check(file.Name.Name, fset, []*ast.File{file}, info)
	pass := &analysis.Pass{
		Fset:      fset,
		Files:     []*ast.File{file},
		Pkg:       pkg,
		TypesInfo: info,
		ReadFile:  func(string) ([]byte, error) { return src, nil },
	}
	return &checked{src: src, file: file, pass: pass}, typeErr
}

// fixAll runs the fixer on every function of c's file that returns an
// error, with the analyzer's guard rule, and returns all fixes.
func fixAll(c *checked, track bool) []analysis.SuggestedFix {
	var all []analysis.SuggestedFix
	for _, d := range c.file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		fn, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if !ok {
			continue
		}
		res := fn.Signature().Results()
		if res.Len() == 0 || !types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type()) {
			continue
		}
		var fixes []analysis.SuggestedFix
		var err error
		if track {
			fixes, err = fixers.Track(c.pass, c.trackTarget(fd, "fuzz", trackerField(fn)))
		} else {
			fixes, err = fixers.Retry(c.pass, c.retryTarget(fd, guards(c, fd), ""))
		}
		if err == nil {
			all = append(all, fixes...)
		}
	}
	return all
}

// guards is the analyzer's guard region (targets.Guards), with no call
// known to fail: the fuzzer has no analysis Facts.
func guards(c *checked, fd *ast.FuncDecl) int {
	never := func(*ast.CallExpr) bool { return false }
	return targets.Guards(c.pass.TypesInfo, fd, never, targets.NewPurity(c.pass.TypesInfo, c.pass.Files))
}

// trackerField returns the name of a field of fn's receiver whose type
// names Tracker, "" if none.
func trackerField(fn *types.Func) string {
	recv := fn.Signature().Recv()
	if recv == nil {
		return ""
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return ""
	}
	for i := range st.NumFields() {
		if strings.HasSuffix(st.Field(i).Type().String(), "intelligence.Tracker") {
			return st.Field(i).Name()
		}
	}
	return ""
}

// gofmtStableButAlignment is gofmtStable, except that it accepts
// differences in the padding inside lines and in the order of the lines of
// an import declaration. An inserted import line can end a run of lines
// whose trailing comments gofmt aligned (a comment on the package clause
// aligned with one on the next line), and two fixes that append different
// imports at the same place are merged in the driver's order; the drivers
// re-run gofmt on every file they change, which restores both.
func gofmtStableButAlignment(src []byte) error {
	out, err := format.Source(src)
	if err != nil {
		return err
	}
	a, b := strings.Split(string(src), "\n"), strings.Split(string(out), "\n")
	sortImportLines(a)
	sortImportLines(b)
	if len(a) != len(b) {
		return fmt.Errorf("not gofmt-formatted (%d lines, gofmt gives %d)", len(a), len(b))
	}
	for i := range a {
		if strings.Join(strings.Fields(a[i]), " ") != strings.Join(strings.Fields(b[i]), " ") {
			return fmt.Errorf("not gofmt-formatted at line %d: %q, gofmt gives %q", i+1, a[i], b[i])
		}
	}
	return nil
}

// sortImportLines sorts, in place, the lines of each parenthesized import
// declaration of a file split into lines.
func sortImportLines(lines []string) {
	start := -1
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "import ("):
			start = i + 1
		case start >= 0 && strings.HasPrefix(l, ")"):
			slices.Sort(lines[start:i])
			start = -1
		}
	}
}
