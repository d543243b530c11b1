package config_test

import (
	"flag"
	"slices"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/config"
)

func TestEffective(t *testing.T) {
	tests := []struct {
		name string
		cfg  config.Config
		get  func(*config.Config) []string
		want []string
	}{
		{"default packages", config.Config{}, (*config.Config).EffectiveAgentPackages, []string{"agents"}},
		{"extra keeps default", config.Config{ExtraAgentPackages: []string{"svc"}}, (*config.Config).EffectiveAgentPackages, []string{"agents", "svc"}},
		{"replace drops default", config.Config{AgentPackages: []string{"svc"}}, (*config.Config).EffectiveAgentPackages, []string{"svc"}},
		{"empty replace means none", config.Config{AgentPackages: []string{}}, (*config.Config).EffectiveAgentPackages, []string{}},
		{"worker types default", config.Config{}, (*config.Config).EffectiveWorkerTypes, []string{"*Worker"}},
		{"worker types dedup", config.Config{ExtraWorkerTypes: []string{"*Worker", "Job"}}, (*config.Config).EffectiveWorkerTypes, []string{"*Worker", "Job"}},
		{"worker methods", config.Config{ExtraWorkerMethods: []string{"Run"}}, (*config.Config).EffectiveWorkerMethods, []string{"Execute", "Run"}},
		{"agent types default none", config.Config{}, (*config.Config).EffectiveAgentTypes, []string{}},
		{"agent types", config.Config{AgentTypes: []string{"A"}, ExtraAgentTypes: []string{"B"}}, (*config.Config).EffectiveAgentTypes, []string{"A", "B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.get(&tt.cfg); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEffectiveDoesNotAlias(t *testing.T) {
	c := config.Config{ExtraWorkerTypes: []string{"Job"}}
	got := c.EffectiveWorkerTypes()
	got[0] = "changed"
	if config.DefaultWorkerTypes[0] != "*Worker" {
		t.Fatalf("EffectiveWorkerTypes aliases the default: %q", config.DefaultWorkerTypes)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     config.Config
		wantErr string // substring; "" = valid
	}{
		{"default", config.Config{}, ""},
		{"good", config.Config{AgentTypes: []string{"*Agent", "example.com/x.Svc*"}, RetryFuncs: []string{"example.com/r.Do", "example.com/r.Client.Do", "gopkg.in/retry.v3.Do"},
			TrackFuncs: []string{"example.com/t.Record=outcome", "example.com/t.Run"}, Policy: "a.policy", WorkerMethods: []string{"Run"}}, ""},
		{"bad agent pattern", config.Config{AgentTypes: []string{"[x"}}, "agent-types: bad pattern \"[x\""},
		{"bad extra package pattern", config.Config{ExtraAgentPackages: []string{"a/[b"}}, "extra-agent-packages"},
		{"empty pattern", config.Config{WorkerTypes: []string{" "}}, "worker-types: empty pattern"},
		{"method name", config.Config{ExtraWorkerMethods: []string{"Run()"}}, "extra-worker-methods: \"Run()\" is not a method name"},
		{"retry func without package", config.Config{RetryFuncs: []string{"Do"}}, "retry-funcs"},
		{"retry func too many dots", config.Config{RetryFuncs: []string{"example.com/r.A.B.C"}}, "retry-funcs"},
		{"repeatable funcs", config.Config{RepeatableFuncs: []string{"example.com/metrics.Counter.Inc", "example.com/metrics.Record", "gopkg.in/m.v1.Record"}}, ""},
		{"repeatable func without package", config.Config{RepeatableFuncs: []string{"Inc"}}, "repeatable-funcs: \"Inc\""},
		{"repeatable func not an identifier", config.Config{RepeatableFuncs: []string{"example.com/metrics.Counter.Inc()"}}, "repeatable-funcs"},
		{"repeatable writes", config.Config{RepeatableWrites: []string{"github.com/digitalocean/godo.Client.Rate", "example.com/cache.Last", "gopkg.in/m.v1.Last"}}, ""},
		{"repeatable write without package", config.Config{RepeatableWrites: []string{"Rate"}}, "repeatable-writes: \"Rate\": want import/path.Type.Field or import/path.Var"},
		{"repeatable write too deep", config.Config{RepeatableWrites: []string{"example.com/api.Client.Rate.Limit"}}, "repeatable-writes: \"example.com/api.Client.Rate.Limit\""},
		{"track kind", config.Config{TrackFuncs: []string{"example.com/t.Record=always"}}, "track-funcs: \"example.com/t.Record=always\": kind \"always\""},
		{"retrying patterns", config.Config{RetryingTypes: []string{"example.com/api.Client"}, RetryingPackages: []string{"example.com/api/*"},
			ExcludeRetryFuncs: []string{"github.com/sethvargo/go-retry", "github.com/cenkalti/backoff/v4.Retry"}}, ""},
		{"bad retrying type", config.Config{RetryingTypes: []string{"[x"}}, "retrying-types: bad pattern"},
		{"bad retrying package", config.Config{RetryingPackages: []string{""}}, "retrying-packages: empty pattern"},
		{"bad optional retrying type", config.Config{OptionalRetryingTypes: []string{"[a"}}, "optional-retrying-types"},
		{"exclude unknown package", config.Config{ExcludeRetryFuncs: []string{"example/retry"}}, "exclude-retry-funcs: \"example/retry\""},
		{"exclude default retrying types", config.Config{ExcludeRetryFuncs: []string{"github.com/aws/aws-sdk-go-v2/service/*.Client", "github.com/aws/aws-sdk-go-v2/service/sqs", "github.com/aws/aws-sdk-go-v2/service/s3.Client"}}, ""},
		{"exclude a package no default selects", config.Config{ExcludeRetryFuncs: []string{"github.com/aws/aws-sdk-go-v2/aws"}}, "exclude-retry-funcs: \"github.com/aws/aws-sdk-go-v2/aws\""},
		{"interface", config.Config{WorkerInterfaces: []string{"Runner"}}, "worker-interfaces"},
		{"policy", config.Config{Policy: "a.("}, "policy: \"a.(\" is not a Go expression"},
		{"policy with a line comment", config.Config{Policy: "a.p // the shop's"}, "policy: \"a.p // the shop's\" contains a comment"},
		{"policy with a block comment", config.Config{Policy: "a.p /* x */"}, "contains a comment"},
		{"policy with a slash", config.Config{Policy: "a.Policy(1 / 2)"}, ""},
		{"agent name", config.Config{AgentName: "a\"b"}, "agent-name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("no error, want %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestEffectiveRetryFuncs(t *testing.T) {
	tests := []struct {
		name         string
		cfg          config.Config
		want, absent []string
	}{
		{"defaults", config.Config{}, []string{"github.com/cenkalti/backoff/v4.Retry", "github.com/avast/retry-go/v5.Retrier.Do", "github.com/sethvargo/go-retry.Do"}, nil},
		{"extended", config.Config{RetryFuncs: []string{"example.com/r.Do"}}, []string{"example.com/r.Do", "github.com/failsafe-go/failsafe-go.Executor.Get"}, nil},
		{"one excluded", config.Config{ExcludeRetryFuncs: []string{"github.com/cenkalti/backoff/v4.Retry"}},
			[]string{"github.com/cenkalti/backoff/v4.RetryNotify", "github.com/cenkalti/backoff/v5.Retry"}, []string{"github.com/cenkalti/backoff/v4.Retry"}},
		{"package excluded", config.Config{ExcludeRetryFuncs: []string{"github.com/hashicorp/go-retryablehttp"}},
			[]string{"github.com/sethvargo/go-retry.Do"}, []string{"github.com/hashicorp/go-retryablehttp.Client.Do", "github.com/hashicorp/go-retryablehttp.Get"}},
		{"excluded but listed", config.Config{ExcludeRetryFuncs: []string{"github.com/sethvargo/go-retry"}, RetryFuncs: []string{"github.com/sethvargo/go-retry.Do"}},
			[]string{"github.com/sethvargo/go-retry.Do"}, []string{"github.com/sethvargo/go-retry.DoValue"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cfg.EffectiveRetryFuncs()
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("%q missing from %q", w, got)
				}
			}
			for _, a := range tt.absent {
				if slices.Contains(got, a) {
					t.Errorf("%q should be excluded", a)
				}
			}
		})
	}
	for _, f := range config.DefaultRetryFuncs {
		if _, _, err := config.SplitQualified(f); err != nil {
			t.Errorf("default %q: %v", f, err)
		}
	}
}

func TestSplitQualified(t *testing.T) {
	tests := []struct{ in, pkg, name string }{
		{"example.com/r.Do", "example.com/r", "Do"},
		{"example.com/r.Client.Do", "example.com/r", "Client.Do"},
		{"fmt.Errorf", "fmt", "Errorf"},
	}
	for _, tt := range tests {
		pkg, name, err := config.SplitQualified(tt.in)
		if err != nil || pkg != tt.pkg || name != tt.name {
			t.Errorf("SplitQualified(%q) = %q, %q, %v; want %q, %q", tt.in, pkg, name, err, tt.pkg, tt.name)
		}
	}
}

func TestBindFlags(t *testing.T) {
	var c config.Config
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	c.BindFlags(fs)
	// A second flag set bound to the same config sets the same fields.
	fs2 := flag.NewFlagSet("y", flag.ContinueOnError)
	c.BindFlags(fs2)
	if err := fs.Parse([]string{"-agent-types=A, B", "-agent-packages=", "-include-tests", "-policy=a.p", "-track-funcs=x.com/t.F=wrap"}); err != nil {
		t.Fatal(err)
	}
	if err := fs2.Parse([]string{"-extra-worker-methods=Run,Handle", "-agent-name=loader"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.AgentTypes, []string{"A", "B"}) {
		t.Errorf("agent-types = %q", c.AgentTypes)
	}
	if c.AgentPackages == nil || len(c.EffectiveAgentPackages()) != 0 {
		t.Errorf("agent-packages= should replace the default with nothing, got %q", c.EffectiveAgentPackages())
	}
	if !c.IncludeTests || c.Policy != "a.p" || c.AgentName != "loader" {
		t.Errorf("scalars not set: %+v", c)
	}
	if !slices.Equal(c.EffectiveWorkerMethods(), []string{"Execute", "Run", "Handle"}) {
		t.Errorf("worker methods = %q", c.EffectiveWorkerMethods())
	}
	if !slices.Equal(c.TrackFuncs, []string{"x.com/t.F=wrap"}) {
		t.Errorf("track-funcs = %q", c.TrackFuncs)
	}
	// Every YAML key is a flag.
	for _, key := range []string{"agent-types", "extra-agent-types", "agent-packages", "extra-agent-packages", "worker-types",
		"extra-worker-types", "worker-interfaces", "worker-methods", "extra-worker-methods", "retry-funcs", "track-funcs",
		"repeatable-funcs", "repeatable-writes", "exclude-retry-funcs", "retrying-types", "retrying-packages", "optional-retrying-types", "policy", "agent-name", "include-tests"} {
		if fs.Lookup(key) == nil {
			t.Errorf("no flag %q", key)
		}
	}
	if got := fs.Lookup("agent-types").Value.String(); got != "A,B" {
		t.Errorf("String() = %q", got)
	}
}
