package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixapply"
	"github.com/resilience-lint/resilience-lint/internal/sarif"
	"github.com/resilience-lint/resilience-lint/internal/suite"
)

// lintFlags are the root (lint) command's own flags.
type lintFlags struct {
	fix, diff, json, sarif bool
	format                 string
}

// Lint output formats (--format).
const (
	formatText   = "text"
	formatJSON   = "json"
	formatSARIF  = "sarif"
	formatGitHub = "github"
)

var lintFormats = []string{formatText, formatJSON, formatSARIF, formatGitHub}

// mode returns what the lint command does: "fix", "diff" or an output
// format. More than one of -fix, -diff, -json, -sarif and a --format other
// than text is a usage error, as is an unknown format.
func (lf lintFlags) mode(cmd *cobra.Command) (string, error) {
	if !slices.Contains(lintFormats, lf.format) {
		return "", usageErr{fmt.Errorf("unknown --format %q (formats: %s)", lf.format, strings.Join(lintFormats, ", "))}
	}
	var set []string
	for _, f := range []struct {
		on   bool
		name string
	}{{lf.fix, "fix"}, {lf.diff, "diff"}, {lf.json, formatJSON}, {lf.sarif, formatSARIF}, {cmd.Flags().Changed("format"), "format"}} {
		if f.on {
			set = append(set, f.name)
		}
	}
	if len(set) > 1 {
		return "", usageErr{fmt.Errorf("-%s cannot be combined (pick one)", strings.Join(set, ", -"))}
	}
	switch {
	case lf.fix:
		return "fix", nil
	case lf.diff:
		return "diff", nil
	case lf.json:
		return formatJSON, nil
	case lf.sarif:
		return formatSARIF, nil
	}
	return lf.format, nil
}

const rootLong = `resilience-lint proves, path by path, that exported agent methods are routed
through runtime/recovery (retrycoverage) and that workers report every
outcome to runtime/intelligence (intelcoverage), and rewrites them so they are.

With no subcommand it lints the packages (default ./...) and prints
file:line:col: message for each finding.

Every long flag may be spelled with one dash or two (-fix, --fix).

Exit status: 0 clean, 3 findings (or a non-empty -diff), 2 usage error
(unknown flag, bad flag value, conflicting flags), 1 tool error (bad
configuration, packages that fail to load, a fix that would not compile).

It also runs as a vet and fix tool (unitchecker protocol):
  go vet -vettool=$(which resilience-lint) ./...
  go fix -fixtool=$(which resilience-lint) -diff ./...`

// newRootCmd builds the command tree writing to stdout and stderr.
func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	var lf lintFlags
	root := &cobra.Command{
		Use:           "resilience-lint [flags] [packages]",
		Short:         "Prove and fix retry and error-tracking coverage of Go agents and workers",
		Long:          rootLong,
		Version:       versionString(),
		SilenceErrors: true,
		Args:          cobra.ArbitraryArgs, // package patterns
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLint(cmd, args, lf)
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"./..."}, cobra.ShellCompDirectiveDefault
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr{err} })
	addPersistentFlags(root)
	addCacheFlag(root)
	f := root.Flags()
	f.BoolVar(&lf.fix, "fix", false, "apply the suggested fixes (all or nothing, verified to compile)")
	f.BoolVar(&lf.diff, "diff", false, "print the suggested fixes as a unified diff; write nothing")
	f.BoolVar(&lf.json, "json", false, "print findings as JSON (the go/analysis -json shape)")
	f.BoolVar(&lf.sarif, "sarif", false, "print findings as SARIF 2.1.0 (for code scanning upload)")
	f.StringVar(&lf.format, "format", formatText, "output `format`: text, json (as -json), sarif (as -sarif), github (GitHub Actions annotations); one of -fix, -diff, -json, -sarif, --format")
	_ = root.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(lintFormats, cobra.ShellCompDirectiveNoFileComp))
	addBaselineFlags(root)
	// --version without the -v shorthand cobra would give it: -v is
	// --verbose, as in the go command.
	root.Flags().Bool("version", false, "print the version of resilience-lint")
	root.AddCommand(newReportCmd(), newVersionCmd(), newConfigCmd(), newCacheCmd())
	return root
}

