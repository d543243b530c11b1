package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// versionString describes the binary: module version, VCS revision and
// time (with "+dirty" for modified trees) and the Go version, from the
// build information the go command embeds.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown: built without module support)"
	}
	v := info.Main.Version
	if releaseVersionOverride != "" {
		v = releaseVersionOverride // a packager's build names its release
	}
	if v == "" {
		v = "(devel)"
	}
	var rev, when string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	parts := []string{v}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if dirty {
			rev += "+dirty"
		}
		parts = append(parts, rev)
	}
	if when != "" {
		parts = append(parts, when)
	}
	parts = append(parts, info.GoVersion)
	return strings.Join(parts, " ")
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of resilience-lint",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			info, _ := debug.ReadBuildInfo()
			path := "github.com/resilience-lint/resilience-lint"
			if info != nil && info.Main.Path != "" {
				path = info.Main.Path
			}
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "resilience-lint %s (%s)\n", versionString(), path)
			return err
		},
	}
}
