// Package targets is the one source of truth for what resilience-lint
// checks: which types are agents and workers, which of their methods are in
// scope, which are exempt by directive, which files are skipped, which
// parameters are one-shot inputs, and which called objects are recovery
// entry points, tracking calls and Tracker constructors.
//
// Everything is decided on type-checked objects (package path and name),
// never on spelling, so aliased imports, dot imports and generic
// instantiations are recognised.
package targets

import (
	"go/types"
	"path"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// Import paths of the runtime packages whose objects the analyzers
// recognise and the fixers call: the one definition in the module.
const (
	RuntimePath      = "github.com/resilience-lint/resilience-lint/runtime"
	RecoveryPath     = RuntimePath + "/recovery"
	IntelligencePath = RuntimePath + "/intelligence"
)

// IsRuntimePackage reports whether path is a package of the resilience
// runtime (RecoveryPath, IntelligencePath and the packages below
// RuntimePath).
func IsRuntimePackage(path string) bool {
	return strings.HasPrefix(path, RuntimePath+"/")
}

// Classifier answers classification questions under one configuration.
// Build it with New at analysis time (flags are parsed after the analyzer
// is created).
type Classifier struct {
	cfg           *config.Config
	agentTypes    []string
	agentPackages []string
	workerTypes   []string
	workerMethods map[string]bool
	workerIfaces  map[string]bool // "import/path.Name"
	retryFuncs    map[string]bool // "import/path.Name" or "import/path.Type.Method"
	// retryLibs are the import paths of the known retry libraries whose
	// entries are in effect (DefaultRetryFuncs less exclude-retry-funcs).
	retryLibs map[string]bool
	// Patterns of retrying-types and retrying-packages.
	retryingTypes, retryingPackages []string
	// Patterns of optional-retrying-types.
	optionalRetrying []string
	trackFuncs       map[string]TrackKind
}

// New validates cfg and returns its Classifier. A nil cfg is the default.
func New(cfg *config.Config) (*Classifier, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Classifier{
		cfg:           cfg,
		agentTypes:    cfg.EffectiveAgentTypes(),
		agentPackages: cfg.EffectiveAgentPackages(),
		workerTypes:   cfg.EffectiveWorkerTypes(),
		workerMethods: map[string]bool{},
		workerIfaces:  map[string]bool{},
		retryFuncs:    map[string]bool{},
		retryLibs:     map[string]bool{},
		trackFuncs:    map[string]TrackKind{},
	}
	for _, m := range cfg.EffectiveWorkerMethods() {
		c.workerMethods[m] = true
	}
	for _, s := range cfg.WorkerInterfaces {
		c.workerIfaces[s] = true
	}
	for _, s := range cfg.EffectiveRetryFuncs() {
		c.retryFuncs[s] = true
	}
	for _, s := range config.DefaultRetryFuncs {
		if p, _, err := config.SplitQualified(s); err == nil && c.retryFuncs[s] {
			c.retryLibs[p] = true
		}
	}
	c.retryingTypes = cfg.RetryingTypes
	c.retryingPackages = cfg.RetryingPackages
	c.optionalRetrying = cfg.OptionalRetryingTypes
	for _, s := range cfg.TrackFuncs {
		name, kind, ok := strings.Cut(s, "=")
		k := TrackOutcome
		if ok {
			k = parseTrackKind(kind)
		}
		c.trackFuncs[name] = k
	}
	return c, nil
}

// Config returns the configuration the classifier was built from.
func (c *Classifier) Config() *config.Config { return c.cfg }

// MatchType reports whether a type-name pattern list selects the type
// named name in package pkgPath: each pattern is matched against "Name"
// and "import/path.Name".
func MatchType(patterns []string, pkgPath, name string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
		if ok, _ := path.Match(p, pkgPath+"."+name); ok {
			return true
		}
	}
	return false
}

// MatchPackage reports whether a package-path pattern list selects
// pkgPath: a pattern matches the whole path, and a pattern without "/"
// also matches any single element of it.
func MatchPackage(patterns []string, pkgPath string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, pkgPath); ok {
			return true
		}
		if strings.Contains(p, "/") {
			continue
		}
		for _, elem := range strings.Split(pkgPath, "/") {
			if ok, _ := path.Match(p, elem); ok {
				return true
			}
		}
	}
	return false
}

