package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const oneShotSrc = `package stream

import (
	"context"
	"io"
)

// Reader is an agent whose method consumes a one-shot input.
type Reader struct{}

// Consume reads r to the end: running it twice would lose data.
func (Reader) Consume(ctx context.Context, r io.Reader) ([]byte, error) {
	return io.ReadAll(r)
}
`

func TestDiff(t *testing.T) {
	dir := findingsModule(t, nil)
	before := snapshot(t, dir)
	for _, flag := range []string{"-diff", "--diff"} {
		r := lint(t, dir, flag)
		if r.code != 3 {
			t.Fatalf("%s: exit status %d, want 3 (non-empty diff)\nstdout:\n%s\nstderr:\n%s", flag, r.code, r.stdout, r.stderr)
		}
		for _, s := range []string{"--- a/agents/store/store.go", "+++ b/agents/store/store.go", "+\treturn recovery.DoValue(", "runtime/recovery\"", "intelligence."} {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("%s: diff lacks %q:\n%s", flag, s, r.stdout)
			}
		}
		assertUnchanged(t, before, snapshot(t, dir))
	}
}

func TestFix(t *testing.T) {
	dir := findingsModule(t, map[string]string{"agents/stream/stream.go": oneShotSrc})
	file := filepath.Join(dir, "agents", "store", "store.go")
	oneShot := filepath.Join(dir, "agents", "stream", "stream.go")

	r := lint(t, dir, "-fix")
	// The one-shot method is refused with its reason, so findings remain.
	if r.code != 3 {
		t.Fatalf("exit status %d, want 3 (an unfixable finding remains)\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, s := range []string{"rewrote agents/store/store.go", "Store.Get", "SyncWorker.Execute", "no automatic fix", "Reader.Consume"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("-fix output lacks %q:\n%s", s, r.stdout)
		}
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "recovery.DoValue(") || !strings.Contains(string(got), "intelligence.") {
		t.Errorf("store.go not rewritten:\n%s", got)
	}
	if b, _ := os.ReadFile(oneShot); string(b) != oneShotSrc {
		t.Errorf("the refused one-shot method was rewritten:\n%s", b)
	}
	// The result builds, and the store package is now clean.
	if b := runIn(t, dir, "go", "build", "./..."); b.code != 0 {
		t.Fatalf("fixed code does not build:\n%s", b.stderr)
	}
	if r := lint(t, dir, "./agents/store"); r.code != 0 {
		t.Errorf("after -fix: exit %d, findings:\n%s", r.code, r.stdout)
	}
	// A second -fix changes nothing.
	r = lint(t, dir, "--fix", "./agents/store")
	if r.code != 0 {
		t.Errorf("second -fix: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if again, _ := os.ReadFile(file); string(again) != string(got) {
		t.Errorf("second -fix changed the file:\n%s", again)
	}
}

func TestFixAllFixable(t *testing.T) {
	dir := findingsModule(t, nil)
	r := lint(t, dir, "-fix")
	if r.code != 0 {
		t.Fatalf("exit status %d, want 0 (everything fixed)\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	want := "rewrote agents/store/store.go: Store.Get (retry), SyncWorker.Execute (tracking)\n"
	if r.stdout != want {
		t.Errorf("stdout = %q, want %q", r.stdout, want)
	}
}

func TestFixRefusals(t *testing.T) {
	t.Run("read-only file", func(t *testing.T) {
		dir := findingsModule(t, map[string]string{"agents/other/other.go": strings.Replace(storeSrc, "package store", "package other", 1)})
		file := filepath.Join(dir, "agents", "store", "store.go")
		if err := os.Chmod(file, 0o444); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, dir)
		r := lint(t, dir, "-fix")
		if r.code != 1 || !strings.Contains(r.stderr, "read-only") || !strings.Contains(r.stderr, "store.go") {
			t.Errorf("exit %d, want 1 with a read-only error naming store.go\nstderr:\n%s", r.code, r.stderr)
		}
		// All or nothing: the writable other.go is not rewritten either.
		assertUnchanged(t, before, snapshot(t, dir))
	})
}

func TestFixTool(t *testing.T) {
	dir := findingsModule(t, nil)
	before := snapshot(t, dir)
	r := runIn(t, dir, "go", "fix", "-fixtool="+binary, "-diff", "./...")
	if r.code == 0 || !strings.Contains(r.stdout, "recovery.DoValue(") {
		t.Errorf("go fix -fixtool -diff: exit %d, want non-zero with a diff\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	assertUnchanged(t, before, snapshot(t, dir))
}

// mixedSrc has a fixable method above one that -fix refuses (one-shot).
const mixedSrc = `package store

import (
	"context"
	"io"
	"os"
)

// Store is an agent.
type Store struct{ dir string }

// Get reads a value without retrying: -fix wraps it, adding lines.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	return os.ReadFile(s.dir + "/" + key)
}

// Consume reads r to the end: refused, so it remains after the fix.
func (s *Store) Consume(ctx context.Context, r io.Reader) ([]byte, error) {
	return io.ReadAll(r)
}
`

// TestDiffRemainingPositions: the findings left after -diff are printed at
// their lines in the files as they are on disk (the diff writes nothing),
// as plain lint prints them, not at the lines the fixed file would have.
func TestDiffRemainingPositions(t *testing.T) {
	dir := findingsModule(t, map[string]string{"agents/store/store.go": mixedSrc})
	plain := lint(t, dir, "./agents/store")
	var want string
	for _, l := range strings.Split(plain.stdout, "\n") {
		if strings.Contains(l, "Store.Consume") {
			want = l
		}
	}
	if want == "" || !strings.HasPrefix(want, "agents/store/store.go:18:") {
		t.Fatalf("lint does not report Store.Consume at line 18:\n%s%s", plain.stdout, plain.stderr)
	}
	r := lint(t, dir, "-diff", "./agents/store")
	if r.code != 3 || !strings.Contains(r.stdout, "recovery.DoValue(") {
		t.Fatalf("-diff: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, want+"\n") {
		t.Errorf("-diff prints the remaining finding elsewhere than on disk; want\n%s\nin stderr:\n%s", want, r.stderr)
	}
}
