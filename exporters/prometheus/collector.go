// Package prometheus exports what a runtime/intelligence Tracker knows as
// Prometheus metrics, so that existing dashboards and alerting can use
// it. It is a module of its own, so that runtime/intelligence keeps no
// dependency outside the standard library.
//
// NewCollector returns a prometheus.Collector; register it once:
//
//	reg.MustRegister(intelprom.NewCollector(tracker))
//
// Every scrape reads the tracker's counters and its Snapshot. The metrics
// (with the default namespace "intelligence"):
//
//	intelligence_runs_total{agent,worker,operation}                 counter
//	intelligence_errors_total{agent,worker,operation}               counter
//	intelligence_retries_total{agent,worker,operation}              counter
//	intelligence_run_duration_seconds{agent,worker,operation}       histogram
//	intelligence_health_status{agent,worker,status}                 gauge, 1 for the current status
//	intelligence_consecutive_failures{agent,worker}                 gauge
//	intelligence_budget_remaining_ratio{agent,worker}               gauge
//	intelligence_budget_burn_rate{agent,worker,window}              gauge
//	intelligence_budget_alert_firing{agent,worker,severity,long,short} gauge, 1 when firing
//	intelligence_pattern_errors_total{pattern,type}                 counter, the top patterns only
//	intelligence_patterns                                           gauge
//	intelligence_overflow_total{kind}                               counter
//
// Label cardinality is bounded by the tracker's own limits (Limits.MaxOps
// operations) and, for patterns, by WithTopPatterns (20 by default): the
// patterns with the most errors, labelled by their id and outermost error
// type, never by a message.
//
// The histogram's buckets are the tracker's own bucket bounds nearest
// above the ones asked for (WithBuckets; by default those of
// prometheus.DefBuckets), so that bucket counts are exact. The tracker
// keeps no sum of durations: the histogram's _sum is estimated, each run
// counted at the middle of its tracker bucket (within 12.5% of its true
// duration; runs longer than the tracker's last bound count as that
// bound).
package prometheus

