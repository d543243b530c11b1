package recovery

import "syscall"

// Winsock's numbers for the errors of the transient table: on Windows the
// net package returns these, not the syscall.E* values.
const (
	wsaeNetUnreach      syscall.Errno = 10051
	wsaeConnAborted     syscall.Errno = 10053
	wsaeConnReset       syscall.Errno = 10054
	wsaeTimedOut        syscall.Errno = 10060
	wsaeConnRefused     syscall.Errno = 10061
	wsaeHostUnreach     syscall.Errno = 10065
	errorBrokenPipe     syscall.Errno = 109
	errorNoData         syscall.Errno = 232 // "the pipe is being closed"
	errorNetNameDeleted syscall.Errno = 64  // "the specified network name is no longer available"
)

// transientErrno reports the platform's own transient error numbers.
func transientErrno(e syscall.Errno) bool {
	switch e {
	case wsaeNetUnreach, wsaeConnAborted, wsaeConnReset, wsaeTimedOut, wsaeConnRefused, wsaeHostUnreach,
		errorBrokenPipe, errorNoData, errorNetNameDeleted:
		return true
	}
	return false
}
