package retrycoverage_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
	"github.com/resilience-lint/resilience-lint/config"
)

func TestDefaults(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{})
	analysistest.Run(t, analysistest.TestData(), a,
		"example.com/agents/loader", "example.com/helpers", "example.com/agents/delegate",
		"example.com/marked", "example.com/agents/gen", "example.com/agents/withtests",
		"example.com/agents/nested", "example.com/agents/front", "example.com/agents/fallback",
		"example.com/agents/after", "example.com/agents/deferred", "example.com/agents/tracked",
		"example.com/agents/unsafe",
		"example.com/agents/libs", "example.com/retryloop", "example.com/agents/looped",
		"example.com/apiclient", "example.com/agents/usesclient", "example.com/agents/reporter", "example.com/backoffhelper",
		"example.com/agents/async", "example.com/agents/builder", "example.com/agents/typederr",
		"example.com/sdk", "example.com/agents/cloud", "example.com/agents/ifacecall",
		"example.com/estransport", "example.com/agents/esapi", "example.com/agents/esclient", "example.com/agents/esuser",
		"example.com/rehttplike", "example.com/agents/rtuser", "example.com/agents/gormuser")
}

// TestRetryingConfig checks retrying-types, retrying-packages and
// exclude-retry-funcs.
func TestRetryingConfig(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{})
	for flag, value := range map[string]string{
		"retrying-types":      "example.com/apiclient.Plain",
		"retrying-packages":   "example.com/retryconf/sdk",
		"exclude-retry-funcs": "github.com/cenkalti/backoff/v4",
	} {
		if err := a.Flags.Set(flag, value); err != nil {
			t.Fatal(err)
		}
	}
	analysistest.Run(t, analysistest.TestData(), a, "example.com/agents/retryconf")
}

// TestNestedRetries checks that -fix never nests retries: a method whose
// only work is calls to unrouted agent methods gets no fix (in its package
// and, through the UnroutedMethod fact, in another), nor does one that
// mixes work in a retry (recovery, a library, a loop, a routed function)
// with work outside it, one that calls methods that will be routed
// besides other work, or one that calls such a method (NestedRetry).
func TestNestedRetries(t *testing.T) {
	fix := func(pass *analysis.Pass, tg *retrycoverage.Target) ([]analysis.SuggestedFix, error) {
		return []analysis.SuggestedFix{{Message: "route " + tg.Decl.Name.Name}}, nil
	}
	a := retrycoverage.New(retrycoverage.Options{Fix: fix})
	results := analysistest.Run(t, analysistest.TestData(), a, "example.com/agents/nested", "example.com/agents/front", "example.com/agents/fallback",
		"example.com/agents/reporter", "example.com/agents/after", "example.com/agents/looped", "example.com/agents/libs",
		"example.com/sdk", "example.com/agents/cloud", "example.com/agents/ifacecall",
		"example.com/agents/esapi", "example.com/agents/esclient", "example.com/agents/esuser")
	want := map[string][]string{
		"example.com/agents/nested":    {"Call", "Get", "Help", "Ping2", "Send"},
		"example.com/agents/front":     {"Upload"},
		"example.com/agents/reporter":  {"Markdown"},
		"example.com/agents/after":     {"Callee"},
		"example.com/agents/looped":    nil,
		"example.com/agents/libs":      nil,     // Plain sends through a retrying client
		"example.com/sdk":              {"Get"}, // ImagesServiceOp.Get: its client has no retrying transport
		"example.com/agents/cloud":     nil,
		"example.com/agents/ifacecall": {"Close", "Token"}, // tokenSource.Token; not Config.Token or Client.Auth, which call it through Source
		// Not InfoRequest.Do, SendRequest.Do, BaseClient.Perform or
		// Searcher.Find: they call through interfaces that methods of
		// estransport (another package) implement with a retry.
		"example.com/agents/esapi":    {"Close", "Do"}, // FetchRequest's: estransport.Plain.Fetch retries nothing
		"example.com/agents/esclient": nil,
		"example.com/agents/esuser":   nil,
	}
	for _, r := range results {
		pkg := r.Action.Package.PkgPath
		if _, ok := want[pkg]; !ok {
			continue
		}
		var fixed []string
		for _, d := range r.Diagnostics {
			for _, f := range d.SuggestedFixes {
				fixed = append(fixed, strings.TrimPrefix(f.Message, "route "))
			}
		}
		slices.Sort(fixed)
		if !slices.Equal(fixed, want[pkg]) {
			t.Errorf("%s: fixes for %v, want %v", pkg, fixed, want[pkg])
		}
		delete(want, pkg)
	}
	if len(want) > 0 {
		t.Errorf("packages not analyzed: %v", want)
	}
}

