package prometheus_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	intelprom "github.com/resilience-lint/resilience-lint/exporters/prometheus"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// Register the collector once; every scrape (promhttp.Handler, or here a
// Gather) then reads the tracker.
func ExampleNewCollector() {
	tracker := intelligence.MustNew()
	reg := prometheus.NewRegistry()
	reg.MustRegister(intelprom.NewCollector(tracker))

	op := intelligence.Op{Agent: "billing", Worker: "InvoiceWorker", Operation: "Run"}
	tracker.TrackSuccess(op, 20*time.Millisecond)
	tracker.TrackError(op, errors.New("upstream unavailable"), 5*time.Second)

	families, err := reg.Gather() // what a scrape serves
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range families {
		switch f.GetName() {
		case "intelligence_runs_total", "intelligence_errors_total", "intelligence_health_status":
			for _, m := range f.GetMetric() {
				var labels []string
				for _, l := range m.GetLabel() {
					labels = append(labels, l.GetName()+"="+l.GetValue())
				}
				fmt.Println(f.GetName(), strings.Join(labels, " "), m.GetCounter().GetValue()+m.GetGauge().GetValue())
			}
		}
	}
	// Output:
	// intelligence_errors_total agent=billing operation=Run worker=InvoiceWorker 1
	// intelligence_health_status agent=billing status=degraded worker=InvoiceWorker 0
	// intelligence_health_status agent=billing status=failing worker=InvoiceWorker 0
	// intelligence_health_status agent=billing status=healthy worker=InvoiceWorker 0
	// intelligence_health_status agent=billing status=unknown worker=InvoiceWorker 1
	// intelligence_runs_total agent=billing operation=Run worker=InvoiceWorker 2
}
