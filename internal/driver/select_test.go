package driver_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// depModule is a module outside the one linted (required and replaced
// by a local directory, as a module from the cache would be): one package
// that imports the runtime (its routed helper carries a Fact the driver
// must compute from source) and one that does not (its validator
// carries no Fact under any driver, so the driver reads it from export
// data).
var depModule = map[string]string{
	"dep/go.mod": "module example.com/dep\n\ngo 1.26\n\nrequire " + fixturemod.Repo + " v0.0.0\n",
	"dep/fetch/fetch.go": `package fetch

import (
	"context"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Get reads name with retries.
func Get(ctx context.Context, name string) ([]byte, error) {
	return recovery.DoValue(ctx, nil, func(ctx context.Context) ([]byte, error) {
		return os.ReadFile(name)
	})
}
`,
	"dep/check/check.go": `package check

import "errors"

// Name validates a name.
func Name(s string) error {
	if s == "" {
		return errors.New("empty name")
	}
	return nil
}
`,
}

// verdictFixture is a multi-package module: agents that delegate to
// routed helpers and validators of their own module and of depModule,
// and a helper package between them.
func verdictFixture(t *testing.T) string {
	files := map[string]string{
		"go.mod": "module example.com/fx\n\ngo 1.26\n\nrequire (\n\t" + fixturemod.Repo + " v0.0.0\n\texample.com/dep v0.0.0\n)\n\nreplace " +
			fixturemod.Repo + " => " + fixturemod.RepoRoot(t) + "\n\nreplace example.com/dep => ./dep\n",
		"calc/calc.go": `package calc

import "errors"

// Mean returns the mean of xs (a validator: no call that can fail).
func Mean(xs []float64) (float64, error) {
	if len(xs) == 0 {
		return 0, errors.New("no values")
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs)), nil
}
`,
		"store/store.go": `package store

import (
	"context"
	"os"

	"example.com/dep/fetch"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Load is routed through the dependency's helper.
func Load(ctx context.Context, name string) ([]byte, error) { return fetch.Get(ctx, name) }

// Save is routed here.
func Save(ctx context.Context, name string, b []byte) error {
	return recovery.Do(ctx, nil, func(ctx context.Context) error { return os.WriteFile(name, b, 0o600) })
}
`,
		"agents/agents.go": `package agents

import (
	"context"
	"os"

	"example.com/dep/check"
	"example.com/dep/fetch"
	"example.com/fx/calc"
	"example.com/fx/store"
)

// Fitter is an agent.
type Fitter struct{}

// Fit calls a validator of this module: not work.
func (Fitter) Fit(xs []float64) (float64, error) { return calc.Mean(xs) }

// Fetch delegates to a routed helper of another module.
func (Fitter) Fetch(ctx context.Context) ([]byte, error) { return fetch.Get(ctx, "x") }

// Load delegates to a routed helper of this module.
func (Fitter) Load(ctx context.Context) ([]byte, error) { return store.Load(ctx, "x") }

// Check calls a helper of another module that uses no retry API: work,
// whichever driver runs.
func (Fitter) Check(ctx context.Context, name string) error { return check.Name(name) }

// Remove does work without retrying.
func (Fitter) Remove(ctx context.Context) error { return os.Remove("x") }
`,
	}
	for name, src := range depModule {
		files[name] = src
	}
	return fixturemod.Write(t, files)
}

// verdicts summarises a result: findings by position and message, and
// every method's status in the results.
func verdicts(res *driver.Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, fmt.Sprintf("%s:%d:%d %s: %s", f.Pos.Filename, f.Pos.Line, f.Pos.Column, f.Analyzer, f.Message))
	}
	for _, r := range res.Retry {
		for _, a := range r.Agents {
			for _, m := range a.Methods {
				out = append(out, fmt.Sprintf("retry %s.%s.%s %d %s", a.Pkg, a.Name, m.Name, m.Status, m.Reason))
			}
		}
	}
	for _, r := range res.Intel {
		for _, w := range r.Workers {
			out = append(out, fmt.Sprintf("intel %s.%s.%s %d %s", w.Pkg, w.Name, w.Method, w.Status, w.Reason))
		}
	}
	sort.Strings(out)
	return out
}

// TestVerdictsSameWhateverPatterns checks that the verdicts on a package
// do not depend on which packages the patterns name: every dependency
// outside the standard library is analyzed from source for its Facts (a
// validator of a dependency module makes Fitter.Check do no work that can
// fail), and with EntryDependenciesOnly that dependency is read from
// export data, so its Facts are lost and Check is reported.
func TestVerdictsSameWhateverPatterns(t *testing.T) {
	dir := verdictFixture(t)
	var first []string
	for _, patterns := range [][]string{{"./..."}, {"./agents"}, {"./agents", "./calc"}} {
		t.Run(strings.Join(patterns, ","), func(t *testing.T) {
			res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: patterns})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errors) > 0 {
				t.Fatalf("errors %v", res.Errors)
			}
			got := verdicts(res)
			if first == nil {
				first = got
			} else if !reflect.DeepEqual(got, first) {
				t.Errorf("verdicts differ from ./...'s:\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(first, "\n\t"))
			}
			if want := []string{"Fitter.Remove"}; !reflect.DeepEqual(reported(got), want) {
				t.Errorf("reported %q, want %q", reported(got), want)
			}
		})
	}
	res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: []string{"./agents"}, EntryDependenciesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Fitter.Check", "Fitter.Remove"}; !reflect.DeepEqual(reported(verdicts(res)), want) {
		t.Errorf("EntryDependenciesOnly: reported %q, want %q", reported(verdicts(res)), want)
	}
}

// reported returns the methods retrycoverage reported among verdicts.
func reported(verdicts []string) []string {
	var out []string
	for _, v := range verdicts {
		if _, msg, ok := strings.Cut(v, " retrycoverage: "); ok {
			method, _, _ := strings.Cut(msg, " ")
			out = append(out, method)
		}
	}
	sort.Strings(out)
	return out
}
