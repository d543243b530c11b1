package retrysafety

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// repeatableFamilies are the built-in repeatable effects (see doc.go,
// "Effects meant to repeat"), by package, then by receiver type ("" for
// package-level functions), then by function or method name. They were
// checked against golang.org/x/time v0.16.0, go.uber.org/ratelimit
// v0.3.1, github.com/prometheus/client_golang v1.25.0, go.uber.org/zap
// v1.27.0, github.com/sirupsen/logrus v1.10.2 and the standard library of
// Go 1.26.
var repeatableFamilies = map[string]map[string][]string{
	// Rate limiters: waiting for a token again on each attempt is what a
	// limiter in front of a retried request is for.
	"golang.org/x/time/rate": {
		"Limiter": {"Wait", "WaitN", "Allow", "AllowN", "Reserve", "ReserveN"},
	},
	"go.uber.org/ratelimit": {
		"Limiter": {"Take"},
	},
	// Metrics: one observation per attempt is what they measure.
	"github.com/prometheus/client_golang/prometheus": {
		"Counter":          {"Inc", "Add"},
		"Gauge":            {"Set", "Inc", "Dec", "Add", "Sub", "SetToCurrentTime"},
		"Observer":         {"Observe"},
		"Histogram":        {"Observe"},
		"Summary":          {"Observe"},
		"ExemplarAdder":    {"AddWithExemplar"},
		"ExemplarObserver": {"ObserveWithExemplar"},
		// Looking up (and lazily creating) a labelled child metric.
		"CounterVec":   vecLookups,
		"GaugeVec":     vecLookups,
		"HistogramVec": vecLookups,
		"SummaryVec":   vecLookups,
	},
	"expvar": {
		"Int":    {"Add", "Set"},
		"Float":  {"Add", "Set"},
		"Map":    {"Add", "AddFloat", "Set"},
		"String": {"Set"},
	},
	// Logs: a line per attempt records the attempt; it changes nothing
	// the program computes. (fmt.Print... to os.Stdout is the program's
	// output and stays a write.)
	"log": {
		"":       {"Print", "Printf", "Println"},
		"Logger": {"Print", "Printf", "Println"},
	},
	"log/slog": {
		"":       slogLevels,
		"Logger": append([]string{"Log", "LogAttrs"}, slogLevels...),
	},
	"go.uber.org/zap": {
		"Logger":        {"Log", "Debug", "Info", "Warn", "Error"},
		"SugaredLogger": levels([]string{"Log", "Debug", "Info", "Warn", "Error"}, "", "f", "w", "ln"),
	},
	"github.com/sirupsen/logrus": {
		"":       levels(logrusLevels, "", "f", "ln"),
		"Logger": levels(append([]string{"Log"}, logrusLevels...), "", "f", "ln"),
		"Entry":  levels(append([]string{"Log"}, logrusLevels...), "", "f", "ln"),
	},
	// sync: a pool may drop what is put into it, so taking from it or
	// returning to it again changes no result; a waiter on a Cond
	// rechecks its condition, so another wake-up changes nothing;
	// WaitGroup.Go pairs its Add with the Done of the goroutine it starts
	// (whose own writes are judged as the body's). WaitGroup.Add and Done
	// alone are not here: repeating one without the other unbalances the
	// counter.
	"sync": {
		"Pool":      {"Get", "Put"},
		"Cond":      {"Signal", "Broadcast"},
		"WaitGroup": {"Go"},
	},
}

var (
	vecLookups   = []string{"With", "WithLabelValues", "GetMetricWith", "GetMetricWithLabelValues"}
	slogLevels   = levels([]string{"Debug", "Info", "Warn", "Error"}, "", "Context")
	logrusLevels = []string{"Trace", "Debug", "Info", "Print", "Warn", "Warning", "Error"}
)

