package suite

import (
	"path/filepath"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/config"
)

// PerPackage returns the analyzers of Analyzers, each configured for the
// package it analyzes by the configuration file found by walking up from
// the package's directory (config.Find; the defaults when there is none),
// so that a driver that runs many packages in one process (the
// golangci-lint plugin) gives every package the verdicts the CLI and go vet
// -vettool give it. An invalid file is the analysis error of each package
// under it, naming the file, line and key. The analyzers have no flags.
func PerPackage() []*analysis.Analyzer {
	c := &configs{sets: make(map[string]configured)}
	base := Analyzers(nil)
	out := make([]*analysis.Analyzer, len(base))
	for i, a := range base {
		out[i] = &analysis.Analyzer{
			Name:       a.Name,
			Doc:        a.Doc,
			URL:        a.URL,
			Requires:   a.Requires,
			FactTypes:  a.FactTypes,
			ResultType: a.ResultType,
			Run: func(pass *analysis.Pass) (any, error) {
				set, err := c.forPass(pass)
				if err != nil {
					return nil, err
				}
				// The inner analyzer has the same requirements, fact and
				// result types: the pass serves it as it is.
				return set[i].Run(pass)
			},
		}
	}
	return out
}

// configured is the analyzer set of one configuration file, or its error.
type configured struct {
	set []*analysis.Analyzer
	err error
}

// configs caches an analyzer set per configuration file ("" = defaults).
type configs struct {
	mu   sync.Mutex
	sets map[string]configured
}

// forPass returns the analyzers configured by the file nearest to pass's
// package directory.
func (c *configs) forPass(pass *analysis.Pass) ([]*analysis.Analyzer, error) {
	file := ""
	if len(pass.Files) > 0 {
		dir := filepath.Dir(pass.Fset.File(pass.Files[0].Pos()).Name())
		f, err := config.Find(dir)
		if err != nil {
			return nil, err
		}
		file = f
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.sets[file]; ok {
		return s.set, s.err
	}
	cfg := config.Default()
	var err error
	if file != "" {
		cfg, err = config.Load(file)
	}
	var s configured
	if err != nil {
		s.err = err
	} else {
		s.set = Analyzers(cfg)
	}
	c.sets[file] = s
	return s.set, s.err
}
