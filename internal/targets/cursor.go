package targets

import (
	"go/types"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// cursorMethod returns the name of the method by which a value of type t
// hands out the next item of a sequence it consumes, or "" when t is no
// such reader: a method named Read, Read<Something>, Next or Recv that
// takes no argument and returns one or more values and an error
// (kafka-go's RecordReader.ReadRecord, encoding/csv's Reader.Read, a gRPC
// stream's Recv, an iterator's Next, gorilla/websocket's
// Conn.ReadMessage). Such a value is a one-shot input as an
// io.Reader is: whatever one attempt read is gone for the next, so a
// retry would send a drained sequence (kafka-go's Client.Produce then
// writes no record and reports success). A type that is an io.Reader or
// an io.Seeker is not one (the io.Reader rule covers the first, the
// second rewinds). The methods of *t count for a named non-pointer t
// (a field or variable of type T is addressable).
//
// The rule is the shape of the method, not the name of the type: the
// read takes nothing from the caller (a getter such as ReadFile(name)
// selects, it does not advance) and gives one item with an error (the
// end of the sequence, io.EOF, comes back as that error).
func cursorMethod(t types.Type) string {
	if t == nil || types.Implements(t, typepred.IOSeeker) || types.Implements(t, typepred.IOReader) {
		return ""
	}
	ms := types.NewMethodSet(t)
	if _, isPtr := types.Unalias(t).(*types.Pointer); !isPtr && !types.IsInterface(t) {
		if _, named := types.Unalias(t).(*types.Named); named {
			if types.Implements(types.NewPointer(t), typepred.IOSeeker) || types.Implements(types.NewPointer(t), typepred.IOReader) {
				return ""
			}
			ms = types.NewMethodSet(types.NewPointer(t))
		}
	}
	for i := 0; i < ms.Len(); i++ {
		fn, ok := ms.At(i).Obj().(*types.Func)
		if !ok || !fn.Exported() || !cursorName(fn.Name()) {
			continue
		}
		sig := fn.Type().(*types.Signature)
		if n := sig.Results().Len(); sig.Params().Len() == 0 && n >= 2 && typepred.IsError(sig.Results().At(n-1).Type()) {
			return fn.Name()
		}
	}
	return ""
}

// cursorName reports whether name is one a sequence's next-item method
// goes by: Read, Read followed by an upper-case letter (ReadRecord,
// ReadMessage, not Ready), Next or Recv.
func cursorName(name string) bool {
	switch name {
	case "Read", "Next", "Recv":
		return true
	}
	rest, ok := strings.CutPrefix(name, "Read")
	if !ok || rest == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsUpper(r)
}

// oneShotReader describes a one-shot reader of type t for a reason
// ("an io.Reader that is not an io.Seeker", "a reader (ReadRecord) that
// cannot be rewound"), or returns "" when t is neither kind.
func oneShotReader(t types.Type) string {
	if types.Implements(t, typepred.IOReader) && !types.Implements(t, typepred.IOSeeker) {
		return "an io.Reader that is not an io.Seeker"
	}
	if m := cursorMethod(t); m != "" {
		return "a reader (" + m + ") that cannot be rewound"
	}
	return ""
}
