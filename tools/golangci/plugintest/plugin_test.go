package plugintest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	// repoRoot is the resilience-lint repository root.
	repoRoot string
	// golangciBin is the custom golangci-lint binary.
	golangciBin string
	// fixtureBase is a tidied copy of testdata/project whose replace points
	// at repoRoot; each test copies it again before running the linter.
	fixtureBase string
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "plugintest:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		return 0, err
	}
	repoRoot = root

	golangciBin = os.Getenv("RL_GOLANGCI_BIN")
	if golangciBin == "" {
		var stdout bytes.Buffer
		cmd := exec.Command("bash", filepath.Join(root, "scripts", "golangci-build.sh"))
		cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("building the custom golangci-lint: %w", err)
		}
		golangciBin = strings.TrimSpace(stdout.String())
	}

	tmp, err := os.MkdirTemp("", "plugintest-")
	if err != nil {
		return 0, err
	}
	defer func() { _ = os.RemoveAll(tmp) }() // best effort: it is a temporary directory
	fixtureBase = filepath.Join(tmp, "project")
	if err := copyDir(filepath.Join("..", "testdata", "project"), fixtureBase); err != nil {
		return 0, err
	}
	if out, err := goCmd(fixtureBase, "mod", "edit", "-replace", "github.com/resilience-lint/resilience-lint="+root); err != nil {
		return 0, fmt.Errorf("go mod edit: %v\n%s", err, out)
	}
	if out, err := goCmd(fixtureBase, "mod", "tidy"); err != nil {
		return 0, fmt.Errorf("go mod tidy in the fixture: %v\n%s", err, out)
	}
	return m.Run(), nil
}

// finding is one of our diagnostics: linter, slash-separated path relative
// to the fixture, line.
type finding struct {
	Linter string
	File   string
	Line   int
}

func (f finding) String() string { return fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Linter) }

// expectation is a finding located by the text of its line, so that
// editing the fixture does not break the test, and the names the diagnostic
// must mention. Both analyzers report at the method's name.
type expectation struct {
	linter, file, line string
	names              []string
}

var (
	loadUnrouted = expectation{"retrycoverage", "agents/loader/loader.go", "func (l *DataLoader) Load(", []string{"DataLoader.Load"}}
	rawDelegate  = expectation{"retrycoverage", "agents/loader/loader.go", "func (l *DataLoader) Raw(", []string{"DataLoader.Raw"}}
	removeNolint = expectation{"retrycoverage", "agents/loader/loader.go", "func (l *DataLoader) Remove(", []string{"DataLoader.Remove"}}
	chargeByCfg  = expectation{"retrycoverage", "billing/billing.go", "func (i *Invoicer) Charge(", []string{"Invoicer.Charge"}}
	// One finding per worker, at the run method's name, naming each
	// untracked return (golangci-lint gets no related information).
	statsUntracked = expectation{"intelcoverage", "agents/loader/workers.go", "func (w *StatisticsWorker) Execute(", []string{"StatisticsWorker.Execute", "error returned at workers.go", "success returned at workers.go"}}
)

// issue is the part of golangci-lint's JSON output the test reads.
type issue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename string
		Line     int
	}
}

