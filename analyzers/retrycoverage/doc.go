// Package retrycoverage defines an Analyzer that reports exported agent
// methods whose work is not routed through runtime/recovery.
//
// # Analyzer retrycoverage
//
// retrycoverage: report exported agent methods not routed through runtime/recovery
//
// # Agents
//
// A named type declared in the package (not an alias, not an interface) is
// an agent when
//
//   - its declaration carries //resilience:agent (in a grouped type
//     declaration, on the spec; for a single spec, on the declaration), or
//   - it matches an agent-types pattern (path.Match against "Name" and
//     "import/path.Name"), or
//   - its package matches an agent-packages pattern (default "agents": a
//     pattern without "/" matches any element of the import path) and it
//     has at least one method in scope (so option structs and value types
//     of an agents package are not agents),
//
// and it is not a worker (see intelcoverage): //resilience:worker, or a
// worker-types match or worker-interfaces implementation that has a run
// method. Classification lives in package targets, shared with
// intelcoverage, the fixers and the report.
//
// # Methods in scope
//
// Exported methods declared on an agent, with a value or pointer receiver,
// generic receivers included, whose last result is identical to error
// (aliases of error count). Out of scope: unexported methods, methods
// whose last result is not error, functions, methods declared in generated
// files ("// Code generated ... DO NOT EDIT."), and methods declared in
// _test.go files unless include-tests is set.
//
// # Routed
//
// The analysis runs on the method's control-flow graph (ctrlflow, so
// paths ending in panic, os.Exit, log.Fatal or any function known never
// to return need nothing). A method is routed when every return statement
// is either
//
//   - reached, on every path from the entry, after a call to a recovery
//     entry point, or itself returns such a call; or
//   - a validation return: no call that can fail happened on any path
//     before it and it makes none itself (so "return nil", sentinel errors
//     and errors built on the spot with errors.New or fmt.Errorf are fine
//     before the retry).
//
// Recovery entry points are recognised by type-checked object, never by
// spelling (aliased imports and generic instantiations work):
// recovery.Do, recovery.DoValue, recovery.DoValue2 and their fallback
// forms recovery.DoFallback, recovery.DoValueFallback,
// recovery.DoValue2Fallback of
// github.com/resilience-lint/resilience-lint/runtime/recovery; the known
// retry libraries (see Existing retries); configured retry-funcs
// ("import/path.Func" or "import/path.Type.Method"); methods of types
// that retry by construction; and any function carrying the RoutedFunc
// fact. A call that can fail is a call
// whose callee's last result is error or an error type (*MyError), other
// than errors.New, errors.Join, fmt.Errorf, the request and URL
// constructors and encoders that fail only on their arguments
// (net/http.NewRequest, NewRequestWithContext, net/url.Parse,
// ParseRequestURI, ParseQuery, PathUnescape, QueryUnescape, URL.Parse,
// JoinPath, encoding/json and encoding/xml Marshal, MarshalIndent and Unmarshal,
// the database SDKs' value converters (aws-sdk-go-v2's DynamoDB
// attributevalue Marshal*/Unmarshal*, the MongoDB driver's bson Marshal and
// Unmarshal),
// go-retryablehttp's NewRequest and NewRequestWithContext (unless given
// a body they read: an io.Reader that cannot seek, a function, or an
// interface such as interface{} that may hold one, which they buffer
// whole, targets.BodyArg), the Encode
// of a json or xml Encoder over a bytes.Buffer or strings.Builder made in
// the same function, and the standard library's parsers of strings in
// memory: strconv's Atoi, Parse* and Unquote, time.Parse and
// ParseDuration, regexp.Compile, path and filepath Match, the address
// parsers of net, net/netip and net/mail, mime.ParseMediaType, hex and
// base64 decoding; the list is targets' argumentChecks) and
// validators: functions that return an error and make no
// call that can fail themselves (checkPlan(plan) that only returns
// sentinels or errors built on the spot; calls among validators, a
// function's calls of itself included, as go-multierror's Append makes,
// do not count), in this package or, through the
// ValidatorFunc fact, in another package of the module (or workspace) or
// one that imports a retry or tracking entry point, directly or not
// (targets.Classifier.ExportsFacts). Drivers differ in whether they analyze
// the standard library and the other dependencies from source, and a
// verdict must not depend on the driver: a function of the standard
// library, or of a module from the module cache that uses no retry or
// tracking API, returning an error is always work. A tracking wrapper
// (intelligence.Track, TrackErr, Track2, track-funcs of kind wrap) returns
// the error of the function literal it runs, so its call fails or routes
// exactly as that literal's calls do: tracking a worker does not make the
// deterministic method that calls it one to retry. A defer statement that turns a
// recovered panic into the function's named error result (a deferred
// function literal calling recover() and assigning err, or
// defer handleErr(&err) where handleErr, of this package, calls
// recover()) is work that can fail too, from where it is deferred on:
// such functions fail through panics (gopkg.in/yaml.v3's Decode). A
// deferred call that only wraps the error (defer wrap(&err, "op")) is not,
// nor is a deferred function literal that sets the error only to errors
// fixed in advance (err = ErrClosed: a sentinel, or errors.New and
// fmt.Errorf of constants and package variables): whatever panicked, the
// error is the same, as a validation return's is (segmentio's
// analytics-go Close turns the panic of closing a closed channel into
// ErrClosed).
// Calls inside function literals count only where the
// literal is called; calls in go and defer statements count neither as
// routing nor as work (a retry started in a goroutine does not count, and
// go f() drops f's error). But the work that can fail in a function
// literal started by a go statement, whose error is not dropped on the
// spot (it goes to a variable, a slice, a channel), is work from the go
// statement on, and so is the work of the function literal passed to
// errgroup.Group.Go or TryGo (its error reaches Group.Wait). A retry that
// such a literal runs, when it keeps the retry's result and signals its
// end (a send, a close, sync.WaitGroup.Done), makes the function that
// starts it one that retries part of its work (see Nested retries and
// goretry.go): cloud.google.com/go/storage's gRPC client runs an
// appendable object's takeover inside run in a goroutine whose end
// NewWriterFromAppendableObject waits for on a channel. A call whose
// result carries an error in a field that the function returns
// ("res := c.remove(ctx); return res.Err") is work too.
// The closure of the entry point is not inspected: whatever runs inside it
// is retried.
//
// Work whose error cannot reach the method's error result is not work: a
// call whose error is discarded (a call statement, or "_" in the error's
// place: strings.Builder.WriteString, fmt.Fprintf), a return of a literal
// nil error (no failure leaves there, and a retry runs only on one;
// unless a deferred handler may set the error), and, for the delegation
// rules below, work from which no return that may fail can be reached.
//
// Work after the retry is checked too: on a path to a return whose error
// may be non-nil (anything but a literal nil; a bare return counts), every
// call that can fail made after a recovery call must itself route (an
// entry point or a routed function). Otherwise the method is unrouted:
// "the error returned at f.go:N comes from X at f.go:M, which runs after
// the recovery call at f.go:K, outside it". Work whose error is dropped
// before a "return nil" is fine. Such a method gets no fix, as wrapping a
// body that already retries would nest that retry: when its work after
// the retry is only calls to unrouted agent methods that this run's fixes
// will route, it is routed by delegation once they are (see Nested
// retries); otherwise the message says to move that work into the retry
// closure by hand or to mark the method //resilience:noretry <reason>.
//
// A method that does no work that can fail at all is reported as Routed in
// the Result with the reason "does no work that can fail" ("no error of
// its work reaches its error result" when it only drops errors).
//
// A routed method has, in the Result, no reason when it makes a recovery
// call itself; "routed by its own retry at f.go:N" (a retry loop),
// "routed by backoff.Retry" (a retry library), "routed by api.Client.Get,
// which retries by construction (...)"; and, when it reaches its retries
// only through routed functions, "delegates to X.Y, which is routed" (and
// "by its own retry at helper.go:N" etc. when that is what routes X.Y).
//
// # Existing retries
//
// Code that already retries is routed as it is and never wrapped again
// (SPEC: retries never nest).
//
// Retry libraries, out of the box (config.DefaultRetryFuncs, checked
// against their APIs): github.com/cenkalti/backoff/v4 Retry, RetryNotify,
// RetryWithData, RetryNotifyWithData, RetryNotifyWithTimer,
// RetryNotifyWithTimerAndData; github.com/cenkalti/backoff/v5 Retry;
// github.com/avast/retry-go/v4 Do, DoWithData; github.com/avast/retry-go/v5
// Retrier.Do, RetrierWithData.Do (v5 has no package-level Do);
// github.com/sethvargo/go-retry Do, DoValue, Constant, Exponential,
// Fibonacci; github.com/failsafe-go/failsafe-go Executor.Run, Get,
// RunWithExecution, GetWithExecution (the Async forms return before the
// work is done and do not count; the Executor's policies are not looked
// at: an Executor counts as a retry) and failsafehttp's Request.Do; and
// the client that retries by
// construction github.com/hashicorp/go-retryablehttp: Client.Do, Get,
// Head, Post, PostForm and the package-level Get, Head, Post, PostForm;
// and Azure's azcore Pipeline.Do (declared in azcore/internal/exported,
// runtime.Pipeline is an alias of it), through which every Azure SDK
// client sends with the retry policy runtime.NewPipeline adds, and
// azcore's runtime.Pager.NextPage, which runs the Fetcher a client's
// package stored (sending through that Pipeline: a store in another
// package, which the func-field rule below does not see).
// Client.StandardClient returns a net/http.Client whose transport retries,
// which its type does not say: see "Retries a client adds at run time"
// under Nested retries. The retry-funcs setting extends the list, exclude-retry-funcs removes
// entries (a qualified name, or an import path for all of a library's).
//
// Types that retry by construction: the service clients of aws-sdk-go-v2
// (config.DefaultRetryingTypes, github.com/aws/aws-sdk-go-v2/service/*.Client:
// every operation runs the SDK's retry middleware through smithy-go's
// middleware stack, interfaces whose retrying implementation lives in a
// package the stack does not import, which the analysis cannot resolve;
// exclude-retry-funcs with the pattern, a client's import path or its
// qualified name removes them, for clients built with aws.NopRetryer), a
// type declared with
// //resilience:retries <reason> (the RetryingType fact carries it to other
// packages; without a reason the directive is reported and ignored), a
// type matching a retrying-types pattern, or any function or method of a
// package matching a retrying-packages pattern (same syntax as
// agent-types and agent-packages): a call to one of their methods that
// returns an error is a retry.
//
// Hand-rolled retry loops: a for or range loop in which a call that can
// fail has its error assigned to a variable that is then checked (err !=
// nil, err == nil, directly or through a flag: needsRetry := err != nil;
// if !needsRetry { return err }; or through a classifier's verdict, given
// the error itself or in a struct literal of the attempt, as rehttp's
// Transport.RoundTrip asks retry, delay := t.retry(Attempt{..., Error:
// err})), the branch taken on failure can run the loop's body
// again (the checks are taken in order: one that only some failures take,
// if err != nil && errors.Is(err, context.DeadlineExceeded) { return },
// leaves the others to the next, if err != nil || status >= 500 {
// continue }; one that every failure takes ends the search), the call does not use the loop's iteration variables (so a loop
// skipping failed items is none), and the loop waits or bounds its
// attempts (time.Sleep or a function that waits, of this package or of
// another through the WaitFunc fact, or a parameter of function type the
// package's calls hand such a function, as gax-go's Invoke hands its
// retry loop Sleep; a receive, a select, a range over a
// channel such as a retry timer or over an integer, or a loop condition
// that compares an attempt counter and calls nothing). A loop that waits
// or bounds so is a retry loop too when it sends a call again on the
// status code of its response rather than on an error (statusloops.go:
// an if statement after the call reads resp.StatusCode, or a copy of it,
// and exactly one of its branches runs the body again, or a switch on it
// (switch resp.StatusCode { case 429, 503: ... }, or a tagless switch a
// case of which reads it) of which an outcome the status selects runs the
// body again and another leaves; nothing the call reads is set from its
// results or the iteration variables, so a walk through pages is none; a
// poll on a state field reads no status code; a readiness wait that
// sends again until a 200 is a retry, on purpose: it re-sends):
// meilisearch-go's client.do sends again on 502, 503 and 504. Every call
// that can fail inside it is retried, and the loop itself routes (the
// return after it is reached through the retry). So does a first attempt
// made before the loop (err := c.send(ctx); if err == nil ||
// !retryable(err) { return err }; for ... { ...; err = c.send(ctx) ... }):
// a call in the block around the loop, with the callee and the text of a
// call the loop makes, whose failure goes on into the loop (a call whose
// every failure returns first is work before the loop). A function whose work
// all runs in such a loop gets the RoutedFunc fact with By "its own retry
// at f.go:N", so that its callers, in any package, are routed.
//
// Retries through poll helpers (polls.go): a function that runs a
// condition parameter, func() (done bool, err error), in a loop that
// waits or bounds as a retry loop's must, again while it returns "not
// done" without an error, or that hands that parameter on to such a
// function (apimachinery's wait.ExponentialBackoff, PollImmediate), is a
// poll helper (the PollFunc fact). A poll is a retry only when the
// condition its caller hands it, a function literal (or a local variable
// set once to one) or a function or method of the package handed by name
// or as a method value (p.reachable), returns false, nil on the failure
// branch of a check
// of an error it got from a call that can fail (if err != nil, if
// p(err), case retriable(err): a nil check or a verdict, as for retry
// loops): the call of the poll helper is then a retry loop of its own
// ("its own retry at f.go:N"), and a function whose work all runs in it
// gets the RoutedFunc fact, so that its callers delegate to it
// (go-containerregistry's retry.Retry(f, p, backoff), client-go's
// retry.OnError, and a transport's RoundTrip calling them with a closure
// that assigns its named results). A condition that waits for a state,
// returning the failure of its work as its error (if err != nil { return
// false, err }; return pod.Ready, nil), is no retry: a transient failure
// ends the poll, and the call stays work that can fail.
//
// A method that mixes work inside a retry (any of the above, a recovery
// call or a routed function) with work outside it is reported ("the error
// returned at f.go:N comes from work done before the ..." or "... runs
// after the retry loop at f.go:M, outside it") and gets no fix: "it mixes
// work inside a retry (the ... at f.go:M) with work outside it, and
// wrapping its body would nest that retry".
//
// # Nested retries
//
// Wrapping both a method and an agent method it calls multiplies their
// attempts (3 x 3 when both use the default policy): a retry storm. So an
// unrouted method whose only work that can fail is calls to unrouted
// in-scope agent methods that this run's fixes will route (they get a fix,
// or they delegate in turn) is still reported, but its message says which
// callees must be routed first, and it gets no fix. Once they are routed
// (the next fix round of resilience-lint -fix, or the next run), the
// method is routed by delegation. Callees in the package are decided
// first (Tarjan's strongly connected components of the calls between
// unrouted methods). A method of a cycle (recursion, methods calling each
// other) gets no fix: a cycle has no callee to route first, and a retry
// in it would nest one at every level ("it calls itself (recursion)");
// its callers from outside the cycle get theirs, as a call to it is
// ordinary work. Unless the recursion is a retry (recursion.go): a
// self-call that repeats the same work (each argument the parameter of
// its position, an attempt counter p+1, or a call given the parameter),
// after work that can fail, under an if or switch reading an error or an
// HTTP status, and bounded by a counter the function compares or made
// after a wait (discordgo's RequestWithLockedBucket: on a 502, if
// sequence < MaxRestRetries, it calls itself with sequence+1). Such a
// function, exported or not, retries part of its work: its callers are
// refused as nesting it ("it retries by calling itself again").
// Callees in other packages are known through the UnroutedMethod fact.
// A callee that no fix will route (a one-shot input, a refusal of
// Options.Fix, an exempt or unexported method) is ordinary work too.
//
// Retries never nest, whatever the patterns and the order of the runs: a
// method that does other work as well gets no fix ("wrapping it would
// nest the retries that -fix gives X"), and neither does a method whose
// work calls a function that is not routed but retries part of its work
// (a mixed method, one refused for nesting, or a function of any package
// doing the same: the NestedRetry fact). Split the method, route its other
// work in a method of its own, or mark it //resilience:noretry <reason>.
// The message names where that retry is, when the callee's name does not
// say it (NestedRetry.Via carries it across packages): "it calls
// sdkiface.Client.Do, which already retries part of its work (through
// sdkiface.retryHandler.Do)", "(through the retry loop at
// estransport.go:40 in estransport.Client.Perform)", "(through
// runtime/recovery in pkg.Helper)", "(through the retries -fix gives
// pkg.Cache.Get)". A retrying type named there that a program never
// installs is what optional-retrying-types is for.
//
// A call of an interface method counts as a call of each agent method of
// the package with that name whose receiver implements the interface:
// when one of them gets a fix, nests a retry or is routed already, the
// caller gets no fix ("it calls oauth2.TokenSource.Token (an interface
// method tokenSource.Token implements), which already retries part of its
// work"), whatever else the call may run. x/oauth2's
// clientcredentials.Config.Token is `return c.TokenSource(ctx).Token()`,
// which runs tokenSource.Token of the same package: wrapping both made 9
// requests of 3. So does a method of another package, among those this
// one imports directly or not, whose Facts say it retries when called
// (RoutedFunc, NestedRetry, TransportRetry, UnroutedMethod):
// go-elasticsearch's esapi request types call esapi.Transport.Perform,
// which elastic-transport-go's Client.Perform implements with a retry
// (12 requests of 4 once wrapped). A function making such a call nests
// (NestedRetry) for its own callers. Which implementation runs is decided
// at run time, so the call is not routed either: declare the interface in
// retrying-types when every implementation retries. Methods of packages
// importing this one are not looked for.
//
// Nor is an implementation that is no agent method overlooked: a call of an
// interface method counts as a call of a function that retries part of its
// work when a named type of the calling package implements it with a
// method that is routed or nests (here, or for a promoted method through
// the RoutedFunc and NestedRetry facts): "it calls
// stripe.Backend.Call (an interface method stripe.BackendImplementation.Call
// implements), which already retries part of its work". stripe-go's
// resource clients call c.B.Call, whose BackendImplementation retries and
// makes a new idempotency key per Call: wrapping them sent a POST three
// times with three keys on a 500. hcloud-go's Client.Do calls its handler
// chain, whose retryHandler retries (ifaceretry.go). An implementation that
// a client installs only on an option (slack-go's retryClient, set by
// OptionRetry) counts as well, as a retrying transport does: with the
// option, a wrapper would nest it (9 requests instead of 3). A program
// that never turns such a type on names it in optional-retrying-types
// ("github.com/slack-go/slack.retryClient"): calls through the interfaces
// it implements then do not nest it, and their callers keep their fixes;
// calls of its own methods still count as retrying.
//
// A call that hands its callee functions to run (a function literal, a
// method value or a function among its arguments: hcloud-go's
// firstByName(name, func() { return c.List(ctx, opts) }) and
// getByIDOrName(ctx, c.GetByID, c.GetByName, idOrName)) runs their work
// inside the method's attempt: when one of them retries (routed, nests,
// or an agent method this run's fixes route), the method gets no fix (it
// calls X "in a function it passes to" the callee), except for the
// literals of tracking wrappers, errgroup.Group.Go and retry entry points,
// judged as before (callbacks.go). A value of a concrete type passed as a
// parameter of an interface type hands the callee the methods
// implementing that interface: go-containerregistry's remoteIndex.Digest
// is `return partial.Digest(r)`, which calls r.RawManifest(), which sends
// through a retrying transport ("it calls remoteIndex.RawManifest (a
// method of r, which it passes to partial.Digest), ..."). A callback the
// caller passes (a parameter of function type) runs code nobody here
// knows, so a value of a named concrete type handed to one hands it every
// method of its type (callbackvalues.go): a method that builds a go-redis
// *Client and runs fn(c) nests the client's retry, which fn may run ("it
// calls Client.Process (a method of c, which it passes to its callback
// fn), ..."). Such names, methods of a
// value handed to a callback, are given only when the method's own calls
// name no retry (Pipeline.Pipelined hands fn its receiver and calls
// Exec: "it calls Pipeline.Exec, ..."), and a method of its own call
// cycle that was decided first and nests is named as nesting, not as
// recursion (Pipeline.TxPipelined, whose cycle with Pipelined closes only
// through the callback). A callback run once per item of a loop is
// refused by retrysafety (a retry would run it again for the items it
// succeeded on: "it runs fn (a function its caller passes, once per
// iteration of the loop at ring.go:798) at ring.go:806 in fn, ..."), and
// when the only retries a method nests are methods of values it hands a
// callback, that refusal is the one named (what the callback does is not
// known, what a retry repeats is), while the method still nests for its
// callers; a hook run once keeps the fix. A callee of the package hands
// on only the methods of an interface argument that its body, or a
// function of the package it passes the parameter to, may call
// (ifaceargs.go: go-redis's PubSub.writeCmd reaches only cmd.Args()); a
// parameter used any other way keeps them all.
//
// Retries a client adds at run time: a package that stores into a field
// (x.f = e, T{f: e}) or a variable a client or transport (a value with a
// Do or RoundTrip method that can fail, or a retry entry point as a
// method) built from a known retry library (a call of one of its
// functions, such as retryablehttp's Client.StandardClient or
// failsafehttp.NewRoundTripper, a value of one of its types, or a value
// built from another such field or variable, as &http.Client{Transport:
// rt}) may send through that field with retries: godo's New sets
// c.HTTPClient = retryableClient.StandardClient() when WithRetryAndBackoffs
// is given. A function, not routed, whose work sends through such a field
// (c.HTTPClient.Do(req), or passes it on: DoRequestWithClient(ctx,
// c.HTTPClient, req)), or through such a value built on the spot, or calls
// a function that does (the TransportRetry fact, in any package), may
// retry at run time, so an agent method doing so gets no fix: "it sends
// through c.HTTPClient (in Client.Do), which godo.go:456 may set to a
// retrying client (go-retryablehttp), and wrapping it would nest that
// retry when the client is built so". Declare the client's type with
// retrying-types if it is always built so (its methods then route), or
// mark the method //resilience:noretry <reason>. The libraries of the
// built-in entry points count (exclude-retry-funcs of a library's import
// path removes it, as for a client built with RetryMax 0), and so does a
// value of a type whose Do or RoundTrip is routed or retries by
// construction (a retrying decorator of the program's), or, for a
// RoundTrip of another package, retries part of its work (rehttp's
// Transport buffers the body, then retries: a client built with
// &http.Client{Transport: rehttp.NewTransport(...)} retries), unless
// optional-retrying-types names that type (the refusal says so). A
// function that may return such a value, whatever its result type says
// (go-containerregistry's transport.NewRetry returns its retryTransport
// as an http.RoundTripper), gets the RetryingSenderFunc fact, and a call
// of it, in any package, builds a retrying value: "it sends through
// o.transport (in makeDeleteClient), which options.go:179 may set to a
// retrying client (transport.NewRetry), ...". Only stores the package
// makes itself count: a client handed in by the caller is not seen.
//
// A retry can nest from below too: an agent method that a hand-rolled
// retry loop of its package runs in each attempt (the loop's calls that
// can fail and, transitively, the static calls of the package's functions
// they reach; function literals in them count, go statements do not) gets
// no fix, since each of that loop's attempts would become several:
// kafka-go's Writer retries Client.Produce through writeBatch and
// w.produce, "it runs in each attempt of the retry loop at writer.go:1110
// in partitionWriter.writeBatch, through Writer.produce, and a retry
// around it would multiply that retry's attempts". The closure a
// function of the package hands a retry entry point (recovery.Do, or a
// retry library's) is such an attempt too. A method refused as
// unsafe to run twice keeps that reason. Loops in importing packages, and
// calls through interfaces or function values, are not followed.
//
// A job-queue framework's retry nests from below as well: a method that
// implements the handler interface of a framework that retries a failed
// job by default (asynq.Handler's ProcessTask, river.Worker[T]'s Work,
// the generic one instantiated from the method's signature; the list is
// targets' jobHandlers) gets no fix: "asynq runs it for each task through
// asynq.Handler and retries the task when it fails, and a retry around it
// would multiply that retry's attempts and retry the errors that tell
// asynq not to". Wrapped, a handler returning river.JobCancel over a 503
// sent 3 requests instead of 1 and then cancelled; one returning
// fmt.Errorf("%w: %w", err429, asynq.SkipRetry) sent 3 as well, as the
// classifier sees the 429 (scripts/realworld/testdata/jobswrap). The
// handler's body is an attempt of that retry, as a loop's is: the agent
// methods of the package it reaches get no fix either ("it runs in each
// attempt of asynq's retry of each task (asynq.Handler) at jobs.go:36 in
// EmailHandler.ProcessTask, ..."): a Mailer.Send it calls, wrapped, sent
// 3 requests per attempt of the task on a 503, and 3 on the 429 the
// handler answers with asynq.SkipRetry or river.JobSnooze. Kubernetes
// controllers are such frameworks: controller-runtime's
// reconcile.Reconciler (and TypedReconciler[R], ObjectReconciler[T]) is
// in the list, since the controller requeues a request whose Reconcile
// fails; and a function that puts the item it works back on client-go's
// rate-limited workqueue (queue.AddRateLimited(key), as
// processNextWorkItem does after syncHandler fails: requeueMethods) makes
// its calls attempts of that requeue, so syncHandler and the agent
// methods it reaches get no fix.
//
// Across packages (a handler of package jobs calling mail.Mailer.Send;
// a retry loop or retry closure calling another package's method): the
// other package is analyzed first and cannot know; a Fact cannot flow
// back to it. The retry's package names the methods of other packages its
// attempts call statically (and, through their UnroutedMethod facts, the
// methods of their package whose fixes would route them) in its Result
// (Retried), and the driver, which sees every package's findings, takes
// their fixes back, with the refusal as the message ("it runs in each
// attempt of asynq's retry of each task (asynq.Handler) at jobs.go:36 in
// jobs.EmailHandler.ProcessTask, ..."); methods the call reaches only
// inside the other package, and calls through interfaces, are not seen,
// and drivers other than the CLI's (go vet, golangci-lint) keep those
// fixes.
//
// # Facts
//
// Every function or method of the package (not only agent methods) whose
// last result is error, that is routed by the rule above and reaches at
// least one return through a recovery call, gets the RoutedFunc fact, so
// that a method delegating to it, in any package, is routed. Facts within
// a package are found as a fixed point (helpers calling helpers). A
// missing fact means "not known to be routed". Validators get the
// ValidatorFunc fact. Unrouted in-scope agent methods that this run's
// fixes will route get the UnroutedMethod fact (see Nested retries);
// functions that are not routed but retry part of their work (or call
// one that does), and methods refused because wrapping them would nest,
// get the NestedRetry fact; functions that send through a client a retry
// library may have built (or call one that does) the TransportRetry fact;
// functions that may return a retrying client or transport the
// RetryingSenderFunc fact, and poll helpers the PollFunc fact.
// Types declared with //resilience:retries get
// the RetryingType fact, and functions that wait (sleep, receive, select,
// or call one that does) the WaitFunc fact. Facts are exported for every package but those
// of the standard library.
//
// # Directives
//
//   - //resilience:noretry <reason> in a method's doc exempts it (Status
//     Exempt, with the reason). Without a reason the directive is itself
//     reported and the method is checked as usual. A trailing "// ..."
//     comment is not a reason.
//   - //resilience:ignore <reason> on a method or on the agent type exempts
//     from both analyzers.
//   - //resilience:retries <reason> on a type declaration: calls to its
//     methods are retries (see Existing retries).
//   - //nolint:retrycoverage is handled by golangci-lint.
//
// # Diagnostics
//
// One per unrouted method, at its name: "DataLoader.LoadCSV returns an
// error but is not routed through runtime/recovery: <what is missing, on
// which path, with file:line> (run resilience-lint -fix, or mark it
// //resilience:noretry <reason>)". When the method is not safe to run
// twice (targets.OneShot: it consumes an io.Reader that is not an
// io.Seeker, receives from a channel parameter, or writes to an io.Writer
// that is not an io.Seeker, where an attempt after a partial write would
// write the data again; a one-shot reader or channel in a field or an
// element of a parameter counts the same way, named by its field: "it
// consumes req.Body, ..."; so does a cursor, a value whose Read, Read<X>,
// Next or Recv takes no argument and returns an item and an error, such as
// kafka-go's RecordReader or a *csv.Reader; and a struct holding such a
// field, used as a value, hands it on: "it hands on req.RawRecords, which
// holds req.RawRecords.Reader, ...") the message says why -fix refuses it, and
// Target.OneShot carries the same reason to the fixer. When running the
// body twice would repeat something that outlives an attempt (package
// retrysafety, required by this analyzer: a write to receiver, package or
// parameter state, a channel, a stream or a writer the method does not own
// before the call that can fail, or a cursor loop; effects meant to repeat
// on every attempt, such as a rate limiter's Wait, a metric or a log line,
// are not such writes, nor are last values that nothing the retry re-runs
// reads back, such as a client's cache of the last response's rate limit,
// or writes to fields declared //resilience:repeatable <reason> or named
// by repeatable-writes; a //resilience:repeatable without a reason is
// reported here) the message says
// "-fix cannot rewrite it: it sets d.offset at decode.go:88 before the
// call that can fail (d.next at decode.go:90); a retry would repeat it",
// no fix is attached, and Target.Unsafe carries the reason. When every
// such write is in leading statements that make no call that can fail and
// declare nothing the rest writes or shares (retrysafety's Verdict.Keep),
// the fix keeps those statements outside the retry instead (Target.Guards
// counts them), so they still run once, and the message says so: "-fix
// retries only the statements after f.go:N, as it increments c.calls at
// f.go:M before the call that can fail (...)". When Options.Fix refuses,
// its reason is added the same way.
//
// Target.Guards is the method's guard region (targets.Guards, the one
// definition the fixer and the tests share): leading validation guards,
// and the statements before them that only compute from the arguments,
// constants and the receiver (defaulting a field of an argument, building
// a suffix, opts = withDefaults(opts) with a pure helper of the package).
// They stay outside the retry, so invalid arguments are not retried.
//
// # Flags
//
// Every setting of package config is a flag named by its YAML key:
// -agent-types, -extra-agent-types, -agent-packages, -extra-agent-packages,
// -worker-types, -extra-worker-types, -worker-interfaces, -worker-methods,
// -extra-worker-methods, -retry-funcs, -exclude-retry-funcs,
// -retrying-types, -retrying-packages, -optional-retrying-types, -repeatable-funcs,
// -repeatable-writes, -track-funcs, -policy, -agent-name, -include-tests. Lists are comma-separated; setting
// a replacing list to "" replaces its default with nothing. Analyzers from
// suite.Analyzers share one Config, so either analyzer's flags set it; the
// retrysafety this analyzer requires is built from the same Config and
// reads -repeatable-funcs (effects meant to repeat on every attempt) and
// -repeatable-writes (fields and variables whose writes may repeat).
//
// # Result
//
// *Result lists every agent of the package with every in-scope method
// and its Status (Routed, Exempt with the reason, Unrouted with what is
// missing), for the coverage report. Positions are as the pass's FileSet
// gives them.
package retrycoverage
