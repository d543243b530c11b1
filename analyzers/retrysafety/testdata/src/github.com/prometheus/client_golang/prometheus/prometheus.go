// Package prometheus is a fake of
// github.com/prometheus/client_golang/prometheus (v1.25.0): the same
// import path, types and method signatures; a Vec creates its labelled
// children lazily, as the real one does, so its lookups write it.
package prometheus

import "sync"

type Counter interface {
	Inc()
	Add(float64)
}

type Gauge interface {
	Set(float64)
	Inc()
	Dec()
	Add(float64)
	Sub(float64)
	SetToCurrentTime()
}

type Observer interface {
	Observe(float64)
}

type Histogram interface {
	Observe(float64)
}

type Labels map[string]string

type counter struct{ v float64 }

func (c *counter) Inc()          { c.v++ }    // want Inc:"writes receiver"
func (c *counter) Add(v float64) { c.v += v } // want Add:"writes receiver"

type CounterVec struct {
	mu       sync.Mutex
	children map[string]*counter
}

func (v *CounterVec) GetMetricWithLabelValues(lvs ...string) (Counter, error) { // want GetMetricWithLabelValues:"writes receiver"
	v.mu.Lock()
	defer v.mu.Unlock()
	key := ""
	for _, l := range lvs {
		key += l + "\xff"
	}
	c, ok := v.children[key]
	if !ok {
		c = &counter{}
		v.children[key] = c
	}
	return c, nil
}

// WithLabelValues has no Writes fact: the package's own calls of listed
// effects are judged as any other's.
func (v *CounterVec) WithLabelValues(lvs ...string) Counter {
	c, err := v.GetMetricWithLabelValues(lvs...)
	if err != nil {
		panic(err)
	}
	return c
}

type histogram struct{ sum float64 }

func (h *histogram) Observe(v float64) { h.sum += v } // want Observe:"writes receiver"

type HistogramVec struct {
	children map[string]*histogram
}

func (v *HistogramVec) With(labels Labels) Observer { // want With:"writes receiver"
	h := &histogram{}
	v.children[labels["code"]] = h
	return h
}

func NewCounter() Counter { return &counter{} }
