// Package config is the one configuration schema of resilience-lint.
//
// The same keys are read from a .resilience.yml file (CLI), from the
// golangci-lint plugin settings, and from analyzer flags
// (-retrycoverage.agent-types=..., as go vet -vettool and Bazel nogo pass
// only flags). List settings come in a replacing form (agent-types) and an
// extending form (extra-agent-types) so users keep the defaults.
//
// A nil list means "the default"; a non-nil empty list (agent-packages: []
// in YAML, -agent-packages= as a flag) replaces the default with nothing.
// The Effective* getters merge the replacing form (or the default) with the
// extending form; code that classifies types reads only those getters.
package config

import (
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/scanner"
	"go/token"
	"path"
	"slices"
	"strings"
)

// Config selects agents and workers and names the runtime entry points.
type Config struct {
	// AgentTypes are type-name patterns selecting agents, matched against
	// "Name" and "import/path.Name" (path.Match syntax). Default: none.
	AgentTypes      []string `yaml:"agent-types" json:"agent-types"`
	ExtraAgentTypes []string `yaml:"extra-agent-types" json:"extra-agent-types"`

	// AgentPackages are package-path patterns whose named types are agents
	// (unless they are workers). A pattern is matched (path.Match syntax)
	// against the whole import path and, when it contains no "/", against
	// each element of the path. Default: "agents" (any path with an
	// element "agents").
	AgentPackages      []string `yaml:"agent-packages" json:"agent-packages"`
	ExtraAgentPackages []string `yaml:"extra-agent-packages" json:"extra-agent-packages"`

	// WorkerTypes are type-name patterns selecting workers. Default: "*Worker".
	WorkerTypes      []string `yaml:"worker-types" json:"worker-types"`
	ExtraWorkerTypes []string `yaml:"extra-worker-types" json:"extra-worker-types"`

	// WorkerInterfaces are interfaces ("import/path.Name") whose
	// implementations are workers. Default: none.
	WorkerInterfaces []string `yaml:"worker-interfaces" json:"worker-interfaces"`

	// WorkerMethods are the names of a worker's run method. Default: "Execute".
	WorkerMethods      []string `yaml:"worker-methods" json:"worker-methods"`
	ExtraWorkerMethods []string `yaml:"extra-worker-methods" json:"extra-worker-methods"`

	// RetryFuncs are extra retry entry points ("import/path.Func" or
	// "import/path.Type.Method") for code bases that wrap runtime/recovery
	// or use a retry library not in DefaultRetryFuncs. They extend the
	// defaults.
	RetryFuncs []string `yaml:"retry-funcs" json:"retry-funcs"`

	// ExcludeRetryFuncs removes entries of DefaultRetryFuncs and
	// DefaultRetryingTypes: an entry is a qualified name
	// ("import/path.Func", "import/path.Type.Method", "import/path.Type"),
	// an import path, which removes every default of that package (e.g.
	// "github.com/hashicorp/go-retryablehttp" when its clients are built
	// with RetryMax 0), or a pattern of DefaultRetryingTypes.
	ExcludeRetryFuncs []string `yaml:"exclude-retry-funcs" json:"exclude-retry-funcs"`

	// RetryingTypes are type-name patterns (as agent-types) of types that
	// retry by construction, such as API clients configured with their own
	// retry options: a call to one of their methods is routed work. The
	// directive //resilience:retries <reason> on a type declaration says
	// the same. Default: none; the clients of DefaultRetryingTypes retry
	// whatever this says (exclude-retry-funcs removes them).
	RetryingTypes []string `yaml:"retrying-types" json:"retrying-types"`

	// RetryingPackages are package-path patterns (as agent-packages) of
	// packages whose functions and methods retry by construction. Default:
	// none.
	RetryingPackages []string `yaml:"retrying-packages" json:"retrying-packages"`

	// OptionalRetryingTypes are type-name patterns (as agent-types) of
	// types that retry but that the code turns on only when asked, and
	// does not: slack-go's retryClient, installed by OptionRetry. A call
	// through an interface such a type implements is not taken to nest its
	// retry, so the callers keep their fixes. Calls of the type's own
	// methods still count as retrying. Default: none.
	OptionalRetryingTypes []string `yaml:"optional-retrying-types" json:"optional-retrying-types"`

	// RepeatableFuncs are effects meant to repeat on every attempt
	// ("import/path.Func" or "import/path.Type.Method", same syntax as
	// retry-funcs), such as a team's own metrics or rate limiter: a call of
	// one does not make a body unsafe to retry, though it writes state
	// that outlives the attempt. They extend the built-in list of package
	// retrysafety (rate limiters, Prometheus metrics, expvar, log, slog,
	// zap, logrus).
	RepeatableFuncs []string `yaml:"repeatable-funcs" json:"repeatable-funcs"`

	// RepeatableWrites are fields ("import/path.Type.Field") and package
	// variables ("import/path.Var") whose writes may repeat on every
	// attempt, such as a cache of the last response's rate-limit headers
	// (github.com/digitalocean/godo.Client.Rate) that the code reads back:
	// a write to one (an assignment, ++, a map insert, a method call on
	// it) does not make a body unsafe to retry. Package retrysafety proves
	// plain last-value writes on its own; this key, like the directive
	// //resilience:repeatable <reason> on a struct field, declares the
	// ones it cannot.
	RepeatableWrites []string `yaml:"repeatable-writes" json:"repeatable-writes"`

	// TrackFuncs are extra tracking functions ("import/path.Func" or
	// "import/path.Type.Method"), optionally followed by "=kind" where kind
	// is success, error, outcome (records success or error according to the
	// outcome; the default) or wrap (runs a function and tracks its
	// result, like intelligence.Track); see TrackKind in package targets.
	TrackFuncs []string `yaml:"track-funcs" json:"track-funcs"`

	// Policy is the Go expression the retry fixer passes as the policy,
	// e.g. "a.policy", "platform.DefaultPolicy" (a package the file
	// imports) or "example.com/shop/platform.DefaultPolicy" (a full import
	// path: the fixer adds the import). Empty: recovery.Default().
	Policy string `yaml:"policy" json:"policy"`
	// PolicySource says where Policy was set, for the fixer's errors:
	// "file:line" of the key when Parse read it from a file, else "".
	PolicySource string `yaml:"-" json:"-"`

	// AgentName overrides the agent name the tracking fixer writes into
	// intelligence.Op. Empty: derived from the package name.
	AgentName string `yaml:"agent-name" json:"agent-name"`

	// IncludeTests also checks _test.go files.
	IncludeTests bool `yaml:"include-tests" json:"include-tests"`
}

