// Package e2e_test runs the whole journey of a new user over the embedded
// example (examples/): build the real resilience-lint binary, copy the
// example into a module of its own, see its coverage below 100%, apply
// -fix, see the rewritten code build, vet and pass its own tests with 100%
// retry and intelligence coverage except the documented exemptions, and see
// a second -fix change nothing.
package e2e_test

import (
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"

	"github.com/resilience-lint/resilience-lint/internal/examplecopy"

	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// copyModule is the module path of the example's copy.
const copyModule = examplecopy.Module

// The example's agents and workers, as the report must list them.
var (
	wantAgents  = []string{"Aggregator", "AnomalyDetector", "DataLoader", "Explorer", "Orchestrator", "Predictor", "Reporter"}
	wantWorkers = []string{"ColumnWorker", "FetchWorker", "FitWorker", "ScoreWorker", "StatisticsWorker", "TableWorker", "WindowWorker"}
	// wantExempt are the methods marked //resilience:noretry: one-shot
	// readers and a non-idempotent write. They stay exempt after -fix.
	wantExempt = []string{"DataLoader.Read", "DataLoader.ReadCSV", "DataLoader.ReadJSON", "Reporter.Render"}
)

// report is the part of `report -format json` (schema_version 1) that the
// journey checks.
type report struct {
	SchemaVersion int `json:"schema_version"`
	Agents        []struct {
		Package string `json:"package"`
		Name    string `json:"name"`
		Status  string `json:"status"`
		Methods []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
			Reason string `json:"reason"`
		} `json:"methods"`
	} `json:"agents"`
	Workers []struct {
		Name   string `json:"name"`
		Status string `json:"status"`
		Reason string `json:"reason"`
	} `json:"workers"`
	Totals struct {
		Retry         ratio `json:"retry"`
		Methods       ratio `json:"methods"`
		Intel         ratio `json:"intel"`
		ExemptMethods int   `json:"exempt_methods"`
	} `json:"totals"`
	Errors []string `json:"errors"`
}

type ratio struct {
	Covered int      `json:"covered"`
	Total   int      `json:"total"`
	Percent *float64 `json:"percent"`
}

func (r ratio) full() bool { return r.Total > 0 && r.Covered == r.Total }

func TestJourney(t *testing.T) {
	root := fixturemod.RepoRoot(t)
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "resilience-lint")
	run(t, root, nil, "go", "build", "-o", bin, "./cmd/resilience-lint")
	dir := filepath.Join(tmp, "shop")
	examplecopy.Copy(t, root, dir)
	before := snapshot(t, dir)

	// 1. The example as shipped: a realistic mix, below 100%.
	rep := coverage(t, bin, dir)
	checkListed(t, rep)
	if rep.Totals.Methods.full() || rep.Totals.Intel.full() || rep.Totals.Retry.full() {
		t.Fatalf("coverage of the example as shipped is already full: %+v", rep.Totals)
	}
	if st := agentStatus(rep, "Aggregator"); st != "covered" {
		t.Errorf("Aggregator (the seed's reference) is %q before -fix, want covered", st)
	}
	for _, w := range []string{"StatisticsWorker", "WindowWorker", "FetchWorker"} {
		if st := workerStatus(rep, w); st != "tracked" {
			t.Errorf("aggregator's %s is %q before -fix, want tracked", w, st)
		}
	}
	gate := []string{"report", "--fail-under", "retry=100,methods=100,intel=100", "./..."}
	if code, out := cli(t, bin, dir, gate...); code != 3 {
		t.Errorf("report --fail-under before -fix: exit %d, want 3\n%s", code, out)
	}
	if code, out := cli(t, bin, dir, "./..."); code != 3 {
		t.Errorf("lint before -fix: exit %d, want 3 (findings)\n%s", code, out)
	}

	// -diff shows the rewrite and writes nothing.
	code, diff := cli(t, bin, dir, "-diff", "./...")
	if code != 3 || !strings.Contains(diff, "+\treturn recovery.DoValue(ctx, ") || !strings.Contains(diff, "intelligence.Track(ctx, ") {
		t.Errorf("-diff before -fix: exit %d, want 3 and a diff adding recovery.DoValue and intelligence.Track:\n%s", code, diff)
	}
	if !maps.Equal(before, snapshot(t, dir)) {
		t.Fatal("-diff wrote files")
	}

	// 2. -fix, and the rewritten example still builds, vets and passes its tests.
	if code, out := cli(t, bin, dir, "-fix", "./..."); code == 1 {
		t.Fatalf("-fix failed: exit %d\n%s", code, out)
	}
	fixed := snapshot(t, dir)
	if maps.Equal(before, fixed) {
		t.Fatal("-fix changed no file")
	}
	for name, src := range fixed {
		if before[name] == "" {
			t.Errorf("-fix created %s", name)
		}
		if strings.HasSuffix(name, "_test.go") && src != before[name] {
			t.Errorf("-fix rewrote the test file %s", name)
		}
	}
	run(t, dir, nil, "go", "build", "./...")
	run(t, dir, nil, "go", "vet", "./...")
	run(t, dir, nil, "go", "test", "-count=1", "./...")

	// 3. 100% coverage except the documented exemptions.
	rep = coverage(t, bin, dir)
	checkListed(t, rep)
	for name, r := range map[string]ratio{"retry": rep.Totals.Retry, "methods": rep.Totals.Methods, "intel": rep.Totals.Intel} {
		if !r.full() {
			t.Errorf("after -fix %s coverage is %d/%d, want full", name, r.Covered, r.Total)
		}
	}
	for _, a := range rep.Agents {
		for _, m := range a.Methods {
			if m.Status == "missing" {
				t.Errorf("after -fix %s.%s is still missing: %s", a.Name, m.Name, m.Reason)
			}
		}
	}
	for _, w := range rep.Workers {
		if w.Status != "tracked" {
			t.Errorf("after -fix worker %s is %s: %s", w.Name, w.Status, w.Reason)
		}
	}
	if code, out := cli(t, bin, dir, gate...); code != 0 {
		t.Errorf("report --fail-under after -fix: exit %d, want 0\n%s", code, out)
	}
	if code, out := cli(t, bin, dir, "./..."); code != 0 {
		t.Errorf("lint after -fix: exit %d, want 0 (clean)\n%s", code, out)
	}

	// 4. A second -fix (and -diff) changes nothing.
	if code, out := cli(t, bin, dir, "-diff", "./..."); code != 0 || strings.TrimSpace(out) != "" {
		t.Errorf("-diff after -fix: exit %d, output:\n%s", code, out)
	}
	if code, out := cli(t, bin, dir, "-fix", "./..."); code == 1 {
		t.Fatalf("second -fix failed: exit %d\n%s", code, out)
	}
	for name, src := range snapshot(t, dir) {
		if src != fixed[name] {
			t.Errorf("second -fix changed %s", name)
		}
	}
}

