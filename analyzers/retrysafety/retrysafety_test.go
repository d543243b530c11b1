package retrysafety_test

import (
	"go/types"
	"maps"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/analyzers/retrysafety"
	"github.com/resilience-lint/resilience-lint/config"
)

// TestVerdicts checks the facts (// want in the fixtures) and the verdict
// on every function of the fixture package: "" is safe, otherwise the
// reason must contain every listed piece.
func TestVerdicts(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/helper", "example.com/safety")
	want := map[string][]string{
		"fetch":        nil,
		"list":         nil,
		"WriteBefore":  {"it increments c.offset at safety.go:40 before the call that can fail (c.fetch at safety.go:41); a retry would repeat it"},
		"WriteAfter":   nil,
		"EarlyReturn":  nil,
		"Decode":       {"it reads c.dec (Decode) at safety.go:68 in c.dec.Decode, a call that can fail; a stream is not rewound"},
		"Lines":        {"it reads c.sc (Scan) at safety.go:76 before the call that can fail (c.sc.Err at safety.go:79)"},
		"PackageVar":   {"it updates lastKey at safety.go:83"},
		"PointerParam": {"it increments dst.N at safety.go:88"},
		"FreshValue":   nil,
		"Send":         {"it sends on c.events at safety.go:107"},
		"WriterField":  {"it writes to c.out (passed to fmt.Fprintf) at safety.go:113"},
		"WriterParam":  {"it calls helper.Log (which writes to w (passed to fmt.Fprintln) at helper.go:29) at safety.go:119"},
		"HelperFact":   {"it calls c.count.Inc (which increments c.n at helper.go:14) at safety.go:126 before the call that can fail (c.fetch at safety.go:127)"},
		"HelperGlobal": {"it calls helper.Record (which increments Hits at helper.go:23)"},
		"EarlyCallee":  {"it calls c.count.Step (which increments c.n at helper.go:33)", "in c.count.Step, a call that can fail; it has that effect before it can fail"},
		"ListAll":      {"it carries token from one iteration of the loop at safety.go:144 to the next (set at safety.go:153 from what a call that can fail returned, read by c.list at safety.go:145); a retry would restart the loop from its first iteration"},
		"Counted":      nil,
		"Locked":       nil,
		"Alias":        {"it sets items[0] at safety.go:174"},
		"Delete":       {"it deletes from c.cache at safety.go:180"},
		"Print":        {"it prints to os.Stdout with fmt.Println at safety.go:186"},
		"Loop":         {"it increments c.offset at safety.go:196 before the call that can fail (c.fetch at safety.go:193)"},
		"Copy":         nil,
		"Shared":       {"it increments v.m[\"k\"] at safety.go:212 before the call that can fail (ctx.Err at safety.go:213)"},
		"PrefixShared": {"it increments c.offset at safety.go:221"},
		"PrefixValue":  {"it increments c.offset at safety.go:231"},
		"Quit":         nil,
		"Fatal":        nil,
		"Sentinel":     nil,
		"Job":          {"it receives from w.jobs at safety.go:254 before the call that can fail (w.fetch at safety.go:255)"},
		"Glob":         nil,
		"glob":         nil,
		"Drain":        {"it carries queue from one iteration of the loop at safety.go:307 to the next (set at safety.go:308 from what a call that can fail returned, read by c.step at safety.go:308)"},
		"step":         nil,
		"Paged":        {"it carries items from one iteration of the loop at safety.go:323"},
		"page":         nil,
		"Drained":      nil,
		"Parse":        {"it increments c.offset at safety.go:", "before the call that can fail (c.advance at safety.go:"},
		"advance":      nil,
		"Unparsed":     nil,
		"handle":       nil,
	}
	// Verdict.Keep: how many leading statements can run once, outside a
	// retry (0 for the others: safe, or no split).
	wantKeep := map[string]int{
		"WriteBefore": 1, "PackageVar": 1, "PointerParam": 1, "Send": 1, "WriterField": 1,
		"WriterParam": 1, "HelperFact": 2, "HelperGlobal": 1, "Alias": 2, "Delete": 1,
		"Print": 1, "Shared": 1, "PrefixValue": 2, "Job": 1,
		// Parse: its deferred handler and the write run once, outside.
		"Parse": 2,
		// Decode and EarlyCallee fail in the very call that writes, ListAll
		// restarts a loop, Loop writes between failing calls, Lines and
		// PrefixShared share a variable of the part kept outside.
	}
	for _, r := range results {
		if r.Action.Package.PkgPath != "example.com/safety" {
			continue
		}
		res := r.Action.Result.(*retrysafety.Result)
		seen := map[string]bool{}
		for fn, v := range res.Funcs {
			name := fn.Name()
			seen[name] = true
			if v.Keep != wantKeep[name] {
				t.Errorf("%s: Keep = %d, want %d", name, v.Keep, wantKeep[name])
			}
			pieces, ok := want[name]
			if !ok {
				t.Errorf("%s: no expectation (reason %q)", name, v.Reason)
				continue
			}
			if len(pieces) == 0 {
				if !v.Safe() {
					t.Errorf("%s: unsafe (%q), want safe", name, v.Reason)
				}
				continue
			}
			for _, p := range pieces {
				if !strings.Contains(v.Reason, p) {
					t.Errorf("%s: reason %q, want it to contain %q", name, v.Reason, p)
				}
			}
		}
		for name := range want {
			if !seen[name] {
				t.Errorf("%s: no verdict", name)
			}
		}
	}
}

// TestRepeatable checks that effects meant to repeat on every attempt
// (the built-in list, and repeatable-funcs) leave a body safe to run
// twice, that effects of the same packages that are state do not, and
// that the fakes of the real packages have the Writes facts that the list
// overrides (// want in the fixtures).
func TestRepeatable(t *testing.T) {
	builtin := map[string][]string{
		"fetch":          nil,
		"Limited":        nil,
		"LimitedN":       nil,
		"Taken":          nil,
		"throttle":       nil,
		"Throttled":      nil,
		"Counted":        nil,
		"CountedChecked": nil,
		"Logged":         nil,
		"Pooled":         nil,
		"Notify":         nil,
		"Team":           {"it calls c.count.Inc (which increments c.n at metrics.go:7) at repeat.go:"},
		"SetLimit":       {"it calls c.limiter.SetLimit (which updates lim.tokens at rate.go:"},
		"Atomic":         {"it changes c.n with Add at repeat.go:"},
		"Group":          {"it changes c.wg with Add at repeat.go:"},
		"Promoted":       {"it calls c.timed.Inc (which increments c.n at metrics.go:7)"},
		"Sunk":           {"it writes to c.sink (Write) at repeat.go:"},
		// Resetting is a last value that the body does not read back.
		"TeamReset": nil,
		"Printed":   {"it prints to os.Stdout with fmt.Printf at repeat.go:"},
	}
	configured := maps.Clone(builtin)
	configured["Team"] = nil
	configured["Promoted"] = nil
	configured["Sunk"] = nil
	promoted := maps.Clone(builtin)
	promoted["Promoted"] = nil
	for _, tt := range []struct {
		name string
		cfg  *config.Config
		want map[string][]string
	}{
		{"built-in", nil, builtin},
		{"repeatable-funcs", &config.Config{RepeatableFuncs: []string{"example.com/metrics.Counter.Inc", "example.com/metrics.Timed.Inc", "example.com/metrics.Sink.Write"}}, configured},
		// Only the promoted name: Team stays unsafe.
		{"promoted", &config.Config{RepeatableFuncs: []string{"example.com/metrics.Timed.Inc"}}, promoted},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := retrysafety.New(retrysafety.Options{Config: tt.cfg})
			results := analysistest.Run(t, analysistest.TestData(), a, "example.com/repeat", "example.com/metrics",
				"golang.org/x/time/rate", "go.uber.org/ratelimit", "github.com/prometheus/client_golang/prometheus", "go.uber.org/zap")
			for _, r := range results {
				if r.Action.Package.PkgPath != "example.com/repeat" {
					continue
				}
				checkVerdicts(t, r.Action.Result.(*retrysafety.Result), tt.want)
			}
		})
	}
}

