// Package config is the one configuration schema of resilience-lint.
//
// The same keys are read from a .resilience.yml file (CLI), from the
// golangci-lint plugin settings, and from analyzer flags
// (-retrycoverage.agent-types=..., as go vet -vettool and Bazel nogo pass
// only flags). List settings come in a replacing form (agent-types) and an
// extending form (extra-agent-types) so users keep the defaults.
//
// SKELETON: fields and defaults are the contract; flag binding, validation
// and file loading are filled in by issues #4 and #6.
package config

// Config selects agents and workers and names the runtime entry points.
type Config struct {
	// AgentTypes are type-name patterns selecting agents, matched against
	// "Name" and "import/path.Name" (path.Match syntax). Default: none.
	AgentTypes      []string `yaml:"agent-types" json:"agent-types"`
	ExtraAgentTypes []string `yaml:"extra-agent-types" json:"extra-agent-types"`

	// AgentPackages are package-path patterns whose named types are agents
	// (unless they are workers). Default: any path with an element "agents".
	AgentPackages      []string `yaml:"agent-packages" json:"agent-packages"`
	ExtraAgentPackages []string `yaml:"extra-agent-packages" json:"extra-agent-packages"`

	// WorkerTypes are type-name patterns selecting workers. Default: "*Worker".
	WorkerTypes      []string `yaml:"worker-types" json:"worker-types"`
	ExtraWorkerTypes []string `yaml:"extra-worker-types" json:"extra-worker-types"`

	// WorkerInterfaces are interfaces ("import/path.Name") whose
	// implementations are workers. Default: none.
	WorkerInterfaces []string `yaml:"worker-interfaces" json:"worker-interfaces"`

	// WorkerMethods are the names of a worker's run method. Default: "Execute".
	WorkerMethods      []string `yaml:"worker-methods" json:"worker-methods"`
	ExtraWorkerMethods []string `yaml:"extra-worker-methods" json:"extra-worker-methods"`

	// RetryFuncs are extra retry entry points ("import/path.Func" or
	// "import/path.Type.Method") for code bases that wrap runtime/recovery.
	RetryFuncs []string `yaml:"retry-funcs" json:"retry-funcs"`

	// TrackFuncs are extra tracking functions ("import/path.Func" or
	// "import/path.Type.Method"); see TrackKind in package targets.
	TrackFuncs []string `yaml:"track-funcs" json:"track-funcs"`

	// Policy is the Go expression the retry fixer passes as the policy,
	// e.g. "a.policy" or "mypkg.DefaultPolicy". Empty: recovery.Default().
	Policy string `yaml:"policy" json:"policy"`

	// AgentName overrides the agent name the tracking fixer writes into
	// intelligence.Op. Empty: derived from the package name.
	AgentName string `yaml:"agent-name" json:"agent-name"`

	// IncludeTests also checks _test.go files.
	IncludeTests bool `yaml:"include-tests" json:"include-tests"`
}
