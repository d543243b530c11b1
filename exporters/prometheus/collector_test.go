package prometheus_test

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	intelprom "github.com/resilience-lint/resilience-lint/exporters/prometheus"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery/recoverytest"
)

var (
	start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	opA   = intelligence.Op{Agent: "aggregator", Worker: "StatisticsWorker", Operation: "Execute"}
	opB   = intelligence.Op{Agent: "aggregator", Worker: "CSVWorker", Operation: "Load"}
)

// recorded returns a tracker on a fake clock with an objective for the
// aggregator agent and these records: opA 10 failures (connection
// refused to different addresses: one pattern) then 30 successes, all of
// 3ms; opB 5 successes of 2s.
func recorded(t *testing.T) *intelligence.Tracker {
	t.Helper()
	clk := recoverytest.NewClock(start)
	tr := intelligence.MustNew(intelligence.WithClock(clk.Now),
		intelligence.WithObjective(intelligence.Objective{Agent: "aggregator", Target: 0.99}))
	for i := range 10 {
		tr.TrackError(opA, fmt.Errorf("dial tcp 10.0.0.%d:5432: connect: connection refused", i), 3*time.Millisecond)
	}
	for range 30 {
		tr.TrackSuccess(opA, 3*time.Millisecond)
	}
	for range 5 {
		tr.TrackSuccess(opB, 2*time.Second)
	}
	clk.Advance(time.Minute)
	return tr
}

// TestCollect compares the counters, the health and the pattern count
// with the text a scrape shows.
func TestCollect(t *testing.T) {
	c := intelprom.NewCollector(recorded(t))
	want := `
# HELP intelligence_runs_total Runs recorded, successful or not.
# TYPE intelligence_runs_total counter
intelligence_runs_total{agent="aggregator",operation="Execute",worker="StatisticsWorker"} 40
intelligence_runs_total{agent="aggregator",operation="Load",worker="CSVWorker"} 5
# HELP intelligence_errors_total Runs recorded as failed.
# TYPE intelligence_errors_total counter
intelligence_errors_total{agent="aggregator",operation="Execute",worker="StatisticsWorker"} 10
intelligence_errors_total{agent="aggregator",operation="Load",worker="CSVWorker"} 0
# HELP intelligence_health_status Health status of a worker: 1 for its current status, 0 for the others.
# TYPE intelligence_health_status gauge
intelligence_health_status{agent="aggregator",status="degraded",worker="CSVWorker"} 0
intelligence_health_status{agent="aggregator",status="degraded",worker="StatisticsWorker"} 1
intelligence_health_status{agent="aggregator",status="failing",worker="CSVWorker"} 0
intelligence_health_status{agent="aggregator",status="failing",worker="StatisticsWorker"} 0
intelligence_health_status{agent="aggregator",status="healthy",worker="CSVWorker"} 0
intelligence_health_status{agent="aggregator",status="healthy",worker="StatisticsWorker"} 0
intelligence_health_status{agent="aggregator",status="unknown",worker="CSVWorker"} 1
intelligence_health_status{agent="aggregator",status="unknown",worker="StatisticsWorker"} 0
# HELP intelligence_consecutive_failures Current run of consecutive failures of a worker.
# TYPE intelligence_consecutive_failures gauge
intelligence_consecutive_failures{agent="aggregator",worker="CSVWorker"} 0
intelligence_consecutive_failures{agent="aggregator",worker="StatisticsWorker"} 0
# HELP intelligence_patterns Error patterns the tracker holds.
# TYPE intelligence_patterns gauge
intelligence_patterns 1
# HELP intelligence_budget_alert_firing Multi-window burn-rate alert: 1 when firing.
# TYPE intelligence_budget_alert_firing gauge
intelligence_budget_alert_firing{agent="aggregator",long="1h",severity="page",short="5m",worker=""} 1
intelligence_budget_alert_firing{agent="aggregator",long="6h",severity="page",short="30m",worker=""} 1
intelligence_budget_alert_firing{agent="aggregator",long="72h",severity="ticket",short="6h",worker=""} 1
`
	names := []string{"intelligence_runs_total", "intelligence_errors_total", "intelligence_health_status",
		"intelligence_consecutive_failures", "intelligence_patterns", "intelligence_budget_alert_firing"}
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
	// A pedantic registry checks that Collect sends only what Describe
	// declared, with consistent label names; the linter checks the names.
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) != 0 {
		t.Errorf("lint: %v %+v", err, problems)
	}
}

