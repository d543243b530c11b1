package retrysafety

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"
)

// TestWritesGob checks that a Writes fact survives gob, as drivers that
// serialise Facts (go vet -vettool, the CLI's Facts cache) store it, with
// every field, and encodes to the same bytes whatever its maps' order.
func TestWritesGob(t *testing.T) {
	w := &Writes{
		Recv: true, Global: true, Early: true, Params: []int{0, 2}, Loop: "carries a cursor",
		LastValue: map[string][]string{"receiver": {"p.T.a", "p.T.b"}, "package": {"p.V"}},
		What:      map[string]string{"receiver": "sets c.a at c.go:1", "package": "sets v at c.go:2", "param 0": "writes to w (Write) at c.go:3"},
		Streams:   map[string]string{"param 0": "writes to w (Write) at c.go:3", "receiver": "reads c.r (Read) at c.go:4"},
	}
	var first []byte
	for i := range 5 {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(w); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = buf.Bytes()
		} else if !bytes.Equal(buf.Bytes(), first) {
			t.Fatalf("encoding %d differs from the first", i)
		}
		var got Writes
		if err := gob.NewDecoder(&buf).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&got, w) {
			t.Fatalf("decoded %+v, want %+v", got, *w)
		}
	}
}
