package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/resilience-lint/resilience-lint/internal/coverage"
)

const reportLong = `Report retry and intelligence coverage and the health score.

Metrics (exempt methods and workers are listed with their reasons and left
out of every denominator):

  retry    agents fully covered / agents with a non-exempt in-scope method
  methods  routed methods / non-exempt in-scope methods
  intel    tracked workers / non-exempt workers

Health score:

  ` + coverage.Formula + `

i.e. (methods + intel) / 2, or the one that is defined when the code base
has only agent methods or only workers; n/a when it has neither. A metric
with nothing in scope is n/a, never 0% or 100%. No other input, weight or cap.

Gates: --fail-under retry=100,intel=90 (metrics: retry, methods, intel,
score) exits 3 when a metric is below its minimum; a gate over an n/a
metric passes. --baseline FILE compares with findings recorded by
--write-baseline FILE (matched by package, type, method and kind, not by
line), shows what was fixed and what is new, and exits 3 on new findings.

Exit status: 0 report printed and gates met, 3 a gate not met or new
findings since the baseline, 2 usage error (unknown flag, bad --format or
--fail-under), 1 tool error (bad configuration or baseline, packages that
fail to load: the report is then incomplete).`

// reportFlags are the report command's flags.
type reportFlags struct {
	format        string
	failUnder     []string
	baseline      string
	writeBaseline string
}

// newReportCmd returns the "report" subcommand: the coverage report.
// The root command registers it with root.AddCommand(newReportCmd()).
func newReportCmd() *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report [packages]",
		Short: "Print retry and intelligence coverage and the health score",
		Long:  reportLong,
		Example: `  resilience-lint report ./...
  resilience-lint report -format markdown ./agents/... > coverage.md
  resilience-lint report --fail-under retry=100,intel=90
  resilience-lint report --write-baseline .resilience-baseline.json
  resilience-lint report --baseline .resilience-baseline.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd, f, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "table", "output format: "+strings.Join(coverage.Formats, ", "))
	fl.StringArrayVar(&f.failUnder, "fail-under", nil, "exit 3 when a metric is below a minimum, e.g. retry=100,intel=90 (metrics: "+strings.Join(coverage.Metrics, ", ")+")")
	fl.StringVar(&f.baseline, "baseline", "", "compare with the findings recorded in `FILE`; exit 3 on new findings")
	fl.StringVar(&f.writeBaseline, "write-baseline", "", "record today's findings in `FILE`")
	// Shell completion of the fixed value sets; registration fails only on
	// a flag name that does not exist, which the tests would catch.
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(coverage.Formats, cobra.ShellCompDirectiveNoFileComp))
	metrics := make([]string, len(coverage.Metrics))
	for i, m := range coverage.Metrics {
		metrics[i] = m + "="
	}
	_ = cmd.RegisterFlagCompletionFunc("fail-under", cobra.FixedCompletions(metrics, cobra.ShellCompDirectiveNoFileComp|cobra.ShellCompDirectiveNoSpace))
	return cmd
}

// runReport validates every input before loading packages (a typo fails
// fast and writes nothing), builds and prints the report, then writes the
// baseline and applies the gates.
func runReport(cmd *cobra.Command, f reportFlags, patterns []string, stdout, stderr io.Writer) error {
	if !isReportFormat(f.format) {
		return usageErr{fmt.Errorf("report: unknown format %q (formats: %s)", f.format, strings.Join(coverage.Formats, ", "))}
	}
	gates, err := coverage.ParseGates(f.failUnder...)
	if err != nil {
		return usageErr{fmt.Errorf("report: %w", err)}
	}
	var base *coverage.Baseline
	if f.baseline != "" {
		if base, err = coverage.LoadBaseline(f.baseline); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	dir, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	res, _, err := analyze(cmd, patterns)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	rep := coverage.Build(res.Retry, res.Intel, coverage.Options{Dir: dir})
	for _, e := range res.Errors {
		if e.Pos != "" {
			rep.Errors = append(rep.Errors, relPos(e.Pos)+": "+e.Msg)
		} else {
			rep.Errors = append(rep.Errors, e.Package+": "+e.Msg)
		}
	}
	if base != nil {
		rep.Compare(base, f.baseline)
	}

	var out bytes.Buffer
	if err := rep.Render(&out, f.format); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		return fmt.Errorf("report: writing output: %w", err)
	}

	if err := reportPackageErrors(cmd, res); err != nil {
		// The findings of the packages that failed are unknown: a
		// baseline written now would drop them and gates would judge a
		// partial code base.
		if f.writeBaseline != "" {
			reportNote(stderr, "report: baseline %s not written: the report is incomplete\n", f.writeBaseline)
		}
		return err
	}
	if f.writeBaseline != "" {
		if err := coverage.WriteBaseline(f.writeBaseline, rep.Findings()); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		reportNote(stderr, "report: wrote %d %s to %s\n", len(rep.Findings()), reportPlural(len(rep.Findings()), "finding", "findings"), f.writeBaseline)
	}

	failed := false
	for _, g := range rep.CheckGates(gates) {
		switch {
		case !g.Pass:
			failed = true
			reportNote(stderr, "report: fail-under: %s\n", g)
		case !g.Defined:
			reportNote(stderr, "report: fail-under: %s\n", g)
		}
	}
	if p := rep.Baseline; p != nil && len(p.New) > 0 {
		failed = true
		reportNote(stderr, "report: %d new %s since baseline %s\n", len(p.New), reportPlural(len(p.New), "finding", "findings"), f.baseline)
	}
	if failed {
		return withExitCode(exitFindings, nil)
	}
	return nil
}

func isReportFormat(s string) bool {
	for _, f := range coverage.Formats {
		if f == s {
			return true
		}
	}
	return false
}

func reportPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// reportNote prints a diagnostic line on stderr. A failing stderr cannot be
// reported anywhere, so its error is deliberately dropped.
func reportNote(stderr io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(stderr, format, args...)
}
