//go:build unix

package retrysafety_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the process has used (user and
// system, every thread: the garbage collector's too), so that a
// benchmark on a shared machine can report what it costs rather than how
// long it waited.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
