// Package golangci registers resilience-lint's analyzers as golangci-lint
// module plugins (github.com/golangci/plugin-module-register).
//
// Two linters are registered, retrycoverage and intelcoverage, one per
// analyzer, so that users enable, configure and suppress them by the names
// they see in diagnostics (enable: [retrycoverage], //nolint:retrycoverage).
// golangci-lint builds one linter per registered plugin name, which is why
// there are two registrations rather than one plugin returning both
// analyzers.
//
// Each linter's settings are the keys of the one configuration schema
// (package config, the same keys as .resilience.yml). Unknown keys are an
// error, so a typo does not silently fall back to the defaults.
//
// Precedence: settings in .golangci.yml, when the linter has any, are its
// whole configuration (no .resilience.yml is read). A linter without
// settings reads the .resilience.yml found by walking up from each
// package's directory, as the resilience-lint CLI and go vet -vettool do,
// so one file configures every driver.
//
// A custom golangci-lint binary blank-imports the package (see
// tools/golangci and docs/golangci-lint.md); its only exported names are
// the two linter names.
package golangci

import (
	"fmt"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/suite"
)

// Linter names, as used in .golangci.yml and //nolint directives. They are
// the names of the analyzers that suite.Analyzers returns.
const (
	RetryCoverage = retrycoverage.Name
	IntelCoverage = intelcoverage.Name
)

// FixCommand is how the linters' messages tell users to apply the fixes.
const FixCommand = "golangci-lint run --fix"

func init() {
	register.Plugin(RetryCoverage, constructor(RetryCoverage))
	register.Plugin(IntelCoverage, constructor(IntelCoverage))
}

// plugin is one linter: the analyzer called name, with its configuration
// (nil: each package's .resilience.yml, suite.PerPackage).
type plugin struct {
	name string
	cfg  *config.Config
}

// constructor returns the register.NewPlugin for the linter called name.
func constructor(name string) register.NewPlugin {
	return func(settings any) (register.LinterPlugin, error) {
		cfg, err := decode(settings)
		if err != nil {
			return nil, fmt.Errorf("%s settings: %w", name, err)
		}
		return &plugin{name: name, cfg: cfg}, nil
	}
}

// decode turns the raw settings golangci-lint read from .golangci.yml into
// a validated configuration, nil when there are none. register.DecodeSettings rejects unknown keys;
// Validate rejects bad patterns and malformed names, naming the key.
func decode(settings any) (*config.Config, error) {
	if m, ok := settings.(map[string]any); settings == nil || ok && len(m) == 0 {
		return nil, nil // no settings: .resilience.yml per package
	}
	cfg, err := register.DecodeSettings[config.Config](settings)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// BuildAnalyzers returns the plugin's analyzer from suite.Analyzers, so that
// golangci-lint --fix applies the same rewrites as resilience-lint -fix.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	as := suite.PerPackage()
	if p.cfg != nil {
		as = suite.Analyzers(p.cfg)
	}
	// golangci-lint users apply the fixes with golangci-lint, and
	// golangci-lint makes each related location an issue of its own.
	for _, a := range suite.WithoutRelated(suite.WithFixCommand(as, FixCommand)) {
		if a.Name == p.name {
			return []*analysis.Analyzer{a}, nil
		}
	}
	return nil, fmt.Errorf("suite has no analyzer named %q", p.name)
}

// GetLoadMode asks for type information: both analyzers classify types and
// resolve calls to runtime entry points by their type-checked objects.
func (p *plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}
