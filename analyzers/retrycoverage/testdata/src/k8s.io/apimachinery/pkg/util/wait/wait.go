// Package wait is a minimal stand-in for
// k8s.io/apimachinery/pkg/util/wait, with the real Backoff type.
package wait

import "time"

type Backoff struct {
	Duration time.Duration
	Factor   float64
	Jitter   float64
	Steps    int
	Cap      time.Duration
}