func TestTestFilesSkipped(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/withtests")
	for _, r := range results {
		res, ok := r.Action.Result.(*retrycoverage.Result)
		if !ok || r.Action.Package.PkgPath != "example.com/agents/withtests" {
			continue
		}
		if len(res.Agents) != 1 || res.Agents[0].Name != "Agent" || len(res.Agents[0].Methods) != 1 || res.Agents[0].Methods[0].Name != "Put" {
			t.Errorf("%s: agents %+v: the test file's agent and method must be left out", r.Action, res.Agents)
		}
	}
}

func TestConfiguredAgentTypes(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{})
	if err := a.Flags.Set("agent-types", "Repo,example.com/configured.Svc*"); err != nil {
		t.Fatal(err)
	}
	if err := a.Flags.Set("retry-funcs", "example.com/configured.Retry,example.com/configured.Runner.Run"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), a, "example.com/configured")
}

func TestBadConfigIsAnError(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{Config: &config.Config{AgentTypes: []string{"[bad"}}})
	results := analysistest.Run(&collect{T: t}, analysistest.TestData(), a, "example.com/configured")
	for _, r := range results {
		if r.Err == nil {
			t.Errorf("%s: no error for a bad pattern", r.Action)
		}
	}
}

// collect lets an expected analysis error through without failing the test.
type collect struct{ *testing.T }

func (c *collect) Errorf(format string, args ...any) {}

func TestIncludeTests(t *testing.T) {
	a := retrycoverage.New(retrycoverage.Options{Config: &config.Config{IncludeTests: true}})
	analysistest.Run(t, analysistest.TestData(), a, "example.com/agents/testsincluded")
}

func TestFixHookAndResult(t *testing.T) {
	seen := map[string]*retrycoverage.Target{}
	fix := func(pass *analysis.Pass, tg *retrycoverage.Target) ([]analysis.SuggestedFix, error) {
		seen[tg.Decl.Name.Name] = tg
		if tg.Decl.Name.Name == "Refused" {
			return nil, errors.New("refused for the test")
		}
		return []analysis.SuggestedFix{{Message: "route " + tg.Decl.Name.Name, TextEdits: []analysis.TextEdit{{Pos: tg.Decl.Body.Lbrace + 1, End: tg.Decl.Body.Lbrace + 1, NewText: []byte("\n")}}}}, nil
	}
	cfg := &config.Config{Policy: "s.policy"}
	a := retrycoverage.New(retrycoverage.Options{Config: cfg, Fix: fix})
	results := analysistest.Run(t, analysistest.TestData(), a, "example.com/agents/fixhook")
	if len(results) != 1 {
		t.Fatalf("%d results", len(results))
	}

	fixable := seen["Fixable"]
	if fixable == nil {
		t.Fatal("Fix not called for Fixable")
	}
	if fixable.Guards != 3 || fixable.Ctx == nil || fixable.Ctx.Name() != "ctx" || fixable.Policy != "s.policy" || fixable.OneShot != "" || fixable.Agent.Name() != "Svc" || fixable.File == nil {
		t.Errorf("Fixable target = %+v", fixable)
	}
	if nc := seen["NoCtx"]; nc == nil || nc.Ctx == nil || nc.Ctx.Name() != "_" {
		t.Errorf("NoCtx target = %+v: Ctx must be the blank context parameter (the fixer names it)", nc)
	}
	if _, ok := seen["Done"]; ok {
		t.Error("Fix called for a routed method")
	}
	fixes := map[string]int{}
	for _, d := range results[0].Diagnostics {
		for _, f := range d.SuggestedFixes {
			fixes[f.Message]++
		}
	}
	if fixes["route Fixable"] != 1 || fixes["route NoCtx"] != 1 || len(fixes) != 2 {
		t.Errorf("suggested fixes = %v", fixes)
	}

	res := results[0].Result.(*retrycoverage.Result)
	if len(res.Agents) != 1 || res.Agents[0].Name != "Svc" || res.Agents[0].Pkg != "example.com/agents/fixhook" {
		t.Fatalf("agents = %+v", res.Agents)
	}
	status := map[string]retrycoverage.Status{}
	for _, m := range res.Agents[0].Methods {
		status[m.Name] = m.Status
		if !strings.HasSuffix(m.Pos.Filename, "fixhook.go") || m.Pos.Line == 0 {
			t.Errorf("%s: position %v", m.Name, m.Pos)
		}
		if m.Status == retrycoverage.Exempt && m.Reason != "//resilience:noretry deletes are not idempotent here" {
			t.Errorf("exempt reason = %q", m.Reason)
		}
	}
	want := map[string]retrycoverage.Status{"Refused": retrycoverage.Unrouted, "Fixable": retrycoverage.Unrouted, "NoCtx": retrycoverage.Unrouted,
		"Done": retrycoverage.Routed, "Exempted": retrycoverage.Exempt}
	if !maps.Equal(status, want) {
		t.Errorf("statuses = %v, want %v", status, want)
	}
}