// checkListed checks that rep is complete and lists exactly the example's
// agents and workers, with the exemptions and their reasons.
func checkListed(t *testing.T, rep *report) {
	t.Helper()
	if rep.SchemaVersion != 1 {
		t.Errorf("schema_version = %d, want 1", rep.SchemaVersion)
	}
	if len(rep.Errors) > 0 {
		t.Errorf("report is incomplete:\n%s", strings.Join(rep.Errors, "\n"))
	}
	var agents, workers, exempt []string
	for _, a := range rep.Agents {
		agents = append(agents, a.Name)
		if !strings.HasPrefix(a.Package, copyModule+"/agents/") {
			t.Errorf("agent %s.%s outside the agents tree", a.Package, a.Name)
		}
		for _, m := range a.Methods {
			if m.Status == "exempt" {
				exempt = append(exempt, a.Name+"."+m.Name)
				if !strings.Contains(m.Reason, "resilience:noretry") && len(strings.Fields(m.Reason)) < 3 {
					t.Errorf("exempt %s.%s has no real reason: %q", a.Name, m.Name, m.Reason)
				}
			}
		}
	}
	for _, w := range rep.Workers {
		workers = append(workers, w.Name)
	}
	for _, s := range [][]string{agents, workers, exempt} {
		slices.Sort(s)
	}
	if !slices.Equal(agents, wantAgents) {
		t.Errorf("agents = %v, want %v", agents, wantAgents)
	}
	if !slices.Equal(workers, wantWorkers) {
		t.Errorf("workers = %v, want %v", workers, wantWorkers)
	}
	if !slices.Equal(exempt, wantExempt) || rep.Totals.ExemptMethods != len(wantExempt) {
		t.Errorf("exempt methods = %v (total %d), want %v", exempt, rep.Totals.ExemptMethods, wantExempt)
	}
}

func agentStatus(rep *report, name string) string {
	for _, a := range rep.Agents {
		if a.Name == name {
			return a.Status
		}
	}
	return "(not listed)"
}

func workerStatus(rep *report, name string) string {
	for _, w := range rep.Workers {
		if w.Name == name {
			return w.Status
		}
	}
	return "(not listed)"
}

// coverage runs `report -format json ./...` in dir and decodes it.
func coverage(t *testing.T, bin, dir string) *report {
	t.Helper()
	code, out := cli(t, bin, dir, "report", "-format", "json", "./...")
	if code != 0 {
		t.Fatalf("report: exit %d\n%s", code, out)
	}
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report -format json: %v\n%s", err, out)
	}
	return &rep
}

// cli runs the binary in dir and returns its exit status and stdout
// (stderr is logged).
func cli(t *testing.T, bin, dir string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = env()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if stderr.Len() > 0 {
		t.Logf("resilience-lint %s: stderr:\n%s", strings.Join(args, " "), stderr.String())
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, stdout.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), stdout.String()
	}
	t.Fatalf("resilience-lint %s: %v", strings.Join(args, " "), err)
	return -1, ""
}

// run runs a command in dir and fails the test, with its output, if it fails.
func run(t *testing.T, dir string, extraEnv []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(env(), extraEnv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s (in %s): %v\n%s", name, strings.Join(args, " "), dir, err, out)
	}
}

// env is the environment of every command: the copy is a module of its
// own, never part of a workspace.
func env() []string { return append(os.Environ(), "GOWORK=off") }

// snapshot returns the contents of every Go file under dir, by relative
// path. (go.mod and go.sum are left out: the go command may tidy them.)
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
