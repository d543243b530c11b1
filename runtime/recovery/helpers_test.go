package recovery_test

import (
	"context"
	"time"
)

// nopClock sleeps for no time at all (for benchmarks).
type nopClock struct{}

func (nopClock) Now() time.Time { return time.Time{} }

func (nopClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// timeoutError is a failure the default classifier knows to be transient:
// like a net.Error, it says it timed out.
type timeoutError struct{ msg string }

func (e *timeoutError) Error() string { return e.msg }
func (e *timeoutError) Timeout() bool { return true }
