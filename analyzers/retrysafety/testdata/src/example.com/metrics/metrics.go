package metrics // want package:"last values example.com/metrics.Counter.n"
// Package metrics is a team's own metrics package: repeatable-funcs names
// its Counter.Inc.

type Counter struct{ n int }

func (c *Counter) Inc() { c.n++ } // want Inc:"writes receiver" Inc:"reads example.com/metrics.Counter.n"

func (c *Counter) Reset() { c.n = 0 } // want Reset:"writes receiver"

// Timed has Counter's methods, promoted.
type Timed struct {
	Counter
	last int64
}

// Sink receives encoded metrics.
type Sink interface {
	Write(p []byte) (int, error)
}
