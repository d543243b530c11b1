package main

import (
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"

	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/coverage"
)

// reportFixture is a code base halfway through its rollout:
//
//	Loader.Load   routed            Loader.Save   not routed
//	Loader.Stream exempt (noretry)  Store.Put     routed
//	CSVWorker     tracked           ParseWorker   not tracked
//
// so retry = 1/2 agents, methods = 2/3, intel = 1/2, score = (66.7+50)/2.
var reportFixture = map[string]string{
	"agents/loader/loader.go": `package loader

import (
	"context"
	"io"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Loader loads files.
type Loader struct{}

// Load reads a file, with retries.
func (l *Loader) Load(ctx context.Context, path string) ([]byte, error) {
	return recovery.DoValue(ctx, nil, func(ctx context.Context) ([]byte, error) {
		return os.ReadFile(path)
	})
}

// Save writes a file, without retries.
func (l *Loader) Save(ctx context.Context, path string, data []byte) error {
	return os.WriteFile(path, data, 0o644)
}

// Stream copies r to w.
//
//resilience:noretry consumes a one-shot reader
func (l *Loader) Stream(w io.Writer, r io.Reader) error {
	_, err := io.Copy(w, r)
	return err
}

// Store stores values.
type Store struct{}

// Put stores a value, with retries.
func (s *Store) Put(ctx context.Context, key string) error {
	return recovery.Do(ctx, nil, func(ctx context.Context) error {
		return os.WriteFile(key, nil, 0o644)
	})
}
`,
	"agents/loader/workers.go": `package loader

import (
	"context"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// CSVWorker reads CSV files.
type CSVWorker struct{}

// Execute reads path, tracked.
func (w *CSVWorker) Execute(ctx context.Context, path string) ([]byte, error) {
	return intelligence.Track(ctx, nil, intelligence.Op{Agent: "loader", Worker: "CSVWorker", Operation: "Execute"}, func(ctx context.Context) ([]byte, error) {
		return os.ReadFile(path)
	})
}

// ParseWorker parses files.
type ParseWorker struct{}

// Execute reads path, untracked.
func (w *ParseWorker) Execute(ctx context.Context, path string) ([]byte, error) {
	return os.ReadFile(path)
}
`,
}

// writeReportFile writes content to path, creating its directory.
func writeReportFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReportFormats(t *testing.T) {
	dir := fixturemod.Write(t, reportFixture)

	t.Run("table", func(t *testing.T) {
		r := lint(t, dir, "report")
		if r.code != 0 {
			t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{
			"example.com/fx/agents/loader.Loader",
			"agents/loader/loader.go:22: Loader.Save:",
			"agents/loader/workers.go:24: ParseWorker.Execute:",
			"Loader.Stream: //resilience:noretry consumes a one-shot reader",
			"methods  2/3 (66.6%)",
			"intel    1/2 (50.0%)",
			"Health score: 58.3% = mean(methods 66.6%, intel 50.0%)",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("table lacks %q:\n%s", want, r.stdout)
			}
		}
		if strings.Contains(r.stdout+r.stderr, "\x1b[") {
			t.Error("escape sequences in output that is not a terminal")
		}
		if r.stderr != "" {
			t.Errorf("stderr is not quiet:\n%s", r.stderr)
		}
	})

	for _, spelling := range [][]string{{"-format", "json"}, {"--format=json"}, {"-f", "json"}, {"-format=json", "./..."}} {
		t.Run("json "+strings.Join(spelling, " "), func(t *testing.T) {
			r := lint(t, dir, append([]string{"report"}, spelling...)...)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			var got coverage.Report
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("%v\n%s", err, r.stdout)
			}
			want := coverage.Totals{
				Retry: coverage.Ratio{Covered: 1, Total: 2}, Methods: coverage.Ratio{Covered: 2, Total: 3},
				Intel: coverage.Ratio{Covered: 1, Total: 2}, InScopeMethods: 4, ExemptMethods: 1,
			}
			if got.SchemaVersion != coverage.SchemaVersion || got.Totals != want {
				t.Errorf("schema %d totals %+v, want %+v", got.SchemaVersion, got.Totals, want)
			}
			if got.Score.Value == nil || *got.Score.Value < 58.33 || *got.Score.Value > 58.34 {
				t.Errorf("score = %v, want (200/3+50)/2", got.Score.Value)
			}
		})
	}

	t.Run("markdown", func(t *testing.T) {
		r := lint(t, dir, "report", "-format", "markdown", "./agents/...")
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		for _, want := range []string{
			"### `example.com/fx/agents/loader` (4/6 done)",
			"- [x] `Loader.Load` routed through recovery",
			"- [ ] `Loader.Save` not routed",
			"- [x] `Loader.Stream` exempt: //resilience:noretry consumes a one-shot reader",
			"- [x] worker `CSVWorker.Execute` tracked",
			"- [ ] worker `ParseWorker.Execute` not tracked",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("markdown lacks %q:\n%s", want, r.stdout)
			}
		}
	})

	t.Run("help prints the formula", func(t *testing.T) {
		r := lint(t, dir, "report", "--help")
		if r.code != 0 || !strings.Contains(r.stdout, coverage.Formula) || !strings.Contains(r.stdout, "--fail-under") {
			t.Errorf("exit %d, help:\n%s", r.code, r.stdout)
		}
	})
}

