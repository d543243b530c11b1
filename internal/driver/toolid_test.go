package driver

import (
	"io/fs"
	"runtime/debug"
	"testing"
	"time"
)

// fakeInfo is the part of os.FileInfo toolIDOf reads.
type fakeInfo struct {
	fs.FileInfo
	size int64
	mod  time.Time
}

func (f fakeInfo) Size() int64        { return f.size }
func (f fakeInfo) ModTime() time.Time { return f.mod }

// TestToolID checks which builds keep their cache keys when the
// executable is rebuilt or installed again (a new path or modification
// time, as in every CI job): released versions and clean checkouts do,
// modified checkouts and trees without VCS information do not; and that
// what the build is made of (version, revision, Go, settings,
// dependencies) changes the ID.
func TestToolID(t *testing.T) {
	build := func(version string, settings map[string]string, deps ...*debug.Module) *debug.BuildInfo {
		bi := &debug.BuildInfo{GoVersion: "go1.26.8", Path: "example.com/rl/cmd/rl", Main: debug.Module{Path: "example.com/rl", Version: version}, Deps: deps}
		for _, k := range []string{"-compiler", "GOOS", "vcs.revision", "vcs.modified"} {
			if v, ok := settings[k]; ok {
				bi.Settings = append(bi.Settings, debug.BuildSetting{Key: k, Value: v})
			}
		}
		return bi
	}
	dep := &debug.Module{Path: "golang.org/x/tools", Version: "v0.52.0", Sum: "h1:abc="}
	released := build("v1.2.0", map[string]string{"-compiler": "gc", "GOOS": "linux"}, dep)
	clean := build("v0.0.0-20261129000000-abcdef012345", map[string]string{"vcs.revision": "abcdef012345", "vcs.modified": "false"}, dep)
	dirty := build("v0.0.0-20261129000000-abcdef012345+dirty", map[string]string{"vcs.revision": "abcdef012345", "vcs.modified": "true"}, dep)
	novcs := build("(devel)", nil, dep)
	localDep := build("v0.0.0-20261129000000-abcdef012345", map[string]string{"vcs.revision": "abcdef012345", "vcs.modified": "false"},
		&debug.Module{Path: "example.com/lib", Version: "v1.0.0", Replace: &debug.Module{Path: "../lib"}})

	t0 := time.Unix(1_800_000_000, 0)
	first := fakeInfo{size: 100, mod: t0}
	again := fakeInfo{size: 100, mod: t0.Add(time.Hour)} // the same build installed again
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		keep bool // the ID survives a new path and modification time
	}{
		{"released version", released, true},
		{"clean checkout", clean, true},
		{"modified checkout", dirty, false},
		{"no VCS information", novcs, false},
		{"dependency replaced by a directory", localDep, false},
		{"no build information", nil, false},
	} {
		a := toolIDOf("/ci/job1/bin/rl", first, tc.bi)
		b := toolIDOf("/ci/job2/bin/rl", again, tc.bi)
		if (a == b) != tc.keep {
			t.Errorf("%s: IDs of two installs equal = %v, want %v\n%s\n%s", tc.name, a == b, tc.keep, a, b)
		}
	}
	// What a reproducible build is made of is in its ID.
	base := toolIDOf("/bin/rl", first, released)
	for name, bi := range map[string]*debug.BuildInfo{
		"version":    build("v1.2.1", map[string]string{"-compiler": "gc", "GOOS": "linux"}, dep),
		"settings":   build("v1.2.0", map[string]string{"-compiler": "gc", "GOOS": "darwin"}, dep),
		"dependency": build("v1.2.0", map[string]string{"-compiler": "gc", "GOOS": "linux"}, &debug.Module{Path: dep.Path, Version: "v0.53.0", Sum: "h1:def="}),
		"go version": func() *debug.BuildInfo {
			bi := build("v1.2.0", map[string]string{"-compiler": "gc", "GOOS": "linux"}, dep)
			bi.GoVersion = "go1.27.0"
			return bi
		}(),
	} {
		if toolIDOf("/bin/rl", first, bi) == base {
			t.Errorf("a build with another %s has the same ID", name)
		}
	}
	if id := toolID(); id == "" {
		t.Error("toolID of the test binary is empty")
	}
}