// sarif is the part of golangci-lint's SARIF output the test reads.
type sarif struct {
	Version string `json:"version"`
	Runs    []struct {
		Results []struct {
			RuleID    string                `json:"ruleId"`
			Message   struct{ Text string } `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

// run is one golangci-lint run over a fixture copy.
type run struct {
	exit   int
	output string // text output and log
	issues []issue
	sarif  sarif
}

// lint runs the custom golangci-lint in dir with the given extra flags and
// reads its JSON and SARIF outputs.
func lint(t *testing.T, dir string, flags ...string) run {
	t.Helper()
	out := t.TempDir()
	jsonPath, sarifPath := filepath.Join(out, "issues.json"), filepath.Join(out, "issues.sarif")
	args := append([]string{"run",
		"--allow-serial-runners", // wait for, rather than fail on, another golangci-lint
		"--config", filepath.Join(dir, ".golangci.yml"),
		"--output.text.path", "stdout",
		"--output.json.path", jsonPath,
		"--output.sarif.path", sarifPath,
	}, flags...)
	args = append(args, "./...")
	cmd := exec.Command(golangciBin, args...)
	cmd.Dir = dir
	b, err := cmd.CombinedOutput()
	r := run{output: string(b)}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		r.exit = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("running golangci-lint: %v", err)
	}
	if r.exit > 1 {
		return r // a tool error: no outputs to read
	}
	var doc struct{ Issues []issue }
	readJSON(t, jsonPath, &doc)
	r.issues = doc.Issues
	readJSON(t, sarifPath, &r.sarif)
	return r
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// ours returns the findings of our two linters, sorted.
func (r run) ours() []finding {
	var fs []finding
	for _, is := range r.issues {
		if is.FromLinter == "retrycoverage" || is.FromLinter == "intelcoverage" {
			fs = append(fs, finding{is.FromLinter, filepath.ToSlash(is.Pos.Filename), is.Pos.Line})
		}
	}
	return sortFindings(fs)
}

// sarifFindings returns the findings of our two linters in the SARIF output.
func (r run) sarifFindings() []finding {
	var fs []finding
	for _, run := range r.sarif.Runs {
		for _, res := range run.Results {
			if res.RuleID != "retrycoverage" && res.RuleID != "intelcoverage" {
				continue
			}
			for _, loc := range res.Locations {
				pl := loc.PhysicalLocation
				fs = append(fs, finding{res.RuleID, filepath.ToSlash(pl.ArtifactLocation.URI), pl.Region.StartLine})
			}
		}
	}
	return sortFindings(fs)
}

func sortFindings(fs []finding) []finding {
	slices.SortFunc(fs, func(a, b finding) int { return strings.Compare(a.String(), b.String()) })
	return fs
}

// want resolves expectations to findings in the fixture copy dir.
func want(t *testing.T, dir string, es ...expectation) []finding {
	t.Helper()
	var fs []finding
	for _, e := range es {
		fs = append(fs, finding{e.linter, e.file, lineOf(t, filepath.Join(dir, e.file), e.line)})
	}
	return sortFindings(fs)
}

// lineOf returns the 1-based line of the only line of path containing s.
func lineOf(t *testing.T, path, s string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	line := 0
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, s) {
			if line != 0 {
				t.Fatalf("%s: %q occurs more than once", path, s)
			}
			line = i + 1
		}
	}
	if line == 0 {
		t.Fatalf("%s: no line contains %q", path, s)
	}
	return line
}

// fixture returns a fresh copy of the tidied fixture project, with edits
// (path relative to the fixture -> function of its content) applied.
func fixture(t *testing.T, edits map[string]func(string) string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "project")
	if err := copyDir(fixtureBase, dir); err != nil {
		t.Fatal(err)
	}
	for name, edit := range edits {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(edit(string(b))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// replace returns an edit replacing old, which must occur, by repl.
func replace(t *testing.T, old, repl string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("fixture edit: %q not found", old)
		}
		return strings.Replace(s, old, repl, 1)
	}
}

func checkFindings(t *testing.T, r run, want []finding) {
	t.Helper()
	if got := r.ours(); !slices.Equal(got, want) {
		t.Errorf("golangci-lint findings:\n got %v\nwant %v\noutput:\n%s", got, want, r.output)
	}
	if len(want) > 0 && r.exit != 1 {
		t.Errorf("exit code %d, want 1 (issues found)", r.exit)
	}
}

// TestFindings runs the plugin with the fixture's own .golangci.yml: both
// analyzers report at the method declarations, the nolint'ed method is not
// reported, and the JSON and SARIF outputs carry the same findings.
func TestFindings(t *testing.T) {
	dir := fixture(t, nil)
	r := lint(t, dir)
	if r.exit != 1 {
		t.Fatalf("exit code %d, want 1 (issues found); output:\n%s", r.exit, r.output)
	}
	wantFs := want(t, dir, loadUnrouted, chargeByCfg, statsUntracked)
	checkFindings(t, r, wantFs)

	// Each diagnostic names the type and the method.
	for _, e := range []expectation{loadUnrouted, chargeByCfg, statsUntracked} {
		line := lineOf(t, filepath.Join(dir, e.file), e.line)
		for _, is := range r.issues {
			if is.FromLinter != e.linter || filepath.ToSlash(is.Pos.Filename) != e.file || is.Pos.Line != line {
				continue
			}
			for _, name := range e.names {
				if !strings.Contains(is.Text, name) {
					t.Errorf("%s:%d: message %q does not name %s", e.file, line, is.Text, name)
				}
			}
		}
	}

	if r.sarif.Version != "2.1.0" {
		t.Errorf("SARIF version %q, want 2.1.0", r.sarif.Version)
	}
	if got := r.sarifFindings(); !slices.Equal(got, wantFs) {
		t.Errorf("SARIF findings:\n got %v\nwant %v", got, wantFs)
	}
}

// TestNolint shows that golangci-lint's //nolint directives suppress real
// findings of our linters: without the directive, Remove is reported.
func TestNolint(t *testing.T) {
	const directive = "//nolint:retrycoverage // the plugin test checks that this suppresses a finding\n"
	const remove = "func (l *DataLoader) Remove(ctx context.Context, path string) error {"
	const execute = "func (w *StatisticsWorker) Execute("
	tests := []struct {
		name  string
		edits map[string]func(string) string
		want  []expectation
	}{
		{
			name:  "directive removed",
			edits: map[string]func(string) string{"agents/loader/loader.go": replace(t, directive, "")},
			want:  []expectation{loadUnrouted, removeNolint, chargeByCfg, statsUntracked},
		},
		{
			name: "directive at the end of the declaration line",
			edits: map[string]func(string) string{"agents/loader/loader.go": func(s string) string {
				return replace(t, remove, remove+" //nolint:retrycoverage // inline")(replace(t, directive, "")(s))
			}},
			want: []expectation{loadUnrouted, chargeByCfg, statsUntracked},
		},
		{
			// A directive above the run method covers its finding.
			name:  "intelcoverage directive above the run method",
			edits: map[string]func(string) string{"agents/loader/workers.go": replace(t, execute, "//nolint:intelcoverage // test\n"+execute)},
			want:  []expectation{loadUnrouted, chargeByCfg},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := fixture(t, tt.edits)
			checkFindings(t, lint(t, dir), want(t, dir, tt.want...))
		})
	}
}

// TestFacts shows that golangci-lint carries the analyzers' Facts across
// packages: DataLoader.Raw returns store.Read's result and is routed only
// because store.Read is; when store.Read is not, Raw is reported.
func TestFacts(t *testing.T) {
	dir := fixture(t, map[string]func(string) string{
		"store/store.go": replace(t,
			"return recovery.DoValue(ctx, nil, func(ctx context.Context) ([]byte, error) {\n\t\treturn os.ReadFile(path)\n\t})",
			"_ = recovery.Default()\n\treturn os.ReadFile(path)"),
	})
	checkFindings(t, lint(t, dir), want(t, dir, loadUnrouted, rawDelegate, chargeByCfg, statsUntracked))
}

// TestSettings shows that the plugin settings in .golangci.yml decide what
// is an agent, and that a bad key is an error, not a silent default.
func TestSettings(t *testing.T) {
	const settings = "        settings: &resilience\n          extra-agent-types:\n            - example.com/fixture/billing.Invoicer\n"
	tests := []struct {
		name     string
		settings string // replaces the fixture's settings block
		want     []expectation
		wantErr  string // golangci-lint fails with this in its output
	}{
		{
			name:     "no settings: defaults only",
			settings: "        settings: &resilience {}\n",
			want:     []expectation{loadUnrouted, statsUntracked},
		},
		{
			name:     "agent-packages replaces the default agent packages",
			settings: "        settings: &resilience\n          agent-packages:\n            - example.com/fixture/billing\n",
			want:     []expectation{chargeByCfg, statsUntracked},
		},
		{
			name:     "an unknown key is an error",
			settings: "        settings: &resilience\n          extra-agent-typess:\n            - example.com/fixture/billing.Invoicer\n",
			wantErr:  `unknown field "extra-agent-typess"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := fixture(t, map[string]func(string) string{
				".golangci.yml": replace(t, settings, tt.settings),
			})
			r := lint(t, dir)
			if tt.wantErr != "" {
				if r.exit <= 1 || !strings.Contains(r.output, tt.wantErr) {
					t.Fatalf("exit code %d, want a failure mentioning %q; output:\n%s", r.exit, tt.wantErr, r.output)
				}
				return
			}
			checkFindings(t, r, want(t, dir, tt.want...))
		})
	}
}