// scrape serves reg over HTTP the way Prometheus reads it and parses the
// text format.
func scrape(t *testing.T, reg *prometheus.Registry) map[string]*dto.MetricFamily {
	t.Helper()
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/plain; version=0.0.4")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %v, status %d\n%s", err, resp.StatusCode, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("parsing the scrape: %v\n%s", err, body)
	}
	return fams
}

func labels(m *dto.Metric) map[string]string {
	l := map[string]string{}
	for _, p := range m.GetLabel() {
		l[p.GetName()] = p.GetValue()
	}
	return l
}

// TestScrapeHistogramAndBudget scrapes over HTTP and checks the latency
// histogram (exact bucket counts, estimated sum) and the burn rates.
func TestScrapeHistogramAndBudget(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(intelprom.NewCollector(recorded(t)))
	fams := scrape(t, reg)

	h := fams["intelligence_run_duration_seconds"]
	if h == nil || len(h.GetMetric()) != 2 {
		t.Fatalf("run_duration_seconds: %v", h)
	}
	for _, m := range h.GetMetric() {
		hist := m.GetHistogram()
		var wantCount uint64
		var wantSum float64
		switch labels(m)["worker"] {
		case "StatisticsWorker":
			wantCount, wantSum = 40, 40*0.003
		case "CSVWorker":
			wantCount, wantSum = 5, 5*2.0
		}
		if hist.GetSampleCount() != wantCount {
			t.Errorf("%v: count %d, want %d", labels(m), hist.GetSampleCount(), wantCount)
		}
		if s := hist.GetSampleSum(); math.Abs(s-wantSum) > 0.125*wantSum {
			t.Errorf("%v: sum %v, want within 12.5%% of %v", labels(m), s, wantSum)
		}
		// Buckets near DefBuckets' bounds, raised to the tracker's, then
		// +Inf; a run is in every bucket whose bound is at or above it.
		bs := hist.GetBucket()
		if len(bs) != len(prometheus.DefBuckets)+1 {
			t.Fatalf("%d buckets, want %d and +Inf", len(bs), len(prometheus.DefBuckets))
		}
		if inf := bs[len(bs)-1]; !math.IsInf(inf.GetUpperBound(), 1) || inf.GetCumulativeCount() != wantCount {
			t.Errorf("last bucket le=%v holds %d, want +Inf holding %d", inf.GetUpperBound(), inf.GetCumulativeCount(), wantCount)
		}
		for i, b := range bs[:len(bs)-1] {
			ub, def := b.GetUpperBound(), prometheus.DefBuckets[i]
			if ub < def || ub > def*1.25 {
				t.Errorf("bucket %d bound %v, want in [%v, %v]", i, ub, def, def*1.25)
			}
			var want uint64
			switch {
			case wantSum/float64(wantCount) <= ub:
				want = wantCount
			}
			if b.GetCumulativeCount() != want {
				t.Errorf("%v: bucket le=%v holds %d, want %d", labels(m)["worker"], ub, b.GetCumulativeCount(), want)
			}
		}
	}

	br := fams["intelligence_budget_burn_rate"]
	if br == nil || len(br.GetMetric()) != 5 {
		t.Fatalf("budget_burn_rate: %v, want 5 windows", br)
	}
	for _, m := range br.GetMetric() {
		// 10 errors in 45 runs against 1% allowed: a burn rate of 22.2.
		if v := m.GetGauge().GetValue(); math.Abs(v-10.0/45/0.01) > 1e-9 {
			t.Errorf("burn rate %v = %v, want %v", labels(m), v, 10.0/45/0.01)
		}
	}
	if rem := fams["intelligence_budget_remaining_ratio"]; rem == nil || rem.GetMetric()[0].GetGauge().GetValue() >= 0 {
		t.Errorf("budget remaining: %v, want overspent (negative)", rem)
	}
	if p := fams["intelligence_pattern_errors_total"]; p == nil || len(p.GetMetric()) != 1 ||
		p.GetMetric()[0].GetCounter().GetValue() != 10 || labels(p.GetMetric()[0])["type"] != "*errors.errorString" {
		t.Errorf("pattern_errors_total = %v, want one pattern of 10 *errors.errorString", p)
	}
}