// checkVerdicts compares the verdict of every function of res with want:
// nil is safe, otherwise the reason must contain every listed piece.
func checkVerdicts(t *testing.T, res *retrysafety.Result, want map[string][]string) {
	t.Helper()
	seen := map[string]bool{}
	for fn, v := range res.Funcs {
		seen[fn.Name()] = true
		checkVerdict(t, fn.Name(), v, want)
	}
	checkSeen(t, seen, want)
}

// checkVerdictsIn is checkVerdicts over every package of results, naming
// a method "Recv.Method" when byRecv is set; each, if not nil, checks more
// of every verdict (its advice, its split).
func checkVerdictsIn(t *testing.T, results []*analysistest.Result, byRecv bool, want map[string][]string, each func(name string, v *retrysafety.Verdict)) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range results {
		for fn, v := range r.Action.Result.(*retrysafety.Result).Funcs {
			name := fn.Name()
			if recv := fn.Type().(*types.Signature).Recv(); byRecv && recv != nil {
				name = recvName(recv.Type()) + "." + name
			}
			seen[name] = true
			checkVerdict(t, name, v, want)
			if each != nil {
				each(name, v)
			}
		}
	}
	checkSeen(t, seen, want)
}

// checkVerdict compares the verdict v of the function called name with
// want[name]: nil is safe, otherwise v is unsafe and its reason contains
// every listed piece.
func checkVerdict(t *testing.T, name string, v *retrysafety.Verdict, want map[string][]string) {
	t.Helper()
	pieces, ok := want[name]
	switch {
	case !ok:
		t.Errorf("%s: no expectation (reason %q)", name, v.Reason)
	case len(pieces) == 0 && !v.Safe():
		t.Errorf("%s: unsafe (%q), want safe", name, v.Reason)
	case len(pieces) > 0 && v.Safe():
		t.Errorf("%s: safe, want unsafe", name)
	}
	for _, p := range pieces {
		if !strings.Contains(v.Reason, p) {
			t.Errorf("%s: reason %q, want it to contain %q", name, v.Reason, p)
		}
	}
}

// checkSeen reports every function of want that got no verdict.
func checkSeen(t *testing.T, seen map[string]bool, want map[string][]string) {
	t.Helper()
	for name := range want {
		if !seen[name] {
			t.Errorf("%s: no verdict", name)
		}
	}
}

// TestStreams checks the stream rule: by type, not by method name, and
// through callees (facts in the fixture's // want, verdicts and advice
// here).
func TestStreams(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/streams")
	want := map[string][]string{
		"send":            nil,
		"NewEncoder":      nil,
		"writeAll":        {"it writes to w (Write) at streams.go:52 in w.Write, a call that can fail"},
		"flush":           nil, // the two flush methods: checked below by receiver
		"emit":            nil,
		"Encode":          nil,
		"NewPanicEncoder": nil,
		"writeHandler":    {"it writes to em.out (Write) at streams.go:"},
		"handleErr":       nil,
		"Base64":          nil,
		"HexSend":         nil,
		"Buffered":        nil,
		"NewLogger":       nil, // writes w, but no call of it can fail
		"Log":             {"it writes to l.bw (WriteString) at streams.go:", "before the call that can fail (l.c.send at streams.go:"},
		"Sync":            {"it writes to l.bw (Flush) at streams.go:", "in l.bw.Flush, a call that can fail"},
		"NextEvent":       {"it reads c.events (Recv) at streams.go:", "in c.events.Recv, a call that can fail"},
		"NextLiteral":     {"it reads c.gs (Scan) at streams.go:", "before the call that can fail (c.send at streams.go:"},
	}
	// Methods sharing a name, by receiver type.
	byRecv := map[string][]string{
		"Encoder.Encode":       {"it calls e.em.emit (which writes to w (Write) at streams.go:52) at streams.go:39 in e.em.emit, a call that can fail; a stream is not rewound"},
		"PanicEncoder.Encode":  {"it calls e.em.emit (which uses the stream held in em (passed to em.handler) at streams.go:", "in e.em.emit, a call that can fail; a stream is not rewound"},
		"hexCodec.Encode":      nil,
		"emitter.emit":         {"it sets em.buf at streams.go:43 before the call that can fail"},
		"handlerEmitter.emit":  nil, // no call of it can fail: it panics
		"emitter.flush":        {"it calls writeAll (which writes to w (Write) at streams.go:52) at streams.go:48 in writeAll, a call that can fail"},
		"handlerEmitter.flush": {"it uses the stream held in em (passed to em.handler) at streams.go:"},
	}
	advice := map[string]string{
		"Encoder.Encode":      "give each attempt a fresh output, such as a buffer written once the retry succeeds, instead",
		"PanicEncoder.Encode": "give each attempt a fresh input or output instead",
		"Log":                 "move that effect after the call that can fail or route that call alone",
		"NextEvent":           "retry around re-opening the stream instead",
	}
	for _, r := range results {
		res := r.Action.Result.(*retrysafety.Result)
		seen := map[string]bool{}
		for fn, v := range res.Funcs {
			name := fn.Name()
			if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
				if _, dup := byRecv[recvName(recv.Type())+"."+name]; dup {
					name = recvName(recv.Type()) + "." + name
				}
			}
			seen[name] = true
			pieces, ok := byRecv[name]
			if !ok {
				pieces, ok = want[name]
			}
			switch {
			case !ok:
				t.Errorf("%s: no expectation (reason %q)", name, v.Reason)
			case len(pieces) == 0 && !v.Safe():
				t.Errorf("%s: unsafe (%q), want safe", name, v.Reason)
			}
			for _, p := range pieces {
				if !strings.Contains(v.Reason, p) {
					t.Errorf("%s: reason %q, want it to contain %q", name, v.Reason, p)
				}
			}
			if a, ok := advice[name]; ok && v.Advice != a {
				t.Errorf("%s: advice %q, want %q", name, v.Advice, a)
			}
		}
		for name := range byRecv {
			if !seen[name] {
				t.Errorf("%s: no verdict", name)
			}
		}
	}
}

// recvName is the name of a receiver's type, without its pointer.
func recvName(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name()
	}
	return t.String()
}

// TestDynamicCalls checks calls through function values: a pointer to state
// that outlives the run passed to one makes the body unsafe (the function's
// body is not known, nor when it writes), values made in the body and
// slices do not, and a function literal called on the spot is judged by
// its body.
func TestDynamicCalls(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/dynamic")
	for _, r := range results {
		checkVerdicts(t, r.Action.Result.(*retrysafety.Result), map[string][]string{
			"lookup": nil,
			// d holds a stream (its bufio.Reader): the stream rule names
			// it before the rule for pointers handed to function values.
			"DecodeValue": {"it uses the stream held in d (passed to decode) at dynamic.go:30 in decode, a call that can fail"},
			"Decode":      {"it calls d.DecodeValue (which uses the stream held in d (passed to decode)", "a call that fails after reading or writing it cannot be repeated faithfully"},
			"Field":       {"it uses the stream held in d (passed to d.funcs[v.Type()])"},
			"Fresh":       nil,
			"Param":       {"it passes req to d.hook"},
			"Bytes":       nil,
			"Literal":     nil,
		})
	}
}

