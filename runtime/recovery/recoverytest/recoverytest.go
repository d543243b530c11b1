// Package recoverytest provides a fake clock and a recording observer for
// testing code that uses package recovery without real sleeping.
package recoverytest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Clock is a fake recovery.Clock: Sleep returns at once, advancing Now by
// the requested duration and recording it. It is safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

var _ recovery.Clock = (*Clock)(nil)

// NewClock returns a fake clock reading start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the fake current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d, as a slow attempt would.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sleep records d and advances the clock, or returns ctx.Err() without
// doing either when ctx is already done.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

// Sleeps returns a copy of the durations slept so far, in order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// Recorder is a recovery.Observer that records every event as a line of
// text ("attempt 1", "retry 1 after 100ms: boom", "done 2 attempts:
// exhausted transient=true err=boom") and keeps the last Outcome. It is
// safe for concurrent use.
type Recorder struct {
	mu      sync.Mutex
	events  []string
	outcome recovery.Outcome
}

var _ recovery.Observer = (*Recorder)(nil)

// OnAttempt records "attempt N".
func (r *Recorder) OnAttempt(_ context.Context, a recovery.AttemptInfo) {
	r.add(fmt.Sprintf("attempt %d", a.Attempt))
}

// OnRetry records "retry N after D: ERR".
func (r *Recorder) OnRetry(_ context.Context, ri recovery.RetryInfo) {
	r.add(fmt.Sprintf("retry %d after %v: %v", ri.Attempt, ri.Delay, ri.Err))
}

// OnDone records "done N attempts: REASON transient=T err=ERR".
func (r *Recorder) OnDone(_ context.Context, o recovery.Outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcome = o
	r.events = append(r.events, fmt.Sprintf("done %d attempts: %s transient=%t err=%v", o.Attempts, o.Stop, o.Transient, o.Err))
}

func (r *Recorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, s)
}

// Events returns a copy of the recorded events, in order.
func (r *Recorder) Events() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

// Outcome returns the last Outcome received.
func (r *Recorder) Outcome() recovery.Outcome {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.outcome
}
