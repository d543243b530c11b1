//go:build !plan9

package recovery

import (
	"io/fs"
	"syscall"
)

// errnoVerdictOf classifies err when it is a system call error number.
func errnoVerdictOf(err error) (verdict, bool) {
	e, ok := err.(syscall.Errno)
	if !ok {
		return verdictUnknown, false
	}
	switch e {
	case syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE,
		syscall.EHOSTUNREACH, syscall.ENETUNREACH:
		return verdictTransient, true
	}
	if e.Timeout() || e.Temporary() || transientErrno(e) {
		return verdictTransient, true
	}
	if e.Is(fs.ErrNotExist) || e.Is(fs.ErrPermission) {
		return verdictPermanent, true
	}
	return verdictUnknown, true
}
