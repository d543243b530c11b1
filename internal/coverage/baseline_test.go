package coverage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

const loaderPkg = "example.com/app/agents/loader"

// legacy is a code base before the rollout: two unrouted methods and one
// untracked worker.
func legacy() *Report {
	return Build(
		retryResults(agent(loaderPkg, "Loader",
			method("Load", retrycoverage.Unrouted, "returns at line 12 without retry"),
			method("Save", retrycoverage.Unrouted, "returns at line 30 without retry"),
			method("Ping", retrycoverage.Routed, ""),
		)),
		intelResults(worker(loaderPkg, "CSVWorker", intelcoverage.Untracked, "error at line 40 not tracked")),
		Options{},
	)
}

func TestFindings(t *testing.T) {
	fs := legacy().Findings()
	want := []string{
		loaderPkg + ".CSVWorker.Execute (intelcoverage: untracked)",
		loaderPkg + ".Loader.Load (retrycoverage: unrouted)",
		loaderPkg + ".Loader.Save (retrycoverage: unrouted)",
	}
	if len(fs) != len(want) {
		t.Fatalf("Findings() = %v, want %v", fs, want)
	}
	for i := range want {
		if fs[i].String() != want[i] {
			t.Errorf("finding %d = %s, want %s", i, fs[i], want[i])
		}
	}
	if fs[1].Message == "" {
		t.Errorf("finding has no message: %+v", fs[1])
	}
}

func TestBaselineRoundTripAndMatching(t *testing.T) {
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := WriteBaseline(path, legacy().Findings()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "line") {
		t.Errorf("baseline file holds positions or messages (they churn):\n%s", data)
	}
	b, err := LoadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 3 {
		t.Fatalf("Len = %d, want 3", b.Len())
	}

	tests := []struct {
		name string
		f    Finding
		want bool
	}{
		{"same finding, other line and message", Finding{Analyzer: RetryAnalyzer, Package: loaderPkg, Type: "Loader", Method: "Load", Kind: KindUnrouted, Message: "returns at line 99", Line: 99}, true},
		{"worker", Finding{Analyzer: IntelAnalyzer, Package: loaderPkg, Type: "CSVWorker", Method: "Execute", Kind: KindUntracked}, true},
		{"renamed method", Finding{Analyzer: RetryAnalyzer, Package: loaderPkg, Type: "Loader", Method: "LoadAll", Kind: KindUnrouted}, false},
		{"same names in another package", Finding{Analyzer: RetryAnalyzer, Package: "example.com/app/agents/other", Type: "Loader", Method: "Load", Kind: KindUnrouted}, false},
		{"other analyzer", Finding{Analyzer: IntelAnalyzer, Package: loaderPkg, Type: "Loader", Method: "Load", Kind: KindUnrouted}, false},
		{"other kind", Finding{Analyzer: RetryAnalyzer, Package: loaderPkg, Type: "Loader", Method: "Load", Kind: "other"}, false},
	}
	for _, tt := range tests {
		if got := b.Contains(tt.f); got != tt.want {
			t.Errorf("%s: Contains = %v, want %v", tt.name, got, tt.want)
		}
	}

	// Rewriting the same findings produces the same bytes.
	if err := WriteBaseline(path, legacy().Findings()); err != nil {
		t.Fatal(err)
	}
	again, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(data) {
		t.Errorf("baseline not stable:\n%s\n---\n%s", data, again)
	}
}

func TestNilBaseline(t *testing.T) {
	var b *Baseline
	if b.Contains(Finding{Analyzer: RetryAnalyzer}) || b.Len() != 0 || b.Findings() != nil {
		t.Error("nil baseline is not empty")
	}
}

func TestCompare(t *testing.T) {
	base := NewBaseline(legacy().Findings())

	// Later: Load was fixed, Save still missing, a new method Delete is
	// missing, and the worker is tracked.
	now := Build(
		retryResults(agent(loaderPkg, "Loader",
			method("Load", retrycoverage.Routed, ""),
			method("Save", retrycoverage.Unrouted, "returns at line 31 without retry"),
			method("Delete", retrycoverage.Unrouted, "no retry"),
		)),
		intelResults(worker(loaderPkg, "CSVWorker", intelcoverage.Tracked, "")),
		Options{},
	)
	p := now.Compare(base, "baseline.json")
	if now.Baseline != p {
		t.Error("Compare did not record the progress in the report")
	}
	if p.Recorded != 3 || p.Remaining != 1 {
		t.Errorf("recorded %d remaining %d, want 3 and 1", p.Recorded, p.Remaining)
	}
	if len(p.New) != 1 || p.New[0].Method != "Delete" {
		t.Errorf("new = %v, want Delete", p.New)
	}
	if len(p.Fixed) != 2 || p.Fixed[0].Type != "CSVWorker" || p.Fixed[1].Method != "Load" {
		t.Errorf("fixed = %v, want CSVWorker.Execute and Loader.Load", p.Fixed)
	}
}

func TestReadBaselineErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty baseline"},
		{"not json", "findings: []", "not a resilience-lint baseline"},
		{"unknown field", `{"schema_version":1,"findings":[],"extra":1}`, "unknown field"},
		{"other version", `{"schema_version":2,"findings":[]}`, "schema_version 2"},
		{"no version", `{"findings":[]}`, "schema_version 0"},
		{"bad analyzer", `{"schema_version":1,"findings":[{"analyzer":"vet","package":"p","type":"T","method":"M","kind":"k"}]}`, `finding 0: analyzer "vet"`},
		{"missing identity", `{"schema_version":1,"findings":[{"analyzer":"retrycoverage","package":"p","type":"T"}]}`, "finding 0: package, type, method and kind are required"},
		{"trailing data", `{"schema_version":1,"findings":[]} {}`, "trailing data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadBaseline(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadBaselineNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.json")
	if _, err := LoadBaseline(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: err = %v, want the path in it", err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadBaseline(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad file: err = %v, want the path in it", err)
	}
}

func TestWriteBaselineLosesNothingOnError(t *testing.T) {
	dir := t.TempDir()
	// A directory where the file should be: the write fails, nothing is left behind.
	target := filepath.Join(dir, "baseline.json")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteBaseline(target, legacy().Findings()); err == nil || !strings.Contains(err.Error(), target) {
		t.Errorf("err = %v, want an error naming %s", err, target)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries after a failed write, want 1 (no temp files)", len(entries))
	}

	// A directory that does not exist: a clear error.
	if err := WriteBaseline(filepath.Join(dir, "no", "such", "b.json"), nil); err == nil {
		t.Error("write into a missing directory succeeded")
	}
}