// Defaults of the replacing list settings.
var (
	DefaultAgentPackages = []string{"agents"}
	DefaultWorkerTypes   = []string{"*Worker"}
	DefaultWorkerMethods = []string{"Execute"}
)

// DefaultRetryFuncs are the retry entry points of well-known retry
// libraries, and the methods of clients that retry by construction,
// recognised out of the box (checked against the libraries' APIs:
// cenkalti/backoff v2.2, v3.2, v4.3 and v5.0, avast/retry-go v3.0 (its
// unversioned path), v3.1, v4.7 and v5.1, sethvargo/go-retry v0.5,
// failsafe-go v0.9, hashicorp/go-retryablehttp v0.7, eapache/go-resiliency
// v1.7, Rican7/retry v0.3, matryer/try, juju/retry v1.0 (its work in
// CallArgs.Func), k8s.io/client-go's util/retry,
// Azure's azcore v1.24 and v1.23.3). retry-funcs extends them;
// exclude-retry-funcs removes some.
//
// A library whose loop the analyzer can read is also recognised by it
// (retrycoverage's retry loops), but not every library's is: go-resiliency
// decides through a classifier's switch, Rican7/retry waits in strategy
// functions handed in a slice, matryer/try does not wait at all. Naming
// their entry points makes the verdict not depend on reading them, and
// holds where a driver reads a dependency from export data.
var DefaultRetryFuncs = []string{
	"github.com/cenkalti/backoff.Retry",
	"github.com/cenkalti/backoff.RetryNotify",
	"github.com/cenkalti/backoff/v3.Retry",
	"github.com/cenkalti/backoff/v3.RetryNotify",
	"github.com/cenkalti/backoff/v3.RetryNotifyWithTimer",
	"github.com/cenkalti/backoff/v4.Retry",
	"github.com/cenkalti/backoff/v4.RetryNotify",
	"github.com/cenkalti/backoff/v4.RetryWithData",
	"github.com/cenkalti/backoff/v4.RetryNotifyWithData",
	"github.com/cenkalti/backoff/v4.RetryNotifyWithTimer",
	"github.com/cenkalti/backoff/v4.RetryNotifyWithTimerAndData",
	"github.com/cenkalti/backoff/v5.Retry",
	"github.com/avast/retry-go.Do",
	"github.com/avast/retry-go/v3.Do",
	"github.com/avast/retry-go/v4.Do",
	"github.com/avast/retry-go/v4.DoWithData",
	"github.com/avast/retry-go/v5.Retrier.Do",
	"github.com/avast/retry-go/v5.RetrierWithData.Do",
	"github.com/sethvargo/go-retry.Do",
	"github.com/sethvargo/go-retry.DoValue",
	"github.com/sethvargo/go-retry.Constant",
	"github.com/sethvargo/go-retry.Exponential",
	"github.com/sethvargo/go-retry.Fibonacci",
	"github.com/failsafe-go/failsafe-go.Executor.Run",
	"github.com/failsafe-go/failsafe-go.Executor.RunWithExecution",
	"github.com/failsafe-go/failsafe-go.Executor.Get",
	"github.com/failsafe-go/failsafe-go.Executor.GetWithExecution",
	"github.com/failsafe-go/failsafe-go/failsafehttp.Request.Do",
	"github.com/hashicorp/go-retryablehttp.Client.Do",
	"github.com/hashicorp/go-retryablehttp.Client.Get",
	"github.com/hashicorp/go-retryablehttp.Client.Head",
	"github.com/hashicorp/go-retryablehttp.Client.Post",
	"github.com/hashicorp/go-retryablehttp.Client.PostForm",
	"github.com/hashicorp/go-retryablehttp.Get",
	"github.com/hashicorp/go-retryablehttp.Head",
	"github.com/hashicorp/go-retryablehttp.Post",
	"github.com/hashicorp/go-retryablehttp.PostForm",
	"github.com/eapache/go-resiliency/retrier.Retrier.Run",
	"github.com/eapache/go-resiliency/retrier.Retrier.RunCtx",
	"github.com/eapache/go-resiliency/retrier.Retrier.RunFn",
	"github.com/Rican7/retry.Retry",
	"github.com/juju/retry.Call",
	"github.com/matryer/try.Do",
	// client-go's helpers retry fn while its error is a conflict (or
	// retriable says so), through apimachinery's wait.ExponentialBackoff.
	"k8s.io/client-go/util/retry.RetryOnConflict",
	"k8s.io/client-go/util/retry.OnError",
	// azcore's Pipeline (runtime.Pipeline is an alias of it) runs every
	// request of the Azure SDK's clients through the pipeline's policies,
	// among them the retry policy runtime.NewPipeline always adds (3
	// retries by default); the policies are interface values the
	// analysis cannot follow.
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/internal/exported.Pipeline.Do",
	// azcore's Pager runs, on each NextPage, the Fetcher the client's
	// constructor stored in its PagingHandler: a function of the client's
	// package (azblob's container.Client.NewListBlobsFlatPager) that sends
	// through the Pipeline above. The store is in another package than
	// the call, which the analysis does not see (a listing wrapped by -fix
	// made 12 list requests instead of 4 on a 503). Excluding azcore's
	// retry takes both entries (or their two packages).
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime.Pager.NextPage",
}