// levels returns every name of names followed by every suffix.
func levels(names []string, suffixes ...string) []string {
	var out []string
	for _, n := range names {
		for _, s := range suffixes {
			out = append(out, n+s)
		}
	}
	return out
}

// DefaultRepeatable returns the qualified names ("import/path.Func",
// "import/path.Type.Method") of the built-in repeatable effects, the
// repeatable-funcs setting's defaults.
func DefaultRepeatable() []string {
	var out []string
	for pkg, byType := range repeatableFamilies {
		for typ, names := range byType {
			for _, n := range names {
				if typ == "" {
					out = append(out, pkg+"."+n)
				} else {
					out = append(out, pkg+"."+typ+"."+n)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// builtinRepeatable is DefaultRepeatable as a set, made once.
var builtinRepeatable = func() map[string]bool {
	set := map[string]bool{}
	for _, s := range DefaultRepeatable() {
		set[s] = true
	}
	return set
}()

// configRepeatable returns cfg's repeatable-funcs as a set.
func configRepeatable(cfg *config.Config) map[string]bool {
	set := map[string]bool{}
	if cfg != nil {
		for _, s := range cfg.RepeatableFuncs {
			set[s] = true
		}
	}
	return set
}

// isRepeatable reports whether the qualified name is a built-in
// repeatable effect or one of repeatable-funcs.
func (r *runner) isRepeatable(name string) bool {
	return name != "" && (builtinRepeatable[name] || r.repeatables[name])
}

// repeatableCall reports whether call c of fn is an effect meant to repeat
// on every attempt: fn, as declared (an interface method by its
// interface, a generic one by its origin), or, for a method call, fn
// through the named type of the receiver expression (a method promoted
// from an embedded field, as the user sees it: "example.com/m.Client.Inc"
// for Client embedding a counter), is in the built-in list or in
// repeatable-funcs.
func (s *fnState) repeatableCall(c *ast.CallExpr, fn *types.Func) bool {
	rep, ok := s.r.repeatFuncs[fn]
	if !ok {
		rep = s.r.isRepeatable(targets.QualifiedName(fn)) || logLine(fn)
		s.r.repeatFuncs[fn] = rep
	}
	if rep {
		return true
	}
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	selection, ok := s.info.Selections[sel]
	if !ok || selection.Kind() != types.MethodVal {
		return false
	}
	t := selection.Recv()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	key := repeatKey{named.Obj(), fn.Name()}
	rep, ok = s.r.repeatMethods[key]
	if !ok {
		rep = s.r.isRepeatable(named.Obj().Pkg().Path() + "." + named.Obj().Name() + "." + fn.Name())
		s.r.repeatMethods[key] = rep
	}
	return rep
}

// logLine reports whether fn is a library's own logger's method of a log
// line: a method named as a log level (Log, Print, Debug, Info, Warn,
// Warning, Error, Trace, each maybe followed by f, ln, w or Context) of a
// type whose name ends in "Logger" (an interface such as franz-go's
// kgo.Logger, or an implementation such as its basicLogger), with no
// result. Such a call writes a line to wherever the logger writes (kgo's
// BasicLogger: an io.Writer it holds), which the stream rule took for a
// write a retry would repeat wrongly: a line per attempt records the
// attempt, as the log packages listed above do. Fatal and Panic, which
// end the program or the call, are not.
func logLine(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil || sig.Results().Len() != 0 {
		return false
	}
	if !strings.HasSuffix(strings.ToLower(recvTypeName(sig.Recv().Type())), "logger") {
		return false
	}
	name := fn.Name()
	for _, suffix := range []string{"Context", "ln", "f", "w"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && base != "" {
			name = base
			break
		}
	}
	switch name {
	case "Log", "Print", "Debug", "Info", "Warn", "Warning", "Error", "Trace":
		return true
	}
	return false
}

// repeatKey is a method name on a named type, as repeatableCall asks
// whether it is repeatable.
type repeatKey struct {
	typ  *types.TypeName
	name string
}
