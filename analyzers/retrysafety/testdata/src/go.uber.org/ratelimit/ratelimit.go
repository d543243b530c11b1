package ratelimit // want package:"last values go.uber.org/ratelimit.limiter.last"
// Package ratelimit is a fake of go.uber.org/ratelimit (v0.3.1): the same
// import path and signatures.

import "time"

type Limiter interface {
	Take() time.Time
}

type Option interface{ apply() }

type limiter struct{ last time.Time }

func (l *limiter) Take() time.Time { // want Take:"writes receiver" Take:"reads go.uber.org/ratelimit.limiter.last"
	l.last = time.Now()
	return l.last
}

func New(rate int, opts ...Option) Limiter { return &limiter{} }