// TestRoutedReasons checks the reasons the Result gives routed methods:
// none for a direct recovery call, the callee for delegation.
func TestRoutedReasons(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/delegate", "example.com/agents/loader",
		"example.com/agents/libs", "example.com/agents/looped", "example.com/agents/usesclient")
	got := map[string]string{}
	for _, r := range results {
		res, ok := r.Action.Result.(*retrycoverage.Result)
		if !ok {
			continue
		}
		for _, a := range res.Agents {
			for _, m := range a.Methods {
				if m.Status == retrycoverage.Routed {
					got[a.Name+"."+m.Name] = m.Reason
				}
			}
		}
	}
	want := map[string]string{
		"Cleaner.Clean":           "delegates to helpers.Indirect, which is routed",
		"Cleaner.Fetch":           "delegates to helpers.Client.Get, which is routed",
		"Cleaner.Checked":         "delegates to helpers.Remove, which is routed",
		"DataLoader.Helper":       "delegates to DataLoader.retried, which is routed",
		"DataLoader.LoadCSV":      "",
		"DataLoader.Nothing":      "does no work that can fail",
		"DataLoader.SwallowsWork": "no error of its work reaches its error result",
		"Client.Backoff4":         "routed by backoff.Retry",
		"Client.FailsafeNew":      "routed by failsafe.Executor.Run",
		"Client.Fetch":            "routed by retryablehttp.Client.Get",
		"Svc.Load":                "delegates to retryloop.Fetch, which is routed by its own retry at retryloop.go:17",
		"Svc.Own":                 "routed by its own retry at looped.go:37",
		"User.Get":                "routed by apiclient.Client.Get, which retries by construction (//resilience:retries built with WithRetries(3), which retries 5xx and timeouts)",
	}
	for name, reason := range want {
		if r, ok := got[name]; !ok || r != reason {
			t.Errorf("%s: routed %v, reason %q; want routed, reason %q", name, ok, r, reason)
		}
	}
}

// TestSameVerdictsWhateverPackagesNamed checks that the verdicts and fixes
// of a package do not depend on which other packages are named, nor on
// their order: facts of dependencies are computed either way.
func TestSameVerdictsWhateverPackagesNamed(t *testing.T) {
	fix := func(pass *analysis.Pass, tg *retrycoverage.Target) ([]analysis.SuggestedFix, error) {
		return []analysis.SuggestedFix{{Message: "route " + tg.Decl.Name.Name}}, nil
	}
	verdicts := func(pkgs ...string) map[string]string {
		a := retrycoverage.New(retrycoverage.Options{Fix: fix})
		out := map[string]string{}
		for _, r := range analysistest.Run(t, analysistest.TestData(), a, pkgs...) {
			pkg := r.Action.Package.PkgPath
			if pkg != "example.com/agents/front" && pkg != "example.com/agents/reporter" {
				continue
			}
			for _, d := range r.Diagnostics {
				key := pkg + ":" + d.Message
				out[key] = "no fix"
				if len(d.SuggestedFixes) > 0 {
					out[key] = "fix"
				}
			}
		}
		return out
	}
	alone := verdicts("example.com/agents/front", "example.com/agents/reporter")
	together := verdicts("example.com/agents/reporter", "example.com/agents/nested", "example.com/agents/front")
	if !maps.Equal(alone, together) || len(alone) == 0 {
		t.Errorf("verdicts depend on the packages named:\nalone:    %v\ntogether: %v", alone, together)
	}
}

