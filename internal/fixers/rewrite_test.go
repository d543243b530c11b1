package fixers_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/internal/fixers"
)

var update = flag.Bool("update", false, "rewrite the .golden files of TestRewrite")

// rewriteCase is one method of a testdata/rewrite file and what the fixer
// must do with it.
type rewriteCase struct {
	method  string // "Type.Method"
	track   bool   // Track instead of Retry
	guards  int
	policy  string
	source  string // PolicySource
	field   string // TrackerField
	unsafe  string // Target.Unsafe, as retrysafety would set it
	wantErr string // substring of the refusal; "" = rewritten
	none    bool   // no fix and no error (already wrapped)
}

var rewriteCases = map[string][]rewriteCase{
	"retry.go": {
		{method: "Store.ErrorOnly", guards: 1},
		{method: "Store.OneValue"},
		{method: "Store.TwoValues"},
		{method: "Store.NamedBare"},
		{method: "Store.DeferEdit"},
		{method: "Store.Variadic"},
		{method: "Store.Blank"},
		{method: "Store.Unnamed"},
		{method: "Store.Renamed"},
		{method: "Store.Shadowed"},
		{method: "Store.NoContext"},
		{method: "Store.Labels"},
		{method: "Store.Nested"},
		{method: "Store.Recover"},
		{method: "Store.Mutates"},
		{method: "Store.Comments", guards: 1},
		{method: "Value.Get"},
		{method: "Cache.Get"},
		{method: "Store.GuardAssign", guards: 1},
		// Not safe to run twice (retrysafety): refused with its reason.
		{method: "Store.OneValue", unsafe: "it sets s.n at retry.go:9 before the call that can fail (load at retry.go:10); a retry would repeat it",
			wantErr: "it sets s.n at retry.go:9 before the call that can fail (load at retry.go:10); a retry would repeat it: route the call that can fail alone, or mark it //resilience:noretry <reason>"},
	},
	"refuse.go": {
		{method: "Agent.Four", wantErr: "returns 3 values besides the error; recovery.DoValue2 takes at most 2"},
		{method: "Agent.Upload", wantErr: "it consumes r, an io.Reader that is not an io.Seeker, so a retry would read a drained input: give each attempt a fresh input or output"},
		{method: "Agent.GotoGuard", guards: 1, wantErr: "goto fail at line 28 jumps between the validation guards and the body"},
		{method: "Agent.Hidden", wantErr: "result type error would refer to another error inside the method"},
		{method: "Agent.DeferGuard", guards: 1, wantErr: "defers in a validation guard (line 43)"},
		{method: "Agent.DeferGuard", policy: "nope.X", wantErr: `policy expression "nope.X" does not compile in (*Agent).DeferGuard: `},
		{method: "Agent.DeferGuard", policy: "errBad", wantErr: `is a error, not a *recovery.Policy`},
		// A policy of another package, configured at a line of
		// .resilience.yml: the error says where, never at a position
		// inside the expression's text (or the standard library).
		{method: "Agent.DeferGuard", policy: "internal/reflectlite.Nope", source: "/repo/.resilience.yml:7", wantErr: `/repo/.resilience.yml:7: policy expression "internal/reflectlite.Nope" does not compile: undefined: Nope`},
		{method: "Agent.DeferGuard", policy: "internal/reflectlite.TypeOf(nil)", source: "/repo/.resilience.yml:7", wantErr: `/repo/.resilience.yml:7: policy expression "internal/reflectlite.TypeOf(nil)" in (*Agent).DeferGuard is a internal/reflectlite.Type, not a *recovery.Policy`},
		{method: "Agent.DeferGuard", policy: "internal/reflectlite.rtype{}", wantErr: `uses rtype, which package internal/reflectlite does not export (the policy setting of .resilience.yml or -policy)`},
		{method: "Agent.DeferGuard", policy: "nope.X", source: ".resilience.yml:3", wantErr: `.resilience.yml:3: policy expression "nope.X" does not compile in (*Agent).DeferGuard: undefined: nope; name a package the file does not import by its import path`},
		{method: "Agent.Download", wantErr: "it writes to w, an io.Writer that is not an io.Seeker"},
		{method: "Agent.GuardSets", guards: 1, wantErr: "result m is set by a validation guard and read by the body"},
	},
	"wrapped.go": {
		{method: "Agent.Wrapped", none: true},
		{method: "Agent.Alias"},
	},
	"collide.go": {
		{method: "Agent.Param"},
		{method: "Agent.Local"},
	},
	"generated.go": {
		{method: "Agent.Work", wantErr: "(*Agent).Work is in a generated file: change its generator instead"},
		{method: "Agent.Work", track: true, wantErr: "is in a generated file"},
	},
	"noimports.go": {
		{method: "Agent.Work", policy: "nil"},
	},
	"records.go": {
		{method: "Partial.Execute", track: true, field: "tracker"},
		{method: "Disagree.Execute", track: true, field: "t"},
		{method: "InClosure.Execute", track: true, field: "t", wantErr: "records by hand with Tracker.TrackSuccess at line 73 inside a function literal, which -fix cannot remove cleanly"},
		{method: "InDefer.Execute", track: true, field: "t"},
		{method: "Effects.Execute", track: true, field: "t", wantErr: "would leave start unused, and its declaration at line 101 calls begin(), which may have side effects"},
		{method: "ArgEffects.Execute", track: true, field: "t", wantErr: "removing it would drop begin(), which may have side effects"},
		{method: "Emptied.Execute", track: true, field: "t"},
		{method: "DeferDispatch.Execute", track: true, field: "t"},
		{method: "DeferMixed.Execute", track: true, field: "t"},
		{method: "FromGoroutine.Execute", track: true, field: "t"},
	},
	"records_time.go": {
		{method: "Timed.Execute", track: true, field: "tracker"},
	},
	"track.go": {
		{method: "PtrWorker.Execute", track: true, field: "tracker"},
		{method: "ValWorker.Execute", track: true, field: "t"},
		{method: "CopyWorker.Execute", track: true, field: "t", wantErr: "has a value receiver, so its Tracker field t is a copy on every call"},
		{method: "PlainWorker.Execute", track: true},
		{method: "DoneWorker.Execute", track: true, none: true},
		{method: "PtrWorker.Execute", track: true, field: "missing", wantErr: "the receiver has no field missing"},
	},
}

