package fixapply_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/fixapply"
)

const src = `package p

func A() int { return 1 }

func B() int { return 2 }
`

// module writes a one-package module and returns the file's path.
func module(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/p\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "p.go")
	if err := os.WriteFile(file, []byte(content), 0o640); err != nil {
		t.Fatal(err)
	}
	return file
}

// replace returns an edit replacing the first occurrence of old.
func replace(t *testing.T, file, content, old, new string) fixapply.Edit {
	t.Helper()
	i := strings.Index(content, old)
	if i < 0 {
		t.Fatalf("%q not in source", old)
	}
	return fixapply.Edit{File: file, Start: i, End: i + len(old), New: []byte(new)}
}

func TestNewPlan(t *testing.T) {
	file := module(t, src)
	a := replace(t, file, src, "return 1", "return 10")
	b := replace(t, file, src, "return 2", "return 20")
	overlapA := replace(t, file, src, "return 1", "return 11")
	insert := fixapply.Edit{File: file, Start: len(src), End: len(src), New: []byte("\nfunc C() {}\n")}
	insert2 := fixapply.Edit{File: file, Start: len(src), End: len(src), New: []byte("\nfunc D() {}\n")}
	tests := []struct {
		name     string
		fixes    []fixapply.Fix
		want     []string // substrings of the new file
		conflict bool
		errText  string
	}{
		{name: "two fixes", fixes: []fixapply.Fix{{Label: "A", Edits: []fixapply.Edit{a}}, {Label: "B", Edits: []fixapply.Edit{b}}}, want: []string{"return 10", "return 20"}},
		{name: "identical edits merge", fixes: []fixapply.Fix{{Label: "A", Edits: []fixapply.Edit{a, insert}}, {Label: "A [test]", Edits: []fixapply.Edit{a, insert}}}, want: []string{"return 10", "func C() {}"}},
		{name: "overlap", fixes: []fixapply.Fix{{Label: "A", Edits: []fixapply.Edit{a}}, {Label: "A2", Edits: []fixapply.Edit{overlapA}}}, conflict: true},
		{name: "two inserts at one offset", fixes: []fixapply.Fix{{Label: "D", Edits: []fixapply.Edit{insert2}}, {Label: "C", Edits: []fixapply.Edit{insert}}}, want: []string{"func C() {}\nfunc D() {}"}},
		{name: "insert overlapping a replacement", fixes: []fixapply.Fix{{Label: "A", Edits: []fixapply.Edit{a}}, {Label: "X", Edits: []fixapply.Edit{{File: file, Start: a.Start + 2, End: a.Start + 2, New: []byte("x")}}}}, conflict: true},
		{name: "invalid Go", fixes: []fixapply.Fix{{Label: "bad", Edits: []fixapply.Edit{replace(t, file, src, "return 1 }", "return 1")}}}, errText: "produce invalid Go"},
		{name: "out of range", fixes: []fixapply.Fix{{Label: "far", Edits: []fixapply.Edit{{File: file, Start: 1000, End: 1001}}}}, errText: "outside the file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := fixapply.NewPlan(tt.fixes, nil)
			var ce *fixapply.ConflictError
			switch {
			case tt.conflict:
				if !errors.As(err, &ce) {
					t.Fatalf("got %v, want a ConflictError", err)
				}
				return
			case tt.errText != "":
				if err == nil || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("got %v, want error containing %q", err, tt.errText)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if len(plan.Files) != 1 {
				t.Fatalf("got %d changed files, want 1", len(plan.Files))
			}
			for _, w := range tt.want {
				if !bytes.Contains(plan.Files[0].New, []byte(w)) {
					t.Errorf("new content lacks %q:\n%s", w, plan.Files[0].New)
				}
			}
		})
	}
}

