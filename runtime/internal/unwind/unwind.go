// Package unwind tells, from a deferred function of a function that did
// not return, why the goroutine's stack is unwinding: a panic or
// runtime.Goexit. It lets runtime/intelligence's Track and
// runtime/recovery's observed Do record a panic without recovering it.
//
// recover would tell the two apart too, but it ends the panic, and
// panicking again moves the panic to the recovering frame, which a
// program can see (runtime.Caller in a recover further up, asynq's
// "panic [file.go:line]", a crash's trace). The package depends on the
// standard library only, as the runtime packages do.
package unwind

import (
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Panicking reports, when called (directly or not) from a function
// deferred by a function that did not return, whether the stack is
// unwinding for a panic (true) or for runtime.Goexit (false), and for a
// panic where it happened: the first frame below the runtime's panic that
// is not the runtime's own (the function that called panic, or whose nil
// dereference, bad index or division by zero the runtime turned into a
// panic), as "pkg.Func at file.go:line".
//
// The runtime calls the deferred functions of a panicking goroutine from
// runtime.gopanic and those of an exiting one from runtime.Goexit: the
// nearer of the two above the caller is the one unwinding now (a panic in
// a function deferred during a Goexit is a panic, and unwinds from its own
// gopanic). When neither frame is found (a runtime that names them
// otherwise), the stack is reported as a panic's, the common case, without
// a place ("").
func Panicking() (panicking bool, at string) {
	var pcs [64]uintptr
	n := runtime.Callers(2, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		switch f.Function {
		case "runtime.Goexit":
			return false, ""
		case "runtime.gopanic":
			return true, site(frames)
		}
		if !more {
			return true, ""
		}
	}
}

// site returns the first frame of frames outside package runtime, as
// "pkg.Func at file.go:line" with the package's last path element and the
// file's base name, or "" when there is none.
func site(frames *runtime.Frames) string {
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