// TestTransportLibraryExcluded checks that excluding a retry library (its
// clients built with RetryMax 0) gives the methods that send through its
// clients their fixes back, and only those: Mirror's failsafehttp round
// tripper still retries.
func TestTransportLibraryExcluded(t *testing.T) {
	for _, tt := range []struct {
		exclude string
		want    []string
	}{
		{"", []string{"ImagesServiceOp.Get"}},
		{"github.com/hashicorp/go-retryablehttp", []string{"DropletsServiceOp.Get", "ImagesServiceOp.Get"}},
	} {
		if fixed := fixesWith(t, "exclude-retry-funcs", tt.exclude, "example.com/sdk"); !slices.Equal(fixed, tt.want) {
			t.Errorf("exclude-retry-funcs %q: fixes for %v, want %v", tt.exclude, fixed, tt.want)
		}
	}
}

// TestRecursiveRetry checks that a function retrying by calling itself
// again with the same work (discordgo's RequestWithLockedBucket) is a
// retry its callers would nest, and that a recursion over other work is
// not.
func TestRecursiveRetry(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/recursed")
}

// TestIfaceRetryingImpl checks that a call of an interface method that a
// type of no agent implements with a retry (stripe-go's Backend.Call,
// hcloud-go's handler chain) nests that retry, in the interface's package
// and in another, and that a loop asking a classifier given the error
// whether to go on (stripe's shouldRetry) is a retry loop.
func TestIfaceRetryingImpl(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}),
		"example.com/sdkiface", "example.com/agents/viaiface")
}

// TestOptionalRetryingTypes checks that optional-retrying-types gives the
// callers of an interface that a selected type implements with a retry
// their fixes back, and only those: slack-go's retryClient, installed
// only by OptionRetry, made every method of the client nest it.
func TestOptionalRetryingTypes(t *testing.T) {
	for _, tt := range []struct {
		optional string
		want     []string
	}{
		{"", []string{"ServerClient.Rebound", "ServerClient.Release", "ServerClient.Remove", "customerService.Close"}},
		// The handler chain's retry: the methods sending through Client.Do.
		{"example.com/sdkiface.retryHandler", []string{"ServerClient.GetByID", "ServerClient.List", "ServerClient.Rebound", "ServerClient.Release", "ServerClient.Remove", "customerService.Close"}},
		// The backend's retry: the methods calling Backend.Call.
		{"BackendImplementation", []string{"Client.New", "ServerClient.Rebound", "ServerClient.Release", "ServerClient.Remove", "customerService.Close", "customerService.Create"}},
	} {
		if fixed := fixesWith(t, "optional-retrying-types", tt.optional, "example.com/sdkiface", "example.com/agents/viaiface"); !slices.Equal(fixed, tt.want) {
			t.Errorf("optional-retrying-types %q: fixes for %v, want %v", tt.optional, fixed, tt.want)
		}
	}
}

// TestPollRetries checks the retries made through poll helpers (polls.go)
// and the retrying transports constructors return as interfaces
// (RetryingSenderFunc): go-containerregistry's transport.NewRetry over
// retry.Retry over a copy of apimachinery's wait.ExponentialBackoff. A
// poll that waits for a state is no retry.
func TestPollRetries(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}),
		"example.com/pollwait", "example.com/retryhelper", "example.com/manifests", "example.com/agents/registry")
}

