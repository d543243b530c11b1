package main

import (
	"github.com/spf13/cobra"

	"github.com/resilience-lint/resilience-lint/internal/driver"
)

// flagNoCache disables the result cache.
const flagNoCache = "no-cache"

// addCacheFlag adds --no-cache to the command and its subcommands.
func addCacheFlag(root *cobra.Command) {
	root.PersistentFlags().Bool(flagNoCache, false,
		"analyze every package again instead of reusing the results of earlier runs (cache directory: $"+driver.CacheEnv+", 'off' to disable; default: resilience-lint in the user cache directory)")
}

// cacheDir returns the result cache directory for cmd's run: "" (no
// cache) with --no-cache, and with -fix or -diff, which need the syntax
// of every package they rewrite; driver.DefaultCacheDir otherwise.
func cacheDir(cmd *cobra.Command) string {
	for _, name := range []string{flagNoCache, "fix", "diff"} {
		if f := cmd.Flags().Lookup(name); f != nil && f.Value.String() == "true" {
			return ""
		}
	}
	return driver.DefaultCacheDir()
}
