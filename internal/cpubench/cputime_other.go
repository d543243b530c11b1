//go:build !linux

package cpubench

import "time"

// ThreadCPU is not measured outside Linux.
func ThreadCPU() (time.Duration, bool) { return 0, false }
