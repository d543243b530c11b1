package fixapply_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/fixapply"
)

// edit returns the fix replacing the first old in content (of file) by new.
func edit(label, file string, content []byte, old, new string) fixapply.Fix {
	i := strings.Index(string(content), old)
	return fixapply.Fix{Label: label, Edits: []fixapply.Edit{{File: file, Start: i, End: i + len(old), New: []byte(new)}}}
}

func TestRounds(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	gomod := filepath.Join(dir, "go.mod")
	src := "package a\n\nfunc A() int { return 1 }\n\nfunc B() int { return 2 }\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("settles, with prepared changes", func(t *testing.T) {
		var seen []map[string][]byte
		prepared := 0
		r := fixapply.Rounds{
			Max: 4,
			// Round 1 fixes A; its re-analysis finds B (a fix that made
			// a new finding); the next finds nothing.
			Analyze: func(overlay map[string][]byte) ([]fixapply.Fix, error) {
				seen = append(seen, overlay)
				cur := overlay[file]
				if strings.Contains(string(cur), "return 2 }") {
					return []fixapply.Fix{edit("B", file, cur, "return 2 }", "return 20 }")}, nil
				}
				return nil, nil
			},
			Prepare: func(first *fixapply.Plan) ([]fixapply.FileChange, error) {
				prepared++
				if len(first.Files) != 1 || first.Files[0].Labels[0] != "A" {
					t.Errorf("Prepare got %+v, want the first round's plan", first.Files)
				}
				return []fixapply.FileChange{{Name: gomod, Old: nil, New: []byte("module a\n"), Mode: 0o644, Labels: []string{"require"}}}, nil
			},
		}
		plan, err := r.Run([]fixapply.Fix{edit("A", file, []byte(src), "return 1 }", "return 10 }")})
		if err != nil {
			t.Fatal(err)
		}
		if prepared != 1 || len(seen) != 2 {
			t.Errorf("Prepare called %d times, Analyze %d times; want 1 and 2", prepared, len(seen))
		}
		if string(seen[0][gomod]) != "module a\n" {
			t.Errorf("the prepared change is not in the re-analysis overlay: %q", seen[0])
		}
		if len(plan.Files) != 2 || plan.Files[0].Name != file || plan.Files[1].Name != gomod {
			t.Fatalf("plan files = %+v, want a.go and go.mod", plan.Files)
		}
		if got := string(plan.Files[0].New); !strings.Contains(got, "return 10 }") || !strings.Contains(got, "return 20 }") || string(plan.Files[0].Old) != src {
			t.Errorf("plan of a.go = %q from %q, want both rounds from the file on disk", got, plan.Files[0].Old)
		}
		if got := strings.Join(plan.Files[0].Labels, ","); got != "A,B" {
			t.Errorf("labels = %s, want A,B", got)
		}
		if b, _ := os.ReadFile(file); string(b) != src {
			t.Error("Run wrote a file")
		}
	})

	t.Run("does not settle", func(t *testing.T) {
		n := 0
		r := fixapply.Rounds{Max: 2, Analyze: func(overlay map[string][]byte) ([]fixapply.Fix, error) {
			n++
			cur := overlay[file]
			return []fixapply.Fix{edit("again", file, cur, "return 1", "return 11")}, nil // always one more change
		}}
		_, err := r.Run([]fixapply.Fix{edit("first", file, []byte(src), "return 1 }", "return 10 }")})
		var ue *fixapply.UnsettledError
		if !errors.As(err, &ue) || ue.Rounds != 2 || n != 2 {
			t.Errorf("err = %v after %d analyses, want an UnsettledError after 2", err, n)
		}
	})

	t.Run("errors stop the rounds", func(t *testing.T) {
		boom := errors.New("boom")
		r := fixapply.Rounds{Max: 4, Analyze: func(map[string][]byte) ([]fixapply.Fix, error) { return nil, boom }}
		if _, err := r.Run([]fixapply.Fix{edit("A", file, []byte(src), "return 1 }", "return 10 }")}); !errors.Is(err, boom) {
			t.Errorf("err = %v, want the analysis error", err)
		}
		r = fixapply.Rounds{Max: 4, Analyze: func(map[string][]byte) ([]fixapply.Fix, error) { return nil, nil },
			Prepare: func(*fixapply.Plan) ([]fixapply.FileChange, error) { return nil, boom }}
		if _, err := r.Run([]fixapply.Fix{edit("A", file, []byte(src), "return 1 }", "return 10 }")}); !errors.Is(err, boom) {
			t.Errorf("err = %v, want the Prepare error", err)
		}
	})

	t.Run("nothing to fix", func(t *testing.T) {
		r := fixapply.Rounds{Max: 4, Analyze: func(map[string][]byte) ([]fixapply.Fix, error) {
			t.Error("analyzed with nothing fixed")
			return nil, nil
		}, Prepare: func(*fixapply.Plan) ([]fixapply.FileChange, error) {
			t.Error("prepared with nothing fixed")
			return nil, nil
		}}
		if plan, err := r.Run(nil); err != nil || len(plan.Files) != 0 {
			t.Errorf("Run(nil) = %+v, %v", plan, err)
		}
	})
}
