package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/resilience-lint/resilience-lint/config"
)

const configLong = `Print the configuration that lint and report would use here, and the file
it comes from: --config FILE, else the .resilience.yml (or .resilience.yaml)
found by walking up from the working directory, else the defaults.

The settings are printed as they take effect: each list is the replacing
key (or its default) merged with its extra- key, so the output is itself a
valid .resilience.yml with the same meaning.

go vet -vettool, go fix -fixtool and the golangci-lint plugin (when its
settings in .golangci.yml are empty) find the file the same way, but from
each package's directory: run this command in a package's directory to see
what it gets there. Analyzer flags (-retrycoverage.agent-types=...) override
the file under go vet; plugin settings, when given, replace it.`

// newConfigCmd returns the "config" subcommand.
func newConfigCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Print the effective configuration and the file it comes from",
		Long:  configLong,
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, file, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			return writeConfig(cmd.OutOrStdout(), cfg, file)
		},
	}
}

// configSource describes where a configuration came from.
func configSource(file string) string {
	if file == "" {
		return "defaults (no .resilience.yml here or in a parent directory)"
	}
	return relPath(file)
}

// effective is the configuration as it takes effect, in the file's keys.
type effective struct {
	AgentTypes        []string `yaml:"agent-types"`
	AgentPackages     []string `yaml:"agent-packages"`
	WorkerTypes       []string `yaml:"worker-types"`
	WorkerInterfaces  []string `yaml:"worker-interfaces"`
	WorkerMethods     []string `yaml:"worker-methods"`
	RetryFuncs        []string `yaml:"retry-funcs"`
	ExcludeRetryFuncs []string `yaml:"exclude-retry-funcs"`
	RetryingTypes     []string `yaml:"retrying-types"`
	RetryingPackages  []string `yaml:"retrying-packages"`
	OptionalRetrying  []string `yaml:"optional-retrying-types"`
	RepeatableFuncs   []string `yaml:"repeatable-funcs"`
	RepeatableWrites  []string `yaml:"repeatable-writes"`
	TrackFuncs        []string `yaml:"track-funcs"`
	Policy            string   `yaml:"policy"`
	AgentName         string   `yaml:"agent-name"`
	IncludeTests      bool     `yaml:"include-tests"`
}

// writeConfig prints cfg as YAML under a comment naming its source.
func writeConfig(w io.Writer, cfg *config.Config, file string) error {
	nonNil := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	e := effective{
		AgentTypes:        nonNil(cfg.EffectiveAgentTypes()),
		AgentPackages:     nonNil(cfg.EffectiveAgentPackages()),
		WorkerTypes:       nonNil(cfg.EffectiveWorkerTypes()),
		WorkerInterfaces:  nonNil(cfg.WorkerInterfaces),
		WorkerMethods:     nonNil(cfg.EffectiveWorkerMethods()),
		RetryFuncs:        nonNil(cfg.RetryFuncs),
		ExcludeRetryFuncs: nonNil(cfg.ExcludeRetryFuncs),
		RetryingTypes:     nonNil(cfg.RetryingTypes),
		RetryingPackages:  nonNil(cfg.RetryingPackages),
		OptionalRetrying:  nonNil(cfg.OptionalRetryingTypes),
		RepeatableFuncs:   nonNil(cfg.RepeatableFuncs),
		RepeatableWrites:  nonNil(cfg.RepeatableWrites),
		TrackFuncs:        nonNil(cfg.TrackFuncs),
		Policy:            cfg.Policy,
		AgentName:         cfg.AgentName,
		IncludeTests:      cfg.IncludeTests,
	}
	if _, err := fmt.Fprintf(w, "# configuration: %s\n", configSource(file)); err != nil {
		return err
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(e); err != nil {
		return err
	}
	return enc.Close()
}