// TestConversions checks that a conversion keeping the reference (a
// pointer converted to another pointer type) starts from what it
// converts, and one that copies ([]byte(s)) does not.
func TestConversions(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/conversion")
	for _, r := range results {
		checkVerdicts(t, r.Action.Result.(*retrysafety.Result), map[string][]string{
			"Do":       {"it increments c.rate at conversion.go:16"},
			"Get":      {"it calls s.client.Do (which increments c.rate at conversion.go:16)"},
			"Delegate": {"it calls s2.Get (which increments c.rate at conversion.go:16) at conversion.go:36 in s2.Get, a call that can fail"},
			"Inline":   {"it calls (*ActionsService)(s).Get (which increments c.rate at conversion.go:16)"},
			"Copied":   nil,
		})
	}
}

// TestTypedErrors checks, on influxdb-client-go's batching writer, that a
// call whose last result is a concrete error type (*Error) is a call that
// can fail, as one returning error is, and that sync/atomic's Load
// functions read the flag they are given while Store writes it.
func TestTypedErrors(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/typederr")
	for _, r := range results {
		checkVerdicts(t, r.Action.Result.(*retrysafety.Result), map[string][]string{
			"WriteBatch": nil,
			"Error":      nil,
			"Flush":      {"it sets w.batch at typederr.go:38 before the call that can fail (w.svc.WriteBatch at typederr.go:39); a retry would repeat it"},
			"Pending":    nil,
			"Start":      {"it passes &w.batching to atomic.StoreInt32, which may write it at typederr.go:59 before the call that can fail (w.svc.WriteBatch at typederr.go:60)"},
		})
	}
}

// TestLastValue checks the last-value rule: a plain = to a field or
// package variable of the package, that nothing the retry re-runs reads
// back, may repeat (also through a callee of another package, godo's
// shape, and under a mutex); accumulators, flags read back, map inserts,
// sends, fields of other packages, and values handed to code that is not
// analyzed or passed as an interface (read by reflection) may not. //resilience:repeatable and repeatable-writes declare
// what the rule cannot prove.
func TestLastValue(t *testing.T) {
	want := map[string][]string{
		"fetch":         nil,
		"login":         nil,
		"Locked":        nil,
		"Global":        nil,
		"Nested":        nil,
		"Pointer":       nil,
		"Get":           nil,
		"Twice":         nil,
		"Cached":        nil,
		"isClosed":      nil,
		"Plus":          {"it sets c.n at lastvalue.go:"},
		"Appended":      {"it sets c.buf at lastvalue.go:"},
		"NextPage":      {"it sets c.page at lastvalue.go:"},
		"Insert":        {"it sets c.seen[k] at lastvalue.go:"},
		"Send":          {"it sends on c.events at lastvalue.go:"},
		"Shutdown":      {"it sets c.closed at lastvalue.go:", "(a last value, but example.com/lastvalue.Client.closed is read back by the code a retry re-runs)"},
		"ShutdownVia":   {"it sets c.closed at lastvalue.go:"},
		"ShutdownValue": {"it sets c.closed at lastvalue.go:", "(a last value, but example.com/lastvalue.Client.closed is read back"},
		"ReadBack":      {"it calls s.client.Do (which sets c.Rate at lvclient.go:", "in s.client.Do, a call that can fail", "(a last value, but example.com/lvclient.Client.Rate is read back"},
		"CountedCall":   {"it calls s.client.Counted (which sets c.calls at lvclient.go:"},
		"Foreign":       {"it sets s.client.Rate at lastvalue.go:"},
		"Marshalled":    {"it sets c.rate at lastvalue.go:"},
		// c.cfg = cfg is a last value; what it points to is not.
		"Shared":  {"it sets c.cfg.Retries at lastvalue.go:"},
		"Session": {"it sets c.token at lastvalue.go:"},
		"send":    nil,
		"Filled":  {"it sets req.Name at lastvalue.go:"},
	}
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/lvclient", "example.com/lastvalue")
	for _, r := range results {
		switch r.Action.Package.PkgPath {
		case "example.com/lastvalue":
			checkVerdicts(t, r.Action.Result.(*retrysafety.Result), want)
		case "example.com/lvclient":
			checkVerdicts(t, r.Action.Result.(*retrysafety.Result), map[string][]string{
				"send": nil, "check": nil, "Do": nil, "GetRate": nil, "Fresh": nil,
				"Counted": {"it sets c.calls at lvclient.go:"},
			})
		}
	}

	// repeatable-writes: a cache read back, a counter and a map that grow,
	// a trace writer; a declared reader is still consumed.
	cfg := &config.Config{RepeatableWrites: []string{"example.com/lvdeclared.Client.token", "example.com/lvdeclared.Client.n", "example.com/lvdeclared.hits", "example.com/lvdeclared.Client.trace", "example.com/lvdeclared.Client.in"}}
	results = analysistest.Run(t, analysistest.TestData(), retrysafety.New(retrysafety.Options{Config: cfg}), "example.com/lvdeclared")
	checkVerdicts(t, results[0].Action.Result.(*retrysafety.Result), map[string][]string{
		"fetch": nil, "login": nil, "Session": nil, "Counted": nil, "Traced": nil,
		"Consumed": {"it reads c.in (passed to io.ReadAll) at lvdeclared.go:"},
		"Other":    {"it increments c.other at lvdeclared.go:"},
	})
}

// TestNoStream checks that reading crypto/rand.Reader (directly, or in a
// helper through io.ReadFull) and writing io/ioutil.Discard are no stream
// effects, while another package-level reader (os.Stdin) still is one.
func TestNoStream(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/nostream")
	for _, r := range results {
		checkVerdicts(t, r.Action.Result.(*retrysafety.Result), map[string][]string{
			"challengeKey": nil,
			"send":         nil,
			"Dial":         nil,
			"Direct":       nil,
			"Drain":        nil,
			"Stdin":        {"it uses the stream os.Stdin (passed to io.ReadFull)", "a stream is not rewound"},
		})
	}
}

// TestOrder checks the fixed point where callers are declared before
// their callees and calls form a cycle: every fact is the final one, and
// every verdict is made with its callees' final Writes. Top's reason names
// the first write Mid makes by its callees' final facts (Leaf's c.n), not
// the one an analysis of Mid made before Leaf's facts were known (its own
// c.m): callees are analyzed before their callers, so the strings of a
// fact (Writes.What, which the fixed point's change test ignores) do not
// depend on the order of the declarations.
func TestOrder(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/order")
	want := map[string][]string{
		"fetch":  nil,
		"Top":    {"it calls c.Mid (which increments c.n at order.go:23) at order.go:13 before the call that can fail (c.fetch at order.go:14); a retry would repeat it"},
		"Mid":    nil,
		"Leaf":   nil,
		"Parity": {"it calls c.Odd (which increments c.n at order.go:43) at order.go:29 in c.Odd, a call that can fail; it has that effect before it can fail"},
		"Odd":    {"it calls c.Even (which increments c.n at order.go:43) at order.go:36 in c.Even, a call that can fail; it has that effect before it can fail"},
		"Even":   {"it increments c.n at order.go:43 before the call that can fail (c.Odd at order.go:44); a retry would repeat it"},
	}
	for _, r := range results {
		res := r.Action.Result.(*retrysafety.Result)
		if len(res.Funcs) != len(want) {
			t.Errorf("%d verdicts, want %d", len(res.Funcs), len(want))
		}
		for fn, v := range res.Funcs {
			pieces, ok := want[fn.Name()]
			switch {
			case !ok:
				t.Errorf("%s: no expectation (reason %q)", fn.Name(), v.Reason)
			case len(pieces) == 0 && !v.Safe():
				t.Errorf("%s: unsafe (%q), want safe", fn.Name(), v.Reason)
			case len(pieces) > 0 && v.Safe():
				t.Errorf("%s: safe, want unsafe", fn.Name())
			}
			for _, p := range pieces {
				if !strings.Contains(v.Reason, p) {
					t.Errorf("%s: reason %q, want it to contain %q", fn.Name(), v.Reason, p)
				}
			}
		}
	}
}