// DefaultRetryingTypes are type-name patterns (as retrying-types) of the
// clients of well-known SDKs that retry every operation by construction,
// through a middleware stack or pipeline whose retry step lives in a
// package the calls reach only through interfaces the analysis cannot
// resolve (it sees implementations in the interface's package and in the
// caller's, not in a third package): aws-sdk-go-v2's service clients
// (checked against service/sqs v1.53.0: every operation runs
// retry.Attempt, 3 attempts by default, through smithy-go's
// FinalizeMiddleware). A call of one of their methods is routed work, so
// a method that only calls them gets no retry of its own around the
// SDK's. exclude-retry-funcs removes an entry (the pattern itself), or
// its clients of one package (that package's import path), for code that
// builds them without retries (aws.NopRetryer, RetryMaxAttempts 1).
var DefaultRetryingTypes = []string{
	"github.com/aws/aws-sdk-go-v2/service/*.Client",
	// The services' paginators (dynamodb.QueryPaginator,
	// s3.ListObjectsV2Paginator): NextPage is one operation of the
	// service's client, with its retry, and moves the paginator's token
	// on only once the page was read.
	"github.com/aws/aws-sdk-go-v2/service/*.*Paginator",
	// Kubernetes' clients send every request through client-go's
	// rest.Request, whose loop (request in rest/request.go, checked
	// against client-go v0.37.2) retries an answer carrying Retry-After
	// (429 and 5xx: the API server's priority and fairness, a server
	// shutting down) and a GET whose connection was reset, 10 retries by
	// default (Request.MaxRetries). Its retry decisions and waits are
	// interface calls (WithRetry, BackoffManager), and the typed
	// clientsets reach it through interfaces whose methods are promoted
	// from client-go's gentype package, neither of which the analysis
	// follows: a ConfigMap List wrapped by -fix made 24 requests instead
	// of 13 on a reset page, waiting 1s between client-go's retries. The
	// typed clientsets' interfaces (typed/core/v1.ConfigMapInterface,
	// ...), the dynamic client's, rest's Request and Result, and
	// controller-runtime's client (which sends through rest.Request).
	"k8s.io/client-go/kubernetes/typed/*/*.*Interface",
	"k8s.io/client-go/dynamic.*ResourceInterface",
	"k8s.io/client-go/rest.Request",
	"k8s.io/client-go/rest.Result",
	"sigs.k8s.io/controller-runtime/pkg/client.Client",
	"sigs.k8s.io/controller-runtime/pkg/client.Reader",
	"sigs.k8s.io/controller-runtime/pkg/client.Writer",
	"sigs.k8s.io/controller-runtime/pkg/client.WithWatch",
	"sigs.k8s.io/controller-runtime/pkg/client.SubResource*",
}

