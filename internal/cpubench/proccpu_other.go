//go:build !unix

package cpubench

import "time"

// ProcessCPU is not measured outside Unix: benchmarks report wall time
// only.
func ProcessCPU() (time.Duration, bool) { return 0, false }
