package coverage

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Formats are the renderings Render accepts.
var Formats = []string{"table", "json", "markdown"}

// Render writes r in format: "table", "json" or "markdown".
func (r *Report) Render(w io.Writer, format string) error {
	switch format {
	case "table":
		return r.WriteTable(w)
	case "json":
		return r.WriteJSON(w)
	case "markdown":
		return r.WriteMarkdown(w)
	}
	return fmt.Errorf("unknown format %q (formats: %s)", format, strings.Join(Formats, ", "))
}

// WriteJSON writes r as indented JSON (schema in the package documentation).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// scoreLine formats the score and its inputs:
// "52.7% = mean(methods 55.5%, intel 50.0%)".
func (r *Report) scoreLine() string {
	var ins []string
	var defined []string
	for _, in := range r.Score.Inputs {
		p := "n/a"
		if in.Percent != nil {
			p = fmtPercent(*in.Percent, true)
			defined = append(defined, in.Metric+" "+p)
		}
		ins = append(ins, in.Metric+" "+p)
	}
	if r.Score.Value == nil {
		return "n/a (no agent method or worker in scope: " + strings.Join(ins, ", ") + ")"
	}
	s := fmtPercent(*r.Score.Value, true) + " = mean(" + strings.Join(defined, ", ") + ")"
	if len(defined) < len(ins) {
		s += ", left out: " + strings.Join(undefinedInputs(r.Score.Inputs), ", ") + " n/a"
	}
	return s
}

func undefinedInputs(ins []ScoreInput) []string {
	var out []string
	for _, in := range ins {
		if in.Percent == nil {
			out = append(out, in.Metric)
		}
	}
	return out
}

// location formats "file:line: " (or "" when the position is unknown).
func location(file string, line int) string {
	switch {
	case file == "":
		return ""
	case line == 0:
		return file + ": "
	}
	return file + ":" + strconv.Itoa(line) + ": "
}

