//go:build !plan9 && !windows

package recovery

import "syscall"

// transientErrno reports the platform's own transient error numbers; the
// syscall.E* values of the table are this platform's.
func transientErrno(syscall.Errno) bool { return false }