// TrackKinds are the kinds accepted after "=" in a track-funcs entry.
var TrackKinds = []string{"success", "error", "outcome", "wrap"}

// Default returns a configuration with every setting at its default. Its
// lists are nil, which the Effective* getters read as the defaults.
func Default() *Config { return &Config{} }

// merge returns base (or def when base is nil) followed by extra, without
// duplicates. It never aliases its inputs.
func merge(base, def, extra []string) []string {
	if base == nil {
		base = def
	}
	out := make([]string, 0, len(base)+len(extra))
	seen := make(map[string]bool, len(base)+len(extra))
	for _, l := range [][]string{base, extra} {
		for _, s := range l {
			if s != "" && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// EffectiveAgentTypes returns agent-types followed by extra-agent-types.
func (c *Config) EffectiveAgentTypes() []string {
	return merge(c.AgentTypes, nil, c.ExtraAgentTypes)
}

// EffectiveAgentPackages returns agent-packages (default "agents")
// followed by extra-agent-packages.
func (c *Config) EffectiveAgentPackages() []string {
	return merge(c.AgentPackages, DefaultAgentPackages, c.ExtraAgentPackages)
}

// EffectiveWorkerTypes returns worker-types (default "*Worker") followed by
// extra-worker-types.
func (c *Config) EffectiveWorkerTypes() []string {
	return merge(c.WorkerTypes, DefaultWorkerTypes, c.ExtraWorkerTypes)
}

// EffectiveWorkerMethods returns worker-methods (default "Execute")
// followed by extra-worker-methods.
func (c *Config) EffectiveWorkerMethods() []string {
	return merge(c.WorkerMethods, DefaultWorkerMethods, c.ExtraWorkerMethods)
}

// EffectiveRetryFuncs returns DefaultRetryFuncs without the entries
// exclude-retry-funcs removes, followed by retry-funcs.
func (c *Config) EffectiveRetryFuncs() []string {
	var defaults []string
	for _, f := range DefaultRetryFuncs {
		excluded := false
		for _, x := range c.ExcludeRetryFuncs {
			if f == x || isPackageOf(x, f) {
				excluded = true
			}
		}
		if !excluded {
			defaults = append(defaults, f)
		}
	}
	return merge(defaults, nil, c.RetryFuncs)
}

// ExcludesDefaultRetrying reports whether exclude-retry-funcs removes the
// default retrying type pattern for the type name in package pkgPath:
// it lists the pattern, the package's import path or the type's
// qualified name.
func (c *Config) ExcludesDefaultRetrying(pattern, pkgPath, name string) bool {
	for _, x := range c.ExcludeRetryFuncs {
		if x == pattern || x == pkgPath || x == pkgPath+"."+name {
			return true
		}
	}
	return false
}

// isPackageOf reports whether pkgPath is the import path of the qualified
// name f.
func isPackageOf(pkgPath, f string) bool {
	p, _, err := SplitQualified(f)
	return err == nil && p == pkgPath
}

// Validate reports the first invalid setting as an error naming its key.
func (c *Config) Validate() error {
	var errs []error
	patterns := []struct {
		key  string
		list []string
	}{
		{"agent-types", c.AgentTypes},
		{"extra-agent-types", c.ExtraAgentTypes},
		{"agent-packages", c.AgentPackages},
		{"extra-agent-packages", c.ExtraAgentPackages},
		{"worker-types", c.WorkerTypes},
		{"extra-worker-types", c.ExtraWorkerTypes},
		{"retrying-types", c.RetryingTypes},
		{"retrying-packages", c.RetryingPackages},
		{"optional-retrying-types", c.OptionalRetryingTypes},
	}
	for _, p := range patterns {
		for _, s := range p.list {
			if strings.TrimSpace(s) == "" {
				errs = append(errs, fmt.Errorf("config: %s: empty pattern", p.key))
				continue
			}
			if _, err := path.Match(s, ""); err != nil {
				errs = append(errs, fmt.Errorf("config: %s: bad pattern %q: %v", p.key, s, err))
			}
		}
	}
	names := []struct {
		key  string
		list []string
	}{
		{"worker-methods", c.WorkerMethods},
		{"extra-worker-methods", c.ExtraWorkerMethods},
	}
	for _, n := range names {
		for _, s := range n.list {
			if !isIdent(s) {
				errs = append(errs, fmt.Errorf("config: %s: %q is not a method name", n.key, s))
			}
		}
	}
	for _, s := range c.WorkerInterfaces {
		if _, _, err := SplitQualified(s); err != nil {
			errs = append(errs, fmt.Errorf("config: worker-interfaces: %v", err))
		}
	}
	for _, s := range c.RetryFuncs {
		if _, _, err := SplitQualified(s); err != nil {
			errs = append(errs, fmt.Errorf("config: retry-funcs: %v", err))
		}
	}
	for _, s := range c.RepeatableFuncs {
		if _, _, err := SplitQualified(s); err != nil {
			errs = append(errs, fmt.Errorf("config: repeatable-funcs: %v", err))
		}
	}
	for _, s := range c.RepeatableWrites {
		if _, _, err := SplitQualified(s); err != nil {
			errs = append(errs, fmt.Errorf("config: repeatable-writes: %q: want import/path.Type.Field or import/path.Var", s))
		}
	}
	for _, s := range c.ExcludeRetryFuncs {
		if _, _, err := SplitQualified(s); err != nil && !isDefaultRetryPackage(s) && !isDefaultRetryingPackage(s) && !slices.Contains(DefaultRetryingTypes, s) {
			errs = append(errs, fmt.Errorf("config: exclude-retry-funcs: %q is neither a qualified name nor the import path of a default", s))
		}
	}
	for _, s := range c.TrackFuncs {
		name, kind, _ := strings.Cut(s, "=")
		if _, _, err := SplitQualified(name); err != nil {
			errs = append(errs, fmt.Errorf("config: track-funcs: %v", err))
		}
		if strings.Contains(s, "=") && !contains(TrackKinds, kind) {
			errs = append(errs, fmt.Errorf("config: track-funcs: %q: kind %q is not one of %s", s, kind, strings.Join(TrackKinds, ", ")))
		}
	}
	if c.Policy != "" {
		if _, err := parser.ParseExpr(c.Policy); err != nil {
			errs = append(errs, fmt.Errorf("config: policy: %q is not a Go expression: %v", c.Policy, err))
		} else if hasComment(c.Policy) {
			// The fixer writes the expression inside the retry's call: a
			// line comment would comment out the rest of the wrapper.
			errs = append(errs, fmt.Errorf("config: policy: %q contains a comment: write the expression alone", c.Policy))
		}
	}
	if strings.ContainsAny(c.AgentName, "\"\n`\\") {
		errs = append(errs, fmt.Errorf("config: agent-name: %q must not contain quotes, backslashes or newlines", c.AgentName))
	}
	return errors.Join(errs...)
}

// hasComment reports whether the Go source src contains a comment.
func hasComment(src string) bool {
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile("", -1, len(src)), []byte(src), nil, scanner.ScanComments)
	for {
		_, tok, _ := s.Scan()
		switch tok {
		case token.COMMENT:
			return true
		case token.EOF:
			return false
		}
	}
}

// isDefaultRetryingPackage reports whether pkgPath is a package whose
// types an entry of DefaultRetryingTypes selects.
func isDefaultRetryingPackage(pkgPath string) bool {
	for _, p := range DefaultRetryingTypes {
		if m, _ := path.Match(p[:strings.LastIndex(p, ".")], pkgPath); m {
			return true
		}
	}
	return false
}

// isDefaultRetryPackage reports whether pkgPath is the package of an entry
// of DefaultRetryFuncs.
func isDefaultRetryPackage(pkgPath string) bool {
	for _, f := range DefaultRetryFuncs {
		if isPackageOf(pkgPath, f) {
			return true
		}
	}
	return false
}

// SplitQualified splits "import/path.Name" or "import/path.Type.Method"
// into the import path and the dotted name ("Name" or "Type.Method") at
// the first dot after the last slash. When the last path element itself
// has a dot (gopkg.in/yaml.v3.Marshal) the split is ambiguous; matching
// therefore compares whole qualified names, and this function only
// checks the shape.
func SplitQualified(s string) (pkgPath, name string, err error) {
	slash := strings.LastIndex(s, "/")
	dot := strings.Index(s[slash+1:], ".")
	if dot < 0 {
		return "", "", fmt.Errorf("%q: want import/path.Name or import/path.Type.Method", s)
	}
	pkgPath, name = s[:slash+1+dot], s[slash+1+dot+1:]
	parts := strings.Split(name, ".")
	if pkgPath == "" || len(parts) > 2 {
		return "", "", fmt.Errorf("%q: want import/path.Name or import/path.Type.Method", s)
	}
	for _, p := range parts {
		if !isIdent(p) {
			return "", "", fmt.Errorf("%q: %q is not a Go identifier", s, p)
		}
	}
	return pkgPath, name, nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r > 0x7f
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// listFlag is a comma-separated list flag writing into a []string. Setting
// it, even to "", makes the list non-nil (a replacing form set to "" means
// "none", not "the default").
type listFlag struct{ p *[]string }

func (f listFlag) String() string {
	if f.p == nil {
		return ""
	}
	return strings.Join(*f.p, ",")
}

func (f listFlag) Set(s string) error {
	out := []string{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	*f.p = out
	return nil
}

// BindFlags registers every setting of c on fs under its YAML key. Lists
// are comma-separated. Flags write into c, so several flag sets bound to
// one Config (both analyzers of suite.Analyzers) set the same settings.
func (c *Config) BindFlags(fs *flag.FlagSet) {
	lists := []struct {
		key   string
		p     *[]string
		usage string
	}{
		{"agent-types", &c.AgentTypes, "comma-separated type-name patterns selecting agents (replaces the default: none)"},
		{"extra-agent-types", &c.ExtraAgentTypes, "comma-separated type-name patterns selecting more agents"},
		{"agent-packages", &c.AgentPackages, "comma-separated package-path patterns whose types are agents (replaces the default: agents)"},
		{"extra-agent-packages", &c.ExtraAgentPackages, "comma-separated package-path patterns whose types are also agents"},
		{"worker-types", &c.WorkerTypes, "comma-separated type-name patterns selecting workers (replaces the default: *Worker)"},
		{"extra-worker-types", &c.ExtraWorkerTypes, "comma-separated type-name patterns selecting more workers"},
		{"worker-interfaces", &c.WorkerInterfaces, "comma-separated interfaces (import/path.Name) whose implementations are workers"},
		{"worker-methods", &c.WorkerMethods, "comma-separated run-method names of workers (replaces the default: Execute)"},
		{"extra-worker-methods", &c.ExtraWorkerMethods, "comma-separated extra run-method names of workers"},
		{"retry-funcs", &c.RetryFuncs, "comma-separated extra retry entry points (import/path.Func or import/path.Type.Method), added to the known retry libraries"},
		{"exclude-retry-funcs", &c.ExcludeRetryFuncs, "comma-separated default retry entry points and retrying types (or their import paths) not to recognise"},
		{"retrying-types", &c.RetryingTypes, "comma-separated type-name patterns of types that retry by construction"},
		{"retrying-packages", &c.RetryingPackages, "comma-separated package-path patterns of packages that retry by construction"},
		{"optional-retrying-types", &c.OptionalRetryingTypes, "comma-separated type-name patterns of retrying types the code does not turn on: interface calls they implement do not nest"},
		{"repeatable-funcs", &c.RepeatableFuncs, "comma-separated effects meant to repeat on every attempt (import/path.Func or import/path.Type.Method), added to the built-in ones"},
		{"repeatable-writes", &c.RepeatableWrites, "comma-separated fields (import/path.Type.Field) and package variables (import/path.Var) whose writes may repeat on every attempt"},
		{"track-funcs", &c.TrackFuncs, "comma-separated extra tracking functions (import/path.Func[=success|error|outcome|wrap])"},
	}
	for _, l := range lists {
		fs.Var(listFlag{l.p}, l.key, l.usage)
	}
	fs.StringVar(&c.Policy, "policy", c.Policy, "Go expression the retry fixer passes as the policy (default recovery.Default())")
	fs.StringVar(&c.AgentName, "agent-name", c.AgentName, "agent name the tracking fixer writes into intelligence.Op (default: the package name)")
	fs.BoolVar(&c.IncludeTests, "include-tests", c.IncludeTests, "also check _test.go files")
}
