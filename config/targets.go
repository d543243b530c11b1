package config

import (
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// CheckTargets reports the retry-funcs, repeatable-funcs, track-funcs and
// repeatable-writes entries that name nothing: the entry's package is
// among pkgs or their dependencies, but it has no such function, no such
// type with such a method, or (repeatable-writes) no such package
// variable, or no such struct type with such a field. Entries whose
// package is not loaded cannot be judged and pass (a run over part of a
// code base does not load every wrapper), nor can entries naming an
// unexported object of a dependency (not one of pkgs): its types may come
// from export data, which leaves such objects out. The errors read "config: key:
// message", as Validate's; AtFile adds the file and line.
func (c *Config) CheckTargets(pkgs []*types.Package) error {
	loaded := make(map[string]*types.Package)
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if p == nil || loaded[p.Path()] != nil {
			return
		}
		loaded[p.Path()] = p
		for _, imp := range p.Imports() {
			visit(imp)
		}
	}
	roots := make(map[*types.Package]bool)
	for _, p := range pkgs {
		visit(p)
		roots[p] = true
	}
	var errs []error
	check := func(key, entry string) {
		name, _, _ := strings.Cut(entry, "=") // track-funcs: name=kind
		for path, pkg := range loaded {
			rest, ok := strings.CutPrefix(name, path+".")
			if !ok {
				continue
			}
			if first, _, _ := strings.Cut(rest, "."); !roots[pkg] && !token.IsExported(first) {
				// A dependency may come from export data, which holds
				// only what its exported API and inlinable bodies need:
				// an unexported variable, function or type of it
				// (goccy/go-json's encoder.cachedOpcodeMap) can be
				// missing from a package that declares it.
				return
			}
			if key == "repeatable-writes" {
				if !declaresLocation(pkg, rest) {
					errs = append(errs, fmt.Errorf("config: %s: %q: package %s has no %s", key, entry, path, describeLocation(rest)))
				}
			} else if !declares(pkg, rest) {
				errs = append(errs, fmt.Errorf("config: %s: %q: package %s has no %s", key, entry, path, describe(rest)))
			}
			return
		}
	}
	for _, s := range c.RetryFuncs {
		check("retry-funcs", s)
	}
	for _, s := range c.RepeatableFuncs {
		check("repeatable-funcs", s)
	}
	for _, s := range c.TrackFuncs {
		check("track-funcs", s)
	}
	for _, s := range c.RepeatableWrites {
		check("repeatable-writes", s)
	}
	return errors.Join(errs...)
}

// declaresLocation reports whether pkg declares the package variable name
// ("Var") or the struct type with the field ("Type.Field", declared in the
// struct itself: a promoted field is named by the type that declares it).
func declaresLocation(pkg *types.Package, name string) bool {
	typ, field, isField := strings.Cut(name, ".")
	obj := pkg.Scope().Lookup(typ)
	if !isField {
		_, ok := obj.(*types.Var)
		return ok
	}
	tn, ok := obj.(*types.TypeName)
	if !ok {
		return false
	}
	st, ok := tn.Type().Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		if f.Name() == field {
			return true
		}
	}
	return false
}

func describeLocation(name string) string {
	if typ, field, ok := strings.Cut(name, "."); ok {
		return "field " + field + " in a struct type " + typ
	}
	return "package variable " + name
}

// declares reports whether pkg declares the function name ("Func") or the
// method ("Type.Method", promoted methods included).
func declares(pkg *types.Package, name string) bool {
	typ, meth, isMethod := strings.Cut(name, ".")
	obj := pkg.Scope().Lookup(typ)
	if !isMethod {
		_, ok := obj.(*types.Func)
		return ok
	}
	tn, ok := obj.(*types.TypeName)
	if !ok {
		return false
	}
	// Addressable: pointer methods too; not through a pointer, so that
	// an interface's methods are found.
	m, _, _ := types.LookupFieldOrMethod(tn.Type(), true, pkg, meth)
	_, ok = m.(*types.Func)
	return ok
}

func describe(name string) string {
	if typ, meth, ok := strings.Cut(name, "."); ok {
		return "method " + meth + " of a type " + typ
	}
	return "function " + name
}

// AtFile attaches file and the line of each error's key to errors that
// read "config: key: message" (Validate's, CheckTargets'), as Load does.
func AtFile(file string, err error) error {
	if err == nil || file == "" {
		return err
	}
	var root yaml.Node
	if data, rerr := os.ReadFile(file); rerr == nil {
		_ = yaml.Unmarshal(data, &root) // the file was loaded: it parses
	}
	return validateError(file, &root, err)
}