// QualifiedName returns "import/path.Name" for a package-level function or
// "import/path.Type.Method" for a method (generic instantiations are
// reduced to their origin), "" for other objects.
func QualifiedName(fn *types.Func) string {
	if fn == nil || fn.Pkg() == nil {
		return ""
	}
	fn = fn.Origin()
	if typepred.IsPackageFunc(fn) {
		return fn.Pkg().Path() + "." + fn.Name()
	}
	named := typepred.ReceiverNamed(fn)
	if named == nil {
		return "" // method of an unnamed interface
	}
	return fn.Pkg().Path() + "." + named.Obj().Name() + "." + fn.Name()
}

// CanRoute reports whether code in pkg can reach a retry entry point: pkg
// is, or imports (transitively), runtime/recovery or the package of a
// retry entry point (a known retry library or a configured retry-funcs
// entry). Other packages (the standard library, for
// one) can have no routed function, so the analyzer skips its fact search
// there.
func (c *Classifier) CanRoute(pkg *types.Package) bool {
	return importsRuntime(pkg, RecoveryPath, c.cfg.EffectiveRetryFuncs())
}

// CanTrack is CanRoute for tracking: runtime/intelligence or the package
// of a configured track-funcs entry.
func (c *Classifier) CanTrack(pkg *types.Package) bool {
	return importsRuntime(pkg, IntelligencePath, c.cfg.TrackFuncs)
}

// importsRuntime reports whether pkg is, or transitively imports, the package
// runtimePath or the package of one of the extra function names.
func importsRuntime(pkg *types.Package, runtimePath string, extra []string) bool {
	seen := map[*types.Package]bool{}
	var visit func(p *types.Package) bool
	visit = func(p *types.Package) bool {
		if seen[p] {
			return false
		}
		seen[p] = true
		path := p.Path()
		if path == runtimePath {
			return true
		}
		for _, q := range extra {
			// q is path.Name (no string made for each package)
			if len(q) > len(path) && q[len(path)] == '.' && strings.HasPrefix(q, path) {
				return true
			}
		}
		for _, imp := range p.Imports() {
			if visit(imp) {
				return true
			}
		}
		return false
	}
	return visit(pkg)
}

// RetryLibraries are the import paths of the known third-party retry
// libraries whose entry points route work like runtime/recovery's. A
// package that imports one (or a package under one) can route, so it can
// carry Facts: the CLI's driver analyzes such dependencies from source.
var RetryLibraries []string

// isRetryLibrary reports whether path is a known retry library or a
// package under one.
func isRetryLibrary(path string) bool {
	for _, lib := range RetryLibraries {
		if path == lib || strings.HasPrefix(path, lib+"/") {
			return true
		}
	}
	return false
}

// EntryPackage reports whether the package at import path can define an
// entry point the analyzers recognise by object: the runtime packages, a
// known retry library (RetryLibraries) or the package of a configured
// retry-funcs or track-funcs entry. Code that imports one, directly or
// not, can carry Facts.
func EntryPackage(path string, cfg *config.Config) bool {
	if path == RecoveryPath || path == IntelligencePath || isRetryLibrary(path) {
		return true
	}
	if cfg == nil {
		return false
	}
	for _, list := range [][]string{cfg.RetryFuncs, cfg.TrackFuncs} {
		for _, f := range list {
			if strings.HasPrefix(f, path+".") {
				return true
			}
		}
	}
	return false
}

// ExportsFacts reports whether the analyzers export Facts for pkg, whose
// module has version moduleVersion ("" for the main module, a workspace
// module, or no module). They do for every package outside the standard
// library: a dependency that uses no retry API can still route its callers
// by a retry loop of its own (an SDK client that retries every request),
// or write state that a retry of its caller would repeat (retrysafety), so
// its Facts can change a verdict. Callers pass packages of GOROOT through
// InGOROOT first; pkg and moduleVersion are kept for drivers that want to
// narrow the set again (see the driver's EntryDependenciesOnly).
func (c *Classifier) ExportsFacts(pkg *types.Package, moduleVersion string) bool {
	return true
}

// ModuleVersion returns the version of the module of the package a pass
// analyzes ("" for the main module, a workspace module, or none).
func ModuleVersion(m *analysis.Module) string {
	if m == nil {
		return ""
	}
	return m.Version
}
