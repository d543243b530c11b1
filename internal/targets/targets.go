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
	"fmt"
	"go/ast"
	"go/build"
	"go/token"
	"go/types"
	"path"
	"path/filepath"
	"strings"

	"github.com/resilience-lint/resilience-lint/config"
)

// Import paths of the runtime packages whose objects the analyzers recognise.
const (
	RecoveryPath     = "github.com/resilience-lint/resilience-lint/runtime/recovery"
	IntelligencePath = "github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

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
	trackFuncs    map[string]TrackKind
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
		trackFuncs:    map[string]TrackKind{},
	}
	for _, m := range cfg.EffectiveWorkerMethods() {
		c.workerMethods[m] = true
	}
	for _, s := range cfg.WorkerInterfaces {
		c.workerIfaces[s] = true
	}
	for _, s := range cfg.RetryFuncs {
		c.retryFuncs[s] = true
	}
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
	sig, _ := fn.Type().(*types.Signature)
	if sig != nil && sig.Recv() != nil {
		t := sig.Recv().Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		named, ok := types.Unalias(t).(*types.Named)
		if !ok {
			return "" // interface method
		}
		return fn.Pkg().Path() + "." + named.Obj().Name() + "." + fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// CanRoute reports whether code in pkg can reach a retry entry point: pkg
// is, or imports (transitively), runtime/recovery or the package of a
// configured retry-funcs entry. Other packages (the standard library, for
// one) can have no routed function, so the analyzer skips its fact search
// there.
func (c *Classifier) CanRoute(pkg *types.Package) bool {
	return reaches(pkg, RecoveryPath, c.cfg.RetryFuncs)
}

// CanTrack is CanRoute for tracking: runtime/intelligence or the package
// of a configured track-funcs entry.
func (c *Classifier) CanTrack(pkg *types.Package) bool {
	return reaches(pkg, IntelligencePath, c.cfg.TrackFuncs)
}

func reaches(pkg *types.Package, runtimePath string, extra []string) bool {
	seen := map[*types.Package]bool{}
	var visit func(p *types.Package) bool
	visit = func(p *types.Package) bool {
		if seen[p] {
			return false
		}
		seen[p] = true
		if p.Path() == runtimePath {
			return true
		}
		for _, q := range extra {
			if strings.HasPrefix(q, p.Path()+".") {
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

// IsRetryEntry reports whether fn is a recovery entry point (recovery.Do,
// DoValue, DoValue2, and their fallback forms DoFallback, DoValueFallback,
// DoValue2Fallback) or a configured extra one (retry-funcs).
func (c *Classifier) IsRetryEntry(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	fn = fn.Origin()
	if fn.Pkg().Path() == RecoveryPath && isPkgFunc(fn) {
		switch fn.Name() {
		case "Do", "DoValue", "DoValue2", "DoFallback", "DoValueFallback", "DoValue2Fallback":
			return true
		}
	}
	return c.retryFuncs[QualifiedName(fn)]
}

// TrackKind says what a tracking call records.
type TrackKind int

// Tracking kinds. The zero value is "not a tracking call".
const (
	TrackNone    TrackKind = iota
	TrackSuccess           // records a success (Tracker.TrackSuccess)
	TrackError             // records an error (Tracker.TrackError)
	TrackOutcome           // records a success or an error, according to the outcome
	TrackWrap              // runs a function and tracks its result (intelligence.Track)
)

// String returns the kind as written in track-funcs ("none" for TrackNone).
func (k TrackKind) String() string {
	switch k {
	case TrackSuccess:
		return "success"
	case TrackError:
		return "error"
	case TrackOutcome:
		return "outcome"
	case TrackWrap:
		return "wrap"
	}
	return "none"
}

func parseTrackKind(s string) TrackKind {
	switch s {
	case "success":
		return TrackSuccess
	case "error":
		return TrackError
	case "wrap":
		return TrackWrap
	}
	return TrackOutcome
}

// TrackKindOf says what calling fn records: the Tracker methods, the Track
// wrappers and configured track-funcs. Helpers known through an analysis
// Fact are the analyzer's business, not the classifier's.
func (c *Classifier) TrackKindOf(fn *types.Func) TrackKind {
	if fn == nil || fn.Pkg() == nil {
		return TrackNone
	}
	fn = fn.Origin()
	if fn.Pkg().Path() == IntelligencePath {
		if isPkgFunc(fn) {
			switch fn.Name() {
			case "Track", "TrackErr", "Track2":
				return TrackWrap
			}
		} else if recvNamed(fn) == "Tracker" {
			switch fn.Name() {
			case "TrackSuccess":
				return TrackSuccess
			case "TrackError":
				return TrackError
			}
		}
	}
	return c.trackFuncs[QualifiedName(fn)]
}

// IsTrackerConstructor reports whether fn builds a new intelligence.Tracker
// (intelligence.New).
func IsTrackerConstructor(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == IntelligencePath && isPkgFunc(fn) && fn.Name() == "New"
}

// IsTrackerType reports whether t is intelligence.Tracker or a pointer to it.
func IsTrackerType(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == IntelligencePath && named.Obj().Name() == "Tracker"
}

// IsErrorConstructor reports whether fn only builds an error value from
// its arguments (errors.New, fmt.Errorf, errors.Join): a call to it is not
// work that can fail.
func IsErrorConstructor(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || !isPkgFunc(fn) {
		return false
	}
	switch fn.Pkg().Path() + "." + fn.Name() {
	case "errors.New", "errors.Join", "fmt.Errorf":
		return true
	}
	return false
}

func isPkgFunc(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	return ok && sig.Recv() == nil
}

func recvNamed(fn *types.Func) string {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return ""
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

var errorType = types.Universe.Lookup("error").Type()

// ReturnsError reports whether sig's last result is identical to error
// (so aliases of error count).
func ReturnsError(sig *types.Signature) bool {
	r := sig.Results()
	return r.Len() > 0 && types.Identical(r.At(r.Len()-1).Type(), errorType)
}

// IsErrorType reports whether t is identical to error.
func IsErrorType(t types.Type) bool { return types.Identical(t, errorType) }

// IsGenerated reports whether f carries the standard "Code generated ...
// DO NOT EDIT." comment.
func IsGenerated(f *ast.File) bool { return ast.IsGenerated(f) }

// IsTestFile reports whether f is a _test.go file.
func IsTestFile(fset *token.FileSet, f *ast.File) bool {
	return strings.HasSuffix(fset.File(f.FileStart).Name(), "_test.go")
}

// Skip reports whether the analyzers must not report in f: generated files
// always, test files unless include-tests is set.
//
// A file that cmd/cgo generated from one of the package's own files (what
// go/packages gives the analyzers for a package that imports "C") is not
// skipped: its line directives map it back to the user's file, and
// skipping it would silently drop every cgo package.
func (c *Classifier) Skip(fset *token.FileSet, f *ast.File) bool {
	return (IsGenerated(f) && !IsCgoOutput(fset, f)) || (!c.cfg.IncludeTests && IsTestFile(fset, f))
}

// IsCgoOutput reports whether f is cmd/cgo's rewrite of a user's file: it
// carries cgo's "Code generated by cmd/cgo" comment and a line directive
// maps its package clause to another file. Such a file is analyzed (its
// positions are the user's) but not rewritten by the fixers.
func IsCgoOutput(fset *token.FileSet, f *ast.File) bool {
	generated := false
	for _, g := range f.Comments {
		if g.Pos() >= f.Package {
			break
		}
		if strings.Contains(g.Text(), "Code generated by cmd/cgo; DO NOT EDIT.") {
			generated = true
		}
	}
	if !generated {
		return false
	}
	tf := fset.File(f.FileStart)
	return tf != nil && fset.Position(f.Package).Filename != tf.Name()
}

// InGOROOT reports whether the files of a package lie in the Go
// distribution's source tree: the standard library (and cmd). The analyzers
// export no Facts for such packages, because drivers differ in whether
// they analyze it from source (go vet -vettool does; the resilience-lint
// CLI and golangci-lint read export data), and a verdict must not depend
// on the driver.
func InGOROOT(fset *token.FileSet, files []*ast.File) bool {
	if len(files) == 0 || build.Default.GOROOT == "" {
		return false
	}
	src := filepath.Join(build.Default.GOROOT, "src") + string(filepath.Separator)
	return strings.HasPrefix(fset.Position(files[0].FileStart).Filename, src)
}

// AgentName is the agent name written into intelligence.Op for workers of
// pkg: the agent-name setting, or the package name.
func (c *Classifier) AgentName(pkg *types.Package) string {
	if c.cfg.AgentName != "" {
		return c.cfg.AgentName
	}
	return pkg.Name()
}

// Directive kinds.
const (
	DirAgent   = "agent"
	DirWorker  = "worker"
	DirNoRetry = "noretry"
	DirIgnore  = "ignore"
)

// Directive is one //resilience:<kind> [reason] comment line.
type Directive struct {
	Kind   string
	Reason string
	Pos    token.Pos
}

// Directives returns the //resilience: directives of a doc comment.
func Directives(doc *ast.CommentGroup) []Directive {
	if doc == nil {
		return nil
	}
	var out []Directive
	for _, c := range doc.List {
		text, ok := strings.CutPrefix(c.Text, "//resilience:")
		if !ok {
			continue
		}
		kind, reason, _ := strings.Cut(text, " ")
		// A trailing "// ..." comment is not a reason.
		reason, _, _ = strings.Cut(reason, "//")
		out = append(out, Directive{Kind: strings.TrimSpace(kind), Reason: strings.TrimSpace(reason), Pos: c.Slash})
	}
	return out
}

// Find returns the first directive of the given kind, or nil.
func Find(dirs []Directive, kind string) *Directive {
	for i := range dirs {
		if dirs[i].Kind == kind {
			return &dirs[i]
		}
	}
	return nil
}

// Method is an in-scope method (agent) or run method (worker).
type Method struct {
	Decl *ast.FuncDecl
	File *ast.File
	Func *types.Func
	Dirs []Directive // directives of the method's doc
}

// Type is an agent or worker type declared in the package.
type Type struct {
	Obj  *types.TypeName
	Spec *ast.TypeSpec
	File *ast.File
	// Marked is true when the declaration carries //resilience:agent or
	// //resilience:worker, Selected when the configuration (type or
	// package pattern, interface) selects it.
	Marked, Selected bool
	Dirs             []Directive // directives of the type's doc
	// Problems are the type's and its methods' directives that lack a
	// required reason; the analyzer owning the type reports them.
	Problems []Problem
	// Methods are the in-scope methods (agents: exported, last result
	// error) or run methods (workers: a configured run-method name, last
	// result error), in source order.
	Methods []*Method
}

// Package is the classification of one package.
type Package struct {
	Agents  []*Type
	Workers []*Type
}

// Problem is an invalid directive.
type Problem struct {
	Pos     token.Pos
	Message string
}

// Classify decides the agents and workers declared in files of pkg.
// Types and methods declared in files that Skip rejects (generated files;
// test files unless include-tests) are left out.
func (c *Classifier) Classify(fset *token.FileSet, files []*ast.File, pkg *types.Package, info *types.Info) *Package {
	out := &Package{}
	byObj := map[*types.TypeName]*Type{}
	var order []*Type
	isAgent := map[*Type]bool{}
	isWorker := map[*Type]bool{}

	for _, f := range files {
		// Types of skipped files are not classified: a test file's types
		// only have methods in test files.
		if c.Skip(fset, f) {
			continue
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				doc := ts.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				dirs := Directives(doc)
				tn, _ := info.Defs[ts.Name].(*types.TypeName)
				if tn == nil || tn.IsAlias() {
					continue
				}
				if _, isIface := tn.Type().Underlying().(*types.Interface); isIface {
					continue
				}
				t := &Type{Obj: tn, Spec: ts, File: f, Dirs: dirs}
				byObj[tn] = t
				order = append(order, t)
				for _, dir := range dirs {
					if dir.Kind == DirIgnore && dir.Reason == "" {
						t.Problems = append(t.Problems, Problem{dir.Pos, fmt.Sprintf("//resilience:ignore on %s needs a reason: //resilience:ignore <why>", tn.Name())})
					}
				}
				switch {
				case Find(dirs, DirWorker) != nil:
					t.Marked = true
					isWorker[t] = true
				case Find(dirs, DirAgent) != nil:
					t.Marked = true
					isAgent[t] = true
				}
			}
		}
	}

	// Methods, attached to their receiver's base type.
	runMethods := map[*Type][]*Method{}
	agentMethods := map[*Type][]*Method{}
	for _, f := range files {
		if c.Skip(fset, f) {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
				continue
			}
			fn, _ := info.Defs[fd.Name].(*types.Func)
			if fn == nil {
				continue
			}
			t := byObj[RecvTypeName(fn)]
			if t == nil {
				continue
			}
			sig := fn.Type().(*types.Signature)
			if !ReturnsError(sig) {
				continue
			}
			m := &Method{Decl: fd, File: f, Func: fn, Dirs: Directives(fd.Doc)}
			if fn.Exported() {
				agentMethods[t] = append(agentMethods[t], m)
			}
			if c.workerMethods[fn.Name()] {
				runMethods[t] = append(runMethods[t], m)
			}
		}
	}

	for _, t := range order {
		if t.Marked {
			continue
		}
		name, pkgPath := t.Obj.Name(), pkg.Path()
		// A worker by configuration needs a run method (with or without
		// an error result: one without is a worker out of scope, never
		// an agent).
		if MatchType(c.workerTypes, pkgPath, name) || c.implementsWorkerIface(t.Obj) {
			if hasRunMethod(t.Obj, c.workerMethods) {
				t.Selected = true
				isWorker[t] = true
				continue
			}
		}
		if MatchType(c.agentTypes, pkgPath, name) {
			t.Selected = true
			isAgent[t] = true
		} else if MatchPackage(c.agentPackages, pkgPath) && len(agentMethods[t]) > 0 {
			// Package-selected types count only when they have methods
			// in scope: an options struct in an agents package is not an
			// agent.
			t.Selected = true
			isAgent[t] = true
		}
	}

	for _, t := range order {
		switch {
		case isWorker[t]:
			t.Methods = runMethods[t]
			out.Workers = append(out.Workers, t)
		case isAgent[t]:
			t.Methods = agentMethods[t]
			out.Agents = append(out.Agents, t)
		}
		for _, m := range t.Methods {
			for _, dir := range m.Dirs {
				if (dir.Kind == DirNoRetry || dir.Kind == DirIgnore) && dir.Reason == "" {
					t.Problems = append(t.Problems, Problem{dir.Pos, fmt.Sprintf("//resilience:%s on %s.%s needs a reason: //resilience:%s <why>", dir.Kind, t.Obj.Name(), m.Func.Name(), dir.Kind)})
				}
			}
		}
	}
	return out
}

// Exemption returns the reason a method of t is exempt from the analyzer
// whose method-level directive is kind (noretry for retrycoverage; ""
// for intelcoverage), and whether it is. //resilience:ignore on the
// method or on the type exempts from both. Directives without a reason
// do not exempt (they are reported as problems).
func Exemption(t *Type, m *Method, kind string) (string, bool) {
	for _, d := range m.Dirs {
		if d.Reason != "" && (d.Kind == DirIgnore || (kind != "" && d.Kind == kind)) {
			return fmt.Sprintf("//resilience:%s %s", d.Kind, d.Reason), true
		}
	}
	if d := Find(t.Dirs, DirIgnore); d != nil && d.Reason != "" {
		return fmt.Sprintf("//resilience:ignore %s (on type %s)", d.Reason, t.Obj.Name()), true
	}
	return "", false
}

// RecvTypeName returns the defined type of a method's receiver (through a
// pointer and type parameters), or nil.
func RecvTypeName(fn *types.Func) *types.TypeName {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return nil
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Origin().Obj()
	}
	return nil
}

func hasRunMethod(tn *types.TypeName, names map[string]bool) bool {
	mset := types.NewMethodSet(types.NewPointer(tn.Type()))
	for i := 0; i < mset.Len(); i++ {
		fn, ok := mset.At(i).Obj().(*types.Func)
		if ok && names[fn.Name()] {
			return true
		}
	}
	return false
}

// implementsWorkerIface reports whether tn (or *tn) implements one of the
// configured worker interfaces. Interfaces are found among the packages
// tn's package imports (directly or not); an interface that is not
// reachable cannot be implemented knowingly and is ignored.
func (c *Classifier) implementsWorkerIface(tn *types.TypeName) bool {
	if len(c.workerIfaces) == 0 {
		return false
	}
	for _, iface := range c.lookupIfaces(tn.Pkg()) {
		if types.Implements(tn.Type(), iface) || types.Implements(types.NewPointer(tn.Type()), iface) {
			return true
		}
	}
	return false
}

func (c *Classifier) lookupIfaces(pkg *types.Package) []*types.Interface {
	var out []*types.Interface
	seen := map[*types.Package]bool{}
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		for q := range c.workerIfaces {
			// Compare whole strings: a dot in the last path element
			// (gopkg.in/yaml.v3) makes splitting ambiguous.
			name, ok := strings.CutPrefix(q, p.Path()+".")
			if !ok {
				continue
			}
			if obj, ok := p.Scope().Lookup(name).(*types.TypeName); ok {
				if it, ok := obj.Type().Underlying().(*types.Interface); ok {
					out = append(out, it)
				}
			}
		}
		for _, imp := range p.Imports() {
			visit(imp)
		}
	}
	visit(pkg)
	return out
}

// ContextParam returns the first parameter of fn whose type is
// context.Context, or nil. A blank (_) or unnamed one is returned too: it
// still carries the caller's deadline and cancellation, so the fixer
// names it and passes it on rather than starting from
// context.Background().
func ContextParam(fn *types.Func) *types.Var {
	params := fn.Type().(*types.Signature).Params()
	for i := 0; i < params.Len(); i++ {
		if v := params.At(i); isContext(v.Type()) {
			return v
		}
	}
	return nil
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// ioReader, ioWriter and ioSeeker are io.Reader, io.Writer and io.Seeker
// built structurally, so the check works in packages that do not import
// io.
var ioReader, ioWriter, ioSeeker = func() (*types.Interface, *types.Interface, *types.Interface) {
	byteSlice := types.NewSlice(types.Typ[types.Byte])
	intT, int64T := types.Typ[types.Int], types.Typ[types.Int64]
	errV := func() *types.Var { return types.NewParam(token.NoPos, nil, "", errorType) }
	read := types.NewFunc(token.NoPos, nil, "Read", types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewParam(token.NoPos, nil, "p", byteSlice)),
		types.NewTuple(types.NewParam(token.NoPos, nil, "n", intT), errV()), false))
	write := types.NewFunc(token.NoPos, nil, "Write", types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewParam(token.NoPos, nil, "p", byteSlice)),
		types.NewTuple(types.NewParam(token.NoPos, nil, "n", intT), errV()), false))
	seek := types.NewFunc(token.NoPos, nil, "Seek", types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewParam(token.NoPos, nil, "offset", int64T), types.NewParam(token.NoPos, nil, "whence", intT)),
		types.NewTuple(types.NewParam(token.NoPos, nil, "", int64T), errV()), false))
	r := types.NewInterfaceType([]*types.Func{read}, nil).Complete()
	w := types.NewInterfaceType([]*types.Func{write}, nil).Complete()
	s := types.NewInterfaceType([]*types.Func{seek}, nil).Complete()
	return r, w, s
}()

