package suite

import (
	"path/filepath"
	"slices"
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
// under it, naming the file, line and key (a required analyzer, such as
// retrysafety, then runs with the defaults, so that the error is the
// root's and not "failed prerequisites"). The analyzers have no flags.
func PerPackage() []*analysis.Analyzer {
	c := &configs{sets: make(map[string]configured)}
	base := Analyzers(nil)
	// An analyzer that Analyzers builds anew for each configuration
	// (retrysafety, required by retrycoverage and judging calls by
	// repeatable-funcs) is made per package too; one it shares
	// (ctrlflow) is required as it is. A second build tells them apart.
	again := Analyzers(nil)
	wrapped := make(map[*analysis.Analyzer]*analysis.Analyzer)
	// wrap returns the per-package form of a, which is at path (a root
	// index, then indices into Requires) in every set; b is a's
	// counterpart in the second build.
	var wrap func(a, b *analysis.Analyzer, path []int) *analysis.Analyzer
	wrap = func(a, b *analysis.Analyzer, path []int) *analysis.Analyzer {
		if a == b {
			return a
		}
		if w := wrapped[a]; w != nil {
			return w
		}
		reqs := make([]*analysis.Analyzer, len(a.Requires))
		for j, r := range a.Requires {
			reqs[j] = wrap(r, b.Requires[j], append(slices.Clone(path), j))
		}
		root := len(path) == 1
		w := &analysis.Analyzer{
			Name:       a.Name,
			Doc:        a.Doc,
			URL:        a.URL,
			Requires:   reqs,
			FactTypes:  a.FactTypes,
			ResultType: a.ResultType,
			Run: func(pass *analysis.Pass) (any, error) {
				set, err := c.forPass(pass)
				if err != nil {
					if root {
						return nil, err
					}
					// The roots report the file's error; a failed
					// requirement would hide it behind "failed
					// prerequisites".
					set = base
				}
				// The inner analyzer has the same requirements (finding
				// them through pass.Analyzer, as retrysafety.ResultOf
				// does), fact and result types: the pass serves it as it
				// is.
				return at(set, path).Run(pass)
			},
		}
		wrapped[a] = w
		return w
	}
	out := make([]*analysis.Analyzer, len(base))
	for i, a := range base {
		out[i] = wrap(a, again[i], []int{i})
	}
	return out
}

// at returns the analyzer at path in set: set[path[0]], then Requires.
func at(set []*analysis.Analyzer, path []int) *analysis.Analyzer {
	a := set[path[0]]
	for _, j := range path[1:] {
		a = a.Requires[j]
	}
	return a
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
