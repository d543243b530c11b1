package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// TestCacheCommand checks resilience-lint cache dir, status and clean on
// the cache a lint filled, and that a disabled cache is an error.
func TestCacheCommand(t *testing.T) {
	dir := findingsModule(t, nil)
	cache := t.TempDir()
	env := append(os.Environ(), driver.CacheEnv+"="+cache)
	run := func(args ...string) result {
		t.Helper()
		return runEnv(t, dir, env, binary, args...)
	}
	if r := run("cache", "dir"); r.code != 0 || r.stdout != cache+"\n" {
		t.Errorf("cache dir: exit %d, %q; want %q", r.code, r.stdout, cache+"\n")
	}
	if r := run("cache", "status"); r.code != 0 || !strings.Contains(r.stdout, "Outcomes: 0 packages\nFacts: 0 packages\n") {
		t.Errorf("cache status of an empty cache: exit %d\n%s", r.code, r.stdout)
	}
	run()
	status := run("cache", "status")
	outcomes, _ := filepath.Glob(filepath.Join(cache, "*", "*-r"))
	facts, _ := filepath.Glob(filepath.Join(cache, "*", "*-f"))
	if len(outcomes) == 0 || len(facts) == 0 {
		t.Fatalf("the lint stored %d outcomes and %d Facts entries", len(outcomes), len(facts))
	}
	want := fmt.Sprintf("Dir: %s\nOutcomes: %d packages\nFacts: %d packages\nSize: ", cache, len(outcomes), len(facts))
	if status.code != 0 || !strings.HasPrefix(status.stdout, want) {
		t.Errorf("cache status: exit %d\n%s\nwant it to start with\n%s", status.code, status.stdout, want)
	}
	keep := filepath.Join(cache, "mine.txt")
	if err := os.WriteFile(keep, []byte("not the cache's"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The lint's export plan (read ahead by the next run) is an entry too.
	plans, _ := filepath.Glob(filepath.Join(cache, "*", "*-p"))
	if len(plans) != 1 {
		t.Errorf("the lint stored %d export plans, want 1", len(plans))
	}
	clean := run("cache", "clean")
	if wantOut := fmt.Sprintf("deleted %d entries from %s\n", len(outcomes)+len(facts)+len(plans), cache); clean.code != 0 || clean.stdout != wantOut {
		t.Errorf("cache clean: exit %d, %q; want %q", clean.code, clean.stdout, wantOut)
	}
	if left, _ := filepath.Glob(filepath.Join(cache, "*", "*")); len(left) != 0 {
		t.Errorf("left after cache clean: %v", left)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("cache clean deleted a file that is not the cache's: %v", err)
	}
	off := append(os.Environ(), driver.CacheEnv+"=off")
	for _, sub := range []string{"dir", "status", "clean"} {
		if r := runEnv(t, dir, off, binary, "cache", sub); r.code != 1 || !strings.Contains(r.stderr, "no result cache") {
			t.Errorf("cache %s with the cache off: exit %d, stderr %q; want exit 1 saying there is no cache", sub, r.code, r.stderr)
		}
	}
	if r := run("cache", "dir", "extra"); r.code != 2 {
		t.Errorf("cache dir extra: exit %d, want 2 (usage)", r.code)
	}
}