// TestFix runs golangci-lint --fix: the analyzers' SuggestedFixes rewrite
// the unrouted and untracked methods, the nolint'ed one is left alone, the
// project still builds, and a second run reports nothing.
func TestFix(t *testing.T) {
	dir := fixture(t, nil)
	before := read(t, dir, "agents/loader/loader.go")
	r := lint(t, dir, "--fix")
	if r.exit > 1 {
		t.Fatalf("golangci-lint --fix failed (exit %d):\n%s", r.exit, r.output)
	}
	// golangci-lint reports only what it could not fix: every finding has a fix.
	if fs := r.ours(); len(fs) != 0 {
		t.Errorf("golangci-lint --fix left findings %v; output:\n%s", fs, r.output)
	}
	if out, err := goCmd(dir, "build", "./..."); err != nil {
		t.Fatalf("the fixed fixture does not build: %v\n%s", err, out)
	}
	if out, err := goCmd(dir, "vet", "./..."); err != nil {
		t.Fatalf("the fixed fixture does not pass go vet: %v\n%s", err, out)
	}

	loader := read(t, dir, "agents/loader/loader.go")
	for _, c := range []struct{ file, decl, want string }{
		{"agents/loader/loader.go", loadUnrouted.line, "recovery.DoValue("},
		{"billing/billing.go", chargeByCfg.line, "recovery.Do("},
		{"agents/loader/workers.go", "func (w *StatisticsWorker) Execute(", "intelligence.Track("},
	} {
		if b := body(t, read(t, dir, c.file), c.decl); !strings.Contains(b, c.want) {
			t.Errorf("%s after --fix: %s... does not call %s:\n%s", c.file, c.decl, c.want, b)
		}
	}
	// The method suppressed by //nolint is not rewritten: its body is as before.
	if a, b := body(t, before, "func (l *DataLoader) Remove("), body(t, loader, "func (l *DataLoader) Remove("); a != b {
		t.Errorf("--fix rewrote the nolint'ed Remove:\n%s", b)
	}

	if again := lint(t, dir); again.exit != 0 || len(again.ours()) != 0 {
		t.Errorf("after --fix: exit %d, findings %v; output:\n%s", again.exit, again.ours(), again.output)
	}
}