// TestPollRetriesOptional checks that naming the retrying transport
// NewRetry returns in optional-retrying-types gives the methods sending
// through what it built their fixes back (the program never installs
// it), and no others: the retries through poll helpers stay routed, and
// Index.Digest follows Index.RawManifest (its callee, which gets a fix
// first).
func TestPollRetriesOptional(t *testing.T) {
	for _, tt := range []struct {
		optional string
		want     []string
	}{
		{"", []string{"Cluster.AwaitQuiet", "Cluster.AwaitReady", "Cluster.Watch"}},
		{"example.com/retryhelper.retryTransport", []string{"Cluster.AwaitQuiet", "Cluster.AwaitReady", "Cluster.Watch", "Index.RawManifest", "Pusher.Delete"}},
	} {
		if fixed := fixesWith(t, "optional-retrying-types", tt.optional, "example.com/agents/registry"); !slices.Equal(fixed, tt.want) {
			t.Errorf("optional-retrying-types %q: fixes for %v, want %v", tt.optional, fixed, tt.want)
		}
	}
}

// TestFuncFieldRetry checks that a call through a struct field of function
// type nests the retry of a function the package stores into that field
// (go-redis's hooks: Client.Process calls hs.current.process, set to the
// retrying baseClient.process), through method values, conversions,
// function literals and copies from another such field, and that a field
// holding only functions that do not retry leaves the fix.
func TestFuncFieldRetry(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/hooked", "example.com/agents/redisuser")
}

// TestFuncElemRetry checks that a call of a function taken out of a map,
// slice or array the package fills (linodego's databaseStatusHandlers)
// nests the retry of a function stored there: through a local variable
// of a named function type and through a direct element call, with
// elements from literals and from assignments, and that elements that do
// not retry leave the fix.
func TestFuncElemRetry(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/handlers")
}

// fixesWith runs the analyzer with flag set to value on the packages
// pkgs of the testdata and returns the fixes it suggests, as
// "Type.Method", sorted. The fixtures' wants are those of the default
// configuration: only the fixes are compared.
func fixesWith(t *testing.T, flag, value string, pkgs ...string) []string {
	t.Helper()
	fix := func(pass *analysis.Pass, tg *retrycoverage.Target) ([]analysis.SuggestedFix, error) {
		return []analysis.SuggestedFix{{Message: tg.Agent.Name() + "." + tg.Decl.Name.Name}}, nil
	}
	a := retrycoverage.New(retrycoverage.Options{Fix: fix})
	if err := a.Flags.Set(flag, value); err != nil {
		t.Fatal(err)
	}
	var fixed []string
	for _, r := range analysistest.Run(&collect{T: t}, analysistest.TestData(), a, pkgs...) {
		for _, d := range r.Diagnostics {
			for _, f := range d.SuggestedFixes {
				fixed = append(fixed, f.Message)
			}
		}
	}
	slices.Sort(fixed)
	return fixed
}

// TestCallbackValues checks callbacks a caller passes (go-redis's
// Ring.ForEachShard and Pipeline.Pipelined): a value whose methods retry
// handed to one nests, a callback run once per item is refused for what
// a retry would repeat, a hook run once with plain values keeps the fix,
// and messages name a method's own cause before a method of a value
// handed to a callback, and nesting before a cycle closed only through
// such a callback.
func TestCallbackValues(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/shardring")
}

// TestDefaultRetryingTypes checks that a method calling an aws-sdk-go-v2
// service client (config.DefaultRetryingTypes) is routed by the SDK's
// retry and gets no fix of its own, that the SDK's other types are not
// taken to retry, and that exclude-retry-funcs gives the fix back, by
// the pattern, by the client's package or by the type's name, and not
// by another package's path.
func TestDefaultRetryingTypes(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/awsuser")
	for _, tt := range []struct {
		exclude string
		want    []string
	}{
		{"", nil},
		{"github.com/aws/aws-sdk-go-v2/service/*.Client", []string{"Queue.Send"}},
		{"github.com/aws/aws-sdk-go-v2/service/sqs", []string{"Queue.Send"}},
		{"github.com/aws/aws-sdk-go-v2/service/sqs.Client", []string{"Queue.Send"}},
		{"github.com/aws/aws-sdk-go-v2/service/sns", nil},
	} {
		if fixed := fixesWith(t, "exclude-retry-funcs", tt.exclude, "example.com/agents/awsuser"); !slices.Equal(fixed, tt.want) {
			t.Errorf("exclude-retry-funcs %q: fixes for %v, want %v", tt.exclude, fixed, tt.want)
		}
	}
}