import (
	"math"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// Collector is a prometheus.Collector over a Tracker. It is safe for
// concurrent scrapes.
type Collector struct {
	t       *intelligence.Tracker
	top     int
	bounds  []time.Duration // tracker bounds chosen as bucket bounds
	trackUB []time.Duration // the tracker's bucket bounds
	index   []int           // index[i]: the exported bucket of tracker bucket i (len(bounds) for +Inf)

	runs, errors, retries, duration *prometheus.Desc
	status, consecutive             *prometheus.Desc
	remaining, burnRate, alert      *prometheus.Desc
	patternErrors, patterns         *prometheus.Desc
	overflow                        *prometheus.Desc
}

// Option configures a Collector.
type Option func(*config)

type config struct {
	namespace string
	top       int
	buckets   []float64
	constant  prometheus.Labels
}

// WithNamespace sets the metric name prefix ("intelligence" by default).
func WithNamespace(ns string) Option { return func(c *config) { c.namespace = ns } }

// WithTopPatterns sets how many patterns, those with the most errors, get
// an intelligence_pattern_errors_total series (20 by default; 0 exports
// none). Patterns are labelled by id and type only, so each costs one
// series.
func WithTopPatterns(n int) Option { return func(c *config) { c.top = max(n, 0) } }

// WithBuckets sets the histogram's bucket bounds, in seconds. Each is
// raised to the nearest bound of the tracker's own buckets (see
// intelligence.LatencyBounds), so that the exported counts are exact;
// bounds past the tracker's largest are dropped.
func WithBuckets(seconds ...float64) Option {
	return func(c *config) { c.buckets = slices.Clone(seconds) }
}

// WithConstLabels adds labels to every metric, for example the service.
func WithConstLabels(l prometheus.Labels) Option { return func(c *config) { c.constant = l } }

// NewCollector returns a Collector over t (nil means
// intelligence.Default()).
func NewCollector(t *intelligence.Tracker, opts ...Option) *Collector {
	cfg := config{namespace: "intelligence", top: 20, buckets: prometheus.DefBuckets}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if t == nil {
		t = intelligence.Default()
	}
	c := &Collector{t: t, top: cfg.top, trackUB: intelligence.LatencyBounds()}
	c.bounds, c.index = chooseBuckets(c.trackUB, cfg.buckets)

	desc := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(cfg.namespace, "", name), help, labels, cfg.constant)
	}
	op := []string{"agent", "worker", "operation"}
	c.runs = desc("runs_total", "Runs recorded, successful or not.", op...)
	c.errors = desc("errors_total", "Runs recorded as failed.", op...)
	c.retries = desc("retries_total", "Failed attempts retried, as reported by RetryObserver.", op...)
	c.duration = desc("run_duration_seconds", "Run durations (the sum is estimated from the buckets).", op...)
	c.status = desc("health_status", "Health status of a worker: 1 for its current status, 0 for the others.", "agent", "worker", "status")
	c.consecutive = desc("consecutive_failures", "Current run of consecutive failures of a worker.", "agent", "worker")
	c.remaining = desc("budget_remaining_ratio", "Fraction of the 72h error budget left (negative when overspent).", "agent", "worker")
	c.burnRate = desc("budget_burn_rate", "Error ratio over the window divided by the allowed error ratio.", "agent", "worker", "window")
	c.alert = desc("budget_alert_firing", "Multi-window burn-rate alert: 1 when firing.", "agent", "worker", "severity", "long", "short")
	c.patternErrors = desc("pattern_errors_total", "Failed runs in an error pattern, for the patterns with the most errors.", "pattern", "type")
	c.patterns = desc("patterns", "Error patterns the tracker holds.")
	c.overflow = desc("overflow_total", "Records that the tracker's memory limits kept out, by kind.", "kind")
	return c
}

// chooseBuckets raises each wanted bound (seconds) to the nearest tracker
// bound, and maps every tracker bucket to the exported bucket holding it.
func chooseBuckets(trackUB []time.Duration, seconds []float64) ([]time.Duration, []int) {
	var bounds []time.Duration
	for _, s := range seconds {
		if !(s > 0) || math.IsInf(s, 1) {
			continue
		}
		want := time.Duration(math.Ceil(s * 1e9))
		i, _ := slices.BinarySearch(trackUB, want)
		if i == len(trackUB)-1 || i == len(trackUB) {
			continue // the last tracker bucket is open-ended: +Inf covers it
		}
		bounds = append(bounds, trackUB[i])
	}
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)
	index := make([]int, len(trackUB))
	for i, ub := range trackUB {
		j, _ := slices.BinarySearch(bounds, ub)
		index[i] = j // len(bounds) when past the last bound: +Inf only
	}
	if n := len(trackUB); n > 0 {
		index[n-1] = len(bounds) // open-ended
	}
	return bounds, index
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		c.runs, c.errors, c.retries, c.duration, c.status, c.consecutive,
		c.remaining, c.burnRate, c.alert, c.patternErrors, c.patterns, c.overflow,
	} {
		ch <- d
	}
}

