package coverage

import (
	"slices"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

func TestParseGates(t *testing.T) {
	tests := []struct {
		name    string
		in      []string
		want    []Gate
		wantErr string
	}{
		{name: "none"},
		{name: "two", in: []string{"retry=100,intel=90"}, want: []Gate{{"retry", 100}, {"intel", 90}}},
		{name: "repeated flag, spaces, percent sign", in: []string{" methods = 87.5% ", "score=50"}, want: []Gate{{"methods", 87.5}, {"score", 50}}},
		{name: "last value wins", in: []string{"retry=10,retry=20"}, want: []Gate{{"retry", 20}}},
		{name: "empty items ignored", in: []string{",retry=1,,"}, want: []Gate{{"retry", 1}}},
		{name: "unknown metric", in: []string{"coverage=90"}, wantErr: `unknown metric "coverage" (metrics: retry, methods, intel, score)`},
		{name: "no value", in: []string{"retry"}, wantErr: "want metric=percent"},
		{name: "not a number", in: []string{"retry=high"}, wantErr: `"high" is not a percentage`},
		{name: "above 100", in: []string{"intel=101"}, wantErr: "not a percentage from 0 to 100"},
		{name: "negative", in: []string{"intel=-1"}, wantErr: "not a percentage"},
		{name: "NaN", in: []string{"intel=NaN"}, wantErr: "not a percentage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseGates(tt.in...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("gates = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckGates(t *testing.T) {
	// methods 3/4 = 75%, retry 1/2 = 50%, no workers: intel undefined,
	// score = methods = 75%.
	r := Build(retryResults(
		agent(loaderPkg, "A", method("X", retrycoverage.Routed, ""), method("Y", retrycoverage.Routed, "")),
		agent(loaderPkg, "B", method("X", retrycoverage.Routed, ""), method("Y", retrycoverage.Unrouted, "")),
	), []*intelcoverage.Result{}, Options{})

	tests := []struct {
		gate    string
		pass    bool
		defined bool
		text    string
	}{
		{"retry=50", true, true, "retry 50.0% >= 50"},
		{"retry=50.1", false, true, "retry 50.0% < 50.1"},
		{"methods=75", true, true, "methods 75.0% >= 75"},
		{"methods=76", false, true, "methods 75.0% < 76"},
		{"score=75", true, true, "score 75.0% >= 75"},
		{"score=100", false, true, "score 75.0% < 100"},
		{"intel=90", true, false, "intel n/a (nothing in scope): gate intel=90 passes"},
	}
	for _, tt := range tests {
		gates, err := ParseGates(tt.gate)
		if err != nil {
			t.Fatal(err)
		}
		res := r.CheckGates(gates)
		if len(res) != 1 {
			t.Fatalf("%s: %d results", tt.gate, len(res))
		}
		if res[0].Pass != tt.pass || res[0].Defined != tt.defined || res[0].String() != tt.text {
			t.Errorf("%s: pass=%v defined=%v %q, want %v %v %q", tt.gate, res[0].Pass, res[0].Defined, res[0], tt.pass, tt.defined, tt.text)
		}
	}
}

func TestMetricPanicsOnUnknownName(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	(&Report{}).Metric("nope")
}
