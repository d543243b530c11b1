// Package backoffhelper waits between attempts, for retry loops of other
// packages.
package backoffhelper

import (
	"context"
	"time"
)

// Wait sleeps for the next delay, or returns early when ctx is done.
func Wait(ctx context.Context, attempt int) error { // want Wait:"waits"
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Duration(attempt) * time.Millisecond):
		return nil
	}
}

// Pause waits through Wait.
func Pause(ctx context.Context) error { // want Pause:"waits"
	return Wait(ctx, 1)
}