var statuses = []intelligence.Status{
	intelligence.StatusHealthy, intelligence.StatusDegraded, intelligence.StatusFailing, intelligence.StatusUnknown,
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for _, oc := range c.t.Counters() {
		lv := []string{oc.Op.Agent, oc.Op.Worker, oc.Op.Operation}
		ch <- prometheus.MustNewConstMetric(c.runs, prometheus.CounterValue, float64(oc.Runs), lv...)
		ch <- prometheus.MustNewConstMetric(c.errors, prometheus.CounterValue, float64(oc.Errors), lv...)
		ch <- prometheus.MustNewConstMetric(c.retries, prometheus.CounterValue, float64(oc.Retries.Retries), lv...)
		count, sum, buckets := c.histogram(oc.Latency)
		ch <- prometheus.MustNewConstHistogram(c.duration, count, sum, buckets, lv...)
	}

	snap := c.t.Snapshot()
	for _, h := range snap.Workers {
		for _, s := range statuses {
			v := 0.0
			if h.Status == s {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(c.status, prometheus.GaugeValue, v, h.Agent, h.Worker, string(s))
		}
		ch <- prometheus.MustNewConstMetric(c.consecutive, prometheus.GaugeValue, float64(h.ConsecutiveFailures), h.Agent, h.Worker)
	}
	seen := map[[2]string]bool{}
	for _, b := range snap.Budgets {
		// Two objectives for one agent or worker would export the same
		// series twice, which a registry rejects: the first is kept.
		if k := [2]string{b.Agent, b.Worker}; seen[k] {
			continue
		} else {
			seen[k] = true
		}
		ch <- prometheus.MustNewConstMetric(c.remaining, prometheus.GaugeValue, b.Remaining, b.Agent, b.Worker)
		for _, r := range b.BurnRates {
			ch <- prometheus.MustNewConstMetric(c.burnRate, prometheus.GaugeValue, r.Rate, b.Agent, b.Worker, r.Window)
		}
		for _, a := range b.Alerts {
			v := 0.0
			if a.Firing {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(c.alert, prometheus.GaugeValue, v, b.Agent, b.Worker, a.Severity, a.Long, a.Short)
		}
	}
	c.collectPatterns(ch, snap.Patterns)
	o := snap.Overflow
	for _, k := range []struct {
		kind string
		n    uint64
	}{
		{"ops", o.Ops}, {"patterns", o.Patterns}, {"patterns_evicted", o.PatternsEvicted},
		{"attrs_dropped", o.AttrsDropped}, {"messages_truncated", o.MessagesTruncated},
		{"tracking_panics", o.TrackingPanics},
	} {
		ch <- prometheus.MustNewConstMetric(c.overflow, prometheus.CounterValue, float64(k.n), k.kind)
	}
}

// histogram folds the tracker's buckets into the exported ones: the
// count, the estimated sum in seconds and the cumulative bucket counts.
func (c *Collector) histogram(latency []uint64) (uint64, float64, map[float64]uint64) {
	per := make([]uint64, len(c.bounds)+1)
	var count uint64
	var sum float64
	for i, n := range latency {
		if n == 0 || i >= len(c.index) {
			continue
		}
		per[c.index[i]] += n
		count += n
		lo := time.Duration(0)
		if i > 0 {
			lo = c.trackUB[i-1]
		}
		sum += float64(n) * (lo + c.trackUB[i]).Seconds() / 2
	}
	buckets := make(map[float64]uint64, len(c.bounds))
	var cum uint64
	for j, ub := range c.bounds {
		cum += per[j]
		buckets[ub.Seconds()] = cum
	}
	return count, sum, buckets
}

// collectPatterns exports the c.top patterns with the most errors (the
// overflow pattern included when it is among them) and the pattern count.
func (c *Collector) collectPatterns(ch chan<- prometheus.Metric, ps []intelligence.Pattern) {
	ch <- prometheus.MustNewConstMetric(c.patterns, prometheus.GaugeValue, float64(len(ps)))
	ps = slices.Clone(ps)
	slices.SortStableFunc(ps, func(a, b intelligence.Pattern) int {
		if a.Count != b.Count {
			if a.Count > b.Count {
				return -1
			}
			return 1
		}
		return 0
	})
	for _, p := range ps[:min(c.top, len(ps))] {
		typ := ""
		if len(p.Types) > 0 {
			typ = p.Types[0]
		}
		ch <- prometheus.MustNewConstMetric(c.patternErrors, prometheus.CounterValue, float64(p.Count), p.ID, typ)
	}
}