func TestReportGates(t *testing.T) {
	dir := fixturemod.Write(t, reportFixture)
	tests := []struct {
		args   []string
		code   int
		stderr []string
	}{
		{[]string{"--fail-under", "retry=100,intel=90"}, 3, []string{"fail-under: retry 50.0% < 100", "fail-under: intel 50.0% < 90"}},
		{[]string{"--fail-under=methods=66", "--fail-under", "intel=50"}, 0, nil},
		{[]string{"-fail-under", "score=58"}, 0, nil},
		{[]string{"-fail-under", "score=59"}, 3, []string{"score 58.3% < 59"}},
		{[]string{"--fail-under", "coverage=90"}, 2, []string{`unknown metric "coverage"`}},
		{[]string{"--fail-under", "retry=200"}, 2, []string{"not a percentage from 0 to 100"}},
		{[]string{"-format", "yaml"}, 2, []string{`unknown format "yaml"`}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := lint(t, dir, append([]string{"report"}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, tt.code, r.stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if tt.code == 1 && r.stdout != "" {
				t.Errorf("a usage error printed a report:\n%s", r.stdout)
			}
		})
	}
}

func TestReportBaseline(t *testing.T) {
	dir := fixturemod.Write(t, reportFixture)
	base := filepath.Join(dir, "baseline.json")

	r := lint(t, dir, "report", "--write-baseline", base)
	if r.code != 0 || !strings.Contains(r.stderr, "wrote 2 findings to "+base) {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	b, err := coverage.LoadBaseline(base)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 2 {
		t.Fatalf("baseline holds %d findings, want 2: %v", b.Len(), b.Findings())
	}

	// Unrelated edits move every line: nothing is new.
	loader := filepath.Join(dir, "agents/loader/loader.go")
	src, err := os.ReadFile(loader)
	if err != nil {
		t.Fatal(err)
	}
	shifted := strings.Replace(string(src), "package loader\n", "// Package loader loads.\n//\n// It has a longer doc now.\npackage loader\n", 1)
	writeReportFile(t, loader, shifted)
	r = lint(t, dir, "report", "--baseline", base)
	if r.code != 0 || !strings.Contains(r.stdout, "2 recorded, 0 fixed, 2 remaining, 0 new") {
		t.Fatalf("after moving lines: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	// Save gets routed, and a new unrouted method appears: one fixed, one new.
	edited := strings.Replace(shifted, "\treturn os.WriteFile(path, data, 0o644)\n}",
		"\treturn recovery.Do(ctx, nil, func(ctx context.Context) error { return os.WriteFile(path, data, 0o644) })\n}\n\n"+
			"// Remove removes a file.\nfunc (l *Loader) Remove(ctx context.Context, path string) error {\n\treturn os.Remove(path)\n}", 1)
	writeReportFile(t, loader, edited)
	r = lint(t, dir, "report", "-baseline", base)
	if r.code != 3 {
		t.Fatalf("new finding: exit %d, want 3\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"2 recorded, 1 fixed, 1 remaining, 1 new",
		"new:   agents/loader/loader.go:",
		"example.com/fx/agents/loader.Loader.Remove (unrouted)",
		"fixed: example.com/fx/agents/loader.Loader.Save (unrouted)",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "1 new finding since baseline "+base) {
		t.Errorf("stderr:\n%s", r.stderr)
	}

	// JSON carries the progress too.
	r = lint(t, dir, "report", "-baseline", base, "-format", "json")
	var got coverage.Report
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Baseline == nil || len(got.Baseline.New) != 1 || got.Baseline.New[0].Method != "Remove" || len(got.Baseline.Fixed) != 1 {
		t.Errorf("baseline progress = %+v", got.Baseline)
	}

	// Bad baselines are tool errors naming the file.
	bad := filepath.Join(dir, "bad.json")
	writeReportFile(t, bad, "{not json")
	for _, file := range []string{bad, filepath.Join(dir, "missing.json")} {
		r = lint(t, dir, "report", "--baseline", file)
		if r.code != 1 || !strings.Contains(r.stderr, file) || r.stdout != "" {
			t.Errorf("--baseline %s: exit %d, stdout %q, stderr %q", file, r.code, r.stdout, r.stderr)
		}
	}
}

func TestReportBrokenPackage(t *testing.T) {
	files := map[string]string{"agents/broken/broken.go": "package broken\n\nfunc F( {\n"}
	for k, v := range reportFixture {
		files[k] = v
	}
	dir := fixturemod.Write(t, files)
	base := filepath.Join(dir, "baseline.json")
	r := lint(t, dir, "report", "--write-baseline", base)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	// The other packages are still reported, and the report says it is incomplete.
	if !strings.Contains(r.stdout, "example.com/fx/agents/loader.Loader") || !strings.Contains(r.stdout, "Incomplete") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "agents/broken/broken.go:3") || !strings.Contains(r.stderr, "not written") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if _, err := os.Stat(base); !os.IsNotExist(err) {
		t.Errorf("a baseline was written from an incomplete report (stat: %v)", err)
	}
}

func TestReportNoPackages(t *testing.T) {
	dir := fixturemod.Write(t, reportFixture)
	r := lint(t, dir, "report", "./nothing/...")
	if r.code != 1 || r.stderr == "" {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestReportConfig(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		// Not under agents/: an agent only when the configuration says so.
		"billing/billing.go": `package billing

import "os"

// Biller sends invoices.
type Biller struct{}

// Send writes an invoice.
func (b *Biller) Send(path string) error {
	return os.WriteFile(path, nil, 0o644)
}
`,
		".resilience.yml": "agent-types: [Biller]\n",
		"other.yml":       "agent-types: [Nobody]\n",
		"bad.yml":         "agent-types: [Biller]\nretries: 3\n",
	})
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"discovered file", []string{"report"}, 0, "billing.Biller", ""},
		{"--config", []string{"report", "--config", "other.yml"}, 0, "No agents or workers found.", ""},
		{"-config=", []string{"report", "-config=other.yml"}, 0, "No agents or workers found.", ""},
		{"invalid file", []string{"report", "--config", "bad.yml"}, 1, "", "bad.yml"},
		{"missing file", []string{"report", "--config", "nope.yml"}, 1, "", "nope.yml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := lint(t, dir, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d (want %d)\nstdout (want %q):\n%s\nstderr (want %q):\n%s", r.code, tt.code, tt.stdout, r.stdout, tt.stderr, r.stderr)
			}
			if tt.code == 1 && r.stdout != "" {
				t.Errorf("a configuration error printed a report:\n%s", r.stdout)
			}
		})
	}
}

