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
// the cache, that --no-cache and -diff do not use it, and that the cache
// directory follows $RESILIENCE_LINT_CACHE.
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
	// --no-cache and -diff write nothing to it.
	empty := t.TempDir()
	env = append(os.Environ(), driver.CacheEnv+"="+empty)
	run("--no-cache")
	run("-diff")
	if entries, _ := filepath.Glob(filepath.Join(empty, "*", "*")); len(entries) != 0 {
		t.Errorf("--no-cache or -diff wrote %v", entries)
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
