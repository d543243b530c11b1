package driver

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestCleanCacheKeepsForeignFiles checks that status counts and clean
// deletes only the cache's own files: a cache directory may be shared
// with other things ($RESILIENCE_LINT_CACHE=~/cache).
func TestCleanCacheKeepsForeignFiles(t *testing.T) {
	const key = "ab0123456789"
	files := []struct {
		name string
		kind string // entryKind, "" for a file clean must keep
	}{
		{"ab/" + key + "-r", "r"},
		{"ab/" + key + "-f", "f"},
		{"cd/cd99-f", "f"},
		{"cd/cd98-p", "p"},
		{"ab/ab012345-123.tmp", "tmp"},
		{"ab/notes.txt", ""},
		{"ab/ff00-r", ""}, // not under its own prefix
		{"zz/zz00-r", ""}, // not a hex subdirectory
		{"important.doc", ""},
		{"abc/abc0-r", ""},
	}
	dir := t.TempDir()
	for _, f := range files {
		name := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte("12345"), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := entryKind(dir, name); got != f.kind {
			t.Errorf("entryKind(%s) = %q, want %q", f.name, got, f.kind)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "trim.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := StatCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := (CacheStatus{Dir: dir, Outcomes: 1, Facts: 2, Bytes: 5 * 5}); st != want {
		t.Errorf("StatCache = %+v, want %+v", st, want)
	}
	n, err := CleanCache(dir)
	if err != nil || n != 5 {
		t.Fatalf("CleanCache = %d, %v; want 5 entries deleted", n, err)
	}
	var left []string
	_ = filepath.WalkDir(dir, func(name string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, name)
			left = append(left, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(left)
	want := []string{"ab/ff00-r", "ab/notes.txt", "abc/abc0-r", "important.doc", "zz/zz00-r"}
	if !slices.Equal(left, want) {
		t.Errorf("left after CleanCache: %v, want %v", left, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "cd")); !os.IsNotExist(err) {
		t.Errorf("the emptied subdirectory cd is still there (%v)", err)
	}
	// A missing directory is an empty cache, not an error.
	if st, err := StatCache(filepath.Join(dir, "missing")); err != nil || st.Outcomes+st.Facts != 0 {
		t.Errorf("StatCache(missing) = %+v, %v", st, err)
	}
	if n, err := CleanCache(filepath.Join(dir, "missing")); err != nil || n != 0 {
		t.Errorf("CleanCache(missing) = %d, %v", n, err)
	}
}