func (rc rewriteCase) run(t *testing.T, c *checked) ([]analysis.SuggestedFix, error) {
	t.Helper()
	fd := c.method(rc.method)
	if fd == nil {
		t.Fatalf("no method %s", rc.method)
	}
	if rc.track {
		return fixers.Track(c.pass, c.trackTarget(fd, "shapes", rc.field))
	}
	t2 := c.retryTarget(fd, rc.guards, rc.policy)
	t2.PolicySource = rc.source
	t2.Unsafe = rc.unsafe
	return fixers.Retry(c.pass, t2)
}

// TestRewrite rewrites every case of a file, checks each fix on its own
// (parses, gofmt-stable, type-checks, keeps every comment in order,
// idempotent) and all of the file's fixes together against the golden
// file.
func TestRewrite(t *testing.T) {
	for file, cases := range rewriteCases {
		t.Run(file, func(t *testing.T) {
			c := checkRewriteFile(t, file)
			path := filepath.Join("testdata", "rewrite", file)
			var all []analysis.SuggestedFix
			for _, rc := range cases {
				fixes, err := rc.run(t, c)
				switch {
				case rc.wantErr != "":
					if err == nil || !strings.Contains(err.Error(), rc.wantErr) {
						t.Errorf("%s: got error %v, fixes %d; want refusal containing %q", rc.method, err, len(fixes), rc.wantErr)
					}
					if len(fixes) > 0 {
						t.Errorf("%s: refusal came with %d fixes", rc.method, len(fixes))
					}
					continue
				case err != nil:
					t.Errorf("%s: unexpected refusal: %v", rc.method, err)
					continue
				case rc.none:
					if len(fixes) != 0 {
						t.Errorf("%s: already wrapped, got %d fixes", rc.method, len(fixes))
					}
					continue
				case len(fixes) != 1:
					t.Errorf("%s: got %d fixes, want 1", rc.method, len(fixes))
					continue
				}
				checkFix(t, c, rc, fixes)
				all = append(all, fixes...)
			}
			got, err := c.apply(all)
			if err != nil {
				t.Fatalf("applying all fixes: %v", err)
			}
			golden := path + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("all fixes of %s: got\n%s\nwant\n%s", file, got, want)
			}
			if err := gofmtStable(got); err != nil {
				t.Errorf("all fixes of %s: %v", file, err)
			}
			if _, err := check(t, path, got); err != nil {
				t.Errorf("all fixes of %s: output does not type-check: %v\n%s", file, err, got)
			}
		})
	}
}

// checkFix checks one fix applied alone.
func checkFix(t *testing.T, c *checked, rc rewriteCase, fixes []analysis.SuggestedFix) {
	t.Helper()
	out, err := c.apply(fixes)
	if err != nil {
		t.Errorf("%s: %v", rc.method, err)
		return
	}
	if err := gofmtStable(out); err != nil {
		t.Errorf("%s: %v\n%s", rc.method, err, out)
	}
	if !isSubsequence(comments(t, c.src), comments(t, out)) {
		t.Errorf("%s: comments lost or reordered:\n%s", rc.method, out)
	}
	c2, err := check(t, c.pass.Fset.File(c.file.Pos()).Name(), out)
	if err != nil {
		t.Errorf("%s: output does not type-check: %v\n%s", rc.method, err, out)
		return
	}
	again, err := rc.run(t, c2)
	if err != nil || len(again) != 0 {
		t.Errorf("%s: second run: %d fixes, error %v; want nothing", rc.method, len(again), err)
	}
}
