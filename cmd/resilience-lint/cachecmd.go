package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/resilience-lint/resilience-lint/internal/driver"
)

const cacheLong = `Show or clear the result cache.

Lint runs store each named package's outcome and each analyzed package's
Facts there, keyed by the package's files, its dependencies, the
configuration and the tool, so that a re-run analyzes only what changed
and a dependency is analyzed once per version. Its directory is
$` + driver.CacheEnv + ` if set ('off' disables the cache), else resilience-lint in
the user cache directory. Entries unused for five days are deleted by
later runs.

In CI, keep the directory between jobs (keyed by go.sum, say) as you keep
the go build cache: a job then analyzes only the packages that changed
instead of every dependency.`

// newCacheCmd returns the "cache" subcommand: dir, status, clean.
func newCacheCmd() *cobra.Command {
	cache := &cobra.Command{
		Use:   "cache",
		Short: "Show or clear the result cache (dir, status, clean)",
		Long:  cacheLong,
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cache.AddCommand(&cobra.Command{
		Use:   "dir",
		Short: "Print the cache directory (for a CI cache step)",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := cacheDirOrErr()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), dir)
			return err
		},
	}, &cobra.Command{
		Use:   "status",
		Short: "Print the cache directory, its entries and their size",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := cacheDirOrErr()
			if err != nil {
				return err
			}
			st, err := driver.StatCache(dir)
			if err != nil {
				return fmt.Errorf("reading the cache: %w", err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "Dir: %s\nOutcomes: %d packages\nFacts: %d packages\nSize: %s\n",
				st.Dir, st.Outcomes, st.Facts, byteSize(st.Bytes))
			return err
		},
	}, &cobra.Command{
		Use:   "clean",
		Short: "Delete every entry of the cache",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := cacheDirOrErr()
			if err != nil {
				return err
			}
			n, err := driver.CleanCache(dir)
			if err != nil {
				return fmt.Errorf("cleaning the cache (%d entries deleted): %w", n, err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "deleted %d entries from %s\n", n, dir)
			return err
		},
	})
	return cache
}

// cacheDirOrErr returns the cache directory, or an error saying why there
// is none.
func cacheDirOrErr() (string, error) {
	if dir := driver.DefaultCacheDir(); dir != "" {
		return dir, nil
	}
	return "", errors.New("no result cache: $" + driver.CacheEnv + " is 'off' or there is no user cache directory")
}

// byteSize formats n bytes for people (1.5 MiB).
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
