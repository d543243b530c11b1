package main

import (
	"strings"

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
	report := coverage.Build(res.Retry, res.Intel, coverage.Options{})
	ids := findingIdentities(res, report.Findings())
	if bf.write != "" {
		var fs []coverage.Finding
		seen := make(map[string]bool)
		unmatched := 0
		for _, f := range res.Findings {
			id, ok := ids[diagKey(f)]
			if !ok {
				unmatched++
				continue
			}
			if !seen[id.String()] {
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
		id, ok := ids[diagKey(f)]
		if ok && (bf.write != "" || bf.base.Contains(id)) {
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
	report := coverage.Build(res.Retry, res.Intel, coverage.Options{})
	ids := findingIdentities(res, report.Findings())
	var out []driver.Finding
	for _, f := range res.Findings {
		if id, ok := ids[diagKey(f)]; ok && bf.base.Contains(id) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// diagKey identifies a diagnostic within one run.
func diagKey(f driver.Finding) string {
	return f.Analyzer + "\x00" + f.Pos.String() + "\x00" + f.Message
}

// findingIdentities ties each diagnostic to the unrouted method or
// untracked worker it reports (by analyzer and position line, else by the
// "Type.Method" its message names), so that it can be matched against a
// baseline independently of line numbers.
func findingIdentities(res *driver.Result, missing []coverage.Finding) map[string]coverage.Finding {
	byLine := make(map[string]coverage.Finding)
	for _, r := range res.Retry {
		for _, a := range r.Agents {
			for _, m := range a.Methods {
				byLine[coverage.RetryAnalyzer+"\x00"+posKey(m.Pos)] = coverage.Finding{Analyzer: coverage.RetryAnalyzer, Package: a.Pkg, Type: a.Name, Method: m.Name, Kind: coverage.KindUnrouted}
			}
		}
	}
	for _, r := range res.Intel {
		for _, w := range r.Workers {
			byLine[coverage.IntelAnalyzer+"\x00"+posKey(w.Pos)] = coverage.Finding{Analyzer: coverage.IntelAnalyzer, Package: w.Pkg, Type: w.Name, Method: w.Method, Kind: coverage.KindUntracked}
		}
	}
	ids := make(map[string]coverage.Finding)
	for _, f := range res.Findings {
		if id, ok := byLine[f.Analyzer+"\x00"+posKey(f.Pos)]; ok {
			ids[diagKey(f)] = id
			continue
		}
		for _, m := range missing {
			if m.Analyzer == f.Analyzer && m.Package == f.Package && mentions(f.Message, m.Type, m.Method) {
				ids[diagKey(f)] = m
				break
			}
		}
	}
	return ids
}

// mentions reports whether msg names typ's method meth.
func mentions(msg, typ, meth string) bool {
	for _, s := range []string{typ + "." + meth, "(*" + typ + ")." + meth, "(" + typ + ")." + meth} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
