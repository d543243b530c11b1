package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/resilience-lint/resilience-lint/config"
)

// isToolInvocation reports whether the go command runs us as a vet or fix
// tool: it first asks for the version (-V=full) and the flags (-flags),
// then passes one *.cfg file describing a package unit.
func isToolInvocation(args []string) bool {
	if len(args) == 0 {
		return false
	}
	if len(args) == 1 && (args[0] == "-V=full" || args[0] == "-flags") {
		return true
	}
	last := args[len(args)-1]
	if !strings.HasSuffix(last, ".cfg") || strings.HasPrefix(last, "-") {
		return false
	}
	// go passes only -name=value and boolean flags before the .cfg file;
	// "-config x.cfg" is our own flag and its value.
	if len(args) > 1 {
		prev := strings.TrimLeft(args[len(args)-2], "-")
		if !strings.Contains(prev, "=") && valueFlags[prev] {
			return false
		}
	}
	return true
}

// valueFlags are this command's flags that take a separate value argument.
var valueFlags = map[string]bool{
	"config": true, "tags": true, "baseline": true, "write-baseline": true,
	"format": true, "fail-under": true,
}

// normaliseArgs rewrites single-dash long flags (-fix, -config=x, -json)
// into the double-dash form pflag expects, as users type them for go vet
// and staticcheck. One-letter flags (-h) and everything after "--" are
// left alone.
func normaliseArgs(args []string) []string {
	out := make([]string, len(args))
	copy(out, args)
	for i, a := range out {
		if a == "--" {
			break
		}
		if len(a) < 3 || a[0] != '-' || a[1] == '-' {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		if len(name) > 1 {
			out[i] = "-" + a
		}
	}
	return out
}

// unitConfig returns the configuration of a vet or fix tool invocation:
// the configuration file found by walking up from the directory of the
// package unit that the last argument (a *.cfg file written by the go
// command) describes, the defaults when there is none or the invocation
// is not for a unit (-V=full, -flags). The analyzer flags, which
// unitchecker parses afterwards into the returned configuration, override
// the file's settings (Bazel nogo passes only flags). factsOnly reports
// that the go command asks only for the unit's Facts (VetxOnly: a
// dependency of the packages named), whose findings are never printed.
func unitConfig(args []string) (cfg *config.Config, factsOnly bool, err error) {
	last := args[len(args)-1]
	if !strings.HasSuffix(last, ".cfg") {
		return config.Default(), false, nil
	}
	data, err := os.ReadFile(last)
	if err != nil {
		return nil, false, err
	}
	var unit struct {
		GoFiles  []string
		VetxOnly bool
	}
	if err := json.Unmarshal(data, &unit); err != nil {
		return nil, false, fmt.Errorf("%s: %v", last, err)
	}
	if len(unit.GoFiles) == 0 {
		return config.Default(), unit.VetxOnly, nil
	}
	cfg, _, err = config.Discover(filepath.Dir(unit.GoFiles[0]))
	return cfg, unit.VetxOnly, err
}