// errWriter remembers the first write error, so that rendering code can
// write unconditionally and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// WriteTable writes r as aligned plain text: agents, workers, what is
// missing (file:line: Type.Method: reason, as editors jump to), exemptions,
// the totals, the score and the baseline progress. No colours.
func (r *Report) WriteTable(w io.Writer) error {
	bw := bufio.NewWriter(w)
	ew := &errWriter{w: bw}
	tw := tabwriter.NewWriter(ew.w, 0, 4, 2, ' ', 0)
	tew := &errWriter{w: tw}

	if len(r.Agents) == 0 && len(r.Workers) == 0 {
		ew.printf("No agents or workers found.\n\n")
	}
	// Names are shown relative to the packages' common parent, which is
	// printed once: full import paths make the table too wide to read.
	prefix := commonParent(r.packages())
	if prefix != "" {
		tew.printf("Packages under %s\n\n", strings.TrimSuffix(prefix, "/"))
	}
	if len(r.Agents) > 0 {
		tew.printf("AGENT\tSTATUS\tROUTED\tEXEMPT\tMISSING\n")
		for _, a := range r.Agents {
			tew.printf("%s.%s\t%s\t%d/%d\t%d\t%d\n", strings.TrimPrefix(a.Package, prefix), a.Name, a.Status,
				a.Routed, a.Routed+a.Missing, a.Exempt, a.Missing)
		}
		tew.printf("\n")
	}
	if len(r.Workers) > 0 {
		tew.printf("WORKER\tMETHOD\tSTATUS\n")
		for _, wk := range r.Workers {
			tew.printf("%s.%s\t%s\t%s\n", strings.TrimPrefix(wk.Package, prefix), wk.Name, wk.Method, wk.Status)
		}
		tew.printf("\n")
	}
	if tew.err == nil {
		tew.err = tw.Flush()
	}
	if tew.err != nil {
		return tew.err
	}

	var missing, exempt []string
	for _, a := range r.Agents {
		for _, m := range a.Methods {
			switch m.Status {
			case Missing:
				missing = append(missing, location(m.File, m.Line)+a.Name+"."+m.Name+": "+orDash(m.Reason))
			case Exempt:
				exempt = append(exempt, location(m.File, m.Line)+a.Name+"."+m.Name+": "+orDash(m.Reason))
			}
		}
	}
	for _, wk := range r.Workers {
		switch wk.Status {
		case Missing:
			missing = append(missing, location(wk.File, wk.Line)+wk.Name+"."+wk.Method+": "+orDash(wk.Reason))
		case Exempt:
			exempt = append(exempt, location(wk.File, wk.Line)+wk.Name+"."+wk.Method+": "+orDash(wk.Reason))
		}
	}
	if len(missing) > 0 {
		ew.printf("Missing (%d):\n", len(missing))
		for _, s := range missing {
			ew.printf("  %s\n", oneLine(s))
		}
		ew.printf("\n")
	}
	if len(exempt) > 0 {
		ew.printf("Exempt (%d):\n", len(exempt))
		for _, s := range exempt {
			ew.printf("  %s\n", oneLine(s))
		}
		ew.printf("\n")
	}

	t := r.Totals
	tw = tabwriter.NewWriter(ew.w, 0, 4, 2, ' ', 0)
	tew = &errWriter{w: tw}
	tew.printf("retry\t%s\tagents fully covered\n", t.Retry)
	tew.printf("methods\t%s\tmethods routed (%d exempt, not counted)\n", t.Methods, t.ExemptMethods)
	tew.printf("intel\t%s\tworkers tracked (%d exempt, not counted)\n", t.Intel, t.ExemptWorkers)
	if tew.err == nil {
		tew.err = tw.Flush()
	}
	if tew.err != nil {
		return tew.err
	}
	ew.printf("\nHealth score: %s\n", r.scoreLine())

	if len(r.Errors) > 0 {
		ew.printf("\nIncomplete: not every package could be analyzed (%d %s):\n", len(r.Errors), plural(len(r.Errors), "error"))
		for _, e := range r.Errors {
			ew.printf("  %s\n", oneLine(e))
		}
	}
	if p := r.Baseline; p != nil {
		ew.printf("\nBaseline %s: %d recorded, %d fixed, %d remaining, %d new\n",
			orDash(p.File), p.Recorded, len(p.Fixed), p.Remaining, len(p.New))
		for _, f := range p.New {
			ew.printf("  new:   %s%s.%s.%s (%s)\n", location(f.File, f.Line), f.Package, f.Type, f.Method, f.Kind)
		}
		for _, f := range p.Fixed {
			ew.printf("  fixed: %s.%s.%s (%s)\n", f.Package, f.Type, f.Method, f.Kind)
		}
	}
	if ew.err != nil {
		return ew.err
	}
	return bw.Flush()
}