// TestMemo checks the memo-cache rule: look-up-or-compute stores (a map
// under a mutex or not, a sync.Map's Load then Store, LoadOrStore) are no
// writes, in the function or for its callers, and so are the calls of a
// method that only forwards its key and value to a sync.Map's
// LoadOrStore; the near-misses keep the message they had without the
// rule.
func TestMemo(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/memo")
	for _, r := range results {
		checkVerdicts(t, r.Action.Result.(*retrysafety.Result), map[string][]string{
			"build":    nil,
			"getInfo":  nil,
			"planFor":  nil,
			"fieldsOf": nil,
			"sharedOf": nil,
			"fetch":    nil,
			"send":     nil,
			"get":      nil,
			"Encode":   nil,
			"Get":      nil,
			// Near-misses: the store is a write, judged as before.
			"storeThenFail": {"it sets c.cache[k] at memo.go:146 before the call that can fail (c.send at memo.go:147); a retry would repeat it"},
			"placeholder":   {"it sets c.cache[k] at memo.go:157 before the call that can fail (c.fetch at memo.go:158); a retry would repeat it"},
			"noLookup":      nil,
			"otherKey":      nil,
			"mark":          nil,
			"clockKey":      nil,
			"counted":       nil,
			"fromFile":      nil,
			"given":         nil,
			"nested":        nil,
			"StoreThenFail": {"it calls c.storeThenFail (which sets c.cache[k] at memo.go:146) at memo.go:"},
			"Mark":          {"it calls c.mark (which sets c.seen[k] at memo.go:"},
			"Counted":       {"it calls c.counted (which sets c.cache[k] at memo.go:"},
			"FromFile":      {"it calls c.fromFile (which sets c.cache[k] at memo.go:"},
			"ClockKey":      {"it calls c.clockKey (which sets c.byTime[k] at memo.go:"},
			"named":         nil,
			"Named":         nil,
			"nilGuardOther": nil,
			"NilGuardOther": {"it calls c.nilGuardOther (which sets c.byName[k] at memo.go:"},
			"storeOnError":  nil, // its store is after its last call that can fail
			"StoreOnError":  {"it calls c.storeOnError (which sets c.cache[k] at memo.go:"},
			"storeOnly":     nil,
			"clockOrStore":  nil,
			"otherMap":      nil,
			"Stored":        {"it calls storeOnly (which changes plans with Store at memo.go:"},
			"forget":        nil,
			"Forget":        {"it calls forget (which changes shared with LoadAndDelete at memo.go:"},
			// Through a LoadOrStore forwarder (attributevalue's fieldCacher).
			"LoadOrStore":       nil,
			"viaForwarder":      nil,
			"Forwarded":         nil,
			"givenViaForwarder": nil,
			"GivenForwarded":    {"it calls givenViaForwarder (which changes c.m with LoadOrStore at memo.go:"},
			"forwardThenFail":   {"before the call that can fail (c.send at memo.go:"},
		})
	}
}

// TestConcurrentMapMemo checks the memo rule on a concurrent map of
// another package with sync.Map's API (xsync's MapOf): a look-up, then
// LoadOrStore in an if (bun's Scanner), or Load then Store, is a memo
// store whatever the map's code writes; a store without a look-up stays a
// write. A cursor handed to an interface method implemented in another
// package may be advanced by it.
func TestConcurrentMapMemo(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/xmemo")
	checkVerdictsIn(t, results, true, map[string][]string{
		"encoderOf":     nil,
		"build":         nil,
		"byName.index":  nil,
		"Client.send":   nil,
		"Client.Encode": nil,
		"Client.Named":  nil,
		"Client.Mark":   {"it calls c.seen.Store (which passes &m.resizing to atomic.CompareAndSwapInt64, which may write it at mapof.go:"},
		"ScanAll":       {"it reads rows (passed to m.ScanRows) at xmemo.go:", "in m.ScanRows, a call that can fail"},
	}, nil)
}

// TestCallbackLoops checks callbacks the caller passes run once per item
// of a loop: unsafe when a call that can fail may follow a run (the next
// item's, the next page's request) or when the runs go side by side in
// goroutines and can fail; a hook run once before the work, and a visitor
// run after the last call that can fail, are safe.
func TestCallbackLoops(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/callbackloop")
	for _, r := range results {
		res := r.Action.Result.(*retrysafety.Result)
		checkVerdicts(t, res, map[string][]string{
			"fetch":        nil,
			"ForEachShard": {"it runs fn (a function its caller passes, once per iteration of the loop at callbackloop.go:27) at callbackloop.go:31 in fn, a call that can fail; when one run fails, the others may have succeeded, and a retry would run fn again for them"},
			"Each":         {"it runs fn (a function its caller passes, once per iteration of the loop at callbackloop.go:50) at callbackloop.go:51 before the call that can fail (fn at callbackloop.go:51)"},
			"Walk":         {"it runs visit (a function its caller passes, once per iteration of the loop at callbackloop.go:66) at callbackloop.go:67 before the call that can fail (r.fetch at callbackloop.go:62)"},
			"Hook":         nil,
			"VisitAfter":   nil,
			"Pages":        nil,
			"Filter":       nil,
			"VisitShards":  {"it passes c to fn, a function value whose body is not known, so it may write it"},
		})
		for fn, v := range res.Funcs {
			if fn.Name() == "Each" && v.Advice != "retry inside the function the caller passes, or per item, instead" {
				t.Errorf("Each: advice %q", v.Advice)
			}
		}
	}
}

// TestInterfaceStreams checks calls of an interface method whose
// implementation in the interface's package reads or writes a stream
// through its receiver (amqp091-go's Delivery.Ack through Acknowledger,
// which Channel implements by writing a frame): the call uses the stream
// as a call of the implementation does, in the package and, through the
// Writes fact, in callers in others, also when the interface is held in a
// struct passed by value, or in a value a channel of the caller's state
// hands out (which is then no fresh value a split could leave to the
// retry). An interface whose implementations write no stream stays a
// call whose callee is not known.
func TestInterfaceStreams(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/ackiface", "example.com/ackuser")
	const stream = "a stream is not rewound"
	// By name, a method by its receiver's type.
	want := map[string][]string{
		"Channel.send":     {"it writes to ch.w (Write) at ackiface.go:25 in ch.w.Write, a call that can fail"},
		"Channel.Ack":      {"it calls ch.send (which writes to ch.w (Write) at ackiface.go:25)", stream},
		"Delivery.Ack":     {"it calls d.Acknowledger.Ack (which writes to ch.w (Write) at ackiface.go:25)", stream},
		"tally.Count":      nil,
		"Tallied":          nil,
		"AckDelivery":      {"it calls d.Ack (which writes to ch.w (Write) at ackiface.go:25)", stream},
		"AckChannel":       {"it calls ch.Ack (which writes to ch.w (Write) at ackiface.go:25)", stream},
		"AckVia":           {"it calls a.Ack (which writes to ch.w (Write) at ackiface.go:25)", stream},
		"Consumer.AckLast": {"it calls c.Last.Ack (which writes to ch.w (Write) at ackiface.go:25)", stream},
		"Count":            nil,
		"Worker.AckNext":   {"it receives from w.Deliveries at ackuser.go:"},
		"Worker.AckAll":    {"it receives from w.Deliveries at ackuser.go:"},
		"AckFresh":         nil,
	}
	// No split: what is received holds the Channel that the rest
	// acknowledges on, so the rest is no safer to repeat than the whole.
	noKeep := map[string]bool{"Worker.AckNext": true, "Worker.AckAll": true}
	checkVerdictsIn(t, results, true, want, func(name string, v *retrysafety.Verdict) {
		if noKeep[name] && v.Keep != 0 {
			t.Errorf("%s: keeps %d statements outside a retry, want no split", name, v.Keep)
		}
	})
}