// runLint is the root command: lint, -fix, -diff, -json, -sarif.
func runLint(cmd *cobra.Command, args []string, lf lintFlags) error {
	mode, err := lf.mode(cmd)
	if err != nil {
		return err
	}
	lf.fix, lf.diff = mode == "fix", mode == "diff"
	bl, err := loadBaselineFlags(cmd)
	if err != nil {
		return err
	}
	res, cfg, err := analyze(cmd, args)
	if err != nil {
		return err
	}
	loadErr := reportPackageErrors(cmd, res)
	findings, err := bl.filter(cmd, res)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	var status error
	switch {
	case lf.fix && loadErr != nil:
		// All or nothing per run: with packages that did not load, the
		// fixes of the others are not applied either.
		if err := writeText(out, findings); err != nil {
			return err
		}
		return withExitCode(exitError, fmt.Errorf("-fix: nothing was written: %w", loadErr))
	case lf.fix || lf.diff:
		status = runFix(cmd, args, res, findings, bl, lf.diff)
	case mode == formatJSON:
		if err := writeJSON(out, res, findings); err != nil {
			return err
		}
	case mode == formatGitHub:
		if err := writeGitHub(out, res, findings); err != nil {
			return err
		}
	case mode == formatSARIF:
		if err := sarif.Write(out, sarif.Build(res.Fset, findings, res.Errors, suite.Analyzers(cfg), workDir(), versionString())); err != nil {
			return err
		}
	default:
		if err := writeText(out, findings); err != nil {
			return err
		}
	}
	if loadErr != nil {
		return loadErr
	}
	if lf.fix || lf.diff {
		return status // what is left after fixing decides
	}
	if len(findings) > 0 {
		return withExitCode(exitFindings, nil)
	}
	return nil
}

// maxFixRounds bounds the rounds of -fix (fixapply.Rounds: a fix can
// change another method's verdict, so the rewritten code is re-analyzed in
// memory and the new fixes applied until none is left; a second -fix then
// changes nothing).
const maxFixRounds = 4

