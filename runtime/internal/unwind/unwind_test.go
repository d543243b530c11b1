package unwind

import (
	"runtime"
	"strings"
	"sync"
	"testing"
)

// observe runs body in a goroutine of its own and returns what Panicking
// says from a function deferred by body's caller, which does not return.
// The panic, if any, is recovered by an outer deferred function, after
// the observation, so the test goes on.
func observe(body func()) (panicking bool, at string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() { _ = recover() }()
		func() {
			defer func() { panicking, at = Panicking() }()
			body()
		}()
	}()
	wg.Wait()
	return panicking, at
}

func TestPanicking(t *testing.T) {
	var nilMap map[string]int
	tests := []struct {
		name      string
		body      func()
		panicking bool
		at        string // a prefix of the place; "" for none
	}{
		{"panic", func() { panic("boom") }, true, "unwind.TestPanicking.func1 at unwind_test.go:"},
		{"nil map write", func() { nilMap["x"] = 1 }, true, "unwind.TestPanicking.func2 at unwind_test.go:"},
		{"goexit", func() { runtime.Goexit() }, false, ""},
		{"panic while exiting", func() {
			defer func() { panic("in a deferred call") }()
			runtime.Goexit()
		}, true, "unwind.TestPanicking.func4.1 at unwind_test.go:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			panicking, at := observe(tt.body)
			if panicking != tt.panicking {
				t.Errorf("panicking = %v, want %v", panicking, tt.panicking)
			}
			if tt.at == "" && at != "" || !strings.HasPrefix(at, tt.at) {
				t.Errorf("at = %q, want prefix %q", at, tt.at)
			}
		})
	}
}
