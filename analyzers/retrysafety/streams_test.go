package retrysafety

import (
	"go/importer"
	"go/types"
	"testing"
)

// TestStreamType decides streamType on standard library types, whose
// fields the export data holds: streams and their holders at their
// depths, and codecs, clients and cursors over memory that hold none.
func TestStreamType(t *testing.T) {
	imp := importer.Default()
	lookup := func(pkgPath, name string) types.Type {
		t.Helper()
		pkg, err := imp.Import(pkgPath)
		if err != nil {
			t.Fatalf("import %s: %v", pkgPath, err)
		}
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok {
			t.Fatalf("%s has no type %s", pkgPath, name)
		}
		return tn.Type()
	}
	for _, tt := range []struct {
		pkg, name string
		ptr       bool
		want      bool
	}{
		// Streams themselves.
		{"io", "Reader", false, true},
		{"io", "Writer", false, true},
		{"io", "ByteReader", false, true},
		{"net", "Conn", false, true},
		{"os", "File", true, true},
		{"bytes", "Buffer", true, true},
		{"bytes", "Buffer", false, true}, // a value field: its pointer methods write
		{"strings", "Builder", true, true},
		{"hash", "Hash", false, true},
		{"math/rand", "Rand", true, true}, // an io.Reader: its Read consumes the sequence
		// Holders: one level (json.Decoder's r), three (xml.Encoder's
		// printer, its *bufio.Writer), through an interface with a
		// stream method (sql.Rows' driver.Rows), through a slice
		// (gob.Encoder's []io.Writer).
		{"encoding/json", "Decoder", true, true},
		{"bufio", "Scanner", true, true},
		{"encoding/csv", "Reader", true, true},
		{"encoding/xml", "Encoder", true, true},
		{"database/sql", "Rows", true, true},
		{"encoding/gob", "Encoder", true, true},
		// No stream: transformations of memory, clients, iterators.
		{"encoding/base64", "Encoding", true, false},
		{"encoding/hex", "InvalidByteError", false, false},
		{"math/big", "Int", true, false},
		{"time", "Timer", true, false},
		{"container/list", "Element", true, false},
		{"net/http", "Client", true, false},
		{"context", "Context", false, false},
		{"sync", "Mutex", true, false},
	} {
		typ := lookup(tt.pkg, tt.name)
		name := tt.pkg + "." + tt.name
		if tt.ptr {
			typ, name = types.NewPointer(typ), "*"+name
		}
		if got := streamType(typ); got != tt.want {
			t.Errorf("streamType(%s) = %v, want %v", name, got, tt.want)
		}
	}
}
