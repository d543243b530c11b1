package retrysafety

import (
	"go/token"
	"go/types"
)

// The stream interfaces, built structurally (as typepred's io.Reader and
// io.Writer are) so that packages that do not import io are checked too.
var streamIfaces = []*types.Interface{
	ioIface("Read", []types.Type{types.NewSlice(types.Typ[types.Byte])}, types.Typ[types.Int]),
	ioIface("Write", []types.Type{types.NewSlice(types.Typ[types.Byte])}, types.Typ[types.Int]),
	ioIface("ReadByte", nil, types.Typ[types.Byte]),
	ioIface("WriteByte", []types.Type{types.Typ[types.Byte]}, nil),
	ioIface("WriteString", []types.Type{types.Typ[types.String]}, types.Typ[types.Int]),
}

// ioIface returns interface{ name(params) (result, error) }, or (error)
// alone when result is nil.
func ioIface(name string, params []types.Type, result types.Type) *types.Interface {
	var ps, rs []*types.Var
	for _, p := range params {
		ps = append(ps, types.NewParam(token.NoPos, nil, "", p))
	}
	if result != nil {
		rs = append(rs, types.NewParam(token.NoPos, nil, "", result))
	}
	rs = append(rs, types.NewParam(token.NoPos, nil, "", types.Universe.Lookup("error").Type()))
	sig := types.NewSignatureType(nil, nil, nil, types.NewTuple(ps...), types.NewTuple(rs...), false)
	return types.NewInterfaceType([]*types.Func{types.NewFunc(token.NoPos, nil, name, sig)}, nil).Complete()
}

// streamDepth is how many levels of fields, slice or array elements a
// stream may be held under (pointers do not count): a json.Decoder holds
// its io.Reader one level down, an xml.Encoder its writer three
// (printer, *bufio.Writer, io.Writer).
const streamDepth = 4

// streamType reports whether a value of type t is a stream or holds one,
// so that consuming or extending it cannot be undone by running a body
// again:
//
//   - t (or *t) is an io.Reader, io.Writer, io.ByteReader, io.ByteWriter
//     or io.StringWriter: *os.File, net.Conn, *bufio.Writer, hash.Hash,
//     *bytes.Buffer;
//   - t is an interface with a stream method by name (streamMethod: Read...,
//     Write..., Decode, Encode, Scan, Next, Token, Recv, Flush): a message
//     stream or a cursor whose implementation is not known, such as a
//     gRPC stream or database/sql's driver.Rows;
//   - t is a struct, pointer, slice or array that holds such a value,
//     within streamDepth levels: a *json.Decoder (its io.Reader), a
//     *bufio.Scanner, a *sql.Rows (its driver.Rows), a yaml.v3 emitter (the
//     caller's io.Writer).
//
// A codec that only transforms bytes (base64.Encoding, whose Encode
// writes into the slice it is given) holds none and is no stream,
// whatever its methods are named.
func streamType(t types.Type) bool {
	return holdsStream(t, 0, map[types.Type]bool{})
}

func holdsStream(t types.Type, depth int, seen map[types.Type]bool) bool {
	if t == nil || depth > streamDepth || seen[t] {
		return false
	}
	seen[t] = true
	for _, it := range streamIfaces {
		if !mayHaveMethods(t) {
			break // nor has *t: it implements none of them
		}
		if types.Implements(t, it) {
			return true
		}
		if _, isPtr := t.Underlying().(*types.Pointer); !isPtr && !types.IsInterface(t) && types.Implements(types.NewPointer(t), it) {
			return true
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return holdsStream(u.Elem(), depth, seen)
	case *types.Interface:
		for m := range u.Methods() {
			if streamMethod(m.Name()) != "" {
				return true
			}
		}
	case *types.Struct:
		for f := range u.Fields() {
			if holdsStream(f.Type(), depth+1, seen) {
				return true
			}
		}
	case *types.Slice:
		return holdsStream(u.Elem(), depth+1, seen)
	case *types.Array:
		return holdsStream(u.Elem(), depth+1, seen)
	}
	return false
}

// mayHaveMethods reports whether t or *t may have methods: t is a named
// type, a type parameter, an interface, a struct (which may embed), or a
// pointer to a named type, type parameter or struct. The others (basic
// types, slices, arrays, maps, channels, functions, pointers to those)
// have none, so they implement no stream interface, and holdsStream need
// not ask (types.Implements is most of its cost, and most fields are of
// such types).
func mayHaveMethods(t types.Type) bool {
	switch t := types.Unalias(t).(type) {
	case *types.Named, *types.TypeParam, *types.Interface, *types.Struct:
		return true
	case *types.Pointer:
		switch types.Unalias(t.Elem()).(type) {
		case *types.Named, *types.TypeParam, *types.Struct:
			return true
		}
	}
	return false
}
