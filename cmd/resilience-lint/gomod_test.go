package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"

	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// requirement returns the go.mod requirement of the runtime module in dir
// (nil if none).
func requirement(t *testing.T, dir string) *modfile.Require {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Require {
		if r.Mod.Path == runtimeModule {
			return r
		}
	}
	return nil
}

// TestFixAddsRuntimeRequirement: a module that replaces the runtime with a
// clone (the documented recipe) but does not require it yet gets the
// requirement from -fix, direct, and says so; -diff shows it and writes
// nothing.
func TestFixAddsRuntimeRequirement(t *testing.T) {
	// fixturemod's go mod tidy drops the unused requirement and keeps the
	// replace.
	dir := fixturemod.Write(t, map[string]string{"agents/store/store.go": storeSrc})
	if requirement(t, dir) != nil {
		t.Fatal("the fixture already requires the runtime")
	}
	before := snapshot(t, dir)
	r := lint(t, dir, "-diff")
	if r.code != 3 || !strings.Contains(r.stdout, "+++ b/go.mod") || !strings.Contains(r.stdout, "+require "+runtimeModule+" v0.0.0") {
		t.Errorf("-diff: exit %d, want 3 with the go.mod change\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	assertUnchanged(t, before, snapshot(t, dir))

	r = lint(t, dir, "-fix")
	if r.code != 0 {
		t.Fatalf("-fix: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if want := "rewrote go.mod: add " + runtimeModule + " v0.0.0 (the fixes import its runtime)\n"; !strings.Contains(r.stdout, want) {
		t.Errorf("-fix does not say what it did to go.mod; want %q in:\n%s", want, r.stdout)
	}
	req := requirement(t, dir)
	if req == nil || req.Indirect {
		t.Fatalf("after -fix the runtime requirement is %+v, want a direct one", req)
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		c := exec.Command("go", args...)
		c.Dir = dir
		c.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
		if out, err := c.CombinedOutput(); err != nil {
			t.Errorf("go %s after -fix: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestFixMakesRuntimeDirect: a requirement marked // indirect (go get
// before any import) is made direct by -fix, as go mod tidy would.
func TestFixMakesRuntimeDirect(t *testing.T) {
	dir := findingsModule(t, nil)
	gomod := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	marked := strings.Replace(string(data), runtimeModule+" v0.0.0\n", runtimeModule+" v0.0.0 // indirect\n", 1)
	if marked == string(data) {
		t.Fatalf("no requirement to mark in:\n%s", data)
	}
	if err := os.WriteFile(gomod, []byte(marked), 0o644); err != nil {
		t.Fatal(err)
	}
	r := lint(t, dir, "-fix")
	if r.code != 0 || !strings.Contains(r.stdout, "rewrote go.mod: require "+runtimeModule+" v0.0.0 directly") {
		t.Errorf("-fix: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if req := requirement(t, dir); req == nil || req.Indirect {
		t.Errorf("after -fix the runtime requirement is %+v, want a direct one", req)
	}
}

// TestFixWithoutRuntime: a module that neither requires nor replaces the
// runtime cannot get it from a development build; -fix writes nothing and
// says how to use the clone. A release build (its version set at link
// time) names its version; offline, go get fails and the error says so.
func TestFixWithoutRuntime(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"go.mod":                "module example.com/fx\n\ngo 1.26\n",
		"go.sum":                "",
		"agents/store/store.go": storeSrc,
	})
	before := snapshot(t, dir)
	r := lint(t, dir, "-fix")
	root := fixturemod.RepoRoot(t)
	want := "go mod edit -require=" + runtimeModule + "@v0.0.0 -replace=" + runtimeModule + "=" + root
	if r.code != 1 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "nothing was written") {
		t.Errorf("development build: exit %d, want 1 with %q\nstderr:\n%s", r.code, want, r.stderr)
	}
	assertUnchanged(t, before, snapshot(t, dir))
	// Under -diff the same refusal names the flag the user typed.
	r = lint(t, dir, "-diff")
	if r.code != 1 || !strings.Contains(r.stderr, "-diff: the fixes import the resilience-lint runtime") || strings.Contains(r.stderr, "-fix:") {
		t.Errorf("-diff: exit %d, want 1 with a -diff: error\nstderr:\n%s", r.code, r.stderr)
	}
	assertUnchanged(t, before, snapshot(t, dir))

	release := filepath.Join(t.TempDir(), "resilience-lint")
	if out, err := exec.Command("go", "build", "-ldflags=-X=main.releaseVersionOverride=v0.9.0", "-o", release, ".").CombinedOutput(); err != nil {
		t.Fatalf("building a release binary: %v\n%s", err, out)
	}
	c := exec.Command(release, "-fix")
	c.Dir = dir
	c.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	out, err := c.CombinedOutput()
	for _, s := range []string{"adding " + runtimeModule + "@v0.9.0 to go.mod", "go get " + runtimeModule + "@v0.9.0", "nothing was written"} {
		if !strings.Contains(string(out), s) {
			t.Errorf("release build: output lacks %q (err %v):\n%s", s, err, out)
		}
	}
	if strings.Contains(string(out), "development build") {
		t.Errorf("a release build speaks of a development build:\n%s", out)
	}
	assertUnchanged(t, before, snapshot(t, dir))
}

// TestFixRequiresRelease: a release build (its version set at link time)
// adds itself, at its own version, to a module that does not require the
// runtime, through the go command and the module proxy (here a file
// proxy serving this checkout as v0.9.0, in front of the local module
// cache), so that the fixed code builds.
func TestFixRequiresRelease(t *testing.T) {
	root := fixturemod.RepoRoot(t)
	const version = "v0.9.0"
	proxy := t.TempDir()
	at := filepath.Join(proxy, filepath.FromSlash(runtimeModule), "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	if err := modzip.CreateFromDir(&zipped, module.Version{Path: runtimeModule, Version: version}, root); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": []byte(`{"Version":"` + version + `","Time":"2026-01-01T00:00:00Z"}`),
		version + ".mod":  gomod,
		version + ".zip":  zipped.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(at, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(strings.TrimSpace(string(out)), "cache", "download")
	env := append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(cache),
		"GOSUMDB=off", "GOFLAGS=-modcacherw", "GOMODCACHE="+t.TempDir(), "GOWORK=off")

	release := filepath.Join(t.TempDir(), "resilience-lint")
	if out, err := exec.Command("go", "build", "-ldflags=-X=main.releaseVersionOverride="+version, "-o", release, ".").CombinedOutput(); err != nil {
		t.Fatalf("building a release binary: %v\n%s", err, out)
	}
	if out, err := exec.Command(release, "version").Output(); err != nil || !strings.HasPrefix(string(out), "resilience-lint "+version+" ") {
		t.Errorf("version of a release build: %q, %v; want it to name %s", out, err, version)
	}
	dir := fixturemod.Write(t, map[string]string{
		"go.mod":                "module example.com/fx\n\ngo 1.26\n",
		"go.sum":                "",
		"agents/store/store.go": storeSrc,
	})
	run := func(name string, args ...string) (string, error) {
		c := exec.Command(name, args...)
		c.Dir, c.Env = dir, env
		out, err := c.CombinedOutput()
		return string(out), err
	}
	got, err := run(release, "-fix")
	if err != nil || !strings.Contains(got, "rewrote go.mod: add "+runtimeModule+" "+version+" (the fixes import its runtime)") || !strings.Contains(got, "rewrote go.sum") {
		t.Fatalf("-fix: %v\n%s", err, got)
	}
	if req := requirement(t, dir); req == nil || req.Mod.Version != version || req.Indirect {
		t.Errorf("after -fix the runtime requirement is %+v, want a direct %s", req, version)
	}
	if got, err := run("go", "build", "./..."); err != nil {
		t.Errorf("the fixed module does not build: %v\n%s", err, got)
	}
}
