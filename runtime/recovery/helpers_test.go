package recovery_test

import (
	"context"
	"time"
)

// nopClock sleeps for no time at all (for benchmarks).
type nopClock struct{}

func (nopClock) Now() time.Time { return time.Time{} }

func (nopClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }
