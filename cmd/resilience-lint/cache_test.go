package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/driver"
)

// TestCacheFlag checks that a second run prints what the first printed
// (text, JSON with its fixes, the report) whether or not it comes from
// the cache, that --no-cache does not use it, that -diff analyzes the
// named packages again but shares the cache (its first round stores what
// a lint stores), and that the cache directory follows
// $RESILIENCE_LINT_CACHE.
func TestCacheFlag(t *testing.T) {
	dir := findingsModule(t, nil)
	cache := t.TempDir()
	env := append(os.Environ(), driver.CacheEnv+"="+cache)
	run := func(args ...string) result {
		t.Helper()
		return runEnv(t, dir, env, binary, args...)
	}
	for _, args := range [][]string{nil, {"-json"}, {"report"}, {"-sarif"}} {
		cold := run(append([]string{"--no-cache"}, args...)...)
		first := run(args...)
		warm := run(args...)
		for name, r := range map[string]result{"first": first, "warm": warm} {
			if r.stdout != cold.stdout || r.code != cold.code {
				t.Errorf("%v, %s run: exit %d\n%s\nwant (--no-cache) exit %d\n%s", args, name, r.code, r.stdout, cold.code, cold.stdout)
			}
		}
	}
	entries, err := filepath.Glob(filepath.Join(cache, "*", "*-r"))
	if err != nil || len(entries) == 0 {
		t.Fatalf("no cache entries under %s (%v)", cache, err)
	}
	// --no-cache writes nothing to it.
	empty := t.TempDir()
	env = append(os.Environ(), driver.CacheEnv+"="+empty)
	run("--no-cache")
	if entries, _ := filepath.Glob(filepath.Join(empty, "*", "*")); len(entries) != 0 {
		t.Errorf("--no-cache wrote %v", entries)
	}
	// -diff does, and a lint after it is served from what it stored.
	want := run("--no-cache", "-diff")
	if got := run("-diff"); got.stdout != want.stdout || got.code != want.code {
		t.Errorf("-diff with a cache: exit %d\n%s\nwant (--no-cache) exit %d\n%s", got.code, got.stdout, want.code, want.stdout)
	}
	if facts, _ := filepath.Glob(filepath.Join(empty, "*", "*-f")); len(facts) == 0 {
		t.Errorf("-diff stored no Facts")
	}
	lint := run("--no-cache")
	if got := run(); got.stdout != lint.stdout || got.code != lint.code {
		t.Errorf("lint after -diff: exit %d\n%s\nwant (--no-cache) exit %d\n%s", got.code, got.stdout, lint.code, lint.stdout)
	}
}

func TestProgressLine(t *testing.T) {
	tests := []struct {
		pr   driver.Progress
		want string
	}{
		{driver.Progress{Stage: driver.Listing}, "listing packages..."},
		{driver.Progress{Stage: driver.Loading, Done: 3, Total: 79}, "loading packages 3/79"},
		{driver.Progress{Stage: driver.Analyzing, Done: 12, Total: 30, Cached: 18}, "analyzing 12/30 (18 from cache)"},
		{driver.Progress{Stage: driver.Loading, Cached: 7}, "loading packages (7 from cache)"},
	}
	for _, tt := range tests {
		if got := progressLine(tt.pr); got != tt.want {
			t.Errorf("progressLine(%+v) = %q, want %q", tt.pr, got, tt.want)
		}
	}
}

// runEnv runs name with args in dir with the environment env.
func runEnv(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}