// OneShot returns why the method decl cannot safely run twice, or "": it
// uses a parameter that is an io.Reader but not an io.Seeker (reading
// consumes it), receives from a channel parameter (a received value is
// gone), or uses a parameter that is an io.Writer but not an io.Seeker (an
// attempt after a partial write would write the data again: a retried
// download into an http.ResponseWriter would send a corrupt body). The
// first such use in the body decides the reason. A method that is itself
// the Read of an io.Reader or the Write of an io.Writer (name and
// signature) is a stream: each call consumes or extends it, and a partial
// result with an error (n > 0 with io.EOF) is a normal outcome, so a retry
// would lose or duplicate data. The Close of an io.Closer cannot run twice
// either. It is the one rule for the analyzer's
// diagnostic, the report and the fixer's refusal.
func OneShot(info *types.Info, decl *ast.FuncDecl) string {
	fn, _ := info.Defs[decl.Name].(*types.Func)
	if fn == nil || decl.Body == nil {
		return ""
	}
	if why := StreamMethod(fn); why != "" {
		return why
	}
	params := fn.Type().(*types.Signature).Params()
	readers := map[types.Object]bool{}
	writers := map[types.Object]bool{}
	chans := map[types.Object]bool{}
	for i := 0; i < params.Len(); i++ {
		v := params.At(i)
		t := v.Type()
		seeker := types.Implements(t, ioSeeker)
		if types.Implements(t, ioReader) && !seeker {
			readers[v] = true
		} else if types.Implements(t, ioWriter) && !seeker {
			writers[v] = true
		}
		if ch, ok := t.Underlying().(*types.Chan); ok && ch.Dir() != types.SendOnly {
			chans[v] = true
		}
	}
	if len(readers) == 0 && len(writers) == 0 && len(chans) == 0 {
		return ""
	}
	var reason string
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if reason != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.Ident:
			switch obj := info.Uses[n]; {
			case readers[obj]:
				reason = fmt.Sprintf("it consumes %s, an io.Reader that is not an io.Seeker, so a retry would read a drained input", n.Name)
			case writers[obj]:
				reason = fmt.Sprintf("it writes to %s, an io.Writer that is not an io.Seeker, so an attempt after a partial write would write the data again", n.Name)
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.ARROW && chans[info.Uses[id]] {
				reason = fmt.Sprintf("it receives from the channel %s, so a retry would not see the values already received", id.Name)
			}
		case *ast.RangeStmt:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && chans[info.Uses[id]] {
				reason = fmt.Sprintf("it receives from the channel %s, so a retry would not see the values already received", id.Name)
			}
		}
		return true
	})
	return reason
}

