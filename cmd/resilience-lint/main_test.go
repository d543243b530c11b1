package main

import (
	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// binary is the resilience-lint binary built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "resilience-lint-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	binary = filepath.Join(dir, "resilience-lint")
	// The result cache of this run's tests (in-process and the binary)
	// is private and removed with dir.
	if err := os.Setenv(driver.CacheEnv, filepath.Join(dir, "cache")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building resilience-lint: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// result is one run of a command.
type result struct {
	stdout, stderr string
	code           int
}

// runIn runs name with args in dir and returns its output and exit status.
func runIn(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running %s: %v", name, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// lint runs the binary in dir.
func lint(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, dir, binary, args...)
}

// snapshot returns the content of every file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := make(map[string]string)
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func assertUnchanged(t *testing.T, before, after map[string]string) {
	t.Helper()
	for name, content := range before {
		if after[name] != content {
			t.Errorf("%s changed", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s created", name)
		}
	}
}

const storeSrc = `package store

import (
	"context"
	"errors"
	"os"
)

// Store is an agent: its package is under agents/.
type Store struct{ dir string }

// Get reads a value without retrying.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	if key == "" {
		return nil, errors.New("empty key")
	}
	return os.ReadFile(s.dir + "/" + key)
}

// SyncWorker is a worker that does not report its outcomes.
type SyncWorker struct{ S *Store }

// Execute runs one sync.
func (w *SyncWorker) Execute(ctx context.Context) error {
	_, err := w.S.Get(ctx, "k")
	return err
}
`

const cleanSrc = `package store

import (
	"context"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Store is an agent whose method retries.
type Store struct{ dir string }

// Get reads a value with retries.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	return recovery.DoValue(ctx, nil, func(ctx context.Context) ([]byte, error) {
		return os.ReadFile(s.dir + "/" + key)
	})
}
`

// runtimeDepSrc makes the fixture module require the runtime, as a module
// that has adopted resilience-lint does (go mod tidy keeps the requirement).
const runtimeDepSrc = `package runtimedep

import (
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

var (
	_ = recovery.Default
	_ = intelligence.Default
)
`

// findingsModule has one unrouted agent method and one untracked worker.
func findingsModule(t *testing.T, extra map[string]string) string {
	files := map[string]string{"agents/store/store.go": storeSrc, "runtimedep/runtimedep.go": runtimeDepSrc}
	for k, v := range extra {
		files[k] = v
	}
	return fixturemod.Write(t, files)
}

func TestLintExitStatusAndText(t *testing.T) {
	clean := fixturemod.Write(t, map[string]string{"agents/store/store.go": cleanSrc})
	dirty := findingsModule(t, nil)
	tests := []struct {
		name       string
		dir        string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{name: "clean", dir: clean, args: nil, wantCode: 0},
		{name: "clean explicit pattern", dir: clean, args: []string{"./..."}, wantCode: 0},
		{name: "findings default pattern", dir: dirty, wantCode: 3, wantStdout: []string{
			"agents/store/store.go:13:", "Store.Get", "runtime/recovery",
			"agents/store/store.go:", "SyncWorker",
		}},
		{name: "findings single package", dir: dirty, args: []string{"./agents/store"}, wantCode: 3, wantStdout: []string{"store.go:13:"}},
		{name: "files as arguments", dir: dirty, args: []string{"agents/store/store.go"}, wantCode: 3, wantStdout: []string{"store.go:", "SyncWorker.Execute"}},
		{name: "pattern matches nothing", dir: dirty, args: []string{"./nothing/..."}, wantCode: 1, wantStderr: []string{"no packages matched", "./nothing/..."}},
		{name: "unknown flag", dir: dirty, args: []string{"-nosuchflag"}, wantCode: 2, wantStderr: []string{"unknown flag: --nosuchflag", "--help"}},
		{name: "exclusive flags", dir: dirty, args: []string{"-fix", "-json"}, wantCode: 2, wantStderr: []string{"-fix, -json cannot be combined", "--help"}},
		{name: "format and diff", dir: dirty, args: []string{"-diff", "--format", "github"}, wantCode: 2, wantStderr: []string{"-diff, -format cannot be combined"}},
		{name: "unknown format", dir: dirty, args: []string{"--format", "xml"}, wantCode: 2, wantStderr: []string{`unknown --format "xml"`}},
		{name: "bad flag value", dir: dirty, args: []string{"-tests=maybe"}, wantCode: 2, wantStderr: []string{"maybe"}},
		{name: "subcommand arguments", dir: dirty, args: []string{"version", "extra"}, wantCode: 2, wantStderr: []string{"extra", "--help"}},
		{name: "unknown retry-funcs target", dir: findingsModule(t, map[string]string{".resilience.yml": "retry-funcs:\n  - example.com/fx/agents/store.Retry\n"}), wantCode: 1,
			wantStderr: []string{`.resilience.yml:1: retry-funcs: "example.com/fx/agents/store.Retry": package example.com/fx/agents/store has no function Retry`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := lint(t, tt.dir, tt.args...)
			if r.code != tt.wantCode {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			for _, s := range tt.wantStdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			for _, s := range tt.wantStderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			if tt.wantCode == 0 && r.stdout != "" {
				t.Errorf("clean run printed:\n%s", r.stdout)
			}
			if strings.Contains(r.stdout, tt.dir) {
				t.Errorf("text output has absolute paths, want them relative to the working directory:\n%s", r.stdout)
			}
		})
	}
}

const testOnlySrc = `package store

import (
	"context"
	"os"
)

// Cleaner is an agent declared in a test file.
type Cleaner struct{}

// Clean removes a file without retrying.
func (Cleaner) Clean(ctx context.Context, name string) error {
	return os.Remove(name)
}
`

func TestLintFlagSpellings(t *testing.T) {
	dir := findingsModule(t, map[string]string{"agents/store/cleaner_test.go": testOnlySrc})
	bad := filepath.Join(dir, "bad.yml")
	if err := os.WriteFile(bad, []byte("agent-types: [x]\nbogus-key: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Each group spells one flag every way; all spellings must behave alike.
	groups := []struct {
		name      string
		spellings [][]string
		wantCode  int
		check     func(t *testing.T, r result)
	}{
		{
			name:      "json",
			spellings: [][]string{{"-json"}, {"--json"}, {"-json=true"}, {"--json=true"}},
			wantCode:  3,
			check:     checkJSON,
		},
		{
			name:      "sarif",
			spellings: [][]string{{"-sarif"}, {"--sarif"}},
			wantCode:  3,
			check:     func(t *testing.T, r result) { checkSARIF(t, r, 2) },
		},
		{
			name:      "config",
			spellings: [][]string{{"-config", bad}, {"--config", bad}, {"-config=" + bad}, {"--config=" + bad}},
			wantCode:  1,
			check: func(t *testing.T, r result) {
				for _, s := range []string{"bad.yml:2:", "bogus-key", "unknown key"} {
					if !strings.Contains(r.stderr, s) {
						t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
					}
				}
			},
		},
		{
			name:      "tests",
			spellings: [][]string{{"-tests"}, {"--tests"}},
			wantCode:  3,
			check: func(t *testing.T, r result) {
				if !strings.Contains(r.stdout, "cleaner_test.go:12:") || !strings.Contains(r.stdout, "Cleaner.Clean") {
					t.Errorf("the agent in a _test.go file is not reported:\n%s", r.stdout)
				}
			},
		},
		{
			name:      "help",
			spellings: [][]string{{"-help"}, {"--help"}, {"-h"}},
			wantCode:  0,
			check: func(t *testing.T, r result) {
				for _, s := range []string{"--fix", "--diff", "--json", "--sarif", "--config", "report", "version", "Exit status"} {
					if !strings.Contains(r.stdout, s) {
						t.Errorf("help lacks %q:\n%s", s, r.stdout)
					}
				}
			},
		},
	}
	for _, g := range groups {
		for _, args := range g.spellings {
			t.Run(g.name+"/"+strings.Join(args, " "), func(t *testing.T) {
				r := lint(t, dir, args...)
				if r.code != g.wantCode {
					t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, g.wantCode, r.stdout, r.stderr)
				}
				g.check(t, r)
			})
		}
	}
}

// checkJSON checks the go/analysis JSON shape: package -> analyzer -> diagnostics.
func checkJSON(t *testing.T, r result) {
	t.Helper()
	var tree map[string]map[string][]struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("not the go/analysis JSON shape: %v\n%s", err, r.stdout)
	}
	pkg := tree["example.com/fx/agents/store"]
	if strings.Contains(r.stdout, "cleaner_test.go") {
		t.Errorf("test files analyzed without -tests:\n%s", r.stdout)
	}
	if len(pkg["retrycoverage"]) != 1 || len(pkg["intelcoverage"]) != 1 {
		t.Fatalf("want one diagnostic per analyzer for the store package, got %+v", tree)
	}
	d := pkg["retrycoverage"][0]
	if !strings.HasSuffix(strings.Split(d.Posn, ":")[0], filepath.Join("agents", "store", "store.go")) || !strings.Contains(d.Message, "Store.Get") {
		t.Errorf("unexpected diagnostic %+v", d)
	}
}

// checkSARIF checks a SARIF 2.1.0 log with n results.
func checkSARIF(t *testing.T, r result, n int) {
	t.Helper()
	var log struct {
		Version string `json:"version"`
		Schema  string `json:"$schema"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") || len(log.Runs) != 1 {
		t.Fatalf("not a SARIF 2.1.0 log with one run: %s", r.stdout)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != 2 {
		t.Errorf("got %d rules, want 2", len(run.Tool.Driver.Rules))
	}
	if len(run.Results) != n {
		t.Fatalf("got %d results, want %d", len(run.Results), n)
	}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("ruleIndex %d does not point at rule %s", res.RuleIndex, res.RuleID)
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != "agents/store/store.go" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || loc.Region.StartLine == 0 {
			t.Errorf("location %+v: want agents/store/store.go relative to %%SRCROOT%% with a line", loc)
		}
	}
}

func TestVersion(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		r := lint(t, dir, args...)
		if r.code != 0 || !strings.Contains(r.stdout, "resilience-lint") || !strings.Contains(r.stdout, runtime.Version()) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
}

func TestCompletion(t *testing.T) {
	r := lint(t, t.TempDir(), "completion", "bash")
	if r.code != 0 || !strings.Contains(r.stdout, "bash completion") {
		t.Errorf("exit %d, stdout %.200q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestConfigFile(t *testing.T) {
	tests := []struct {
		name       string
		config     string
		subdir     string // where to run, relative to the module
		wantCode   int
		wantStderr []string
	}{
		{
			// Selecting no agents and no workers leaves nothing to report:
			// proof the file found by walking up is applied.
			name:     "valid, found from a subdirectory",
			config:   "agent-packages: [\"example.com/none/*\"]\nworker-types: [\"*Nothing\"]\n",
			subdir:   "agents",
			wantCode: 0,
		},
		{
			name:       "unknown key",
			config:     "worker-typos: [x]\n",
			subdir:     "agents/store",
			wantCode:   1,
			wantStderr: []string{".resilience.yml:1:", "worker-typos", "unknown key"},
		},
		{
			name:       "invalid value",
			config:     "agent-types: [x]\nworker-methods: [\"two words\"]\n",
			wantCode:   1,
			wantStderr: []string{".resilience.yml:2:", "worker-methods", "not a method name"},
		},
		{
			name:       "wrong type",
			config:     "include-tests: sometimes\n",
			wantCode:   1,
			wantStderr: []string{`.resilience.yml:1: include-tests: want true or false, got the string "sometimes"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := findingsModule(t, map[string]string{".resilience.yml": tt.config})
			r := lint(t, filepath.Join(dir, filepath.FromSlash(tt.subdir)), "./...")
			if r.code != tt.wantCode {
				t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			for _, s := range tt.wantStderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
		})
	}
	t.Run("missing --config file", func(t *testing.T) {
		dir := findingsModule(t, nil)
		r := lint(t, dir, "-config", "nope.yml")
		if r.code != 1 || !strings.Contains(r.stderr, "nope.yml") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
}

func TestBadPackages(t *testing.T) {
	dir := findingsModule(t, map[string]string{
		"syntax/syntax.go":   "package syntax\n\nfunc F( {\n",
		"typeerr/typeerr.go": "package typeerr\n\nfunc F() int { return \"x\" }\n",
	})
	before := snapshot(t, dir)
	r := lint(t, dir, "./...")
	if r.code != 1 {
		t.Fatalf("exit status %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, s := range []string{"syntax/syntax.go:3:", "typeerr/typeerr.go:3:", "cannot use", "could not be analyzed"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
	// The good package's findings are still reported.
	if !strings.Contains(r.stdout, "Store.Get") {
		t.Errorf("findings of the good package are hidden:\n%s", r.stdout)
	}
	// -json and -sarif report the broken packages as errors beside the
	// good package's findings.
	r = lint(t, dir, "-json", "./...")
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil || r.code != 1 {
		t.Fatalf("-json: exit %d, %v\n%s", r.code, err, r.stdout)
	}
	if !strings.Contains(string(tree["example.com/fx/typeerr"]["retrycoverage"]), `"error"`) || !strings.Contains(string(tree["example.com/fx/agents/store"]["retrycoverage"]), "Store.Get") {
		t.Errorf("-json lacks the package error or the finding:\n%s", r.stdout)
	}
	r = lint(t, dir, "-sarif", "./...")
	if r.code != 1 || !strings.Contains(r.stdout, `"executionSuccessful": false`) || !strings.Contains(r.stdout, "typeerr.go") || !strings.Contains(r.stdout, "Store.Get") {
		t.Errorf("-sarif: exit %d, want 1 with a failed invocation and the finding\n%s", r.code, r.stdout)
	}
	// -diff still shows the good package's fixes; -fix writes nothing at
	// all while a package does not load.
	r = lint(t, dir, "-diff", "./...")
	if r.code != 1 || !strings.Contains(r.stdout, "+++ b/agents/store/store.go") {
		t.Errorf("-diff: exit status %d, want 1 with the good package's diff\n%s", r.code, r.stdout)
	}
	r = lint(t, dir, "-fix", "./...")
	if r.code != 1 || !strings.Contains(r.stderr, "nothing was written") {
		t.Errorf("-fix: exit status %d, want 1 saying nothing was written\n%s", r.code, r.stderr)
	}
	assertUnchanged(t, before, snapshot(t, dir))
}

func TestVetTool(t *testing.T) {
	dirty := findingsModule(t, nil)
	r := runIn(t, dirty, "go", "vet", "-vettool="+binary, "./...")
	if r.code == 0 || !strings.Contains(r.stderr, "Store.Get") || !strings.Contains(r.stderr, "store.go:13:") {
		t.Errorf("go vet -vettool over findings: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	clean := fixturemod.Write(t, map[string]string{"agents/store/store.go": cleanSrc})
	r = runIn(t, clean, "go", "vet", "-vettool="+binary, "./...")
	if r.code != 0 {
		t.Errorf("go vet -vettool over clean code: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestVetToolAgreesOnStdlib: go vet -vettool analyzes the standard library
// from source while the CLI reads its export data; a standard-library
// function that only builds errors (net/mail.ParseDate) must get the same
// verdict from both, so no Facts come from the standard library. A parser
// known to fail only on its arguments (strconv.ParseBool) is validation in
// both.
func TestVetToolAgreesOnStdlib(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{"agents/parse/parse.go": `package parse

import (
	"net/mail"
	"strconv"
	"time"
)

// Parser is an agent.
type Parser struct{}

// Parse calls only a known argument check.
func (p *Parser) Parse(s string) (bool, error) { return strconv.ParseBool(s) }

// Date calls only the standard library.
func (p *Parser) Date(s string) (time.Time, error) { return mail.ParseDate(s) }
`})
	cli := lint(t, dir, "./...")
	vet := runIn(t, dir, "go", "vet", "-vettool="+binary, "./...")
	for method, want := range map[string]bool{"Parser.Date": true, "Parser.Parse": false} {
		cliFound := strings.Contains(cli.stdout, method)
		vetFound := strings.Contains(vet.stderr, method)
		if cliFound != want || vetFound != want {
			t.Errorf("CLI reports %s: %v (exit %d); go vet -vettool: %v (exit %d); want %v\ncli:\n%s\nvet:\n%s", method, cliFound, cli.code, vetFound, vet.code, want, cli.stdout, vet.stderr)
		}
	}
}

// TestVetToolConfig: go vet -vettool and go fix -fixtool read the
// .resilience.yml nearest to each package, as the CLI does, and analyzer
// flags override it.
func TestVetToolConfig(t *testing.T) {
	// The file beside the store package selects no agents and no workers.
	dir := findingsModule(t, map[string]string{"agents/store/.resilience.yml": "agent-packages: []\nworker-types: []\n"})
	cli := lint(t, filepath.Join(dir, "agents", "store"), ".")
	if cli.code != 0 {
		t.Errorf("CLI in the package: exit %d, want 0\n%s%s", cli.code, cli.stdout, cli.stderr)
	}
	if r := runIn(t, dir, "go", "vet", "-vettool="+binary, "./..."); r.code != 0 {
		t.Errorf("go vet -vettool ignores the package's .resilience.yml: exit %d\n%s", r.code, r.stderr)
	}
	if r := runIn(t, dir, "go", "fix", "-fixtool="+binary, "-diff", "./..."); r.code != 0 || r.stdout != "" {
		t.Errorf("go fix -fixtool ignores the package's .resilience.yml: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A flag overrides the file.
	r := runIn(t, dir, "go", "vet", "-vettool="+binary, "-retrycoverage.agent-packages=agents", "./...")
	if r.code == 0 || !strings.Contains(r.stderr, "Store.Get") {
		t.Errorf("the analyzer flag does not override the file: exit %d\n%s", r.code, r.stderr)
	}
	// An invalid file is an error naming it.
	bad := findingsModule(t, map[string]string{".resilience.yml": "include-tests: sometimes\n"})
	r = runIn(t, bad, "go", "vet", "-vettool="+binary, "./...")
	if r.code == 0 || !strings.Contains(r.stderr, ".resilience.yml:1") {
		t.Errorf("invalid file under go vet: exit %d\n%s", r.code, r.stderr)
	}
}

// TestConfigCommand: "config" prints the effective configuration (lists
// merged with their extra- keys) under the file it comes from, and its
// output is itself a configuration with the same meaning; -v names the
// file on lint's stderr.
func TestConfigCommand(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "agents", "store")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".resilience.yml"), []byte("extra-agent-types: [Foo]\nworker-methods: [Run]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := lint(t, sub, "config")
	want := "# configuration: " + filepath.Join(dir, ".resilience.yml") + "\n" + `agent-types:
  - Foo
agent-packages:
  - agents
worker-types:
  - '*Worker'
worker-interfaces: []
worker-methods:
  - Run
retry-funcs: []
exclude-retry-funcs: []
retrying-types: []
retrying-packages: []
optional-retrying-types: []
repeatable-funcs: []
repeatable-writes: []
track-funcs: []
policy: ""
agent-name: ""
include-tests: false
`
	if r.code != 0 || r.stdout != want {
		t.Errorf("config: exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", r.code, r.stdout, want, r.stderr)
	}
	// The printed configuration means the same as the file.
	again := filepath.Join(t.TempDir(), "printed.yml")
	if err := os.WriteFile(again, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	if r2 := lint(t, sub, "config", "--config", again); r2.code != 0 || strings.SplitN(r2.stdout, "\n", 2)[1] != strings.SplitN(want, "\n", 2)[1] {
		t.Errorf("the printed configuration does not read back the same:\n%s%s", r2.stdout, r2.stderr)
	}
	r = lint(t, t.TempDir(), "config")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "# configuration: defaults") {
		t.Errorf("config without a file: exit %d\n%s", r.code, r.stdout)
	}
}

// TestVerbose: -v and --verbose say which configuration is used; -v is not
// --version.
func TestVerbose(t *testing.T) {
	dir := findingsModule(t, map[string]string{".resilience.yml": "agent-types: [Store]\n"})
	for _, flag := range []string{"-v", "--verbose", "-verbose"} {
		r := lint(t, filepath.Join(dir, "agents"), flag, "./...")
		if r.code != 3 || !strings.Contains(r.stderr, "resilience-lint: configuration: "+filepath.Join(dir, ".resilience.yml")+"\n") || strings.Contains(r.stdout, "version") {
			t.Errorf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", flag, r.code, r.stdout, r.stderr)
		}
	}
	if r := lint(t, dir, "./..."); strings.Contains(r.stderr, "configuration:") {
		t.Errorf("without -v the configuration is named:\n%s", r.stderr)
	}
}

// TestGitHubFormat: --format github prints one workflow command per
// finding, with the file relative to the working directory and the
// message escaped; broken packages are annotated too.
func TestGitHubFormat(t *testing.T) {
	dir := findingsModule(t, map[string]string{"typeerr/typeerr.go": "package typeerr\n\nfunc F() int { return \"x\" }\n"})
	r := lint(t, dir, "--format", "github", "./...")
	if r.code != 1 {
		t.Errorf("exit %d, want 1 (a package does not load)\n%s%s", r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 annotations, got:\n%s", r.stdout)
	}
	for _, want := range []string{
		"::error file=agents/store/store.go,line=13,col=17,endLine=13,endColumn=20,title=retrycoverage::Store.Get returns an error but is not routed through runtime/recovery (run resilience-lint -fix, or mark it //resilience:noretry <reason>)",
		"::error file=typeerr/typeerr.go,line=3,col=23,title=resilience-lint%3A example.com/fx/typeerr could not be analyzed::",
	} {
		found := false
		for _, l := range lines {
			found = found || strings.HasPrefix(l, want)
		}
		if !found {
			t.Errorf("no annotation starts with\n%s\nin:\n%s", want, r.stdout)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	tests := []struct{ in, data, prop string }{
		{"a,b:c", "a,b:c", "a%2Cb%3Ac"},
		{"50% done\r\nnext", "50%25 done%0D%0Anext", "50%25 done%0D%0Anext"},
	}
	for _, tt := range tests {
		if got := ghData(tt.in); got != tt.data {
			t.Errorf("ghData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := ghProperty(tt.in); got != tt.prop {
			t.Errorf("ghProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
	}
}

// TestNestedConfigWarning: a package with a configuration file nearer to
// it than the run's is named on stderr (go vet would use that file).
func TestNestedConfigWarning(t *testing.T) {
	dir := findingsModule(t, map[string]string{"agents/store/.resilience.yml": "agent-packages: []\n"})
	r := lint(t, dir, "./...")
	want := "resilience-lint: warning: example.com/fx/agents/store has its own configuration, " + filepath.Join("agents", "store", ".resilience.yml")
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if r := lint(t, filepath.Join(dir, "agents", "store"), "./..."); strings.Contains(r.stderr, "warning") {
		t.Errorf("warned in the package's own directory:\n%s", r.stderr)
	}
}

// unexportedImplFiles is a module whose agent calls, through interfaces,
// methods of unexported types that retry: dep.retrying (returned as dep's
// Getter) and dep.fetcher (returned as api.Fetcher). Export data as go vet
// writes it has neither type (nothing exported mentions them), as
// clientv3's has no lessor (etcd's Lease).
var unexportedImplFiles = map[string]string{
	"api/api.go": "package api\n\nimport \"context\"\n\n// Fetcher fetches.\ntype Fetcher interface {\n\tFetch(ctx context.Context, key string) ([]byte, error)\n}\n",
	"dep/dep.go": `package dep

import (
	"context"
	"os"
	"time"

	"example.com/fx/api"
)

// Getter gets.
type Getter interface {
	Get(ctx context.Context, key string) ([]byte, error)
}

type retrying struct{}

// New returns a Getter that retries.
func New() Getter { return &retrying{} }

func (*retrying) Get(ctx context.Context, key string) ([]byte, error) {
	var err error
	for i := 0; i < 3; i++ {
		var b []byte
		if b, err = os.ReadFile(key); err == nil {
			return b, nil
		}
		time.Sleep(time.Second)
	}
	return nil, err
}

type fetcher struct{ g Getter }

// NewFetcher returns an api.Fetcher that retries.
func NewFetcher() api.Fetcher { return fetcher{New()} }

func (f fetcher) Fetch(ctx context.Context, key string) ([]byte, error) { return f.g.Get(ctx, key) }
`,
	"agents/store/store.go": `package store

import (
	"context"

	"example.com/fx/api"
	"example.com/fx/dep"
)

// Store is an agent.
type Store struct {
	G dep.Getter
	F api.Fetcher
}

// Load gets through dep.Getter.
func (s *Store) Load(ctx context.Context) ([]byte, error) { return s.G.Get(ctx, "k") }

// Fetch fetches through api.Fetcher.
func (s *Store) Fetch(ctx context.Context) ([]byte, error) { return s.F.Fetch(ctx, "k") }
`,
}

// TestVetToolAgreesOnUnexportedImplementations: a call through an
// interface whose implementation in a dependency is an unexported type
// that retries is refused as nesting by the CLI and by go vet -vettool
// alike, and go fix -fixtool rewrites nothing. The vet tool reads its
// dependencies' Facts through x/tools' unitchecker, whose export data has
// only what exported declarations mention: a Fact on such a type's method
// is dropped there, and the method reaches the caller only through the
// package Fact RetryingImpls.
func TestVetToolAgreesOnUnexportedImplementations(t *testing.T) {
	dir := fixturemod.Write(t, unexportedImplFiles)
	cli := lint(t, dir, "./agents/...")
	vet := runIn(t, dir, "go", "vet", "-vettool="+binary, "./agents/...")
	for _, m := range []string{"Store.Load", "Store.Fetch"} {
		for _, out := range []string{cli.stdout, vet.stderr} {
			if !strings.Contains(out, m+" returns an error but is not routed through runtime/recovery; -fix cannot rewrite it") {
				t.Errorf("%s is not refused:\ncli:\n%s\nvet:\n%s", m, cli.stdout, vet.stderr)
			}
		}
	}
	// The vet tool's messages are the CLI's.
	vetMsgs := strings.TrimSpace(strings.ReplaceAll(vet.stderr, "# example.com/fx/agents/store\n", ""))
	if vetMsgs != strings.TrimSpace(cli.stdout) {
		t.Errorf("go vet -vettool and the CLI differ:\ncli:\n%s\nvet:\n%s", cli.stdout, vet.stderr)
	}
	if r := runIn(t, dir, "go", "fix", "-fixtool="+binary, "-diff", "./agents/..."); r.stdout != "" {
		t.Errorf("go fix -fixtool -diff rewrites:\n%s%s", r.stdout, r.stderr)
	}
}
