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
	full := func() *Writes {
		return &Writes{
			Recv: true, Global: true, Early: true, Params: []int{0, 2, 300}, Loop: "carries a cursor",
			LastValue: map[string][]string{"receiver": {"p.T.a", "p.T.b"}, "package": {"p.V"}, "param 2": nil},
			What:      map[string]string{"receiver": "sets c.a at c.go:1", "package": "sets v at c.go:2", "param 0": "writes to w (Write) at c.go:3"},
			Streams:   map[string]string{"param 0": "writes to w (Write) at c.go:3", "receiver": "reads c.r (Read) at c.go:4"},
			Queries:   map[string]string{"param 1": "runs the SQL of its parameter q on c.db (QueryContext) at c.go:5"},
			Documents: map[string]string{"param 1": "sends the GraphQL document of its parameter req with c.hc.Do at c.go:6", "param 2": "calls c.run (...) at c.go:7"},
			Sends:     "sends a POST (c.NewRequest) at c.go:5", SendsEarly: true,
		}
	}
	for _, tc := range []struct {
		name string
		w    *Writes
	}{
		{"full", full()},
		{"empty", &Writes{}},
		{"recv only", &Writes{Recv: true, What: map[string]string{"receiver": "sets c.n at c.go:9"}}},
		{"global and early", &Writes{Global: true, Early: true, What: map[string]string{"package": ""}}},
		{"params", &Writes{Params: []int{1}, What: map[string]string{"param 1": "sets p.x at ü.go:1"}, Streams: map[string]string{"param 1": "reads r (Read) at r.go:1"}}},
		{"loop", &Writes{Loop: "carries token from one iteration of the loop at l.go:3 to the next"}},
		{"request only", &Writes{Sends: "sends a PATCH (http.NewRequest) at r.go:2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var first []byte
			for i := range 5 {
				var buf bytes.Buffer
				if err := gob.NewEncoder(&buf).Encode(tc.w); err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = bytes.Clone(buf.Bytes())
				} else if !bytes.Equal(buf.Bytes(), first) {
					t.Fatalf("encoding %d differs from the first", i)
				}
				var got Writes
				if err := gob.NewDecoder(&buf).Decode(&got); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(&got, tc.w) {
					t.Fatalf("decoded %#v, want %#v", got, *tc.w)
				}
			}
		})
	}
	// The same fact built with its maps filled in another order encodes
	// to the same bytes.
	a, b := full(), full()
	b.What = map[string]string{}
	for _, k := range []string{"param 0", "package", "receiver"} {
		b.What[k] = a.What[k]
	}
	b.LastValue = map[string][]string{"param 2": nil, "package": {"p.V"}, "receiver": {"p.T.a", "p.T.b"}}
	ea, err := a.GobEncode()
	if err != nil {
		t.Fatal(err)
	}
	eb, err := b.GobEncode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ea, eb) {
		t.Errorf("encodings differ with the maps' order:\n%x\n%x", ea, eb)
	}
}

// TestWritesDecodeErrors checks that a truncated, extended or foreign
// encoding is an error, not a partial fact.
func TestWritesDecodeErrors(t *testing.T) {
	w := &Writes{Recv: true, Params: []int{1}, Loop: "l", What: map[string]string{"receiver": "sets c.n at c.go:1"},
		LastValue: map[string][]string{"receiver": {"p.T.n"}}, Streams: map[string]string{"param 1": "reads r (Read) at r.go:1"}}
	enc, err := w.GobEncode()
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(enc) {
		var got Writes
		if err := got.GobDecode(enc[:n]); err == nil {
			t.Errorf("decoding the first %d of %d bytes: no error, got %#v", n, len(enc), got)
		}
	}
	var got Writes
	if err := got.GobDecode(append(bytes.Clone(enc), 0)); err == nil {
		t.Error("decoding with a trailing byte: no error")
	}
	other := bytes.Clone(enc)
	other[0]++
	if err := got.GobDecode(other); err == nil {
		t.Error("decoding another layout version: no error")
	}
	// A count larger than the input fails without allocating it.
	if err := got.GobDecode([]byte{writesVersion, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}); err == nil {
		t.Error("decoding a huge Params count: no error")
	}
}