// TestInterfaceParamWrites: a call of an interface method writes the
// caller's argument when an implementation in the interface's package
// writes that parameter (sentry-go's SyncTransport attached the pending
// client report to the caller's envelope through ClientReportProvider
// before the send, and a retry attached it again); writes of the
// implementations' receivers stay theirs.
func TestInterfaceParamWrites(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/reportiface", "example.com/reportuser")
	want := map[string][]string{
		"Envelope.AddItem":       nil,
		"Aggregator.AttachTo":    nil,
		"Aggregator.Record":      nil,
		"noop.AttachTo":          nil,
		"Transport.post":         nil,
		"Transport.Send":         {"it calls t.Provider.AttachTo (which sets e.Items[name] at reportiface.go:18) at reportuser.go:28 before the call that can fail (t.post at reportuser.go:29); a retry would repeat it"},
		"Transport.SendCopy":     nil,
		"Transport.SendRecorded": nil,
		"Transport.SendAfter":    nil,
	}
	checkVerdictsIn(t, results, true, want, nil)
}

// TestOnceWrites: the writes of a function literal that a sync.Once
// outliving the call runs happen once per program (or per client), so a
// retry never repeats them; azblob's list pager was refused for zstd's
// predefined tables, filled through a package-level sync.Once. A
// sync.Once made in the body runs its function on every call.
func TestOnceWrites(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/oncefill")
	want := map[string][]string{
		"initTable":          nil,
		"Client.fetch":       nil,
		"Client.Lookup":      nil,
		"Client.Prime":       nil,
		"Client.PrimeShared": nil,
		"Client.Count":       {"it increments hits at oncefill.go:67 before the call that can fail (c.fetch at oncefill.go:68)"},
		"dial":               nil,
		"Client.Conn":        {"it sets c.errs[\"dial\"] at oncefill.go:77 before the call that can fail (c.fetch at oncefill.go:81)"},
	}
	checkVerdictsIn(t, results, true, want, nil)
}

// TestDatabaseWrites checks the database rule (sqlwrites.go) on a
// repository over database/sql: reads are safe; statements that change
// the database, run outside a transaction the body begins or through its
// Commit, are writes at the call that can fail, named by their verb.
func TestDatabaseWrites(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/sqlrepo", "example.com/pgxrepo", "example.com/sqlcrepo", "example.com/gormrepo")
	want := map[string][]string{
		// gorm (gormrepo): the helper that commits, and finishers
		// whose error is a field (gormwrites.go).
		"Move":   {"it runs a transaction with r.DB.WithContext(ctx).Transaction, which commits it at repo.go:21 in r.DB.WithContext(ctx).Transaction, a call that can fail; the connection can fail after the database committed"},
		"Tally":  nil,
		"Insert": {"it runs an INSERT on r.DB (Create) at repo.go:44 in r.DB.WithContext(ctx).Create, a call that can fail;", "the connection can fail after the database executed the statement, so a retry would execute it again"},
		"Rename": {"it runs an UPDATE on r.DB (Update) at repo.go:49"},
		"Bump":   {"it runs an UPDATE on r.DB (Scan) at repo.go:59"},
		"Purge":  {"it runs a DELETE on r.DB (Exec) at repo.go:65"},
		"Swap":   {"it runs a DELETE on tx (Delete) at repo.go:71"},
		// sqlc's queries over its DBTX interface (sqlcrepo).
		"GetAuthor":    nil,
		"CreateAuthor": {"it runs an INSERT on q.db (ExecContext) at queries.go:23 in q.db.ExecContext, a call that can fail;"},
		// pgx's pool and transactions (pgxrepo).
		"Count":   nil,
		"Enqueue": {"it runs an INSERT on s.Pool (Exec) at repo.go:22 in s.Pool.Exec, a call that can fail;"},
		"Claim":   {"it commits tx (Commit) at repo.go:36 in tx.Commit, a call that can fail;"},
		// database/sql (sqlrepo).
		"Get":     nil,
		"List":    nil,
		"Dynamic": {"it runs the SQL of its parameter q on r.DB (QueryContext) at repo.go:68 in r.DB.QueryContext, a call that can fail; its caller chooses the SQL"},
		"Add": {"it runs an INSERT on r.DB (ExecContext) at repo.go:46 in r.DB.ExecContext, a call that can fail;",
			"the connection can fail after the database executed the statement, so a retry would execute it again"},
		"Create":     {"it runs an INSERT on r.DB (QueryRowContext) at repo.go:53"},
		"Upsert":     {"it runs an UPDATE on r.DB (QueryContext) at repo.go:59"},
		"Transfer":   {"it commits tx (Commit) at repo.go:86 in tx.Commit, a call that can fail;", "a retry would run the transaction again"},
		"InTx":       {"it runs an UPDATE on tx (ExecContext) at repo.go:91"},
		"Prepared":   {"it runs a prepared statement on st (ExecContext) at repo.go:97"},
		"Caller":     {"it calls r.Add (which runs an INSERT on r.DB (ExecContext) at repo.go:46) at repo.go:103 in r.Add, a call that can fail"},
		"AfterFetch": {"it runs an UPDATE on r.DB (Exec) at repo.go:113"},
	}
	wantAdvice := map[string]string{
		"Add":      "route only the reads, or make the statement idempotent (a key the database checks, such as ON CONFLICT DO NOTHING) and retry it by hand",
		"Create":   "route only the reads, or make the statement idempotent (a key the database checks, such as ON CONFLICT DO NOTHING) and retry it by hand",
		"Transfer": "retry the transaction by hand, with Commit's error wrapped in recovery.Permanent, or make it idempotent",
		"Move":     "retry the transaction by hand, with Commit's error wrapped in recovery.Permanent, or make it idempotent",
		"Claim":    "retry the transaction by hand, with Commit's error wrapped in recovery.Permanent, or make it idempotent",
	}
	checkVerdictsIn(t, results, false, want, func(name string, v *retrysafety.Verdict) {
		if a := wantAdvice[name]; a != "" && v.Advice != a {
			t.Errorf("%s: advice %q, want %q", name, v.Advice, a)
		}
	})
}

