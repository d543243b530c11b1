package coverage

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Metrics are the names a gate can test, in the order they are listed.
var Metrics = []string{"retry", "methods", "intel", "score"}

// Gate is a minimum for one metric: "--fail-under retry=100".
type Gate struct {
	Metric string  // one of Metrics
	Min    float64 // percent, 0 to 100
}

// String formats g as "metric=min".
func (g Gate) String() string {
	return g.Metric + "=" + strconv.FormatFloat(g.Min, 'f', -1, 64)
}

// ParseGates parses comma-separated "metric=percent" pairs, each value of
// a repeatable flag in turn ("retry=100,intel=90"). A metric given twice
// keeps its last value. Unknown metrics, missing or non-numeric values and
// values outside 0..100 are errors.
func ParseGates(values ...string) ([]Gate, error) {
	var gates []Gate
	index := map[string]int{}
	for _, v := range values {
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			name, num, ok := strings.Cut(item, "=")
			name = strings.TrimSpace(name)
			if !ok {
				return nil, fmt.Errorf("fail-under %q: want metric=percent, e.g. retry=100 (metrics: %s)", item, strings.Join(Metrics, ", "))
			}
			if !isMetric(name) {
				return nil, fmt.Errorf("fail-under %q: unknown metric %q (metrics: %s)", item, name, strings.Join(Metrics, ", "))
			}
			num = strings.TrimSuffix(strings.TrimSpace(num), "%")
			threshold, err := strconv.ParseFloat(num, 64)
			if err != nil || math.IsNaN(threshold) || threshold < 0 || threshold > 100 {
				return nil, fmt.Errorf("fail-under %q: %q is not a percentage from 0 to 100", item, num)
			}
			if i, dup := index[name]; dup {
				gates[i].Min = threshold
				continue
			}
			index[name] = len(gates)
			gates = append(gates, Gate{Metric: name, Min: threshold})
		}
	}
	return gates, nil
}

func isMetric(name string) bool {
	for _, m := range Metrics {
		if m == name {
			return true
		}
	}
	return false
}

// Metric returns the value of a metric in percent and whether it is
// defined. It panics on a name not in Metrics (ParseGates rejects them).
func (r *Report) Metric(name string) (float64, bool) {
	switch name {
	case "retry":
		return r.Totals.Retry.Percent()
	case "methods":
		return r.Totals.Methods.Percent()
	case "intel":
		return r.Totals.Intel.Percent()
	case "score":
		if r.Score.Value == nil {
			return 0, false
		}
		return *r.Score.Value, true
	}
	panic("coverage: unknown metric " + strconv.Quote(name))
}

// GateResult is the outcome of one gate.
type GateResult struct {
	Gate    Gate
	Value   float64 // the metric's value, when Defined
	Defined bool
	Pass    bool
}

// String explains the result: "retry 75.0% < 100" or
// "intel n/a (nothing in scope): passes".
func (g GateResult) String() string {
	switch {
	case !g.Defined:
		return g.Gate.Metric + " n/a (nothing in scope): gate " + g.Gate.String() + " passes"
	case g.Pass:
		return g.Gate.Metric + " " + fmtPercent(g.Value, true) + " >= " + strconv.FormatFloat(g.Gate.Min, 'f', -1, 64)
	default:
		return g.Gate.Metric + " " + fmtPercent(g.Value, true) + " < " + strconv.FormatFloat(g.Gate.Min, 'f', -1, 64)
	}
}

// CheckGates evaluates the gates against r. A gate over an undefined
// metric passes (there is nothing in scope to cover); its result says so.
func (r *Report) CheckGates(gates []Gate) []GateResult {
	out := make([]GateResult, 0, len(gates))
	for _, g := range gates {
		v, ok := r.Metric(g.Metric)
		out = append(out, GateResult{Gate: g, Value: v, Defined: ok, Pass: !ok || v >= g.Min})
	}
	return out
}
