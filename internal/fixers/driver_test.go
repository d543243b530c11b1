package fixers_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/suite"
)

// fixReport is what one fixTree run did.
type fixReport struct {
	fixes    int      // fixes applied
	refused  []string // diagnostics saying why a method cannot be rewritten
	files    []string // files written
	messages []string // messages of the applied fixes
	reported []string // every diagnostic
}

// fixTree runs the suite's analyzers over dir/... and applies every
// suggested fix the way the drivers do: a fix is applied whole or not at
// all, identical edits of different fixes (a shared import) are applied
// once, and a fix that overlaps an accepted one is skipped.
func fixTree(t testing.TB, dir string, cfg *config.Config) fixReport {
	t.Helper()
	pcfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Env: offlineEnv()}
	pkgs, err := packages.Load(pcfg, "./...")
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		t.Fatalf("%d errors loading %s", n, dir)
	}
	g, err := checker.Analyze(suite.Analyzers(cfg), pkgs, nil)
	if err != nil {
		t.Fatalf("analyze: %v", err)
	}
	type edit struct {
		start, end int
		text       string
	}
	var rep fixReport
	accepted := map[string][]edit{}
	for act := range g.All() {
		if !act.IsRoot {
			continue
		}
		if act.Err != nil {
			t.Fatalf("%s: %v", act, act.Err)
		}
		fset := act.Package.Fset
	diags:
		for _, d := range act.Diagnostics {
			rep.reported = append(rep.reported, fmt.Sprintf("%s: %s", fset.Position(d.Pos), d.Message))
			if len(d.SuggestedFixes) == 0 {
				if !strings.Contains(d.Message, "cannot rewrite") {
					continue // another report of a rewritten method
				}
				rep.refused = append(rep.refused, fmt.Sprintf("%s: %s", fset.Position(d.Pos), d.Message))
				continue
			}
			fix := d.SuggestedFixes[0]
			next := map[string][]edit{}
			for _, e := range fix.TextEdits {
				tf := fset.File(e.Pos)
				next[tf.Name()] = append(next[tf.Name()], edit{tf.Offset(e.Pos), tf.Offset(e.End), string(e.NewText)})
			}
			merged := map[string][]edit{}
			for name, edits := range next {
				all := slices.Clone(accepted[name])
				for _, e := range edits {
					if !slices.Contains(all, e) {
						all = append(all, e)
					}
				}
				slices.SortStableFunc(all, func(a, b edit) int { return a.start - b.start })
				for i := 1; i < len(all); i++ {
					if all[i].start < all[i-1].end {
						continue diags // conflict: skip the whole fix
					}
				}
				merged[name] = all
			}
			for name, all := range merged {
				accepted[name] = all
			}
			rep.fixes++
			rep.messages = append(rep.messages, fix.Message)
		}
	}
	for name, edits := range accepted {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var out []byte
		last := 0
		for _, e := range edits {
			out = append(append(out, src[last:e.start]...), e.text...)
			last = e.end
		}
		out = append(out, src[last:]...)
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, out, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
		rep.files = append(rep.files, name)
	}
	slices.Sort(rep.files)
	return rep
}

// offlineEnv is the environment of go commands run on scratch modules:
// module mode, no workspace, no network (the module cache has what the
// replaced resilience-lint module needs).
func offlineEnv() []string {
	return append(os.Environ(), "GO111MODULE=on", "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=mod")
}
