package recovery

import (
	"fmt"
	"math"
	"sync/atomic"
)

// Budget is a retry budget shared by many calls, so that a failing
// dependency cannot cause a retry storm. It is the token bucket of gRPC's
// retry throttling: the bucket starts full with maxTokens; every
// transient failure takes one token, every success puts back tokenRatio
// tokens (never above maxTokens), and a retry is allowed only while more
// than half of maxTokens remain. With tokenRatio 0.1, sustained retrying
// needs about ten successes per failure: retries stay near a tenth of the
// traffic, the per-client retry ratio of the SRE book.
//
// A Budget is safe for concurrent use and lock-free; share one between the
// policies that call the same dependency. When it refuses a retry, Do stops
// with StopBudget (the detailed *Error matches ErrBudgetExhausted).
type Budget struct {
	max       int64 // in milli-tokens
	ratio     int64 // milli-tokens returned per success
	threshold int64 // retries need tokens > threshold
	tokens    atomic.Int64
}

// NewBudget returns a full budget. maxTokens must be in (0, 1e9] and
// tokenRatio in (0, maxTokens]; gRPC's example values are 10 and 0.1. It
// panics on invalid values; use BuildBudget to get an error instead.
func NewBudget(maxTokens, tokenRatio float64) *Budget {
	b, err := BuildBudget(maxTokens, tokenRatio)
	if err != nil {
		panic(err)
	}
	return b
}

// BuildBudget is NewBudget returning an error, for budgets built from
// configuration.
func BuildBudget(maxTokens, tokenRatio float64) (*Budget, error) {
	if !(maxTokens > 0 && maxTokens <= 1e9) {
		return nil, fmt.Errorf("recovery: NewBudget: maxTokens %v not in (0, 1e9]", maxTokens)
	}
	if !(tokenRatio > 0 && tokenRatio <= maxTokens) {
		return nil, fmt.Errorf("recovery: NewBudget: tokenRatio %v not in (0, maxTokens]", tokenRatio)
	}
	b := &Budget{
		max:   int64(math.Round(maxTokens * 1000)),
		ratio: max(1, int64(math.Round(tokenRatio*1000))),
	}
	b.threshold = b.max / 2
	b.tokens.Store(b.max)
	return b, nil
}

// Tokens returns the tokens currently in the bucket.
func (b *Budget) Tokens() float64 { return float64(b.tokens.Load()) / 1000 }

// succeed puts tokenRatio tokens back. A full bucket (the steady state of
// a healthy dependency) costs one atomic load.
func (b *Budget) succeed() {
	for {
		t := b.tokens.Load()
		if t >= b.max {
			return
		}
		if b.tokens.CompareAndSwap(t, min(b.max, t+b.ratio)) {
			return
		}
	}
}

// fail takes one token for a transient failure and reports whether a
// retry is still allowed.
func (b *Budget) fail() bool {
	for {
		t := b.tokens.Load()
		n := max(0, t-1000)
		if b.tokens.CompareAndSwap(t, n) {
			return n > b.threshold
		}
	}
}
