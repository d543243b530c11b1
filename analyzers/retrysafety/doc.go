// Package retrysafety defines an Analyzer that decides, for every function
// declaration of a package, whether running its body twice is safe: the
// question -fix must answer before it wraps a body in a retry.
//
// # Analyzer retrysafety
//
// retrysafety: decide whether running a function's body twice is safe
//
// It reports no diagnostics. Its Result gives a Verdict per function
// declaration (retrycoverage refuses to rewrite an unsafe agent method and
// says why), and its Writes fact tells callers in any package what a
// function writes.
//
// # The rule
//
// A body is safe to run twice when it writes nothing that outlives the
// run before its last call that can fail. A call that can fail is a call
// whose callee's last result is error, other than errors.New, errors.Join
// and fmt.Errorf, whose error is not dropped (a call statement, or the
// error assigned to _). "Before" is decided on the control-flow graph: a
// write is before a failing call when the call can run after it on some
// path, so a write in a loop that calls failing work is before the next
// iteration's call, and a write on a path that returns without failing
// work is not.
//
// State that outlives the run:
//
//   - receiver fields through a pointer receiver (a value receiver's own
//     fields are a copy, but maps, slices and pointers held in it are
//     shared);
//   - package variables, of any package;
//   - memory behind pointer, map, slice and channel parameters;
//   - channels other than those made in the body: sends, receives, close
//     (receives from a chan struct{}, a done or quit signal, observe a
//     close and consume nothing);
//   - locals that alias any of these (items := c.items; items[0] = x),
//     conversions that keep the reference included (s2 :=
//     (*ActionsService)(s): a pointer, slice, map or channel converted to
//     another such type, or to an interface), and values holding
//     references received from such a channel (d, ok := <-c.deliveries;
//     for d := range c.deliveries: another goroutine made them, and
//     amqp091-go's Delivery holds the Channel that d.Ack writes to);
//   - streams held in that state: a call of Read..., Write..., Decode,
//     Encode, Scan, Next, Token, RawToken, Recv or Flush on a field,
//     parameter or package variable whose type is a stream or holds one
//     (an io.Reader, io.Writer, io.ByteReader, io.ByteWriter or
//     io.StringWriter such as a net.Conn, an *os.File or a *bufio.Writer;
//     an interface with such a method, such as a gRPC stream; a struct
//     holding one in its fields, within four levels, such as a
//     json.Decoder or a bufio.Scanner: the type decides, not the name,
//     so base64.StdEncoding.Encode, which writes into the slice it is
//     given, is no stream write; Next, Scan, Token, RawToken and Recv
//     with a pointer receiver advance a cursor even over memory, such as
//     a go/scanner Scanner, and count whatever the type); such a reader
//     or writer passed to a function (fmt.Fprintf(c.out, ...),
//     io.ReadAll(c.body)), or any value holding a stream passed to a
//     function value, whose code is not known (yaml.v3's emitter, which
//     holds the caller's io.Writer, given to its write_handler); the
//     body given to go-retryablehttp's NewRequest or
//     NewRequestWithContext, which buffers a stream whole, when its type
//     may hold one (an interface{}, an io.Reader that cannot seek, a
//     function: targets.ReadsBody), whatever the static type says: go-tfe's
//     Client.NewRequest passes its reqBody interface{} for a PUT;
//     fmt.Print, Printf and Println write to os.Stdout; io.Discard
//     (and io/ioutil.Discard, the same writer) is no stream, nor is
//     crypto/rand.Reader, a source of random bytes without a position
//     (gorilla/websocket reads a handshake key from it on every dial),
//     so reading it again repeats nothing;
//   - a database, through database/sql's DB, Conn, Tx and Stmt, sqlx's
//     and pgx's (v4, v5, pgxpool), or an interface standing for them (a
//     method with a result of their types: sqlc's DBTX): a statement that changes it (Exec...,
//     NamedExec..., CopyFrom, SendBatch; a Query... whose SQL is an
//     INSERT, an UPDATE, a DELETE..., or a WITH holding one, such as
//     INSERT ... RETURNING id, or whose verb the rule cannot follow
//     through constants, concatenations, fmt.Sprintf, locals, tables of
//     queries and query builders: "SQL built at run time", which it
//     cannot tell only reads) is a write at the very call that can
//     fail, since the connection can drop after the server executed it
//     and a retry would execute it again; so is Commit, after which a
//     retry would run the transaction again, and so is a helper that runs
//     a function in a transaction and commits it (gorm's DB.Transaction,
//     pgx's BeginFunc and BeginTxFunc). Statements in a transaction
//     the body begins are kept only by its Commit; in the caller's
//     transaction (a field, a parameter) each is a write. Queries that
//     read are none; a query of a parameter's SQL is judged at each call
//     by the caller's argument (the Queries of the Writes fact)
//     (sqlwrites.go, sqltext.go); gorm's finishers that change the
//     database (Create, Save, Update..., Delete, Exec, a Raw write) and
//     Commit likewise, their error being the Error field of the *gorm.DB
//     they return (gormwrites.go, targets.ErrorFieldCalls); gocql's
//     statements too, their CQL found at the head of the query's chain
//     (Session.Query(stmt).WithContext(ctx).Exec()), and its batches
//     (cqlwrites.go); a GraphQL mutation sent, and a send of a document
//     a parameter gives (genqlient's MakeRequest), judged at each call by
//     the caller's argument (the Documents of the Writes fact,
//     gqlwrites.go);
//   - the world outside the process, through the standard library: a
//     process run by os/exec (Cmd.Run, Start, Output, CombinedOutput),
//     a file renamed, removed or linked, a directory made (os.Rename,
//     Remove, Link, Symlink, Mkdir: a second run finds them done and
//     fails), a file opened to append to or to create exclusively
//     (os.OpenFile with O_APPEND or O_EXCL, or flags computed at run
//     time), a process signalled, a mail sent (net/smtp.SendMail). The
//     change is made when the call succeeds: a write at the call's end,
//     so it matters when a call that can fail comes after it, not when
//     it is the last (oseffects.go). WriteFile, Create, RemoveAll and
//     MkdirAll leave what one run leaves and are none;
//   - a server, through a POST or PATCH request that succeeded
//     (requests.go): http.NewRequest... with a constant method,
//     http.Post, a helper taking the method as a parameter (the
//     MethodParam fact: go-github's, godo's, go-jira's NewRequest) called
//     with POST or PATCH. Unlike the writes above, it is an effect only
//     before a later call that can fail (a request retried alone is a
//     transient failure retried), and the calls that handle its own
//     outcome (its Do, the reading and decoding of its response, the
//     handling of its error) are part of it: "it calls t.gh.Issues.Create
//     (which sends a POST (s.client.Do) at issues.go:316) at t.go:12,
//     which the server may have acted on, before the call that can fail
//     (t.gh.Issues.AddLabelsToIssue at t.go:16); a retry would send it
//     again";
//   - calls of functions that do such writes: known through the Writes
//     fact (transitively, in any package; within the package as a fixed
//     point, so recursion ends; the message names the callee and the
//     write in it that reaches the caller's state), or, for callees whose bodies are not
//     analyzed (the standard library, the resilience runtime, interface
//     methods), by the stream rule above, by a method with a pointer
//     receiver called on a value field of that state (c.buf.WriteString,
//     c.hits.Add) unless it only reads or locks (sync.Mutex and
//     sync.RWMutex locking, sync.Once.Do, Load... other than sync.Map's
//     LoadOrStore and LoadAndDelete, Len, String, Bytes,
//     Wait, Err...),
//     and by &x of that state passed as an argument (json.Unmarshal(b,
//     &c.cfg); sync/atomic's Load functions only read it).
//     An interface method of which those rules find nothing is judged
//     by its implementations in the interface's own package: a call of
//     it reads or writes the streams they read or write through their
//     receiver or parameters, and writes the arguments they write
//     through their parameters (their Writes facts; not their other
//     receiver writes: an implementation that counts or caches is no
//     reason to refuse every call), so amqp091-go's Delivery.Ack, which
//     calls d.Acknowledger.Ack, writes the frame Channel.Ack writes, and
//     sentry-go's provider.AttachToEnvelope(envelope) writes the
//     caller's envelope, as the package's Aggregator appends to it. A struct
//     passed by value as a receiver passes the references it holds: the
//     callee's writes through it reach what they point to;
//   - calls through function values (a field, variable, map entry or call
//     result of func type, not a literal called on the spot): their bodies
//     are not known, so a pointer to that state passed to one may be
//     written, and at any point of the call, so even as the last call
//     that can fail (msgpack's decode := getDecoder(t); return decode(d,
//     v) reads the stream d holds). Maps, slices and interfaces passed to
//     one are taken as read. A local variable that the package sets
//     only to functions declared at package level (genai's toConverter)
//     is no such value: a call through it is judged as a call of each;
//   - runs of a callback the caller passes (a parameter of function type)
//     once per item of a loop of the body, in it or in a function literal
//     inside it (a goroutine per item, an errgroup's Go): what the
//     callback does is not known, and a retry would do it again for the
//     items it succeeded on (go-redis's Ring.ForEachShard runs the
//     caller's fn on every shard). Unless a rule above already makes the
//     call a write (a stream, or a pointer to state, handed to the
//     callback: pflag's VisitAll), such a run counts as a write (before
//     the next item's run, the next page's request, a flush after the
//     loop); in a function literal, runs of a callback with an error
//     result go side by side and are unsafe by themselves ("it runs fn (a
//     function its caller passes, once per iteration of the loop at
//     ring.go:798) at ring.go:806 in fn, a call that can fail; when one
//     run fails, the others may have succeeded, ..."). A callback run once
//     (a hook before the work, a visitor of the one result) is not such a
//     write: repeating a hook before the work on a retry is what it is
//     for; nor is a callback with results and no error (a filter, a key
//     function: called for its value, pure by convention).
//
// Writes to locals, to fresh values made in the body (&T{}, make, new,
// call results), to sync.Mutex (Lock, Unlock), in deferred calls (they run
// after every call that can fail), after the last call that can fail, on
// paths that end in a call that never returns (panic, os.Exit,
// log.Fatal: no error comes back to retry), and in the function literals
// handed to the Do of a sync.Once that outlives the run (a package
// variable, a field of the receiver or of a parameter) when they make no
// call that can fail (tables filled once per program, such as
// klauspost/compress's zstd tables: a retry does not run them again) are
// fine. A sync.Once made in the body runs its function on every call, and
// one whose function can fail keeps that failure for later calls (a retry
// would find the stored error again rather than try): their writes count.
//
// # Effects meant to repeat
//
// Some calls write state that outlives the run, yet repeating them on
// every attempt is what they are for: a call of one of these is not a
// write (it can still fail). They are matched by the type-checked callee
// as declared ("import/path.Type.Method": a promoted method by the type
// that declares it, an interface method by its interface):
//
//   - rate limiters: golang.org/x/time/rate Limiter.Wait, WaitN, Allow,
//     AllowN, Reserve, ReserveN (SetLimit and SetBurst are not: they
//     reconfigure); go.uber.org/ratelimit Limiter.Take;
//   - metrics: github.com/prometheus/client_golang/prometheus Counter.Inc,
//     Add; Gauge.Set, Inc, Dec, Add, Sub, SetToCurrentTime;
//     Observer.Observe, Histogram.Observe, Summary.Observe;
//     ExemplarAdder.AddWithExemplar, ExemplarObserver.ObserveWithExemplar;
//     With, WithLabelValues, GetMetricWith and GetMetricWithLabelValues of
//     CounterVec, GaugeVec, HistogramVec and SummaryVec (they create the
//     labelled child lazily); expvar Int.Add, Int.Set, Float.Add,
//     Float.Set, Map.Add, Map.AddFloat, Map.Set, String.Set;
//   - logs: log.Print, Printf, Println and the same Logger methods;
//     log/slog Debug, Info, Warn, Error (and ...Context), as functions and
//     Logger methods, and Logger.Log, LogAttrs; go.uber.org/zap
//     Logger.Log, Debug, Info, Warn, Error and SugaredLogger's Log, Debug,
//     Info, Warn, Error with the suffixes "", f, w, ln;
//     github.com/sirupsen/logrus Trace, Debug, Info, Print, Warn, Warning,
//     Error with the suffixes "", f, ln, as functions and Logger and Entry
//     methods (which also have Log, Logf, Logln). A log line per attempt
//     records the attempt and changes nothing the program computes, so it
//     is not a write, though the standard logger writes to os.Stderr;
//     fmt.Print, Printf and Println stay writes: os.Stdout is the
//     program's output (a command's "unknown command" printed once per
//     attempt), except as debug traces (below). Fatal and Panic are not
//     listed: they end the path;
//   - debug traces: fmt.Print, Printf and Println, and fmt.Fprint,
//     Fprintf and Fprintln to os.Stdout or os.Stderr, in the then-branch
//     of an if of the same function whose condition is, or has as an
//     operand of its &&, a debug switch: a boolean variable or field, or
//     a boolean call without arguments, named for debugging, verbosity or
//     tracing (if Debug, if c.Verbose && n > 0, if log.IsTraceEnabled()).
//     Such a print traces the attempt, as a log line does. A library's
//     own logger is one too: a method named as a log level (Log, Print,
//     Debug, Info, Warn, Warning, Error, Trace, with those suffixes or
//     Context) of a type whose name ends in "Logger", with no result
//     (franz-go's kgo.Logger and BasicLogger over an io.Writer);
//   - sync.Pool Get and Put (a pool may drop what it holds), sync.Cond
//     Signal and Broadcast (a waiter rechecks its condition, so another
//     wake-up changes nothing) and sync.WaitGroup.Go (it pairs its Add with
//     the Done of the goroutine it starts, whose own writes are judged as
//     the body's).
//
// Not listed, and still writes: sync.WaitGroup Add and Done (repeating
// one without the other unbalances the counter, and Wait never returns or
// Done panics), atomic values (sync/atomic Int64.Add, ...: a counter that
// the program reads back is state, even when used as a metric), and any
// other method of the listed types. The config key repeatable-funcs
// (package config, same syntax as retry-funcs) adds a team's own:
// repeatable-funcs: ["example.com/metrics.Counter.Inc"]. A function that
// only calls such effects writes nothing, so it has no Writes fact and its
// callers are safe too.
//
// # Last values
//
// A write that is overwritten on every attempt with a value that does not
// depend on the old one, and that nothing the retry re-runs reads back,
// leaves the state exactly as one attempt leaves it: repeating it is not a
// change of behaviour. godo's Client.Do stores the last response's
// rate-limit headers (c.ratemtx.Lock(); c.Rate = response.Rate;
// c.ratemtx.Unlock()) before it checks the status; without this rule
// every method calling it was refused. Such a write is not unsafe when:
//
//   - it is a plain = (not +=, ++, a map or slice element, a send) to a
//     package variable or to a field of a named struct type, reached
//     through fields and pointers from the receiver, a parameter or a
//     package variable (c.rate, c.stats.Last, lastKey);
//   - the location belongs to the function's own package (writes to
//     another package's fields stay writes: that package's reads of them
//     are not tracked);
//   - no code the retry re-runs reads the location: the body itself
//     (deferred calls and function literals included) and, transitively,
//     every function it calls or refers to as a value (f := c.get),
//     through their Reads facts. A use counts
//     as a read unless it is the left side of a plain = or the base of a
//     field selection (c.Rate.Limit reads Limit, not all of Rate); a
//     write of c.Rate.Limit is read by a read of c.Rate, and a write of
//     c.Rate by a read of c.Rate.Limit. A value or pointer of a named
//     struct type passed to code whose body is not analyzed (fmt, json,
//     reflect, an interface method, a function value) or where a callee
//     takes an interface (a request body handed to an encoder) counts as
//     a read of all its fields. So the right side reading the location
//     (c.n = c.n + 1, c.buf = append(c.buf, x), c.page = c.page + 1) and
//     a flag read back (c.closed = true, then if c.closed { return
//     ErrClosed }, here or in a callee) keep the write unsafe.
//
// A mutex around the write changes nothing (Lock and Unlock are not
// writes). A pointer stored as a last value (c.cfg = cfg) is itself
// fine; a write through it (c.cfg.Retries++) is judged on its own. A call
// whose every write reaching the caller's state is such a write (Writes
// LastValue) is judged the same way in the caller, with the caller's own
// reads: a method calling godo's Do may be retried unless it reads
// Client.Rate back (GetRate). When an attempt stops before the write, the
// location keeps the previous attempt's value, as it would after one
// failed call.
//
// Not tracked, as for writes: reads through function values the body
// receives (a callback field or parameter) and interface methods, whose
// code the body cannot see, and reflection on values handed on as
// something other than a struct or an interface.
//
// # Memo caches
//
// A store that fills a memoisation cache — under a key, the entry a
// look-up of that key has just missed, with the value the function then
// returns — leaves after two attempts what one attempt leaves: the second
// attempt finds the entry and returns it instead of computing it again,
// as any later call would. Such a store is no write at all: not in the
// function's verdict, not in its Writes fact, so its callers may be
// retried (yaml.v3's getStructInfo, go-toml's planForType, msgpack's
// getDecoder, all called before a call that can fail). It is recognised
// in a function declaration's top-level statements only:
//
//   - the look-up (the guard), before the store: if v, ok := M[K]; ok
//     { ...; return ..., v, ... }; or v, ok := M[K] followed, with only
//     call statements between (an RUnlock), by if ok { ...; return ...,
//     v, ... }; for a map, v := M[K] and v != nil in place of ok; for a
//     sync.Map, M.Load(K) in place of M[K]. The if has no else and its
//     block ends in a return that uses v: a hit returns the entry;
//   - the store, a later statement: M[K] = V (a plain =, one value, M a
//     map) or M.Store(K, V) (a sync.Map), with M and K the guard's (the
//     same expression over the same variables); or x, loaded :=
//     M.LoadOrStore(K, V), which needs no guard (it fills only a missing
//     entry), also as if x, loaded := M.LoadOrStore(K, V); loaded {
//     return ..., x, ... } (bun's Scanner); a call x.F(K, V) of a method
//     of the package that only forwards two of its parameters to a
//     LoadOrStore of a sync.Map its receiver holds and returns what that
//     returned (aws-sdk-go-v2's attributevalue: fieldCacher.LoadOrStore,
//     called by unionStructFields) is such a LoadOrStore, with M the
//     call's x;
//   - a concurrent map of another package with sync.Map's API (methods
//     Load(K) (V, bool), Store(K, V) and LoadOrStore(K, V) (V, bool):
//     puzpuzpuz/xsync's MapOf) counts as a sync.Map, and its memo stores
//     are no writes whatever its code writes (a resize flag, its table);
//   - the key K is the same on every attempt: constants, parameters and
//     the receiver never assigned in the body, locals assigned once from
//     such values, and composite literals (msgpack's structCacheKey{tag,
//     typ}), conversions, operators and reflect functions and methods
//     over them. A field or package variable read, or a call of anything
//     else (a counter, a clock), is not: each attempt could add an entry;
//   - the value V is a local variable of the body, not computed from a
//     stream: no value assigned to it, or to the locals those values use,
//     receives from a channel, calls a stream method on a stream or
//     passes an io.Reader or io.Writer to a call; not a parameter (a
//     value the caller gives is not computed from the key);
//   - after the store come only sync.Mutex and sync.RWMutex Unlock and
//     RUnlock calls and a return without calls (conversions aside) whose
//     results are V (for LoadOrStore, its results may stand for it),
//     constants or nil, one at least using V: nothing can fail or write
//     once the entry is there, so an attempt that stored it succeeded
//     (not v, err := f(); m[k] = v; return v, err, which stores a failed
//     attempt's value for the next attempt to find), and what a hit
//     returns is what the miss returned.
//
// Locks around the look-up and the store change nothing. Not memo
// stores, and judged as writes as before: a store followed by a call that
// can fail (a retry would find the entry and skip that call), a
// placeholder stored before the value is complete (a recursive compiler's
// entry filled in later), a store under a key not looked up first, under
// another key, or in a branch or loop; a set of seen keys whose hit
// returns something else than the entry (if seen[k] { return false }:
// a retried caller would skip what it did after the first mark);
// counters and appends in the entry (m[k]++, m[k] = append(m[k], x)),
// deletes, entries keyed by a counter or the clock, values read from a
// stream or given by the caller. Slices indexed as caches (goccy/go-json's
// cachedDecoder[index], keyed by an offset read from a package variable)
// and maps copied on write behind atomic.StorePointer or atomic.Value are
// not recognised: declare them (below).
//
// # Side tables keyed by weak pointers
//
// A map or sync.Map whose keys are weak.Pointer values holds an entry per
// object, dropped with it: storing or deleting an entry is a write of the
// object the key was made from (M.Store(weak.Make(u), n): u), so it is a
// write of the caller's state only when that object is; an entry of an
// object the body cannot name (a weak pointer it was given, as a cleanup
// is) is none (weakkeys.go). genai keeps a stream's first prompt token
// count per response this way, which made every stream a write of
// package state.
//
// # Declared repeatable writes
//
// What the rules cannot prove (a cache that is read back, such as cached
// credentials; a write through a map other than a memo store) can be
// declared:
//
//   - //resilience:repeatable <reason> in the doc or line comment of a
//     struct field or package variable (the reason is required;
//     retrycoverage reports a directive without one);
//   - the config key repeatable-writes (package config):
//     repeatable-writes: ["github.com/digitalocean/godo.Client.Rate"],
//     "import/path.Type.Field" or "import/path.Var"; an entry naming no
//     such field or variable is an error naming its line.
//
// Every write to a declared location, or inside it (c.cache[k] = v,
// c.n++, delete(c.cache, k), c.buf.Reset(), &c.cfg passed on, a send on
// it, a write to the writer it holds such as a trace output), is then not
// a write, whatever reads it. Reading a stream or receiving from a channel
// held in it stays unsafe: consumed input is not a write that repeats.
//
// A write that happens inside the failing call itself is unsafe even when
// that call is the last: reading a stream held in the receiver (a
// failed Decode has consumed input, and a retry decodes the next
// document), calling a function whose Writes fact says it writes
// before it can fail (Early), or calling a function that reads or writes
// a stream reaching the caller's state, however deep in its callees
// (Writes.Streams), after a deferred handler that turns panics into the
// error: such a callee may fail anywhere, after its output was written
// (yaml.v3's Encoder.Encode: marshalDoc, emit, yaml_emitter_flush, the
// write_handler that writes to the caller's io.Writer). The message then
// names the stream operation rather than the callee's first write.
//
// Loops: a loop that makes calls that can fail and carries a cursor from
// one iteration to the next — a variable declared outside its body, set in
// the loop from what a call that can fail returned (directly or through
// other variables), after a failing call of the loop reads it: a page
// token, an offset advanced by each page — is not something to restart:
// the body is unsafe, and so is a caller whose failing call is such a
// function. A counter advanced by the loop itself (page++) is not a cursor,
// nor is an accumulator: a slice passed whole to a function of the same
// package that only appends to that parameter and returns it, never
// reading what it holds (afero's matches, err = glob(fs, d, file,
// matches)), since restarting the loop rebuilds it from its first value.
// A function of another package is not looked into: an accumulator passed
// to one stays a cursor, as does one the callee reads (len(items) as an
// offset, queue[1:]).
//
// # Verdict
//
// The reason names the statement and the failing call: "it sets d.offset
// at decode.go:88 before the call that can fail (d.next at decode.go:90);
// a retry would repeat it", "it reads d.dec (Decode) at decode.go:40 in
// d.dec.Decode, a call that can fail; a stream is not rewound, so a retry
// would not read the same data again", "it carries token from one
// iteration of the loop at list.go:30 to the next (...); a retry would
// restart the loop from its first iteration".
//
// A last value that is read back says so: "it sets c.closed at c.go:12
// before the call that can fail (...); a retry would repeat it (a last
// value, but example.com/m.Client.closed is read back by the code a retry
// re-runs)".
//
// One-shot inputs (an io.Reader parameter, or one in a field of a
// parameter) are targets.OneShot's, not this analyzer's: retrycoverage
// checks them first.
//
// In the standard library nothing is decided: no verdicts (its Result is
// empty) and no facts, as drivers differ in whether they analyze it from
// source; calls into it are judged by what they are known to do.
//
// # Facts
//
// Writes is exported for every function or method of a package outside
// the standard library that writes state outliving its call: through its
// receiver, its parameters (by index), package state, whether it does so
// before its own last call that can fail, which of those writes read or
// write a stream (Streams), whether it restarts a cursor loop, and, per
// kind whose every write is a plain = to a location of its package, those
// locations (LastValue). A call of it writes the caller's state when the
// receiver or an argument for a written parameter gives access to state
// outliving the caller's run. Memo stores are
// no writes, so no Writes fact records them: nothing about them depends
// on the caller.
//
// A function that sends a POST or PATCH, itself or through its callees,
// has it in its Writes too (Sends, and SendsEarly when a later call of it
// can fail), apart from its writes of state. MethodParam is exported for
// every function that passes one of its parameters as a request's
// method.
//
// Reads is exported for every function that reads, itself or through its
// callees, a candidate location of the last-value rule; Locations, a
// package fact, lists a package's candidates (the fields and variables of
// the package written somewhere in it by a plain =, the only reads facts
// record) and its //resilience:repeatable locations.
package retrysafety