func TestReportCompletion(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		flag string
		want []string
	}{
		{"--format", []string{"table", "json", "markdown"}},
		{"--fail-under", []string{"retry=", "methods=", "intel=", "score="}},
	}
	for _, tt := range tests {
		r := lint(t, dir, "__complete", "report", tt.flag, "")
		for _, w := range tt.want {
			if !strings.Contains(r.stdout, w+"\n") {
				t.Errorf("completion of %s lacks %q:\n%s", tt.flag, w, r.stdout)
			}
		}
	}
}

func TestReportBaselineReplaced(t *testing.T) {
	dir := fixturemod.Write(t, reportFixture)
	old := filepath.Join(dir, "old.json")
	// An older baseline that recorded only Save: ParseWorker is new.
	writeReportFile(t, old, `{"schema_version": 1, "tool": "resilience-lint", "findings": [
  {"analyzer": "retrycoverage", "package": "example.com/fx/agents/loader", "type": "Loader", "method": "Save", "kind": "unrouted"}
]}
`)
	r := lint(t, dir, "report", "--baseline", old, "--write-baseline", old)
	// Progress is against the old baseline (exit 3: one new finding), and
	// the file now records both findings.
	if r.code != 3 || !strings.Contains(r.stdout, "1 recorded, 0 fixed, 1 remaining, 1 new") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	b, err := coverage.LoadBaseline(old)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 2 {
		t.Errorf("rewritten baseline holds %v, want 2 findings", b.Findings())
	}
	if r = lint(t, dir, "report", "--baseline", old); r.code != 0 {
		t.Errorf("against the rewritten baseline: exit %d\n%s", r.code, r.stderr)
	}
}