// TestKubernetesClients checks that a method calling client-go's typed
// clientset (config.DefaultRetryingTypes: rest.Request retries answers
// with Retry-After and reset GETs) is routed by client-go's retry and
// gets no fix, and that exclude-retry-funcs gives the fix back.
func TestKubernetesClients(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/k8suser")
	for _, tt := range []struct {
		exclude string
		want    []string
	}{
		{"", []string{"Store.Health"}},
		{"k8s.io/client-go/kubernetes/typed/*/*.*Interface", []string{"Store.Get", "Store.Health"}},
		{"k8s.io/client-go/kubernetes/typed/core/v1", []string{"Store.Get", "Store.Health"}},
	} {
		if fixed := fixesWith(t, "exclude-retry-funcs", tt.exclude, "example.com/agents/k8suser"); !slices.Equal(fixed, tt.want) {
			t.Errorf("exclude-retry-funcs %q: fixes for %v, want %v", tt.exclude, fixed, tt.want)
		}
	}
}

// TestAzurePipeline checks that a request sent through azcore's Pipeline
// (a default retry entry point, reached through the runtime package's
// alias) routes the Azure client's method and, through its Fact, the
// agent method that only calls it; that a listing through azcore's Pager
// (NextPage, a default retry entry point: its Fetcher is stored by the
// client's package) gets no retry around the SDK's; and that
// exclude-retry-funcs with azcore's package, and its Pager, gives the
// fixes back.
func TestAzurePipeline(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "github.com/Azure/azure-sdk-for-go/sdk/storage/azblob", "example.com/agents/azuser")
	if fixed := fixesWith(t, "exclude-retry-funcs", "github.com/Azure/azure-sdk-for-go/sdk/azcore/internal/exported", "example.com/agents/azuser"); !slices.Equal(fixed, []string{"Store.Delete"}) {
		t.Errorf("exclude-retry-funcs azcore: fixes for %v, want [Store.Delete]", fixed)
	}
	if fixed := fixesWith(t, "exclude-retry-funcs", "github.com/Azure/azure-sdk-for-go/sdk/azcore/internal/exported,github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime.Pager.NextPage", "example.com/agents/azuser"); !slices.Equal(fixed, []string{"Store.Delete", "Store.List"}) {
		t.Errorf("exclude-retry-funcs azcore and its Pager: fixes for %v, want [Store.Delete Store.List]", fixed)
	}
}

// TestClosureRecursion checks that a retry by recursion through a local
// closure (sarama's tryRefreshMetadata) is a retry, that a recursion
// through a closure over other work is none, and that callers reach the
// retry through a function field set to the closure or to the method
// value a constructor builds from it.
func TestClosureRecursion(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/refresher")
}

// TestTupleStoredFuncField checks a func-typed field set by a tuple
// assignment from a call (cloud.google.com/go/storage's
// `it.pageInfo, it.nextFunc = iterator.NewPageInfo(fetch, ...)`, fetch
// sending each page through the package's retry loop): the iterator's
// Next nests that retry, so does an agent method walking the listing,
// and a listing whose fetch does not retry keeps the fix.
func TestTupleStoredFuncField(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/objlist", "example.com/agents/gcsuser")
}

// TestGaxInvoke checks that gax.Invoke (github.com/googleapis/gax-go/v2),
// through which the generated Google API clients send every call, is a
// retry: its loop waits through the sleeper Invoke hands invoke (a
// parameter of a named function type), so a method calling a generated
// client's method, or walking its paged iterator, nests that retry.
func TestGaxInvoke(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "github.com/googleapis/gax-go/v2", "example.com/agents/pubsubuser")
}

// TestGoroutineRetry checks that a retry run in a goroutine whose result
// is kept and whose end is signalled (a send, a close, a WaitGroup's
// Done) is a retry of the function that starts it
// (cloud.google.com/go/storage's NewWriterFromAppendableObject waits on
// channels for the takeover stream its gRPC client runs inside run): the
// method, and one reaching it through an interface, gets no fix; a retry
// whose result is dropped, or that signals nobody, keeps the fix.
func TestGoroutineRetry(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/takeover")
}

