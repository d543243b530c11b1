package retrysafety

import (
	"encoding/binary"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/resilience-lint/resilience-lint/config"
)

const doc = `decide whether running a function's body twice is safe

For every function declaration of the package, retrysafety finds the first
statement that writes state outliving one run (receiver fields, package
variables, memory behind pointer, map and slice parameters, channels,
streams and writers held in the receiver, or calls known to do such writes)
before the last call that can fail, and cursor loops that a retry would
restart. A plain = to a field or variable of the package that nothing the
retry re-runs reads back (a last value, such as a cache of the last
response's rate limit) is not such a write, nor is a memo store (the
entry a look-up of the same key just missed, filled with the value then
returned), nor a write to a location declared with //resilience:repeatable
or repeatable-writes. It reports
nothing itself: retrycoverage refuses to wrap such a body in a retry. The
Writes, Reads and Locations facts carry what functions write and read to
callers in other packages.`

// Analyzer is retrysafety with the default configuration: the built-in
// repeatable effects only. It has no flags and no diagnostics: its Result
// is read by retrycoverage and its Writes facts by retrysafety in
// importing packages.
var Analyzer = New(Options{})

// Options configures an Analyzer built by New.
type Options struct {
	// Config supplies repeatable-funcs, the effects meant to repeat on
	// every attempt beyond the built-in ones, and repeatable-writes, the
	// fields and variables whose writes may repeat. It is read when the
	// analyzer runs, so flags bound to it by another analyzer (the
	// retrycoverage that requires this one) take effect. nil: the
	// built-in list only.
	Config *config.Config
}

// New returns a retrysafety analyzer judging calls with opts.Config. Only
// one may run in a driver (its Writes fact type is its own), so a driver
// runs the one its retrycoverage requires.
func New(opts Options) *analysis.Analyzer {
	a := &analysis.Analyzer{
		Name:       "retrysafety",
		Doc:        doc,
		URL:        "https://github.com/resilience-lint/resilience-lint/tree/main/analyzers/retrysafety",
		Requires:   []*analysis.Analyzer{ctrlflow.Analyzer, inspect.Analyzer},
		FactTypes:  []analysis.Fact{new(Writes), new(Reads), new(Locations), new(MethodParam)},
		ResultType: reflect.TypeFor[*Result](),
	}
	a.Run = func(pass *analysis.Pass) (any, error) { return run(pass, opts.Config) }
	return a
}

// ResultOf returns the Result of the retrysafety analyzer that pass's
// analyzer requires (whichever New built it), or nil if it requires none.
func ResultOf(pass *analysis.Pass) *Result {
	for _, req := range pass.Analyzer.Requires {
		if req.ResultType == reflect.TypeFor[*Result]() {
			res, _ := pass.ResultOf[req].(*Result)
			return res
		}
	}
	return nil
}

