package coverage

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// mixed is a code base halfway through its rollout: two agent packages,
// exemptions, an agent without in-scope methods, workers in every state,
// and a reason holding Markdown metacharacters.
func mixed() *Report {
	const dir = "/src/app"
	at := func(file string, line int) token.Position {
		return token.Position{Filename: dir + "/" + file, Line: line, Column: 1}
	}
	const loader = "example.com/app/agents/loader"
	const stats = "example.com/app/agents/stats"
	retry := []*retrycoverage.Result{
		{Agents: []retrycoverage.Agent{
			{Pkg: loader, Name: "DataLoader", Pos: at("agents/loader/loader.go", 10), Methods: []retrycoverage.Method{
				{Name: "LoadCSV", Pos: at("agents/loader/loader.go", 20), Status: retrycoverage.Routed},
				{Name: "LoadJSON", Pos: at("agents/loader/loader.go", 40), Status: retrycoverage.Unrouted,
					Reason: "os.Open can fail on the path returning at line 44, which never reaches a recovery entry point"},
				{Name: "ReadCSV", Pos: at("agents/loader/loader.go", 60), Status: retrycoverage.Exempt,
					Reason: "consumes an io.Reader (not *safe* to run twice)"},
			}},
		}},
		{Agents: []retrycoverage.Agent{
			{Pkg: stats, Name: "Aggregator", Pos: at("agents/stats/agg.go", 5), Methods: []retrycoverage.Method{
				{Name: "Aggregate", Pos: at("agents/stats/agg.go", 12), Status: retrycoverage.Routed},
				{Name: "Window", Pos: at("agents/stats/agg.go", 30), Status: retrycoverage.Routed},
			}},
			{Pkg: stats, Name: "Config", Pos: at("agents/stats/config.go", 3)},
		}},
	}
	intel := []*intelcoverage.Result{
		{Workers: []intelcoverage.Worker{
			{Pkg: loader, Name: "CSVWorker", Method: "Execute", Agent: "loader", Pos: at("agents/loader/workers.go", 8), Status: intelcoverage.Untracked,
				Reason: "the error returned at line 15 is not tracked (no TrackError before it)"},
		}},
		{Workers: []intelcoverage.Worker{
			{Pkg: stats, Name: "StatisticsWorker", Method: "Execute", Agent: "stats", Pos: at("agents/stats/workers.go", 9), Status: intelcoverage.Tracked},
			{Pkg: stats, Name: "AuditWorker", Method: "Execute", Agent: "stats", Pos: at("agents/stats/workers.go", 40), Status: intelcoverage.Exempt,
				Reason: "audit | logs only"},
		}},
	}
	r := Build(retry, intel, Options{Dir: dir})
	base := NewBaseline([]Finding{
		{Analyzer: RetryAnalyzer, Package: loader, Type: "DataLoader", Method: "LoadJSON", Kind: KindUnrouted},
		{Analyzer: RetryAnalyzer, Package: stats, Type: "Aggregator", Method: "Window", Kind: KindUnrouted},
	})
	r.Compare(base, "resilience-baseline.json")
	return r
}

func TestRenderGolden(t *testing.T) {
	reports := map[string]func() *Report{
		"mixed": mixed,
		"empty": func() *Report { return Build(nil, nil, Options{}) },
	}
	for name, build := range reports {
		for _, format := range Formats {
			t.Run(name+"."+format, func(t *testing.T) {
				var buf bytes.Buffer
				if err := build().Render(&buf, format); err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", name+"."+format+".golden")
				if *update {
					if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./coverage -update to create it)", err)
				}
				if got := buf.String(); got != string(want) {
					t.Errorf("%s differs from %s (go test ./coverage -update rewrites it):\n%s", format, golden, got)
				}
			})
		}
	}
}

