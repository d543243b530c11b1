package recovery

import (
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// unwinding reports, from a function deferred by a function that did not
// return, whether the stack is unwinding for runtime.Goexit (true) or for
// a panic (false), and for a panic where it happened: the first frame
// below the runtime's panic that is not the runtime's own, as "pkg.Func at
// file.go:line".
//
// The runtime calls the deferred functions of a panicking goroutine from
// runtime.gopanic and those of an exiting one from runtime.Goexit: the
// nearer of the two above the caller is the one unwinding now. recover
// would tell them apart too, but it would end the panic, and panicking
// again would move the panic to this package's frame, which a program can
// see (runtime.Caller in a recover further up, a crash's trace). When
// neither frame is found (a runtime that names them otherwise), the stack
// is reported as a panic's, without a place.
//
// runtime/intelligence has the same function for Track (this package
// exports nothing for it: both depend on the standard library only).
func unwinding() (goexit bool, at string) {
	var pcs [64]uintptr
	n := runtime.Callers(2, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		switch f.Function {
		case "runtime.Goexit":
			return true, ""
		case "runtime.gopanic":
			return false, panicSite(frames)
		}
		if !more {
			return false, ""
		}
	}
}

// panicSite returns the first frame of frames outside package runtime, as
// "pkg.Func at file.go:line" with the package's last path element and the
// file's base name, or "" when there is none.
func panicSite(frames *runtime.Frames) string {
	for {
		f, more := frames.Next()
		if f.Function != "" && !strings.HasPrefix(f.Function, "runtime.") {
			fn := f.Function
			if i := strings.LastIndexByte(fn, '/'); i >= 0 {
				fn = fn[i+1:]
			}
			return fn + " at " + filepath.Base(f.File) + ":" + strconv.Itoa(f.Line)
		}
		if !more {
			return ""
		}
	}
}