// Writes is the Fact exported for every function or method that writes
// state outliving its call, so that callers in any package know what a
// call of it writes.
type Writes struct {
	// Recv: it writes through its receiver (fields behind a pointer
	// receiver, or maps, slices and pointers held in a value receiver),
	// or consumes a stream held in it.
	Recv bool
	// Params are the indices of the parameters whose memory it writes
	// (through a pointer, map, slice or channel) or whose stream it
	// consumes; a variadic parameter's index stands for all its values.
	Params []int
	// Global: it writes state that outlives the call whatever its
	// arguments are: package variables, writers it does not own (such as
	// os.Stdout), or through a function known to do so.
	Global bool
	// Early: one of those writes happens before its last call that can
	// fail, so a failed call may have written already: a caller whose
	// last failing call is this one is not safe to retry either.
	Early bool
	// Loop, if set, says that it carries a cursor across the iterations of
	// a loop of failing calls (pagination): restarting it is not safe.
	Loop string
	// LastValue, per kind of What ("receiver", "package", "param 1")
	// whose every write is a last value (a plain = to a field or package
	// variable of the function's package, see doc.go "Last values"):
	// the locations so written ("import/path.Type.Field",
	// "import/path.Var"). A caller whose own retried code reads none of
	// them may repeat the call. A kind absent here has another write.
	LastValue map[string][]string
	// What describes, for messages, the first write of each kind found
	// ("receiver", "package", "param 1"): the statement itself, never a
	// chain of calls ("sets c.n at c.go:12"), so that a caller names the
	// write that reaches its own state.
	What map[string]string
	// Sends describes a POST or PATCH it sends, itself or through its
	// callees (requests.go), for messages ("sends a POST
	// (s.client.NewRequest) at issues.go:314"); "" if none. A request is
	// no write of state: it is an effect before a later call that can
	// fail only, so it is kept apart from the writes above (and from
	// Early: a function whose only early write is a last value may still
	// send its request last).
	Sends string
	// SendsEarly: that request is sent before a later call of it that
	// can fail, so a failed call may have sent it already: a caller whose
	// last failing call is this one would send it again.
	SendsEarly bool
	// Streams describes, by the keys of What, the writes that consume or
	// extend a stream (streamType: an io.Reader or io.Writer, or a value
	// holding one) reached through that receiver, parameter or package
	// variable, however deep in its callees they happen: the stream
	// operation itself ("writes to em.w (Write) at emit.go:30"). Such a
	// write cannot be taken back: a caller whose call of this function
	// fails part-way (Early, or a panic turned into its error) has
	// already read or written the stream, and a retry would not start
	// from where the first attempt did.
	Streams map[string]string
	// Queries are, by the keys of What for parameters ("param 1"), the
	// parameters whose value is SQL the function runs as a query (a
	// read or a change, as that SQL's verb says: the database rule,
	// sqlwrites.go): the query itself ("runs the SQL of its parameter q
	// on e.db (QueryContext) at db.go:12"). A caller's call runs a
	// write when the argument it passes there changes the database or
	// cannot be followed.
	Queries map[string]string
	// Documents are, by the keys of What for parameters, the parameters
	// whose value holds a GraphQL document the function sends (a
	// sender of its caller's document: genqlient's MakeRequest,
	// machinebox's Run; gqlwrites.go): the send itself ("sends the
	// GraphQL document of its parameter req with c.httpClient.Do at
	// client.go:256"). A caller's call sends a mutation when the
	// argument it passes there holds one.
	Documents map[string]string
}

// AFact marks Writes as an analysis.Fact.
func (*Writes) AFact() {}

// writesVersion is the first byte of an encoded Writes: a fact encoded
// in another layout (an older linter's cache) fails to decode and is
// computed again.
const writesVersion = 4

// GobEncode encodes w deterministically, in a compact layout of its own
// rather than a nested gob stream, which would carry gob's type
// descriptors in every fact and cost a decoder per fact when a driver
// reads its Facts cache: the version byte; a byte of flags (Recv, Global,
// Early, SendsEarly); Params as a count and varints; Loop; then What,
// LastValue, Streams and Queries, each as a count and its entries sorted
// by key (gob encodes a map in iteration order, and drivers compare and
// cache fact encodings); then Sends; then Documents, as the maps above. A string is its length as a uvarint
// and its bytes.
func (w *Writes) GobEncode() ([]byte, error) {
	b := make([]byte, 0, 64)
	b = append(b, writesVersion)
	var flags byte
	if w.Recv {
		flags |= 1
	}
	if w.Global {
		flags |= 2
	}
	if w.Early {
		flags |= 4
	}
	if w.SendsEarly {
		flags |= 8
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(len(w.Params)))
	for _, p := range w.Params {
		b = binary.AppendVarint(b, int64(p))
	}
	b = appendString(b, w.Loop)
	b = appendStringMap(b, w.What)
	b = binary.AppendUvarint(b, uint64(len(w.LastValue)))
	for _, k := range slices.Sorted(maps.Keys(w.LastValue)) {
		b = appendString(b, k)
		b = binary.AppendUvarint(b, uint64(len(w.LastValue[k])))
		for _, l := range w.LastValue[k] {
			b = appendString(b, l)
		}
	}
	b = appendStringMap(b, w.Streams)
	b = appendStringMap(b, w.Queries)
	b = appendString(b, w.Sends)
	b = appendStringMap(b, w.Documents)
	return b, nil
}

