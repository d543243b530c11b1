package main

import (
	"github.com/spf13/cobra"

	"github.com/resilience-lint/resilience-lint/internal/coverage"
	"github.com/resilience-lint/resilience-lint/internal/driver"
)

// baselineFlags are lint's --baseline and --write-baseline.
type baselineFlags struct {
	read  string // --baseline
	write string // --write-baseline
	base  *coverage.Baseline
}

func addBaselineFlags(root *cobra.Command) {
	f := root.Flags()
	f.String("baseline", "", "report and fail only on findings not recorded in this baseline `file` (matched by type, method and kind, not lines)")
	f.String("write-baseline", "", "record today's findings in this baseline `file` and exit 0")
}

// loadBaselineFlags reads the flags and the --baseline file, before the
// (slow) analysis, so that a missing file fails fast.
func loadBaselineFlags(cmd *cobra.Command) (*baselineFlags, error) {
	bf := &baselineFlags{}
	var err error
	if bf.read, err = cmd.Flags().GetString("baseline"); err != nil {
		return nil, err
	}
	if bf.write, err = cmd.Flags().GetString("write-baseline"); err != nil {
		return nil, err
	}
	if bf.read != "" {
		if bf.base, err = coverage.LoadBaseline(bf.read); err != nil {
			return nil, err
		}
	}
	return bf, nil
}

// filter writes the baseline (--write-baseline) and returns the findings to
// report: all of them, or with --baseline those that are not in it, and
// none after --write-baseline.
func (bf *baselineFlags) filter(cmd *cobra.Command, res *driver.Result) ([]driver.Finding, error) {
	if bf.write == "" && bf.base == nil {
		return res.Findings, nil
	}
	if bf.write != "" {
		var fs []coverage.Finding
		seen := make(map[string]bool)
		unmatched := 0
		for _, f := range res.Findings {
			if f.Subject == nil {
				unmatched++
				continue
			}
			if id := *f.Subject; !seen[id.String()] {
				seen[id.String()] = true
				fs = append(fs, id)
			}
		}
		if err := coverage.WriteBaseline(bf.write, fs); err != nil {
			return nil, err
		}
		note(cmd.ErrOrStderr(), "wrote %d finding(s) to %s\n", len(fs), bf.write)
		if unmatched > 0 {
			note(cmd.ErrOrStderr(), "%d finding(s) not tied to an agent method or worker (e.g. a directive without a reason) cannot be baselined and are still reported\n", unmatched)
		}
	}
	var out []driver.Finding
	for _, f := range res.Findings {
		if f.Subject != nil && (bf.write != "" || bf.base.Contains(*f.Subject)) {
			continue
		}
		out = append(out, f)
	}
	return out, nil
}

// keep returns the findings of res not in the --baseline file (all of them
// without one). Unlike filter it writes nothing.
func (bf *baselineFlags) keep(res *driver.Result) []driver.Finding {
	if bf.base == nil {
		return res.Findings
	}
	var out []driver.Finding
	for _, f := range res.Findings {
		if f.Subject != nil && bf.base.Contains(*f.Subject) {
			continue
		}
		out = append(out, f)
	}
	return out
}
