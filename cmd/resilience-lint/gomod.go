package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/resilience-lint/resilience-lint/internal/fixapply"
)

// runtimeModule is the module of the runtime libraries the fixes import.
const runtimeModule = "github.com/resilience-lint/resilience-lint"

// releaseVersion is the module version this binary was built from
// ("go install github.com/resilience-lint/resilience-lint/cmd/resilience-lint@v1.2.3"
// records v1.2.3), or "" for a development build (built from a clone:
// "(devel)" or a pseudo-version, see isRelease). Packagers who build from a source archive may set it with
// -ldflags=-X=main.releaseVersionOverride=v1.2.3.
func releaseVersion() string {
	if v := releaseVersionOverride; v != "" {
		return v
	}
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Path != runtimeModule {
		return ""
	}
	if v := info.Main.Version; isRelease(v) {
		return v
	}
	return ""
}

// isRelease reports whether a main module version names a release that
// the module proxy serves: not "(devel)", and not the pseudo-version
// (v0.0.0-20260102150405-abcdef123456, "+dirty" for modified trees) that
// the go command stamps on a build from a clone's commit, which may exist
// nowhere but in that clone.
func isRelease(v string) bool {
	return v != "" && v != "(devel)" && semver.Canonical(v) == v && // no "+dirty"
		module.Check(runtimeModule, v) == nil && !module.IsPseudoVersion(v)
}

// releaseVersionOverride, set at link time, names the release a binary
// built outside the module proxy was built from.
var releaseVersionOverride string

// cloneDir returns the root of the clone this development build was built
// from, when the binary records its source paths (not -trimpath) and the
// directory is still there; "" otherwise.
func cloneDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	root := filepath.Dir(filepath.Dir(filepath.Dir(file))) // <root>/cmd/resilience-lint/gomod.go
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || modfile.ModulePath(data) != runtimeModule {
		return ""
	}
	return root
}

// addRuntimeHint says how to make the runtime importable, for the binary
// that prints it: a release build names its own version; a development
// build says how to use the clone it was built from.
func addRuntimeHint(vendored bool) string {
	var b strings.Builder
	b.WriteString("the fixes import the resilience-lint runtime (" + runtimeModule + "/runtime/...), which your module cannot import yet: ")
	if v := releaseVersion(); v != "" {
		fmt.Fprintf(&b, "add it with 'go get %s@%s'", runtimeModule, v)
	} else {
		clone := cloneDir()
		if clone == "" {
			clone = "/path/to/your/clone/of/resilience-lint"
		}
		fmt.Fprintf(&b, "this resilience-lint is a development build, so there is no release to require; use the clone it was built from: 'go mod edit -require=%s@v0.0.0 -replace=%s=%s'", runtimeModule, runtimeModule, clone)
	}
	if vendored {
		b.WriteString(", then 'go mod vendor'")
	}
	b.WriteString(", then re-run")
	return b.String()
}

// moduleFile is the main module's go.mod as the go command sees it in dir.
type moduleFile struct {
	path string // absolute path of go.mod
	data []byte
	file *modfile.File
}

// mainModule returns the go.mod of the main module of dir, or nil outside
// a module (GOPATH mode, GOMOD=/dev/null) and in workspaces (go.work:
// the requirement belongs to one of several modules, which is the user's
// call).
func mainModule(ctx context.Context, dir string, env []string) (*moduleFile, error) {
	out, err := goCommand(ctx, dir, env, "env", "GOMOD", "GOWORK")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n") // GOWORK's line may be empty
	if len(lines) != 2 || lines[0] == "" || lines[0] == os.DevNull || lines[1] != "" && lines[1] != "off" {
		return nil, nil
	}
	data, err := os.ReadFile(lines[0])
	if err != nil {
		return nil, err
	}
	f, err := modfile.Parse(lines[0], data, nil)
	if err != nil {
		return nil, err
	}
	return &moduleFile{path: lines[0], data: data, file: f}, nil
}

