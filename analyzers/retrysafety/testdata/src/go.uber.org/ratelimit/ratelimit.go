// Package ratelimit is a fake of go.uber.org/ratelimit (v0.3.1): the same
// import path and signatures.
package ratelimit

import "time"

type Limiter interface {
	Take() time.Time
}

type Option interface{ apply() }

type limiter struct{ last time.Time }

func (l *limiter) Take() time.Time { // want Take:"writes receiver"
	l.last = time.Now()
	return l.last
}

func New(rate int, opts ...Option) Limiter { return &limiter{} }