// The golden files fix the layout; these tests state what must be true of
// any layout.
func TestRenderContents(t *testing.T) {
	r := mixed()
	render := func(format string) string {
		var buf bytes.Buffer
		if err := r.Render(&buf, format); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}

	table := render("table")
	for _, want := range []string{
		// go-vet style locations, relative to Options.Dir
		"agents/loader/loader.go:40: DataLoader.LoadJSON: os.Open can fail",
		"agents/loader/workers.go:8: CSVWorker.Execute: the error returned at line 15",
		"agents/loader/loader.go:60: DataLoader.ReadCSV: consumes an io.Reader",
		// methods 3/4 (ReadCSV exempt), intel 1/2 (AuditWorker exempt)
		"3/4 (75.0%)", "1/2 (50.0%)",
		"Health score: 62.5% = mean(methods 75.0%, intel 50.0%)",
		"new:   agents/loader/workers.go:8: example.com/app/agents/loader.CSVWorker.Execute (untracked)",
		"fixed: example.com/app/agents/stats.Aggregator.Window (unrouted)",
		"2 recorded, 1 fixed, 1 remaining, 1 new",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "\x1b[") {
		t.Error("table holds terminal escape sequences")
	}

	md := render("markdown")
	for _, want := range []string{
		"### `example.com/app/agents/loader` (2/4 done)",
		"### `example.com/app/agents/stats` (4/4 done)",
		"- [ ] `DataLoader.LoadJSON` not routed:",
		"- [x] `DataLoader.ReadCSV` exempt: consumes an io.Reader (not \\*safe\\* to run twice)",
		"- [x] worker `AuditWorker.Execute` exempt: audit \\| logs only",
		"- [ ] worker `CSVWorker.Execute` not tracked:",
		"- [x] agent `Config`: no in-scope methods",
		"**1 fixed**, 1 remaining, **1 new**",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}

	var decoded map[string]any
	if err := json.Unmarshal([]byte(render("json")), &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded["schema_version"] != float64(SchemaVersion) {
		t.Errorf("schema_version = %v", decoded["schema_version"])
	}
	intel := decoded["totals"].(map[string]any)["intel"].(map[string]any)
	if intel["covered"] != 1.0 || intel["total"] != 2.0 || intel["percent"] != 50.0 {
		t.Errorf("totals.intel = %v", intel)
	}
	if decoded["score"].(map[string]any)["value"] != 62.5 {
		t.Errorf("score = %v", decoded["score"])
	}
}

func TestJSONUndefinedIsNull(t *testing.T) {
	var buf bytes.Buffer
	if err := Build(nil, nil, Options{}).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Score struct {
			Value *float64 `json:"value"`
		} `json:"score"`
		Totals struct {
			Retry struct {
				Percent *float64 `json:"percent"`
			} `json:"retry"`
		} `json:"totals"`
		Baseline *Progress `json:"baseline"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Score.Value != nil || got.Totals.Retry.Percent != nil {
		t.Errorf("undefined values are not null: %s", buf.String())
	}
	if got.Baseline != nil || strings.Contains(buf.String(), `"baseline"`) {
		t.Errorf("baseline present without a baseline: %s", buf.String())
	}
}

func TestJSONRoundTrip(t *testing.T) {
	r := mixed()
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Totals != r.Totals || len(back.Agents) != len(r.Agents) || *back.Score.Value != *r.Score.Value {
		t.Errorf("round trip lost data: %+v", back.Totals)
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	err := Build(nil, nil, Options{}).Render(&bytes.Buffer{}, "yaml")
	if err == nil || !strings.Contains(err.Error(), `unknown format "yaml" (formats: table, json, markdown)`) {
		t.Errorf("err = %v", err)
	}
}

type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestRenderReportsWriteErrors(t *testing.T) {
	for _, format := range Formats {
		if err := mixed().Render(failingWriter{}, format); !errors.Is(err, errDiskFull) {
			t.Errorf("%s: err = %v, want the write error", format, err)
		}
	}
}

func TestRenderIncomplete(t *testing.T) {
	r := mixed()
	r.Errors = []string{"agents/broken/b.go:3:1: expected declaration, found oops"}
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := r.Render(&buf, format); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.Contains(out, "agents/broken/b.go:3:1") {
			t.Errorf("%s does not show the package error:\n%s", format, out)
		}
		if format != "json" && !strings.Contains(out, "Incomplete") {
			t.Errorf("%s does not say the report is incomplete:\n%s", format, out)
		}
	}
}

func TestCommonParent(t *testing.T) {
	tests := []struct {
		pkgs []string
		want string
	}{
		{nil, ""},
		{[]string{"example.com/app/agents/loader"}, ""},
		{[]string{"example.com/app/agents/loader", "example.com/app/agents/stats"}, "example.com/app/agents/"},
		{[]string{"example.com/app/agents", "example.com/app/agents/stats"}, "example.com/app/"},
		{[]string{"example.com/app/a", "example.com/apple/b"}, "example.com/"},
		{[]string{"a/x", "b/y"}, ""},
		{[]string{"main", "a/b"}, ""},
	}
	for _, tt := range tests {
		if got := commonParent(tt.pkgs); got != tt.want {
			t.Errorf("commonParent(%q) = %q, want %q", tt.pkgs, got, tt.want)
		}
	}
}
