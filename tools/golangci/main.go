// Command golangci-lint is golangci-lint v2 with resilience-lint's module
// plugin compiled in: the "manual way" of building a custom golangci-lint
// (what `golangci-lint custom` generates, without needing git access).
//
// Build it with scripts/golangci-build.sh, which sets the version through
// -ldflags to a hash of the plugin's and analyzers' sources: golangci-lint
// salts its result cache with the version, so a fixed string would serve
// stale findings after the analyzers change.
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	// The module plugin: registers the retrycoverage and intelcoverage linters.
	_ "github.com/resilience-lint/resilience-lint/plugin/golangci"
)

// Set with -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
var (
	version = ""
	commit  = "?"
	date    = "(unknown)"
)

func main() {
	info := commands.BuildInfo{
		GoVersion: "unknown",
		Version:   version,
		Commit:    commit,
		Date:      date,
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		info.GoVersion = bi.GoVersion
	}
	// An empty version makes golangci-lint salt its cache with a hash of
	// this executable instead: still correct, only slower to start.
	if err := commands.Execute(info); err != nil {
		_, _ = fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
