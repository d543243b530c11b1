//go:build unix

package cpubench

import (
	"syscall"
	"time"
)

// ProcessCPU returns the CPU time the process has used: user and system
// time of every thread, the garbage collector's included, so that a
// benchmark on a shared machine can report what its work costs rather
// than how long it waited for a core.
func ProcessCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
