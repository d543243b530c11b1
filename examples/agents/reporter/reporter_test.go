package reporter

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/examples/dataset"
)

var report = &dataset.Report{
	Title:     "Sales",
	Source:    "sales.csv",
	Rows:      4,
	Columns:   []string{"region", "units"},
	Summaries: []dataset.Summary{{Column: "units", Count: 4, Mean: 2.5, Std: 1.29099, Min: 1, Median: 2.5, Max: 4}},
	Groups:    []dataset.Group{{Key: "north", Count: 2, Sum: 7, Mean: 3.5}},
	Anomalies: []dataset.Anomaly{{Row: 2, Column: "units", Value: 40, Score: 4.25}},
	Trend:     dataset.Trend{Slope: -0.5, Intercept: 3, R2: 0.8, N: 4},
	Forecast:  []float64{1, 0.5},
}

func TestRender(t *testing.T) {
	tests := []struct {
		name    string
		format  string
		rep     *dataset.Report
		want    []string // substrings, in order
		notWant []string
		wantErr bool
	}{
		{"markdown", FormatMarkdown, report, []string{
			"# Sales\n", "Source `sales.csv`: 4 rows, columns region, units.",
			"## Summary", "| column | count | mean | std | min | median | max |", "| --- |", "| units | 4 | 2.5 | 1.29 | 1 | 2.5 | 4 |",
			"## Groups", "| north | 2 | 7 | 3.5 |",
			"## Anomalies", "- row 3, units = 40 (score 4.25)",
			"## Trend", "-0.5 per row (R² 0.8) over 4 rows; forecast: 1, 0.5.",
		}, nil, false},
		{"text", FormatText, report, []string{"SALES\n", "Source sales.csv", "SUMMARY", "| units | 4 |", "forecast: 1, 0.5."}, []string{"#", "`", "| ---"}, false},
		{"empty report", FormatMarkdown, &dataset.Report{Title: "Empty"}, []string{"# Empty", "## Anomalies", "None found."}, []string{"## Summary", "## Trend"}, false},
		{"nil report", FormatText, nil, nil, nil, true},
		{"bad format", "html", report, nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			err := (&Reporter{}).Render(context.Background(), &b, tt.rep, tt.format)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, wantErr %v", err, tt.wantErr)
			}
			out := b.String()
			if tt.wantErr && out != "" {
				t.Errorf("wrote %q despite the error", out)
			}
			rest := out
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output lacks %q (in order):\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output contains %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestMarkdownNil(t *testing.T) {
	if _, err := (&Reporter{}).Markdown(context.Background(), nil); !errors.Is(err, ErrNoReport) {
		t.Errorf("Markdown(nil) error = %v, want ErrNoReport", err)
	}
}

func TestTableWorker(t *testing.T) {
	tests := []struct {
		name    string
		header  []string
		rows    [][]string
		want    string
		wantErr bool
	}{
		{"one row", []string{"a", "b"}, [][]string{{"1", "2"}}, "| a | b |\n| --- | --- |\n| 1 | 2 |\n", false},
		{"no rows", []string{"a"}, nil, "| a |\n| --- |\n", false},
		{"ragged", []string{"a", "b"}, [][]string{{"1"}}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := (&TableWorker{}).Execute(context.Background(), tt.header, tt.rows)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("Execute = %q, %v; want %q, wantErr %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
