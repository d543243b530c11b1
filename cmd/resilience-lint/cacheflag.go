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

// cacheDir returns the result cache directory for cmd's run ("" with
// --no-cache: no cache) and whether the named packages must be analyzed
// even if their outcome is cached: with -fix or -diff, which rewrite what
// the run analyzes (their dependencies' Facts still come from the cache,
// or from memory in the later rounds of a run with --no-cache).
func cacheDir(cmd *cobra.Command) (dir string, reanalyze bool) {
	for _, name := range []string{"fix", "diff"} {
		if f := cmd.Flags().Lookup(name); f != nil && f.Value.String() == "true" {
			reanalyze = true
		}
	}
	if f := cmd.Flags().Lookup(flagNoCache); f != nil && f.Value.String() == "true" {
		return "", reanalyze
	}
	return driver.DefaultCacheDir(), reanalyze
}