// TestSystemEffects checks the system rule (oseffects.go): a process run,
// a file renamed, appended to or created exclusively, a mail sent, is a
// change made when the call succeeds, which a retry repeats once a later
// call fails; as the last call that can fail it is safe, and so are the
// file system calls a second run leaves as the first (WriteFile,
// RemoveAll, MkdirAll, a truncating open).
func TestSystemEffects(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/oseffects")
	want := map[string][]string{
		"Deployer.notify":  nil,
		"Deployer.Push":    {"it runs a process (exec.Cmd.Run) at oseffects.go:33 before the call that can fail (d.notify at oseffects.go:36); a retry would repeat it"},
		"Deployer.Version": nil,
		"Deployer.Deploy":  nil,
		"Deployer.run":     nil,
		"Deployer.Build":   {"it calls d.run (which runs a process (exec.Cmd.Run) at oseffects.go:59) at oseffects.go:65 before the call that can fail (d.run at oseffects.go:68)"},
		"Deployer.Append":  {"it opens a file for appending (os.OpenFile with O_APPEND) at oseffects.go:73 before the call that can fail (fmt.Fprintln at oseffects.go:78)"},
		"Deployer.Lock":    {"it creates a file that must not exist (os.OpenFile with O_EXCL) at oseffects.go:85 before the call that can fail (d.notify at oseffects.go:90)"},
		"Deployer.Flags":   {"it opens a file (os.OpenFile with flags computed at run time) at oseffects.go:95 before the call that can fail (d.notify at oseffects.go:100)"},
		"Deployer.Save":    nil,
		"Deployer.Move":    {"it renames a file (os.Rename) at oseffects.go:125 before the call that can fail (d.notify at oseffects.go:128)"},
		"Deployer.Clean":   nil,
		"Deployer.Mail":    {"it sends a mail (smtp.SendMail) at oseffects.go:145 before the call that can fail (d.notify at oseffects.go:148)"},
	}
	checkVerdictsIn(t, results, true, want, nil)
}

// TestRangeOverFunc checks range statements over function iterators that
// yield an error (a stream as iter.Seq2[T, error]): each iteration can
// fail at the loop's head, so the body's writes come before a failure.
func TestRangeOverFunc(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/rangefunc")
	checkVerdictsIn(t, results, false, map[string][]string{
		"Stream":   nil,
		"Record":   {"it sets a.transcript at rangefunc.go:43 before the call that can fail (a.c.Stream at rangefunc.go:39); a retry would repeat it"},
		"Ping":     nil,
		"Converse": {"it sets a.transcript at rangefunc.go:60 before the call that can fail (a.c.Stream at rangefunc.go:56)"},
		"Counted":  {"it increments a.asked at rangefunc.go:67 before the call that can fail (seq at rangefunc.go:69)"},
		"Answer":   nil,
		"Ignored":  nil,
	}, nil)
}

// TestGraphQLMutations checks that a GraphQL mutation sent by a call that
// can fail is a write there (genqlient's generated request, machinebox's
// NewRequest, shurcooL's Mutate, a constant document), and a query none.
func TestGraphQLMutations(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/gqlclient")
	const why = "the connection can fail after the server executed the mutation, so a retry would execute it again"
	checkVerdictsIn(t, results, true, map[string][]string{
		"GetProduct":        nil,
		"CreateOrder":       {"it sends a GraphQL mutation (CreateOrder) with client_.MakeRequest at gqlclient.go:43 in client_.MakeRequest, a call that can fail; " + why},
		"Catalog.Product":   nil,
		"Catalog.Order":     {"it calls CreateOrder (which sends a GraphQL mutation (CreateOrder) with client_.MakeRequest at gqlclient.go:43) at gqlclient.go:55 in CreateOrder, a call that can fail"},
		"Orders.Status":     nil,
		"Orders.Place":      {"it sends a GraphQL mutation with o.Client.Run at gqlclient.go:73", why},
		"Inventory.Stock":   nil,
		"Inventory.Reserve": {"it sends a GraphQL mutation with i.Client.Mutate at gqlclient.go:85", why},
		"post":              nil,
		"Inventory.Me":      nil,
		"Inventory.Cancel":  {"it sends a GraphQL mutation with post at gqlclient.go:96", why},
	}, func(name string, v *retrysafety.Verdict) {
		if name == "Orders.Place" && v.Advice != "route only the queries, or make the mutation idempotent (an ID or idempotency key the server checks) and retry it by hand" {
			t.Errorf("%s: advice %q", name, v.Advice)
		}
	})
}

// TestGraphQLSenders checks that a sender posting the GraphQL document
// its caller gives it (genqlient's client.MakeRequest, machinebox's Run)
// is judged by its callers: unsafe itself (its caller may give a
// mutation), a caller passing a query safe, a caller passing a mutation
// unsafe, a caller passing its own parameter's document unsafe and judged
// by its own callers, in the package and in another one.
func TestGraphQLSenders(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/gqlsender", "example.com/gqlsenduser")
	const why = "its caller chooses the document and the tool cannot tell that it is no mutation"
	checkVerdictsIn(t, results, true, map[string][]string{
		"client.MakeRequest":         {"it sends the GraphQL document of its parameter req with c.httpClient.Do at gqlsender.go:40", why},
		"client.Product":             nil,
		"client.Forward":             {"it calls c.MakeRequest (which sends the GraphQL document of its parameter req with c.httpClient.Do at gqlsender.go:40) with the document of its parameter doc", why},
		"client.Logged":              nil,
		"NewMBRequest":               nil,
		"MBClient.Run":               {"it calls c.runWithPostFields (which sends the GraphQL document of its parameter req with c.httpClient.Do at gqlsender.go:120) with the document of its parameter req at gqlsender.go:82", why},
		"MBClient.runWithJSON":       {"it sends the GraphQL document of its parameter req with c.httpClient.Do at gqlsender.go:100", why},
		"MBClient.runWithPostFields": {"it sends the GraphQL document of its parameter req with c.httpClient.Do at gqlsender.go:120", why},
		"MBClient.Search":            nil,
		"Shop.Stock":                 nil,
		"Shop.Order":                 {"it sends a GraphQL mutation (Order) with s.GQL.Run"},
		"Shop.Send":                  {"it calls s.GQL.Run (which calls c.runWithPostFields (which sends the GraphQL document of its parameter req with c.httpClient.Do at gqlsender.go:120) with the document of its parameter req at gqlsender.go:82) with the document of its parameter doc at gqlsenduser.go:26", why},
		"Shop.Cancel":                {"it sends a GraphQL mutation with s.Send"},
		"Shop.Ping":                  nil,
	}, func(name string, v *retrysafety.Verdict) {
		if name == "client.MakeRequest" && v.Advice != "route only the queries, or make the mutation idempotent (an ID or idempotency key the server checks) and retry it by hand" {
			t.Errorf("%s: advice %q", name, v.Advice)
		}
	})
}

// TestFuncVars checks that a call through a local variable set only to
// functions of the package is judged by what those functions do (genai's
// toConverter was taken for an unknown function using the stream its
// client holds), and that a variable whose address escapes, or a
// parameter, is still unknown.
func TestFuncVars(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/funcvar")
	checkVerdictsIn(t, results, true, map[string][]string{
		"toVertex":        nil,
		"toMldev":         nil,
		"drain":           {"it reads c.body (passed to io.ReadAll)"},
		"send":            nil,
		"pick":            nil,
		"Models.Generate": nil,
		"Models.Drain":    {"it calls conv (which reads c.body (passed to io.ReadAll) at funcvar.go:34) at funcvar.go:63 in conv, a call that can fail"},
		"Models.Escaped":  {"it uses the stream held in m.c (passed to conv) at funcvar.go:73"},
		"Models.Given":    {"it uses the stream held in m.c (passed to conv) at funcvar.go:83"},
	}, nil)
}

// TestWeakKeys checks that an entry of a side table keyed by weak
// pointers is a write of the object its key was made from (genai's
// initialPromptTokenCounts.Store(weak.Make(u), n) refused every stream
// as a write of package state), and an ordinary key's the table's.
func TestWeakKeys(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/weakkeys")
	checkVerdictsIn(t, results, true, map[string][]string{
		"setCount":        nil,
		"note":            nil,
		"fetch":           nil,
		"Client.Generate": nil,
		"Client.Annotate": {"it calls setCount (which changes the entry of wp in counts with Store at weakkeys.go:25) at weakkeys.go:62 before the call that can fail (fetch at weakkeys.go:63)"},
		"Client.Plain":    {"it changes plain with Store at weakkeys.go:69 before the call that can fail (fetch at weakkeys.go:70)"},
	}, nil)
}

