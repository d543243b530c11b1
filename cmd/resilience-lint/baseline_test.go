package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLintBaseline(t *testing.T) {
	dir := findingsModule(t, nil)
	base := filepath.Join(dir, "baseline.json")

	r := lint(t, dir, "-write-baseline", base)
	if r.code != 0 || !strings.Contains(r.stderr, "wrote 2 finding(s)") {
		t.Fatalf("-write-baseline: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	// The baseline records identities, the same on every machine.
	if data, err := os.ReadFile(base); err != nil || strings.Contains(string(data), dir) || !strings.Contains(string(data), `"method": "Get"`) {
		t.Errorf("baseline (%v) has machine paths or lacks Store.Get:\n%s", err, data)
	}
	for _, spelling := range [][]string{{"-baseline", base}, {"--baseline=" + base}} {
		if r := lint(t, dir, spelling...); r.code != 0 || r.stdout != "" {
			t.Errorf("%v with nothing new: exit %d, stdout:\n%s", spelling, r.code, r.stdout)
		}
	}

	// Move everything down (line numbers change) and add a new unrouted
	// method: only the new one is reported.
	file := filepath.Join(dir, "agents", "store", "store.go")
	src := strings.Replace(storeSrc, "// Store is an agent", "// Moved down.\n\n// Store is an agent", 1) + `
// Put writes a value without retrying.
func (s *Store) Put(ctx context.Context, key string, v []byte) error {
	return os.WriteFile(s.dir+"/"+key, v, 0o600)
}
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r = lint(t, dir, "-baseline", base)
	if r.code != 3 || !strings.Contains(r.stdout, "Store.Put") || strings.Contains(r.stdout, "Store.Get") || strings.Contains(r.stdout, "SyncWorker") {
		t.Errorf("with a new finding: exit %d, want 3 reporting only Store.Put\n%s", r.code, r.stdout)
	}

	r = lint(t, dir, "-baseline", filepath.Join(dir, "missing.json"))
	if r.code != 1 || !strings.Contains(r.stderr, "missing.json") {
		t.Errorf("missing baseline: exit %d, stderr %q", r.code, r.stderr)
	}
}