// WriteMarkdown writes r as Markdown for a PR comment or a tracking issue:
// the score with its inputs, a metrics table, then one checklist per
// package of what is done and what remains (methods, workers, exemptions
// with their reasons).
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	ew := &errWriter{w: bw}
	t := r.Totals

	ew.printf("## Resilience coverage\n\n")
	if len(r.Errors) > 0 {
		ew.printf("> **Incomplete:** not every package could be analyzed (%d %s):\n", len(r.Errors), plural(len(r.Errors), "error"))
		for _, e := range r.Errors {
			ew.printf("> - %s\n", mdEscape(e))
		}
		ew.printf("\n")
	}
	ew.printf("**Health score: %s**\n\n", mdEscape(r.scoreLine()))
	ew.printf("`%s`; exempt methods and workers are not counted.\n\n", Formula)
	ew.printf("| metric | covered | total | percent |\n| --- | ---: | ---: | ---: |\n")
	for _, row := range []struct {
		name string
		r    Ratio
	}{
		{"retry: agents fully covered", t.Retry},
		{"methods: routed", t.Methods},
		{"intel: workers tracked", t.Intel},
	} {
		ew.printf("| %s | %d | %d | %s |\n", row.name, row.r.Covered, row.r.Total, fmtPercent(row.r.Percent()))
	}
	ew.printf("\nExempt: %d %s, %d %s.\n", t.ExemptMethods, plural(t.ExemptMethods, "method"), t.ExemptWorkers, plural(t.ExemptWorkers, "worker"))

	for _, pkg := range r.packages() {
		done, total := 0, 0
		var lines []string
		for _, a := range r.Agents {
			if a.Package != pkg {
				continue
			}
			if a.Status == AgentEmpty {
				lines = append(lines, fmt.Sprintf("- [x] agent `%s`: no in-scope methods", a.Name))
			}
			for _, m := range a.Methods {
				total++
				name := "`" + a.Name + "." + m.Name + "`"
				switch m.Status {
				case Routed:
					done++
					if m.Reason != "" {
						lines = append(lines, "- [x] "+name+" routed: "+mdEscape(m.Reason))
					} else {
						lines = append(lines, "- [x] "+name+" routed through recovery")
					}
				case Exempt:
					done++
					lines = append(lines, "- [x] "+name+" exempt: "+mdEscape(orDash(m.Reason)))
				default:
					lines = append(lines, "- [ ] "+name+" not routed: "+mdEscape(orDash(m.Reason))+mdLocation(m.File, m.Line))
				}
			}
		}
		for _, wk := range r.Workers {
			if wk.Package != pkg {
				continue
			}
			total++
			name := "worker `" + wk.Name + "." + wk.Method + "`"
			switch wk.Status {
			case Tracked:
				done++
				lines = append(lines, "- [x] "+name+" tracked")
			case Exempt:
				done++
				lines = append(lines, "- [x] "+name+" exempt: "+mdEscape(orDash(wk.Reason)))
			default:
				lines = append(lines, "- [ ] "+name+" not tracked: "+mdEscape(orDash(wk.Reason))+mdLocation(wk.File, wk.Line))
			}
		}
		ew.printf("\n### `%s` (%d/%d done)\n\n%s\n", pkg, done, total, strings.Join(lines, "\n"))
	}

	if p := r.Baseline; p != nil {
		ew.printf("\n### Progress against the baseline\n\n")
		ew.printf("%d recorded in `%s`: **%d fixed**, %d remaining, **%d new**.\n", p.Recorded, orDash(p.File), len(p.Fixed), p.Remaining, len(p.New))
		if len(p.New) > 0 {
			ew.printf("\nNew since the baseline:\n\n")
			for _, f := range p.New {
				ew.printf("- [ ] `%s.%s` in `%s` (%s)%s\n", f.Type, f.Method, f.Package, f.Kind, mdLocation(f.File, f.Line))
			}
		}
		if len(p.Fixed) > 0 {
			ew.printf("\nFixed since the baseline:\n\n")
			for _, f := range p.Fixed {
				ew.printf("- [x] `%s.%s` in `%s` (%s)\n", f.Type, f.Method, f.Package, f.Kind)
			}
		}
	}
	if ew.err != nil {
		return ew.err
	}
	return bw.Flush()
}

// packages returns the packages of the agents and workers, sorted (both
// lists are sorted by package already).
func (r *Report) packages() []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	i, j := 0, 0
	for i < len(r.Agents) || j < len(r.Workers) {
		if j == len(r.Workers) || (i < len(r.Agents) && r.Agents[i].Package <= r.Workers[j].Package) {
			add(r.Agents[i].Package)
			i++
		} else {
			add(r.Workers[j].Package)
			j++
		}
	}
	return out
}

func mdLocation(file string, line int) string {
	if file == "" {
		return ""
	}
	if line == 0 {
		return " (`" + file + "`)"
	}
	return " (`" + file + ":" + strconv.Itoa(line) + "`)"
}

// mdEscape makes free text (reasons from source comments) inert in
// Markdown: one line, with the characters that start markup escaped.
func mdEscape(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune("\\`*_[]<>|#~", c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// oneLine folds whitespace runs (newlines included) into single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// commonParent returns the longest common prefix of the import paths that
// ends with "/" and leaves every path at least its last element ("" when
// there is none, or fewer than two packages).
func commonParent(pkgs []string) string {
	if len(pkgs) < 2 {
		return ""
	}
	prefix := pkgs[0][:strings.LastIndexByte(pkgs[0], '/')+1]
	for _, p := range pkgs[1:] {
		for !strings.HasPrefix(p, prefix) || len(p) == len(prefix) {
			i := strings.LastIndexByte(strings.TrimSuffix(prefix, "/"), '/')
			prefix = prefix[:i+1]
		}
	}
	return prefix
}