// runtimeRequirement computes the go.mod (and go.sum) changes that make the
// rewritten code build: the main module must require the runtime module,
// and directly (the fixes import it, so "// indirect" would be wrong and
// go mod tidy would change it). A missing requirement is added with the go
// command ("go get -modfile" on copies, so nothing is written before the
// plan is verified): at the version of the module's replace directive for
// the runtime if it has one, else at this binary's own release version. A
// development build without a replace cannot know what to require: the
// error says how to use the clone.
//
// It returns no changes for the runtime's own module, outside a module, in
// a workspace and when the requirement is already direct.
func runtimeRequirement(ctx context.Context, dir string, env []string) ([]fixapply.FileChange, error) {
	mf, err := mainModule(ctx, dir, env)
	if err != nil || mf == nil || mf.file.Module == nil || mf.file.Module.Mod.Path == runtimeModule {
		return nil, err
	}
	var req *modfile.Require
	for _, r := range mf.file.Require {
		if r.Mod.Path == runtimeModule {
			req = r
			break
		}
	}
	if req != nil {
		if !req.Indirect {
			return nil, nil
		}
		requireDirectly(mf.file, req.Mod.Version)
		return modChanges(mf, nil, nil, "require "+runtimeModule+" "+req.Mod.Version+" directly (the fixes import its runtime)")
	}
	version := releaseVersion()
	for _, r := range mf.file.Replace {
		if r.Old.Path == runtimeModule {
			version = r.Old.Version
			if version == "" {
				version = "v0.0.0" // a replace of every version: any version resolves to it
			}
		}
	}
	if version == "" {
		return nil, errors.New(addRuntimeHint(false))
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(mf.path), "vendor", "modules.txt")); err == nil {
		return nil, errors.New(addRuntimeHint(true))
	}
	// go get on copies of go.mod and go.sum resolves the version and the
	// checksums; the copies become the plan's new contents.
	tmp, err := os.MkdirTemp("", "resilience-lint-mod-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(tmp) }() // our own temporary directory
	tmpMod, tmpSum := filepath.Join(tmp, "go.mod"), filepath.Join(tmp, "go.sum")
	sumPath := filepath.Join(filepath.Dir(mf.path), "go.sum")
	oldSum, err := os.ReadFile(sumPath)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.WriteFile(tmpMod, mf.data, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(tmpSum, oldSum, 0o644); err != nil {
		return nil, err
	}
	if _, err := goCommand(ctx, dir, env, "get", "-modfile="+tmpMod, runtimeModule+"@"+version); err != nil {
		return nil, fmt.Errorf("adding %s@%s to go.mod: %v\n(%s)", runtimeModule, version, err, addRuntimeHint(false))
	}
	newMod, err := os.ReadFile(tmpMod)
	if err != nil {
		return nil, err
	}
	newSum, err := os.ReadFile(tmpSum)
	if err != nil {
		return nil, err
	}
	got, err := modfile.Parse(mf.path, newMod, nil)
	if err != nil {
		return nil, err
	}
	for _, r := range got.Require {
		if r.Mod.Path == runtimeModule {
			version = r.Mod.Version
		}
	}
	requireDirectly(got, version) // go get marked it // indirect
	mf.file = got
	return modChanges(mf, oldSum, newSum, "add "+runtimeModule+" "+version+" (the fixes import its runtime)")
}

// requireDirectly makes f require the runtime module at version without
// "// indirect", moving the line to the direct block as go mod tidy does.
func requireDirectly(f *modfile.File, version string) {
	var reqs []*modfile.Require
	found := false
	for _, r := range f.Require {
		if r.Mod.Path == runtimeModule {
			if found {
				continue
			}
			found = true
			r = &modfile.Require{Mod: module.Version{Path: runtimeModule, Version: version}}
		}
		reqs = append(reqs, r)
	}
	if !found {
		reqs = append(reqs, &modfile.Require{Mod: module.Version{Path: runtimeModule, Version: version}})
	}
	f.SetRequireSeparateIndirect(reqs)
}

// modChanges returns the FileChanges of mf's edited go.mod and, when they
// differ, of go.sum, labelled with what was done.
func modChanges(mf *moduleFile, oldSum, newSum []byte, label string) ([]fixapply.FileChange, error) {
	mf.file.Cleanup()
	data, err := mf.file.Format()
	if err != nil {
		return nil, err
	}
	changes := []fixapply.FileChange{{Name: mf.path, Old: mf.data, New: data, Mode: 0o644, Labels: []string{label}}}
	if !bytes.Equal(oldSum, newSum) {
		changes = append(changes, fixapply.FileChange{Name: filepath.Join(filepath.Dir(mf.path), "go.sum"), Old: oldSum, New: newSum, Mode: 0o644, Labels: []string{"checksums for " + runtimeModule}})
	}
	if fi, err := os.Stat(mf.path); err == nil {
		changes[0].Mode = fi.Mode().Perm()
	}
	return changes, nil
}

// goCommand runs the go command in dir and returns its standard output;
// the error includes its standard error.
func goCommand(ctx context.Context, dir string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