func TestNewPlanJoinsImports(t *testing.T) {
	const isrc = "package p\n\nimport (\n\t\"fmt\"\n)\n\nvar _ = fmt.Sprint\n"
	file := module(t, isrc)
	at := strings.Index(isrc, "\"fmt\"") + len("\"fmt\"")
	ins := func(path string) fixapply.Edit {
		return fixapply.Edit{File: file, Start: at, End: at, New: []byte("\n\t\"" + path + "\"\n")}
	}
	plan, err := fixapply.NewPlan([]fixapply.Fix{{Label: "B", Edits: []fixapply.Edit{ins("strings")}}, {Label: "A", Edits: []fixapply.Edit{ins("os")}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "import (\n\t\"fmt\"\n\t\"os\"\n\t\"strings\"\n)"
	if got := string(plan.Files[0].New); !strings.Contains(got, want) {
		t.Errorf("imports not in one group:\n%s\nwant %q", got, want)
	}
}

func TestPlanWriteKeepsMode(t *testing.T) {
	file := module(t, src)
	plan, err := fixapply.NewPlan([]fixapply.Fix{{Label: "A", Edits: []fixapply.Edit{replace(t, file, src, "return 1", "return 10")}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var diff bytes.Buffer
	if err := plan.Diff(&diff, filepath.Dir(file)); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"--- a/p.go", "+++ b/p.go", "-func A() int { return 1 }", "+func A() int { return 10 }"} {
		if !strings.Contains(diff.String(), w) {
			t.Errorf("diff lacks %q:\n%s", w, diff.String())
		}
	}
	if err := plan.Verify(context.Background(), fixapply.VerifyOptions{Dir: filepath.Dir(file)}); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if err := plan.Write(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(got, []byte("return 10")) {
		t.Errorf("file not rewritten:\n%s", got)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640", fi.Mode().Perm())
	}
	entries, err := os.ReadDir(filepath.Dir(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("directory has %d entries, want go.mod and p.go (no temporary files left)", len(entries))
	}
}

func TestPlanVerifyRefuses(t *testing.T) {
	file := module(t, src)
	// Valid syntax, but a type error.
	plan, err := fixapply.NewPlan([]fixapply.Fix{{Label: "A", Edits: []fixapply.Edit{replace(t, file, src, "return 1", `return "one"`)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = plan.Verify(context.Background(), fixapply.VerifyOptions{Dir: filepath.Dir(file)})
	var ve *fixapply.VerifyError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "p.go:3") {
		t.Fatalf("got %v, want a VerifyError at p.go:3", err)
	}
	got, _ := os.ReadFile(file)
	if string(got) != src {
		t.Error("Verify changed the file")
	}
}

func TestPlanWriteReadOnly(t *testing.T) {
	file := module(t, src)
	other := filepath.Join(filepath.Dir(file), "q.go")
	const qsrc = "package p\n\nfunc Q() int { return 3 }\n"
	if err := os.WriteFile(other, []byte(qsrc), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(file, 0o444); err != nil {
		t.Fatal(err)
	}
	plan, err := fixapply.NewPlan([]fixapply.Fix{
		{Label: "A", Edits: []fixapply.Edit{replace(t, file, src, "return 1", "return 10")}},
		{Label: "Q", Edits: []fixapply.Edit{replace(t, other, qsrc, "return 3", "return 30")}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = plan.Write()
	if err == nil || !strings.Contains(err.Error(), "read-only") || !strings.Contains(err.Error(), "p.go") {
		t.Fatalf("got %v, want a read-only error naming p.go", err)
	}
	// All or nothing: the writable file is untouched too.
	for name, want := range map[string]string{file: src, other: qsrc} {
		got, _ := os.ReadFile(name)
		if string(got) != want {
			t.Errorf("%s changed", name)
		}
	}
}

func TestCompose(t *testing.T) {
	first := &fixapply.Plan{Files: []fixapply.FileChange{
		{Name: "/a.go", Old: []byte("a0"), New: []byte("a1"), Labels: []string{"A"}},
		{Name: "/b.go", Old: []byte("b0"), New: []byte("b1"), Labels: []string{"B"}},
	}}
	next := &fixapply.Plan{Files: []fixapply.FileChange{
		{Name: "/a.go", Old: []byte("a1"), New: []byte("a2"), Labels: []string{"A2"}},
		{Name: "/b.go", Old: []byte("b1"), New: []byte("b0"), Labels: []string{"B"}}, // back to the start
		{Name: "/c.go", Old: []byte("c0"), New: []byte("c1"), Labels: []string{"C"}},
	}}
	got := fixapply.Compose(first, next)
	if len(got.Files) != 2 {
		t.Fatalf("got %d files, want a.go and c.go (b.go is unchanged overall)", len(got.Files))
	}
	a, c := got.Files[0], got.Files[1]
	if a.Name != "/a.go" || string(a.Old) != "a0" || string(a.New) != "a2" || strings.Join(a.Labels, ",") != "A,A2" {
		t.Errorf("a.go = %+v", a)
	}
	if c.Name != "/c.go" || string(c.Old) != "c0" || string(c.New) != "c1" {
		t.Errorf("c.go = %+v", c)
	}
}