// GobDecode decodes what GobEncode encoded. Empty lists and maps decode
// as nil, as they did when Writes was encoded with gob.
func (w *Writes) GobDecode(b []byte) error {
	d := factDecoder{b: b}
	if v := d.byte(); d.err == nil && v != writesVersion {
		return fmt.Errorf("retrysafety: Writes fact of layout %d, want %d", v, writesVersion)
	}
	flags := d.byte()
	out := Writes{Recv: flags&1 != 0, Global: flags&2 != 0, Early: flags&4 != 0, SendsEarly: flags&8 != 0}
	if n := d.count(); n > 0 {
		out.Params = make([]int, n)
		for i := range out.Params {
			out.Params[i] = int(d.varint())
		}
	}
	out.Loop = d.string()
	out.What = d.stringMap()
	if n := d.count(); n > 0 {
		out.LastValue = make(map[string][]string, n)
		for range n {
			k := d.string()
			var locs []string
			if m := d.count(); m > 0 {
				locs = make([]string, m)
				for i := range locs {
					locs[i] = d.string()
				}
			}
			out.LastValue[k] = locs
		}
	}
	out.Streams = d.stringMap()
	out.Queries = d.stringMap()
	out.Sends = d.string()
	out.Documents = d.stringMap()
	if d.err == nil && len(d.b) > 0 {
		d.err = fmt.Errorf("retrysafety: %d bytes after a Writes fact", len(d.b))
	}
	if d.err != nil {
		return d.err
	}
	*w = out
	return nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendStringMap appends m as a count and its entries sorted by key.
func appendStringMap(b []byte, m map[string]string) []byte {
	b = binary.AppendUvarint(b, uint64(len(m)))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		b = appendString(b, k)
		b = appendString(b, m[k])
	}
	return b
}

// factDecoder reads what GobEncode wrote; the first error sticks, and
// every read after it returns a zero value.
type factDecoder struct {
	b   []byte
	err error
}

func (d *factDecoder) fail() {
	if d.err == nil {
		d.err = errors.New("retrysafety: truncated or corrupt Writes fact")
	}
	d.b = nil
}

