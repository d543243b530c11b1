// Package retry is a minimal stand-in for gopkg.in/retry.v1 v1.0.3, with
// its real signatures: an Attempt is an iterator whose Next waits between
// attempts.
package retry

import "time"

type Strategy interface {
	NewTimer(now time.Time) Timer
}

type Timer interface {
	NextSleep(now time.Time) (time.Duration, bool)
}

type Clock interface {
	Now() time.Time
	After(time.Duration) <-chan time.Time
}

type Regular struct {
	Total, Delay time.Duration
	Min          int
}

func (r Regular) NewTimer(now time.Time) Timer { return nil }

type Attempt struct {
	timer Timer
	clock Clock
	count int
}

func Start(strategy Strategy, clock Clock) *Attempt {
	return &Attempt{timer: strategy.NewTimer(time.Now()), clock: clock}
}

// Next waits for the next attempt; false when the strategy is done.
func (a *Attempt) Next() bool {
	if a.count > 0 {
		d, ok := a.timer.NextSleep(time.Now())
		if !ok {
			return false
		}
		<-time.After(d)
	}
	a.count++
	return true
}