// TestStatusRetryLoop checks that a loop that sends a request again,
// after a wait, while the status of its response calls for it is a retry
// loop (meilisearch-go's client.do retries 502/503/504 of round trips
// that did not fail): the methods sending through it get no fix. A poll
// on a task's state and a walk through pages whose status is checked
// keep theirs.
func TestStatusRetryLoop(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/search")
}

// TestStatusSwitchLoop checks that a loop deciding on its response's
// status in a switch (switch resp.StatusCode { case 429, 503: ... }, or a
// switch without a tag whose cases read it) is a retry loop, and that a
// readiness wait (send again until a 200) is one too; a switch whose every
// case runs the loop again and a switch on a task's state are not.
func TestStatusSwitchLoop(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/statusswitch")
}

// TestRetriedElsewhere checks that the agent methods of another package
// that this package's retries run in their attempts (an asynq handler
// calling mailsvc.Mailer.Send, a river worker reaching Mailer.Ping
// through a helper, a retry loop calling Mailer.Notify; Mailer.Forward,
// whose fix routes Mailer.Relay that a loop calls) are named in the
// Result with the refusal each gets, for a driver to take back the fixes
// mailsvc's pass reported; a method no retry reaches is not.
func TestRetriedElsewhere(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/mailsvc", "example.com/agents/mailjobs")
	var got []retrycoverage.RetriedMethod
	for _, r := range results {
		if r.Pass.Pkg.Path() == "example.com/agents/mailjobs" {
			got = r.Result.(*retrycoverage.Result).Retried
		}
	}
	relay := "it runs in each attempt of the retry loop at jobs.go:63 in mailjobs.relayAll, and a retry around it would multiply that retry's attempts (leave the retrying to that retry, or mark it //resilience:noretry <reason>)"
	want := []retrycoverage.RetriedMethod{
		{Pkg: "example.com/agents/mailsvc", Type: "Mailer", Method: "Batch", Reason: "it runs in each attempt of the retry loop at jobs.go:81 in mailjobs.batchAll, and a retry around it would multiply that retry's attempts (leave the retrying to that retry, or mark it //resilience:noretry <reason>)"},
		{Pkg: "example.com/agents/mailsvc", Type: "Mailer", Method: "Forward", Reason: relay},
		{Pkg: "example.com/agents/mailsvc", Type: "Mailer", Method: "Notify", Reason: "it runs in each attempt of the retry loop at jobs.go:45 in mailjobs.notifyAll, and a retry around it would multiply that retry's attempts (leave the retrying to that retry, or mark it //resilience:noretry <reason>)"},
		{Pkg: "example.com/agents/mailsvc", Type: "Mailer", Method: "Ping", Reason: "it runs in each attempt of river's retry of each job (river.Worker[PingArgs]) at jobs.go:35 in mailjobs.Pinger.Work, through mailjobs.check, and a retry around it would multiply that retry's attempts (leave the retrying to that retry, or mark it //resilience:noretry <reason>)"},
		{Pkg: "example.com/agents/mailsvc", Type: "Mailer", Method: "Relay", Reason: relay},
		{Pkg: "example.com/agents/mailsvc", Type: "Mailer", Method: "Send", Reason: "it runs in each attempt of asynq's retry of each task (asynq.Handler) at jobs.go:20 in mailjobs.EmailHandler.ProcessTask, and a retry around it would multiply that retry's attempts (leave the retrying to that retry, or mark it //resilience:noretry <reason>)"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Retried:\n got %+v\nwant %+v", got, want)
	}
}

// TestRefuseFix checks the message RefuseFix makes of a finding's.
func TestRefuseFix(t *testing.T) {
	for _, tt := range []struct{ msg, want string }{
		{"T.M returns an error but is not routed through runtime/recovery (run resilience-lint -fix, or mark it //resilience:noretry <reason>)",
			"T.M returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: R"},
		{"T.M returns an error but is not routed through runtime/recovery; -fix retries only the statements after a.go:3, as it sets x (run resilience-lint -fix, or mark it //resilience:noretry <reason>)",
			"T.M returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: R"},
		{"T.M returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: Q", "T.M returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: Q"},
	} {
		if got := retrycoverage.RefuseFix(tt.msg, "R"); got != tt.want {
			t.Errorf("RefuseFix(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}

// TestRequeueFrameworks checks the frameworks that run a method again
// when it fails, as job handlers: controller-runtime's reconcilers
// (Reconcile of reconcile.Reconciler, TypedReconciler[K],
// ObjectReconciler[T]) and a client-go workqueue worker that requeues a
// key whose sync failed (AddRateLimited). The method and the agent
// methods it reaches get no fix; a method with only the name, or outside
// the worker, keeps its fix.
func TestRequeueFrameworks(t *testing.T) {
	fix := func(pass *analysis.Pass, tg *retrycoverage.Target) ([]analysis.SuggestedFix, error) {
		return []analysis.SuggestedFix{{Message: "route " + tg.Agent.Name() + "." + tg.Decl.Name.Name}}, nil
	}
	for _, tc := range []struct {
		pkg  string
		want []string // Lookalike.Reconcile and Controller.Once delegate to Store.Put
	}{
		{"example.com/agents/reconcilers", []string{"Store.Put"}},
		{"example.com/agents/workqueues", []string{"Store.Put"}},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			a := retrycoverage.New(retrycoverage.Options{Fix: fix})
			results := analysistest.Run(t, analysistest.TestData(), a, tc.pkg)
			var fixed []string
			for _, r := range results {
				for _, d := range r.Diagnostics {
					for _, f := range d.SuggestedFixes {
						fixed = append(fixed, strings.TrimPrefix(f.Message, "route "))
					}
				}
			}
			slices.Sort(fixed)
			if !slices.Equal(fixed, tc.want) {
				t.Errorf("fixes for %v, want %v", fixed, tc.want)
			}
		})
	}
}

// TestJobHandlers checks that a method a job-queue framework runs and
// retries (asynq.Handler's ProcessTask, river.Worker[T]'s Work) gets no
// fix, nor do the agent methods of the package it reaches, and that a
// method with only the name of one keeps its fix.
func TestJobHandlers(t *testing.T) {
	fix := func(pass *analysis.Pass, tg *retrycoverage.Target) ([]analysis.SuggestedFix, error) {
		return []analysis.SuggestedFix{{Message: "route " + tg.Decl.Name.Name}}, nil
	}
	a := retrycoverage.New(retrycoverage.Options{Fix: fix})
	results := analysistest.Run(t, analysistest.TestData(), a, "example.com/agents/jobs")
	var fixed []string
	for _, r := range results {
		for _, d := range r.Diagnostics {
			for _, f := range d.SuggestedFixes {
				fixed = append(fixed, strings.TrimPrefix(f.Message, "route "))
			}
		}
	}
	slices.Sort(fixed)
	if want := []string{"Notify", "Work"}; !slices.Equal(fixed, want) {
		t.Errorf("fixes for %v, want %v (Mailer.Notify and Lookalike.Work only)", fixed, want)
	}
}

// TestRangeOverFunc checks that a range over a function iterator yielding
// an error the loop binds (iter.Seq2[T, error]) is work that can fail, and
// that a write in its body before the next iteration refuses the fix.
func TestRangeOverFunc(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/streams")
}

// TestGotoRetry checks that a retry written with a label and a goto
// (franz-go's retryable.Request, behind every request of kgo.Client) is a
// retry loop: the client's Request, whose error is a field of the shards
// it issued, and RequestSharded, whose callers range over the shards,
// nest it, and so does a method handing the client to a request type as
// an interface; a goto taken after a success, or one that neither waits
// nor counts, is no retry.
func TestGotoRetry(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/kclient", "example.com/agents/eventbus")
}

// TestDynamoDBConversions checks that the attribute-value conversions of
// aws-sdk-go-v2's DynamoDB and the MongoDB driver's bson Marshal and
// Unmarshal (they fail only on the values given) do not make a method
// that calls a retrying client mix work outside its retry: the method is
// routed by the client's retry, no finding, no fix.
func TestDynamoDBConversions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/dynamouser")
}

// TestFirstAttemptBeforeLoop checks that a retry whose first attempt is
// made before its loop (go-grpc-middleware's retrying stream) routes the
// method: the call before the loop, written as the loop's, is an attempt
// of it when its failure goes on into the loop. A call whose every
// failure returns first, or another call, stays work before the loop.
func TestFirstAttemptBeforeLoop(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retrycoverage.New(retrycoverage.Options{}), "example.com/agents/firsttry")
}