func (d *factDecoder) byte() byte {
	if d.err != nil || len(d.b) == 0 {
		d.fail()
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *factDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *factDecoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a count of entries, each at least one byte long, so that a
// corrupt count cannot make the decoder allocate more than the input.
func (d *factDecoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *factDecoder) string() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// stringMap reads what appendStringMap wrote; nil when it is empty.
func (d *factDecoder) stringMap() map[string]string {
	n := d.count()
	if n == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := d.string()
		m[k] = d.string()
	}
	return m
}

// String describes the fact in analysistest wants and fact dumps:
// "writes receiver, param 1, package state; early", "restarts a loop";
// a write through a stream is marked: "writes param 0 (stream)"; a
// request: "sends a request", "sends a request early".
func (w *Writes) String() string {
	var parts []string
	part := func(name, key string) {
		if w.Streams[key] != "" {
			name += " (stream)"
		}
		parts = append(parts, name)
	}
	if w.Recv {
		part("receiver", "receiver")
	}
	for _, i := range w.Params {
		part(fmt.Sprintf("param %d", i), fmt.Sprintf("param %d", i))
	}
	if w.Global {
		part("package state", "package")
	}
	s := ""
	if len(parts) > 0 {
		s = "writes " + strings.Join(parts, ", ")
	}
	if w.Early {
		s += "; early"
	}
	if w.Loop != "" {
		if s != "" {
			s += "; "
		}
		s += "restarts a loop"
	}
	for _, k := range slices.Sorted(maps.Keys(w.Queries)) {
		if s != "" {
			s += "; "
		}
		s += "runs the SQL of " + k
	}
	for _, k := range slices.Sorted(maps.Keys(w.Documents)) {
		if s != "" {
			s += "; "
		}
		s += "sends the GraphQL document of " + k
	}
	if w.Sends != "" {
		if s != "" {
			s += "; "
		}
		s += "sends a request"
		if w.SendsEarly {
			s += " early"
		}
	}
	s = strings.TrimPrefix(s, "; ")
	keys := make([]string, 0, len(w.LastValue))
	for k := range w.LastValue {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s += "; last values of " + k + ": " + strings.Join(w.LastValue[k], ", ")
	}
	return s
}

func (w *Writes) empty() bool {
	return !w.Recv && len(w.Params) == 0 && !w.Global && w.Loop == "" && len(w.Queries) == 0 && len(w.Documents) == 0 && w.Sends == ""
}

func (w *Writes) equal(o *Writes) bool {
	if w.Recv != o.Recv || w.Global != o.Global || w.Early != o.Early || w.Loop != o.Loop || w.Sends != o.Sends || w.SendsEarly != o.SendsEarly || len(w.Params) != len(o.Params) || len(w.Streams) != len(o.Streams) {
		return false
	}
	for k := range w.Streams {
		if _, ok := o.Streams[k]; !ok {
			return false
		}
	}
	if len(w.Queries) != len(o.Queries) {
		return false
	}
	for k := range w.Queries {
		if _, ok := o.Queries[k]; !ok {
			return false
		}
	}
	if len(w.Documents) != len(o.Documents) {
		return false
	}
	for k := range w.Documents {
		if _, ok := o.Documents[k]; !ok {
			return false
		}
	}
	for i := range w.Params {
		if w.Params[i] != o.Params[i] {
			return false
		}
	}
	return maps.EqualFunc(w.LastValue, o.LastValue, slices.Equal)
}

// Verdict says whether running one function's body twice is safe.
type Verdict struct {
	// Pos is the statement that makes it unsafe; token.NoPos when safe.
	Pos token.Pos
	// What names that statement and its place: "sets d.offset at decode.go:88".
	What string
	// Reason is the whole explanation, for messages: "it sets d.offset at
	// decode.go:88 before the call that can fail at decode.go:90; a retry
	// would repeat it". Empty when safe.
	Reason string
	// Keep, for an unsafe body, is the number of its leading statements
	// that can run once, outside a retry, so that the rest is safe to run
	// twice: every write that made it unsafe is in them, they make no
	// call that can fail, and the rest neither writes nor shares (as a
	// pointer, map, slice, channel or interface) a variable they declare.
	// 0 when there is no such split (a stream read in the failing call
	// itself, a cursor loop, a write after a call that can fail).
	Keep int
	// Advice says what to do instead, for messages: "move that effect
	// after the call that can fail or route that call alone", "retry
	// around re-opening the stream instead", "route the call made in each
	// iteration instead".
	Advice string
}

// Safe reports whether running the body twice repeats nothing that
// outlives the first run.
func (v *Verdict) Safe() bool { return v == nil || v.Reason == "" }

// Result is the analyzer's result: a Verdict for every function and method
// declared with a body in the package.
type Result struct {
	Funcs map[*types.Func]*Verdict
	// ErrorFields are the calls of the package whose error is read from
	// a field of their result (targets.ErrorFieldCalls), found once for
	// both analyzers.
	ErrorFields map[*ast.CallExpr]bool
}

// Reason returns why running fn's body twice is not safe, or "" when it
// is (or fn is not declared in the package).
func (r *Result) Reason(fn *types.Func) string {
	if r == nil {
		return ""
	}
	if v := r.Funcs[fn]; v != nil {
		return v.Reason
	}
	return ""
}
