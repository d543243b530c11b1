// Package reporter is the example's Reporter agent: it renders a
// dataset.Report as Markdown or plain text.
//
// Markdown and Text are not routed through runtime/recovery yet. Render is
// exempt with a reason: it writes to the caller's stream, so a retry after a
// partial write would duplicate output. TableWorker does not track its
// outcomes.
package reporter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/resilience-lint/resilience-lint/examples/dataset"
)

// Formats accepted by Render.
const (
	FormatMarkdown = "markdown"
	FormatText     = "text"
)

// ErrNoReport is returned when asked to render a nil report.
var ErrNoReport = errors.New("reporter: nil report")

// Reporter renders reports. Its zero value is ready to use.
type Reporter struct {
	table TableWorker
}

// Markdown renders rep as a Markdown document: a title, the shape of the
// data, then one section per finding.
func (r *Reporter) Markdown(ctx context.Context, rep *dataset.Report) (string, error) {
	if rep == nil {
		return "", ErrNoReport
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", rep.Title)
	fmt.Fprintf(&b, "Source `%s`: %d rows, columns %s.\n\n", rep.Source, rep.Rows, strings.Join(rep.Columns, ", "))
	if len(rep.Summaries) > 0 {
		b.WriteString("## Summary\n\n")
		rows := make([][]string, len(rep.Summaries))
		for i, s := range rep.Summaries {
			rows[i] = []string{s.Column, strconv.Itoa(s.Count), num(s.Mean), num(s.Std), num(s.Min), num(s.Median), num(s.Max)}
		}
		t, err := r.table.Execute(ctx, []string{"column", "count", "mean", "std", "min", "median", "max"}, rows)
		if err != nil {
			return "", err
		}
		b.WriteString(t + "\n")
	}
	if len(rep.Groups) > 0 {
		b.WriteString("## Groups\n\n")
		rows := make([][]string, len(rep.Groups))
		for i, g := range rep.Groups {
			rows[i] = []string{g.Key, strconv.Itoa(g.Count), num(g.Sum), num(g.Mean)}
		}
		t, err := r.table.Execute(ctx, []string{"group", "count", "sum", "mean"}, rows)
		if err != nil {
			return "", err
		}
		b.WriteString(t + "\n")
	}
	b.WriteString("## Anomalies\n\n")
	if len(rep.Anomalies) == 0 {
		b.WriteString("None found.\n")
	}
	for _, a := range rep.Anomalies {
		fmt.Fprintf(&b, "- row %d, %s = %s (score %s)\n", a.Row+1, a.Column, num(a.Value), num(a.Score))
	}
	if rep.Trend.N > 0 {
		fmt.Fprintf(&b, "\n## Trend\n\n%s per row (R² %s) over %d rows", signed(rep.Trend.Slope), num(rep.Trend.R2), rep.Trend.N)
		if len(rep.Forecast) > 0 {
			parts := make([]string, len(rep.Forecast))
			for i, f := range rep.Forecast {
				parts[i] = num(f)
			}
			fmt.Fprintf(&b, "; forecast: %s", strings.Join(parts, ", "))
		}
		b.WriteString(".\n")
	}
	return b.String(), nil
}

// Text renders rep as plain text: the Markdown without its markup.
func (r *Reporter) Text(ctx context.Context, rep *dataset.Report) (string, error) {
	md, err := r.Markdown(ctx, rep)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for line := range strings.Lines(md) {
		switch {
		case strings.HasPrefix(line, "| ---"):
			continue
		case strings.HasPrefix(line, "#"):
			line = strings.ToUpper(strings.TrimLeft(line, "# "))
		}
		b.WriteString(strings.ReplaceAll(line, "`", ""))
	}
	return b.String(), nil
}

// Render writes rep to w in format (FormatMarkdown or FormatText).
//
//resilience:noretry writes to the caller's w, which is not idempotent: a retry after a partial write would duplicate the output.
func (r *Reporter) Render(ctx context.Context, w io.Writer, rep *dataset.Report, format string) error {
	var (
		out string
		err error
	)
	switch format {
	case FormatMarkdown:
		out, err = r.Markdown(ctx, rep)
	case FormatText:
		out, err = r.Text(ctx, rep)
	default:
		return fmt.Errorf("reporter: unknown format %q (want %s or %s)", format, FormatMarkdown, FormatText)
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, out)
	return err
}

// TableWorker renders one Markdown table. It is a worker that does not
// track its outcomes yet.
type TableWorker struct{}

// Execute renders header and rows as a Markdown table. Every row must have
// as many cells as header.
func (w *TableWorker) Execute(ctx context.Context, header []string, rows [][]string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	var b strings.Builder
	line := func(cells []string) {
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	line(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	line(sep)
	for i, row := range rows {
		if len(row) != len(header) {
			return "", fmt.Errorf("reporter: table row %d has %d cells, header has %d", i+1, len(row), len(header))
		}
		line(row)
	}
	return b.String(), nil
}

// num formats a float compactly: at most two decimals, no trailing zeros.
func num(f float64) string { return strconv.FormatFloat(roundTo2(f), 'f', -1, 64) }

func signed(f float64) string {
	if f >= 0 {
		return "+" + num(f)
	}
	return num(f)
}

func roundTo2(f float64) float64 {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	v, _ := strconv.ParseFloat(s, 64)
	return v
}