// runFix applies (or with diff, prints) the first suggested fix of every
// finding, round after round in memory (fixapply.Rounds), then verifies that
// the result type-checks and writes it all at once. Findings left without
// a fix are printed (to stderr with diff, so that stdout is only the
// patch).
func runFix(cmd *cobra.Command, args []string, res *driver.Result, findings []driver.Finding, bl *baselineFlags, diff bool) error {
	// Errors name the flag the user typed.
	verb := "-fix"
	if diff {
		verb = "-diff"
	}
	opts, _, err := driverOptions(cmd, args)
	if err != nil {
		return err
	}
	// Packages that did not load before fixing are reported already;
	// only new errors are the fixes' doing.
	before := make(map[string]bool)
	for _, e := range res.Errors {
		before[e.Error()] = true
	}
	fixesOf := func(res *driver.Result, findings []driver.Finding) []fixapply.Fix {
		var fixes []fixapply.Fix
		for _, f := range findings {
			if fix, ok := fixapply.FromSuggested(res.Fset, fixLabel(f), f.Fixes); ok {
				fixes = append(fixes, fix)
			}
		}
		return fixes
	}
	rounds := fixapply.Rounds{
		Max: maxFixRounds,
		Analyze: func(overlay map[string][]byte) ([]fixapply.Fix, error) {
			opts.Overlay = overlay
			var err error
			// Only the rewritten packages and their importers.
			if res, err = rerunDriver(cmd, res, opts); err != nil {
				return nil, fmt.Errorf("re-analyzing the fixed code: %w", runtimeHint(err))
			}
			var msgs []string
			for _, e := range res.Errors {
				if !before[e.Error()] {
					msgs = append(msgs, relPos(e.Error()))
				}
			}
			if len(msgs) > 0 {
				return nil, runtimeHint(&fixapply.VerifyError{Errors: msgs})
			}
			findings = bl.keep(res)
			return fixesOf(res, findings), nil
		},
		// The rewritten code imports the runtime: its module must be
		// required, directly (go.mod and go.sum join the plan).
		Prepare: func(*fixapply.Plan) ([]fixapply.FileChange, error) {
			return runtimeRequirement(cmd.Context(), opts.Dir, opts.Env)
		},
	}
	total, err := rounds.Run(fixesOf(res, findings))
	var vErr *fixapply.VerifyError
	switch {
	case errors.As(err, &vErr):
		return fmt.Errorf(verb+": %w", err)
	case err != nil:
		return fmt.Errorf(verb+": %w; nothing was written", err)
	}
	check := func(ctx context.Context, overlay map[string][]byte, files []string) ([]string, error) {
		o := opts
		o.Overlay = overlay
		// The last round's re-analysis type-checked this very code
		// (same overlay) and found no error: nothing to check again.
		if res.TypeCheckedClean(o, files) {
			return nil, nil
		}
		return driver.TypeCheck(ctx, o, files)
	}
	if err := total.Verify(cmd.Context(), fixapply.VerifyOptions{Dir: opts.Dir, BuildFlags: opts.BuildFlags, Check: check}); err != nil {
		return fmt.Errorf(verb+": %w", runtimeHint(err))
	}
	remaining := findings
	out, errw := cmd.OutOrStdout(), cmd.ErrOrStderr()
	if diff {
		if err := total.Diff(out, workDir()); err != nil {
			return err
		}
		// Positions as in the files on disk, which -diff left unchanged.
		if err := writeText(errw, onDisk(remaining, total.Files)); err != nil {
			return err
		}
		if len(total.Files) > 0 || len(remaining) > 0 {
			return withExitCode(exitFindings, nil)
		}
		return nil
	}
	if err := total.Write(); err != nil {
		return fmt.Errorf(verb+": %w", err)
	}
	for _, f := range total.Files {
		if _, err := fmt.Fprintf(out, "rewrote %s: %s\n", relPath(f.Name), strings.Join(f.Labels, ", ")); err != nil {
			return err
		}
	}
	if len(remaining) > 0 {
		if _, err := fmt.Fprintf(out, "%d finding(s) have no automatic fix:\n", len(remaining)); err != nil {
			return err
		}
		if err := writeText(out, remaining); err != nil {
			return err
		}
		return withExitCode(exitFindings, nil)
	}
	return nil
}

// fixLabel names what a finding's fix rewrites: its subject's
// "Type.Method" and the kind of rewrite, or the position for a finding
// that is not a verdict on a method.
func fixLabel(f driver.Finding) string {
	if f.Subject == nil {
		return relPos(f.Pos.String())
	}
	kind := "retry"
	if f.Subject.Analyzer == intelcoverage.Name {
		kind = "tracking"
	}
	return f.Subject.Type + "." + f.Subject.Method + " (" + kind + ")"
}

// runtimeHint adds how to add the runtime to the user's module to err
// when err says the rewritten code cannot import it (the module is not
// required, go.mod needs updating for its requirements, or the runtime is
// not vendored); other errors are returned as they are.
func runtimeHint(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "could not import "+runtimeModule+"/") && strings.Contains(msg, "-mod=vendor"):
		return fmt.Errorf("%w\n(%s)", err, addRuntimeHint(true))
	case strings.Contains(msg, "could not import "+runtimeModule+"/"), strings.Contains(msg, "updates to go.mod needed"):
		return fmt.Errorf("%w\n(%s)", err, addRuntimeHint(false))
	}
	return err
}

// workDir returns the working directory ("" if unknown).
func workDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return wd
}