// TestCassandraStatements checks that gocql's statements are judged by
// the database rule, their CQL found at the head of the query's chain
// (Session.Query(stmt).WithContext(ctx).Exec(), or a query in a local):
// reads are safe, changes and batches are writes at the call.
func TestCassandraStatements(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/cqlrepo")
	const why = "the connection can fail after the database executed the statement, so a retry would execute it again"
	checkVerdictsIn(t, results, true, map[string][]string{
		"Store.Get":       nil,
		"Store.List":      nil,
		"Store.Insert":    {"it runs an INSERT on s.Session (Exec) at cqlrepo.go:31", why},
		"Store.Put":       {"it runs an INSERT on s.Session (Exec) at cqlrepo.go:36", why},
		"Store.Count":     {"it runs an UPDATE on s.Session (Exec) at cqlrepo.go:40", why},
		"Store.Claim":     {"it runs an INSERT on s.Session (ScanCAS) at cqlrepo.go:45", why},
		"Store.InsertAll": {"it runs a batch on s.Session (ExecuteBatch) at cqlrepo.go:53", why},
		"Store.Run":       {"it runs the SQL of its parameter cql on s.Session (Exec) at cqlrepo.go:58"},
		"Store.Truncate":  {"it calls s.Run (which runs the SQL of its parameter cql on s.Session (Exec) at cqlrepo.go:58) with a DELETE"},
	}, nil)
}

// TestLibraryLoggers checks that a line written through a library's own
// logger (franz-go's kgo.Logger, whose BasicLogger writes to an
// io.Writer) is a log line, meant to repeat, not a stream write: kgo's
// produce calls were refused for it.
func TestLibraryLoggers(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/liblogger")
	checkVerdictsIn(t, results, true, map[string][]string{
		"basicLogger.Log": nil,
		"BasicLogger":     nil,
		"send":            nil,
		"Client.Produce":  nil,
		"Client.Queue":    {"it sends on c.queue at liblogger.go:47 before the call that can fail (send at liblogger.go:49)"},
		"Client.Echo":     {"it writes to c.out (passed to fmt.Fprintln) at liblogger.go:55 before the call that can fail (send at liblogger.go:56)"},
	}, nil)
}

// TestRequests checks the request rule (requests.go): a POST or PATCH
// that succeeded, before another call that can fail, is sent again by a
// retry, whether it is made in the body (net/http, a helper taking the
// method) or in a callee of another package (the Writes fact); the last
// request, a PUT, and the calls handling a request's own response are
// no reason to refuse.
func TestRequests(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/reqsdk", "example.com/requser")
	want := map[string][]string{
		"Client.NewRequest":     nil,
		"Client.do":             nil,
		"Client.send":           nil,
		"Client.CreateIssue":    nil,
		"Client.AddLabels":      nil,
		"Client.GetIssue":       nil,
		"Client.Replace":        nil,
		"Client.CreateAndLabel": {"it calls c.CreateIssue (which sends a POST (c.NewRequest) at sdk.go:70) at sdk.go:96, which the server may have acted on, before the call that can fail (c.AddLabels at sdk.go:100); a retry would send it again"},
		"Client.GetThenCreate":  nil,
		"Client.ReplaceThenGet": nil,
		"Client.LabelEach":      {"it calls c.AddLabels (which sends a POST (c.send) at sdk.go:78) at sdk.go:123, which the server may have acted on, before the call that can fail (c.AddLabels at sdk.go:123)"},
		"Client.PostThenPatch":  {"it sends a POST (c.hc.Post) at sdk.go:134, which the server may have acted on, before the call that can fail (http.NewRequestWithContext at sdk.go:147); a retry would send it again"},
		"Client.postRaw":        nil,
		"decode":                {"it reads resp.Body (passed to json.NewDecoder) at sdk.go:170"},
		"Client.Start":          nil,
		"Client.NewPostRequest": nil,
		"Tracker.Open":          {"it calls t.c.CreateIssue (which sends a POST (c.NewRequest) at sdk.go:70) at user.go:17, which the server may have acted on, before the call that can fail (t.c.AddLabels at user.go:21)"},
		"Tracker.Create":        nil,
		"Tracker.OpenAll":       {"it calls t.c.CreateAndLabel (which sends a POST (c.NewRequest) at sdk.go:70) at user.go:35 in t.c.CreateAndLabel, a call that can fail; it sends the request before it can fail, so a failed call may have been acted on already and a retry would send it again"},
		"Tracker.Lookup":        nil,
		"Client.CreateTyped":    nil,
		"Issue.validate":        nil,
		"AcceptedError.Error":   nil,
		"Client.Review":         nil,
		"Client.Upload":         nil,
		"Client.Pull":           nil,
		"Client.build":          nil,
		"Client.Build":          nil,
		"Client.PullThenTag":    {"it sends a POST (c.send) at sdk.go:284, which the server may have acted on, before the call that can fail (c.send at sdk.go:286)"},
		// A last value written by the callee stays one (pagerduty's
		// CreateIncident sets the caller's o.Type = "incident").
		"Tracker.CreateTyped":         nil,
		"Tracker.CreateTypedAndLabel": {"it calls t.c.CreateTyped (which sends a POST (c.NewRequest) at sdk.go:207) at user.go:60, which the server may have acted on, before the call that can fail (t.c.AddLabels at user.go:64)"},
	}
	checkVerdictsIn(t, results, true, want, func(name string, v *retrysafety.Verdict) {
		if !v.Safe() && name != "decode" && v.Advice != "route the calls separately (the request alone, then the rest), or make the request idempotent, e.g. with an idempotency key the server checks" {
			t.Errorf("%s: advice %q", name, v.Advice)
		}
	})
}

// TestBuiltSQL checks how the database rule follows a query's SQL built
// at run time (sqltext.go): a read only when it can follow the SQL to a
// verb that reads; a parameter's SQL judged by each caller's argument,
// across packages (the Queries of the Writes fact).
func TestBuiltSQL(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/sqlhelper", "example.com/sqlbuilt")
	built := "the tool cannot tell that it only reads, and a statement that changes the database can fail after the database executed it, so a retry would execute it again"
	want := map[string][]string{
		// sqlhelper: its callers' SQL.
		"DB.Query":    {"it runs the SQL of its parameter q on d.SQL (QueryContext) at helper.go:18 in d.SQL.QueryContext, a call that can fail; its caller chooses the SQL and the tool cannot tell that it only reads"},
		"DB.QueryRow": nil, // no error to retry; its callers judge their SQL
		"DB.Get":      {"it calls d.Query (which runs the SQL of its parameter q on d.SQL (QueryContext) at helper.go:18) with the SQL of its parameter q at helper.go:31"},
		// sqlbuilt.
		"Repo.Sprintf":        nil,
		"Repo.SprintfUpdate":  {"it runs an UPDATE on r.DB (QueryRowContext) at repo.go:"},
		"Repo.Filtered":       nil,
		"Repo.Either":         nil,
		"Repo.Claim":          {"it runs a DELETE on r.DB (QueryContext)"},
		"Repo.Built":          nil,
		"Repo.Squirrel":       nil,
		"Repo.SquirrelInsert": {"it runs an INSERT on r.DB (QueryRowContext)"},
		"Repo.Table":          nil,
		"Repo.Named":          {"it runs an UPDATE on r.DB (QueryContext)"},
		"Repo.Field":          {"it runs a query whose SQL is built at run time on r.DB (QueryContext) at repo.go:", built},
		"Repo.Verbless":       {"it runs a query whose SQL is built at run time on r.DB (QueryContext)", built},
		"Repo.HelperRead":     nil,
		"Repo.HelperInsert":   {"it calls r.H.Query (which runs the SQL of its parameter q on d.SQL (QueryContext) at helper.go:18) with an INSERT at repo.go:", "so a retry would execute it again"},
		"Repo.HelperDeep":     nil,
		"Repo.HelperField":    {"it calls r.H.Get (which calls d.Query (which runs the SQL of its parameter q on d.SQL (QueryContext) at helper.go:18) with the SQL of its parameter q at helper.go:31) with SQL built at run time", built},
		"Repo.Pass":           {"it calls r.H.Get (which", "with the SQL of its parameter q at repo.go:"},
		"Repo.PassRead":       nil,
		"Repo.Slice":          nil,
		"Repo.SelfAppend":     {"it runs a query whose SQL is built at run time on r.DB (QueryContext)", built},
		"Repo.Trimmed":        {"it runs the SQL of its parameter q on r.DB (QueryContext)"},
	}
	checkVerdictsIn(t, results, true, want, func(name string, v *retrysafety.Verdict) {
		if strings.Contains(v.Reason, "the tool cannot tell") {
			if want := "start the query's SQL with a constant that names its verb (\"SELECT ...\"), or route only the reads"; v.Advice != want {
				t.Errorf("%s: advice %q, want %q", name, v.Advice, want)
			}
		}
	})
}