// StreamMethod returns why fn cannot run twice because it is itself the
// Read of an io.Reader, the Write of an io.Writer or the Close of an
// io.Closer (by name and signature), or "". OneShot includes it; callers
// use it to give advice that fits (no fresh input helps a stream).
func StreamMethod(fn *types.Func) string {
	sig := fn.Type().(*types.Signature)
	if sig.Recv() == nil {
		return ""
	}
	for _, s := range []struct {
		iface *types.Interface
		name  string
		why   string
	}{
		{ioReader, "io.Reader", "each call consumes the stream and a short read with io.EOF is a normal result, so a retry would lose the data already read"},
		{ioWriter, "io.Writer", "each call extends the stream, so an attempt after a partial write would write the data again"},
		{ioCloser, "io.Closer", "closing twice is not safe (a closed channel panics, a closed file reports os.ErrClosed instead of the first error)"},
	} {
		m := s.iface.Method(0)
		// Identical ignores receivers: the signatures are compared.
		if fn.Name() == m.Name() && types.Identical(sig, m.Type()) {
			return fmt.Sprintf("it is the %s method of an %s: %s", m.Name(), s.name, s.why)
		}
	}
	return ""
}

// ioCloser is io.Closer, built structurally.
var ioCloser = types.NewInterfaceType([]*types.Func{types.NewFunc(token.NoPos, nil, "Close",
	types.NewSignatureType(nil, nil, nil, nil, types.NewTuple(types.NewParam(token.NoPos, nil, "", errorType)), false))}, nil).Complete()

// TrackerField returns the name of a field of the struct underlying t (or
// *t) whose type is *intelligence.Tracker or intelligence.Tracker, "" if
// there is none. A pointer field is preferred to a value field (the
// fixer takes a value field's address, which a value receiver cannot
// give: it would track into a copy). Promoted fields of embedded structs
// count, after the struct's own fields.
func TrackerField(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return ""
	}
	for _, pointer := range []bool{true, false} {
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			_, isPtr := types.Unalias(f.Type()).(*types.Pointer)
			if isPtr == pointer && IsTrackerType(f.Type()) {
				return f.Name()
			}
		}
	}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if f.Embedded() && !IsTrackerType(f.Type()) {
			if name := TrackerField(f.Type()); name != "" {
				return name
			}
		}
	}
	return ""
}