// TestProjectLint runs the custom binary with the repository's own
// .golangci.yml (standard linters) over the main module, and over this
// package (the rest of the tools module is golangci-lint's main, whose
// type-checking would cost minutes).
func TestProjectLint(t *testing.T) {
	config := filepath.Join(repoRoot, ".golangci.yml")
	for _, c := range []struct{ dir, pkgs string }{
		{repoRoot, "./..."},
		{filepath.Join(repoRoot, "tools", "golangci"), "./plugintest/..."},
	} {
		cmd := exec.Command(golangciBin, "run", "--allow-serial-runners", "--config", config, c.pkgs)
		cmd.Dir = c.dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("golangci-lint run %s in %s: %v\n%s", c.pkgs, c.dir, err, out)
		}
	}
}

// TestCustomGclConfig keeps the two build ways in step: .custom-gcl.yml
// (golangci-lint custom) must build the golangci-lint version that
// tools/golangci requires, with the plugin package that it blank-imports.
func TestCustomGclConfig(t *testing.T) {
	custom := read(t, repoRoot, ".custom-gcl.yml")
	gomod := read(t, filepath.Join(repoRoot, "tools", "golangci"), "go.mod")
	mainGo := read(t, filepath.Join(repoRoot, "tools", "golangci"), "main.go")

	group := func(re, s string) string {
		if m := regexp.MustCompile(re).FindStringSubmatch(s); m != nil {
			return m[1]
		}
		return "(none)"
	}
	version := group(`(?m)^version:\s*(\S+)`, custom)
	required := group(`(?m)^\s*github\.com/golangci/golangci-lint/v2 (\S+)`, gomod)
	if version != required {
		t.Errorf(".custom-gcl.yml builds golangci-lint %s, tools/golangci requires %s", version, required)
	}
	imports := regexp.MustCompile(`(?m)^\s*import:\s*(\S+)`).FindAllStringSubmatch(custom, -1)
	if len(imports) != 1 {
		t.Fatalf(".custom-gcl.yml has %d plugin imports, want 1", len(imports))
	}
	imp := imports[0][1]
	if !strings.Contains(mainGo, `_ "`+imp+`"`) {
		t.Errorf(".custom-gcl.yml imports %s, tools/golangci/main.go does not", imp)
	}
	dir := filepath.Join(repoRoot, strings.TrimPrefix(imp, "github.com/resilience-lint/resilience-lint/"))
	if _, err := os.Stat(filepath.Join(dir, "golangci.go")); err != nil {
		t.Errorf(".custom-gcl.yml imports %s: %v", imp, err)
	}
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// body returns the text from the line containing decl to the next line
// that is a lone "}".
func body(t *testing.T, src, decl string) string {
	t.Helper()
	i := strings.Index(src, decl)
	if i < 0 {
		t.Fatalf("no %q in source", decl)
	}
	rest := src[i:]
	if j := strings.Index(rest, "\n}\n"); j >= 0 {
		return rest[:j+2]
	}
	return rest
}

func goCmd(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

// copyDir copies the regular files of the tree src to dst.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