// TestFieldSQL checks that the database rule follows SQL held in an
// unexported field of the package to every value the package gives it
// (sqltext.go); an exported field, or one set from a parameter, stays
// SQL built at run time.
func TestFieldSQL(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/sqlfield")
	built := "it runs a query whose SQL is built at run time on s.db (QueryContext)"
	checkVerdictsIn(t, results, true, map[string][]string{
		"NewStore":          nil,
		"Store.SetQuery":    nil,
		"Store.List":        nil,
		"Store.Claim":       {"it runs an UPDATE on s.db (QueryRowContext) at store.go:"},
		"Store.Table":       nil,
		"Store.Custom":      {built},
		"Store.Get":         nil,
		"Store.Bump":        {"it runs an UPDATE on s.db (QueryRowContext) at store.go:"},
		"Store.Count":       nil,
		"Store.Purge":       {"it runs a DELETE on s.db (QueryContext) at store.go:"},
		"Store.RunExported": {built},
	}, nil)
}

// TestClickHouseWrites checks the database rule on clickhouse-go v2's
// native interface (driver.Conn, driver.Batch): a batch's Send, an
// INSERT through Exec or AsyncInsert are writes at the call that can
// fail; preparing and filling a batch and the reads are not.
func TestClickHouseWrites(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/chrepo")
	want := map[string][]string{
		"Write":       {"it sends the batch batch (Send) at metrics.go:26 in batch.Send, a call that can fail;", "the connection can fail after the database inserted the batch, so a retry would insert its rows again"},
		"Prepare":     nil,
		"Record":      {"it runs an INSERT on m.Conn (Exec) at metrics.go:40 in m.Conn.Exec, a call that can fail;"},
		"RecordAsync": {"it runs an INSERT on m.Conn (AsyncInsert) at metrics.go:45 in m.Conn.AsyncInsert, a call that can fail;"},
		"Total":       nil,
		"Names":       nil,
	}
	checkVerdictsIn(t, results, false, want, func(name string, v *retrysafety.Verdict) {
		if name == "Write" && v.Advice != "route only the reads, or retry the batch by hand into a table that deduplicates inserts (an insert_deduplication_token)" {
			t.Errorf("Write: advice %q", v.Advice)
		}
	})
}

// TestDebugTraces checks prints that run only when a debug switch is on
// (a boolean variable, field or method named for debugging, verbosity or
// tracing, in an if's condition): traces, which a retry may repeat as it
// repeats a log line; other prints stay writes.
func TestDebugTraces(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/debugtrace")
	checkVerdictsIn(t, results, false, map[string][]string{
		"call":      nil,
		"do":        nil,
		"Get":       nil,
		"Put":       nil,
		"Nested":    nil,
		"Report":    {"it prints to os.Stdout with fmt.Println at debugtrace.go:69 before the call that can fail (c.call at debugtrace.go:70); a retry would repeat it"},
		"Quiet":     {"it prints to os.Stdout with fmt.Println at debugtrace.go:76 before the call that can fail (c.call at debugtrace.go:78); a retry would repeat it"},
		"Otherwise": {"it prints to os.Stdout with fmt.Println at debugtrace.go:86 before the call that can fail (c.call at debugtrace.go:88); a retry would repeat it"},
	}, nil)
}

// TestLocalClosures checks that a function literal held in a local
// variable and only called is judged where it runs: at each call, once,
// twice, in a loop or deferred; one handed to another function stays
// judged where it is written.
func TestLocalClosures(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/closures")
	checkVerdictsIn(t, results, true, map[string][]string{
		"Uploader.check":        nil,
		"Uploader.Publish":      nil,
		"Uploader.PublishTwice": {"it calls send (which sends a POST (u.hc.Post) at closures.go:48) at closures.go:54, which the server may have acted on, before the call that can fail (u.check at closures.go:57); a retry would send it again"},
		"Uploader.Cleanup":      nil,
		"Uploader.CleanupFirst": {"it calls remove (which removes a file (os.Remove) at closures.go:74) at closures.go:75 before the call that can fail (u.check at closures.go:78); a retry would repeat it"},
		"Uploader.Deferred":     nil,
		"Uploader.Mark":         nil,
		"Uploader.MarkFirst":    {"it calls mark (which increments u.n at closures.go:100) at closures.go:101 before the call that can fail (u.check at closures.go:102); a retry would repeat it"},
		"Uploader.Step":         {"it calls step (which increments u.n at closures.go:109) at closures.go:112 in step, a call that can fail; it has that effect before it can fail"},
		"Uploader.Captured":     {"it calls step (which increments u.n at closures.go:120) at closures.go:123 in step, a call that can fail; it has that effect before it can fail"},
		"Uploader.Handed":       {"it increments u.n at closures.go:130 before the call that can fail (u.check at closures.go:132)"},
		"run":                   nil,
		"Uploader.Loop":         {"it calls send (which sends a POST (u.hc.Post) at closures.go:141) at closures.go:148, which the server may have acted on, before the call that can fail (send at closures.go:148)"},
	}, nil)
}

// TestRequestThenPlainFailure checks that a POST followed only by calls
// that cannot fail transiently (parses, decodes of bytes in memory, a
// validation of the package's own) is no reason to refuse: the default
// classifier never retries their failures (transient.go).
func TestRequestThenPlainFailure(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrysafety.Analyzer, "example.com/reqplain")
	checkVerdictsIn(t, results, true, map[string][]string{
		"Custom.UnmarshalJSON": nil,
		"apiError.Error":       nil,
		"Client.create":        nil,
		"Client.get":           nil,
		"Created.validate":     nil,
		"wrapped":              nil,
		"Client.Parse":         nil,
		"Client.Validate":      nil,
		"Client.Decode":        nil,
		"Client.DecodeCustom":  {"it calls c.create (which sends a POST (c.hc.Post) at reqplain.go:56) at reqplain.go:138, which the server may have acted on, before the call that can fail (json.Unmarshal at reqplain.go:143)"},
		"Client.Unavailable":   {"before the call that can fail (strconv.Atoi at reqplain.go:"},
		"Client.Fetch":         {"before the call that can fail (c.get at reqplain.go:"},
		"Client.Wrap":          {"before the call that can fail (wrapped at reqplain.go:"},
	}, nil)
}
