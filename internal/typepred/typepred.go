// Package typepred holds the small predicates on go/types objects that the
// analyzers, the classifier and the fixers share: is this type
// context.Context, error, a named type of some package (or a pointer to
// one); is this function a package-level function or a method of a given
// name; what is a method's receiver type. Each fact is decided on
// type-checked objects (package path and name), never on spelling, so
// aliased imports, dot imports and type aliases are recognised.
//
// The model is x/tools' internal typesinternal (IsTypeNamed,
// IsFunctionNamed, IsMethodNamed). The package imports only the standard
// library, so that every other package of the module can use it.
package typepred

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// IsTypeNamed reports whether t is (an alias of) the named type pkgPath.N
// for one of the given names. Instantiations of a generic type count as
// the type.
func IsTypeNamed(t types.Type, pkgPath string, names ...string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n == nil {
		return false
	}
	obj := n.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == pkgPath && slices.Contains(names, obj.Name())
}

// IsPointerToNamed reports whether t is a pointer to the named type
// pkgPath.N for one of the given names (see IsTypeNamed).
func IsPointerToNamed(t types.Type, pkgPath string, names ...string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && IsTypeNamed(p.Elem(), pkgPath, names...)
}

// IsNamedOrPointer reports whether t is the named type pkgPath.N for one
// of the given names or a pointer to it.
func IsNamedOrPointer(t types.Type, pkgPath string, names ...string) bool {
	return IsTypeNamed(t, pkgPath, names...) || IsPointerToNamed(t, pkgPath, names...)
}

// IsContext reports whether t is context.Context.
func IsContext(t types.Type) bool { return IsTypeNamed(t, "context", "Context") }

// IsError reports whether t is identical to the predeclared error (so
// aliases of error count, types that merely implement it do not).
func IsError(t types.Type) bool {
	return t != nil && types.Identical(t, errorType)
}

// errorType is the predeclared error.
var errorType = types.Universe.Lookup("error").Type()

// ReturnsError reports whether sig's last result is identical to error.
func ReturnsError(sig *types.Signature) bool {
	r := sig.Results()
	return r.Len() > 0 && IsError(r.At(r.Len()-1).Type())
}

// ImplementsError reports whether t is error or another type whose values
// are errors: a concrete error type (*http2.Error of influxdb-client-go,
// whose Service.WriteBatch returns one) or an interface that embeds error
// (net.Error).
func ImplementsError(t types.Type) bool {
	if b, ok := t.(*types.Basic); ok && b.Kind() != types.UntypedNil && b.Kind() != types.Invalid {
		return false // no methods (the commonest results: string, int, bool)
	}
	return t != nil && (IsError(t) || types.Implements(t, errorIface))
}

var errorIface = errorType.Underlying().(*types.Interface)

// FailsWithError reports whether sig's last result is an error of any
// type (ImplementsError): a call of it is work that can fail, whether it
// returns error or *MyError. Which methods are in scope is still decided
// by ReturnsError: a method returning *MyError cannot be wrapped in a
// recovery entry point as it is.
func FailsWithError(sig *types.Signature) bool {
	r := sig.Results()
	return r.Len() > 0 && ImplementsError(r.At(r.Len()-1).Type())
}

// IsPackageFunc reports whether fn is a function rather than a method
// (it has no receiver).
func IsPackageFunc(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	return ok && sig.Recv() == nil
}

// IsFunctionNamed reports whether fn is the package-level function
// pkgPath.N for one of the given names.
func IsFunctionNamed(fn *types.Func, pkgPath string, names ...string) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == pkgPath &&
		IsPackageFunc(fn) && slices.Contains(names, fn.Name())
}

// IsMethodNamed reports whether fn is the method pkgPath.typeName.N (on
// the type or a pointer to it) for one of the given names.
func IsMethodNamed(fn *types.Func, pkgPath, typeName string, names ...string) bool {
	if fn == nil || !slices.Contains(names, fn.Name()) {
		return false
	}
	recv := ReceiverNamed(fn)
	return recv != nil && IsTypeNamed(recv, pkgPath, typeName)
}

// ReceiverNamed returns the named type of fn's receiver, through a
// pointer and aliases: T for func (T) M and func (*T) M, the interface
// type for a method of a named interface. It is nil for functions and for
// methods of unnamed interfaces. For a method of an instantiated generic
// type it is the instantiated type (its Origin is the generic one).
func ReceiverNamed(fn *types.Func) *types.Named {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return nil
	}
	t := types.Unalias(sig.Recv().Type())
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// ReceiverTypeName returns the declared type of fn's receiver (the
// generic type, not the instantiation, for a method of an instantiated
// type), or nil where ReceiverNamed is nil.
func ReceiverTypeName(fn *types.Func) *types.TypeName {
	if n := ReceiverNamed(fn); n != nil {
		return n.Origin().Obj()
	}
	return nil
}

// IO interfaces built structurally (Read, Write, Seek and Close with the
// io package's signatures), so that packages that do not import io are
// checked too: types.Implements(t, typepred.IOReader). Do not modify them.
var (
	IOReader = ioInterface("Read", []*types.Var{param("p", byteSlice)}, param("n", types.Typ[types.Int]))
	IOWriter = ioInterface("Write", []*types.Var{param("p", byteSlice)}, param("n", types.Typ[types.Int]))
	IOSeeker = ioInterface("Seek",
		[]*types.Var{param("offset", types.Typ[types.Int64]), param("whence", types.Typ[types.Int])},
		param("", types.Typ[types.Int64]))
	IOCloser = ioInterface("Close", nil, nil)
)

var byteSlice = types.NewSlice(types.Typ[types.Byte])

func param(name string, t types.Type) *types.Var { return types.NewParam(token.NoPos, nil, name, t) }

// ioInterface returns interface{ name(params) (result, error) }, or
// (error) alone when result is nil.
func ioInterface(name string, params []*types.Var, result *types.Var) *types.Interface {
	var results []*types.Var
	if result != nil {
		results = append(results, result)
	}
	results = append(results, param("", errorType))
	sig := types.NewSignatureType(nil, nil, nil, types.NewTuple(params...), types.NewTuple(results...), false)
	return types.NewInterfaceType([]*types.Func{types.NewFunc(token.NoPos, nil, name, sig)}, nil).Complete()
}

// Mentions reports whether the syntax n refers to obj (an identifier that
// info records as a use of it), function literals included.
func Mentions(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// RangeYieldsError reports whether rs ranges over a function iterator (Go
// 1.23 range-over-func: iter.Seq2[T, error], iter.Seq[error], or any
// func(yield func(...) bool)) whose yield is given an error that rs binds
// to a variable (not the blank identifier): the error of the work the
// iterator does between yields (a stream's request, a page fetched),
// which the loop body sees and can return. Such a loop is work that can
// fail on every iteration, at its range clause.
func RangeYieldsError(info *types.Info, rs *ast.RangeStmt) bool {
	t := info.TypeOf(rs.X)
	if t == nil {
		return false
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || sig.Params().Len() != 1 || sig.Results().Len() != 0 {
		return false
	}
	yield, ok := sig.Params().At(0).Type().Underlying().(*types.Signature)
	if !ok {
		return false
	}
	for i, bound := range []ast.Expr{rs.Key, rs.Value} {
		if i >= yield.Params().Len() || bound == nil {
			break
		}
		if id, ok := bound.(*ast.Ident); ok && id.Name == "_" {
			continue
		}
		if ImplementsError(yield.Params().At(i).Type()) {
			return true
		}
	}
	return false
}
