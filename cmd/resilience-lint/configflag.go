package main

import (
	"context"
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/driver"
)

// Persistent flags shared by every subcommand that analyzes packages.
const (
	flagConfig  = "config"
	flagTests   = "tests"
	flagTags    = "tags"
	flagVerbose = "verbose"
)

// addPersistentFlags defines --config, --tests and --tags on root.
func addPersistentFlags(root *cobra.Command) {
	pf := root.PersistentFlags()
	pf.String(flagConfig, "", "configuration `file` (default: the nearest .resilience.yml in the working directory or a parent)")
	pf.Bool(flagTests, false, "also analyze _test.go files (as the include-tests setting)")
	pf.StringSlice(flagTags, nil, "build `tags` for loading packages (comma-separated)")
	pf.BoolP(flagVerbose, "v", false, "say which configuration file is used (on stderr)")
}

// loadConfig returns the configuration named by the persistent --config
// flag or, without it, the .resilience.yml found by walking up from the
// working directory (the defaults when there is none), and the file it came
// from ("" for the defaults). An unreadable or invalid file is an error
// naming the file, line and key.
func loadConfig(cmd *cobra.Command) (*config.Config, string, error) {
	file, err := cmd.Flags().GetString(flagConfig)
	if err != nil {
		return nil, "", err
	}
	if file != "" {
		cfg, err := config.Load(file)
		return cfg, file, err
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, "", err
	}
	return config.Discover(wd)
}

// analyze loads the configuration (loadConfig), then runs the analyzers
// over the packages named by args (default ./...) in the working
// directory, showing progress on stderr when it is a terminal. Per-package
// load errors are in the result's Errors; the error is non-nil only when
// nothing could be analyzed. Subcommands (lint, report) share it.
func analyze(cmd *cobra.Command, args []string) (*driver.Result, *config.Config, error) {
	opts, cfg, err := driverOptions(cmd, args)
	if err != nil {
		return nil, nil, err
	}
	_, file, _ := loadConfig(cmd) // loaded without error just above
	if v, _ := cmd.Flags().GetBool(flagVerbose); v {
		note(cmd.ErrOrStderr(), "resilience-lint: configuration: %s\n", configSource(file))
	}
	res, err := runDriver(cmd, opts)
	if err != nil {
		return nil, nil, err
	}
	// retry-funcs and track-funcs name functions: once the packages are
	// loaded, a name that is not there is a mistake, not a wrapper that
	// is never called.
	var loaded []*types.Package
	for _, p := range res.Packages {
		if p.Types != nil {
			loaded = append(loaded, p.Types)
		}
	}
	if err := config.AtFile(file, cfg.CheckTargets(loaded)); err != nil {
		return nil, nil, err
	}
	if explicit, _ := cmd.Flags().GetString(flagConfig); explicit == "" {
		warnOtherConfigs(cmd, res, file)
	}
	return res, cfg, nil
}

// warnOtherConfigs says when packages of the run have a configuration file
// nearer to them than the one the run uses (found from the working
// directory): go vet -vettool and the golangci-lint plugin would give them
// that file's verdicts, so the run would disagree with them.
func warnOtherConfigs(cmd *cobra.Command, res *driver.Result, used string) {
	seen := map[string]bool{used: true}
	for _, p := range res.Packages {
		if len(p.GoFiles) == 0 {
			continue
		}
		file, err := config.Find(filepath.Dir(p.GoFiles[0]))
		if err != nil || seen[file] {
			continue
		}
		seen[file] = true
		note(cmd.ErrOrStderr(), "resilience-lint: warning: %s has its own configuration, %s, which this run does not use (it uses %s; go vet -vettool would use it): run from its directory, or pass --config\n", p.PkgPath, relPath(file), configSource(used))
	}
}

// driverOptions builds the driver's options from the persistent flags and
// the configuration (loadConfig), for the packages named by args.
func driverOptions(cmd *cobra.Command, args []string) (driver.Options, *config.Config, error) {
	cfg, _, err := loadConfig(cmd)
	if err != nil {
		return driver.Options{}, nil, err
	}
	tests, err := cmd.Flags().GetBool(flagTests)
	if err != nil {
		return driver.Options{}, nil, err
	}
	tags, err := cmd.Flags().GetStringSlice(flagTags)
	if err != nil {
		return driver.Options{}, nil, err
	}
	wd, err := os.Getwd()
	if err != nil {
		return driver.Options{}, nil, err
	}
	if tests {
		cfg.IncludeTests = true // the analyzers skip _test.go files otherwise
	}
	opts := driver.Options{
		Dir:      wd,
		Patterns: args,
		Config:   cfg,
		Tests:    cfg.IncludeTests,
	}
	if len(tags) > 0 {
		opts.BuildFlags = []string{"-tags=" + strings.Join(tags, ",")}
	}
	return opts, cfg, nil
}

// runDriver runs the driver with opts, showing progress on stderr when it
// is a terminal.
func runDriver(cmd *cobra.Command, opts driver.Options) (*driver.Result, error) {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	prog := startProgress(cmd.ErrOrStderr())
	opts.Progress = prog.update
	opts.CacheDir, opts.Reanalyze = cacheDir(cmd)
	res, err := driver.Run(ctx, opts)
	prog.stop()
	return res, err
}

// rerunDriver is runDriver for a later round of -fix: driver.Rerun
// analyzes again only the packages that opts.Overlay changes and their
// importers, keeping prev's outcomes for the others (and freeing prev's
// syntax).
func rerunDriver(cmd *cobra.Command, prev *driver.Result, opts driver.Options) (*driver.Result, error) {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	prog := startProgress(cmd.ErrOrStderr())
	opts.Progress = prog.update
	res, err := driver.Rerun(ctx, prev, opts)
	prog.stop()
	return res, err
}

// reportPackageErrors prints res.Errors to the command's stderr, positions
// relative to the working directory, and returns an exit-1 error if there
// were any (packages that fail to load are a tool error).
func reportPackageErrors(cmd *cobra.Command, res *driver.Result) error {
	if len(res.Errors) == 0 {
		return nil
	}
	w := cmd.ErrOrStderr()
	pkgs := make(map[string]bool)
	for _, e := range res.Errors {
		pkgs[e.Package] = true
		if e.Pos != "" {
			note(w, "%s: %s\n", relPos(e.Pos), e.Msg)
		} else {
			note(w, "%s: %s\n", e.Package, e.Msg)
		}
	}
	if len(pkgs) >= len(res.Packages) {
		return withExitCode(exitError, fmt.Errorf("%d package(s) could not be analyzed (errors above)", len(pkgs)))
	}
	return withExitCode(exitError, fmt.Errorf("%d package(s) could not be analyzed (errors above); the results of the others are shown", len(pkgs)))
}
