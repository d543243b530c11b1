package rate // want package:"last values golang.org/x/time/rate.Limiter.last, golang.org/x/time/rate.Limiter.limit"
// Package rate is a fake of golang.org/x/time/rate (v0.16.0): the same
// import path and signatures, with bodies that write the limiter as the
// real ones do, so that its methods have a Writes fact.

import (
	"context"
	"sync"
	"time"
)

type Limit float64

type Limiter struct {
	mu     sync.Mutex
	limit  Limit
	burst  int
	tokens float64
	last   time.Time
}

type Reservation struct {
	ok        bool
	timeToAct time.Time
}

func NewLimiter(r Limit, b int) *Limiter { return &Limiter{limit: r, burst: b} }

func (lim *Limiter) Allow() bool { return lim.AllowN(time.Now(), 1) }

func (lim *Limiter) AllowN(t time.Time, n int) bool { // want AllowN:"writes receiver"
	lim.mu.Lock()
	defer lim.mu.Unlock()
	lim.last = t
	lim.tokens -= float64(n)
	return lim.tokens >= 0
}

func (lim *Limiter) Reserve() *Reservation { return lim.ReserveN(time.Now(), 1) }

func (lim *Limiter) ReserveN(t time.Time, n int) *Reservation { // want ReserveN:"writes receiver"
	lim.tokens -= float64(n)
	return &Reservation{ok: true, timeToAct: t}
}

func (r *Reservation) Delay() time.Duration { return time.Until(r.timeToAct) }

func (lim *Limiter) Wait(ctx context.Context) (err error) { return lim.WaitN(ctx, 1) }

func (lim *Limiter) WaitN(ctx context.Context, n int) (err error) { // want WaitN:"writes receiver; early"
	lim.tokens -= float64(n)
	return ctx.Err()
}

// SetLimit sets the new limit after advancing the tokens at the old one,
// as the real one does: it reads what it writes, so its writes are not
// last values a caller may repeat.
func (lim *Limiter) SetLimit(newLimit Limit) { // want SetLimit:"writes receiver" SetLimit:"reads golang.org/x/time/rate.Limiter.last, golang.org/x/time/rate.Limiter.limit"
	lim.mu.Lock()
	defer lim.mu.Unlock()
	lim.tokens += time.Since(lim.last).Seconds() * float64(lim.limit)
	lim.limit = newLimit
}