// TestTopPatterns checks the bound on pattern series: only the patterns
// with the most errors are exported, labelled by id and type.
func TestTopPatterns(t *testing.T) {
	tr := intelligence.MustNew()
	type kindError struct{ error }
	ids := map[string]uint64{}
	for i := range 12 {
		err := fmt.Errorf("%w", kindError{errors.New("failure of kind " + strings.Repeat("x", i+1))})
		for range i + 1 { // pattern i has i+1 errors
			tr.TrackError(opA, err, time.Millisecond)
		}
		ids[intelligence.Fingerprint(err)] = uint64(i + 1)
	}
	c := intelprom.NewCollector(tr, intelprom.WithTopPatterns(5))
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var got []uint64
	for _, f := range fams {
		switch f.GetName() {
		case "intelligence_patterns":
			if v := f.GetMetric()[0].GetGauge().GetValue(); v != 12 {
				t.Errorf("patterns = %v, want 12", v)
			}
		case "intelligence_pattern_errors_total":
			for _, m := range f.GetMetric() {
				l := labels(m)
				n := uint64(m.GetCounter().GetValue())
				if ids[l["pattern"]] != n {
					t.Errorf("pattern %s: %d errors, recorded %d", l["pattern"], n, ids[l["pattern"]])
				}
				if l["type"] != "prometheus_test.kindError" {
					t.Errorf("pattern type label %q", l["type"])
				}
				got = append(got, n)
			}
		}
	}
	if len(got) != 5 {
		t.Fatalf("%d pattern series, want the top 5", len(got))
	}
	for _, n := range got {
		if n < 8 {
			t.Errorf("exported a pattern of %d errors; the top 5 have 8 to 12", n)
		}
	}
}

func TestOptions(t *testing.T) {
	tr := intelligence.MustNew()
	tr.TrackSuccess(opA, 40*time.Millisecond)
	c := intelprom.NewCollector(tr, intelprom.WithNamespace("svc"), intelprom.WithBuckets(0.01, 0.1, 1e9),
		intelprom.WithConstLabels(prometheus.Labels{"service": "api"}))
	if n := testutil.CollectAndCount(c, "svc_runs_total"); n != 1 {
		t.Errorf("svc_runs_total: %d series, want 1", n)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	fams := scrape(t, reg)
	h := fams["svc_run_duration_seconds"]
	if h == nil {
		t.Fatalf("no svc_run_duration_seconds in %v", fams)
	}
	m := h.GetMetric()[0]
	if labels(m)["service"] != "api" {
		t.Errorf("labels %v, want service=api", labels(m))
	}
	// 1e9 s is past the tracker's last bound: dropped (+Inf covers it).
	bs := m.GetHistogram().GetBucket()
	if len(bs) != 3 || bs[0].GetCumulativeCount() != 0 || bs[1].GetCumulativeCount() != 1 {
		t.Errorf("buckets %v, want le≈0.01 empty, le≈0.1 holding the 40ms run, +Inf", bs)
	}
}
