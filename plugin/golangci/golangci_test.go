package golangci

import (
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// settings is what golangci-lint passes: the YAML of
// linters.settings.custom.<name>.settings, decoded into generic values.
func TestPluginSettings(t *testing.T) {
	tests := []struct {
		name     string
		settings any
		wantErr  string // substring; "" means success
		check    func(t *testing.T, p *plugin)
	}{
		{
			name:     "no settings",
			settings: nil,
			check: func(t *testing.T, p *plugin) {
				if p.cfg != nil {
					t.Errorf("config = %+v, want nil (each package's .resilience.yml)", *p.cfg)
				}
			},
		},
		{
			name:     "empty settings",
			settings: map[string]any{},
			check: func(t *testing.T, p *plugin) {
				if p.cfg != nil {
					t.Errorf("config = %+v, want nil (each package's .resilience.yml)", *p.cfg)
				}
			},
		},
		{
			name: "known keys",
			settings: map[string]any{
				"extra-agent-types":    []any{"example.com/x.Invoicer"},
				"worker-methods":       []any{"Run", "Execute"},
				"policy":               "a.policy",
				"include-tests":        true,
				"extra-agent-packages": []any{"example.com/svc/..."},
			},
			check: func(t *testing.T, p *plugin) {
				c := p.cfg
				if !slices.Equal(c.ExtraAgentTypes, []string{"example.com/x.Invoicer"}) ||
					!slices.Equal(c.WorkerMethods, []string{"Run", "Execute"}) ||
					!slices.Equal(c.ExtraAgentPackages, []string{"example.com/svc/..."}) ||
					c.Policy != "a.policy" || !c.IncludeTests {
					t.Errorf("config = %+v", *c)
				}
			},
		},
		{
			name:     "unknown key",
			settings: map[string]any{"agent-type": []any{"Loader"}},
			wantErr:  `unknown field "agent-type"`,
		},
		{
			name:     "invalid value",
			settings: map[string]any{"worker-methods": []any{"Run()"}},
			wantErr:  "worker-methods",
		},
		{
			name:     "invalid pattern",
			settings: map[string]any{"extra-agent-types": []any{"[Loader"}},
			wantErr:  "extra-agent-types",
		},
		{
			name:     "wrong type",
			settings: map[string]any{"agent-types": "Loader"},
			wantErr:  "agent-types",
		},
	}
	for _, linter := range []string{RetryCoverage, IntelCoverage} {
		newPlugin, err := register.GetPlugin(linter)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			t.Run(linter+"/"+tt.name, func(t *testing.T) {
				lp, err := newPlugin(tt.settings)
				if tt.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), linter) {
						t.Fatalf("error = %v, want one naming %s and containing %q", err, linter, tt.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				tt.check(t, lp.(*plugin))
			})
		}
	}
}

func TestPluginAnalyzers(t *testing.T) {
	for _, linter := range []string{RetryCoverage, IntelCoverage} {
		t.Run(linter, func(t *testing.T) {
			newPlugin, err := register.GetPlugin(linter)
			if err != nil {
				t.Fatal(err)
			}
			lp, err := newPlugin(nil)
			if err != nil {
				t.Fatal(err)
			}
			as, err := lp.BuildAnalyzers()
			if err != nil {
				t.Fatal(err)
			}
			// golangci-lint names the linter after the plugin and the
			// diagnostics after the linter: the one analyzer must match.
			if len(as) != 1 || as[0].Name != linter {
				t.Errorf("BuildAnalyzers() = %v, want the one analyzer %q", as, linter)
			}
			if got := lp.GetLoadMode(); got != register.LoadModeTypesInfo {
				t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
			}
		})
	}
}

func TestBuildAnalyzersUnknownName(t *testing.T) {
	p := &plugin{name: "nosuch", cfg: nil}
	if _, err := p.BuildAnalyzers(); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("BuildAnalyzers() error = %v, want one naming the missing analyzer", err)
	}
}

// TestPluginConfigPrecedence: without settings, the linter reads each
// package's .resilience.yml (agents/off selects no agents); with settings,
// they are the whole configuration and the file is not read. Messages
// name golangci-lint's fix command either way.
func TestPluginConfigPrecedence(t *testing.T) {
	newPlugin, err := register.GetPlugin(RetryCoverage)
	if err != nil {
		t.Fatal(err)
	}
	build := func(settings any) *analysis.Analyzer {
		lp, err := newPlugin(settings)
		if err != nil {
			t.Fatal(err)
		}
		as, err := lp.BuildAnalyzers()
		if err != nil {
			t.Fatal(err)
		}
		return as[0]
	}
	dir := analysistest.TestData()
	analysistest.Run(t, dir, build(nil), "agents/on", "agents/off")

	// Settings replace the file: agents/off is in scope again.
	results := analysistest.Run(&diagnosticsOnly{T: t}, dir, build(map[string]any{"agent-packages": []any{"agents"}}), "agents/off")
	if len(results) != 1 || len(results[0].Diagnostics) != 1 {
		t.Errorf("with settings: want one diagnostic in agents/off (its .resilience.yml not read), got %+v", results)
	}
}

// diagnosticsOnly lets analysistest run over a package without // want
// comments; the test checks the diagnostics itself.
type diagnosticsOnly struct{ *testing.T }

func (d *diagnosticsOnly) Errorf(format string, args ...any) {}
