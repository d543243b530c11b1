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
// The zero Budget is ready to use with gRPC's example values,
// DefaultBudgetTokens and DefaultBudgetRatio, like NewBudget(10, 0.1).
// A Budget must not be copied after first use.
//
// A Budget is safe for concurrent use and lock-free; share one between the
// policies that call the same dependency. When it refuses a retry, Do stops
// with StopBudget (the detailed *Error matches ErrBudgetExhausted).
type Budget struct {
	max   int64 // in milli-tokens; 0: the zero Budget's defaults
	ratio int64 // milli-tokens returned per success
	// used counts the milli-tokens taken from a full bucket, so that the
	// zero value is a full bucket.
	used atomic.Int64
}

// The zero Budget's parameters (gRPC's example values).
const (
	DefaultBudgetTokens = 10
	DefaultBudgetRatio  = 0.1
)

// NewBudget returns a full budget, or an error when the parameters are
// invalid: maxTokens must be in (2, 1e9] (with 2 tokens or fewer, taking
// one token for the first failure already leaves no more than half, so
// the budget would refuse every retry) and tokenRatio in [0.001,
// maxTokens] (tokens are counted in thousandths, so a smaller ratio would
// never put anything back). gRPC's example values are 10 and 0.1.
func NewBudget(maxTokens, tokenRatio float64) (*Budget, error) {
	if !(maxTokens > 2 && maxTokens <= 1e9) {
		return nil, fmt.Errorf("recovery: NewBudget: maxTokens %v not in (2, 1e9]: a smaller bucket refuses every retry", maxTokens)
	}
	ratio := math.Round(tokenRatio * 1000)
	if !(ratio >= 1 && tokenRatio <= maxTokens) {
		return nil, fmt.Errorf("recovery: NewBudget: tokenRatio %v not in [0.001, maxTokens]", tokenRatio)
	}
	return &Budget{max: int64(math.Round(maxTokens * 1000)), ratio: int64(ratio)}, nil
}

// MustNewBudget is NewBudget for budgets built from constants: it panics
// with NewBudget's error.
func MustNewBudget(maxTokens, tokenRatio float64) *Budget {
	b, err := NewBudget(maxTokens, tokenRatio)
	if err != nil {
		panic(err)
	}
	return b
}

// params returns the bucket size and the milli-tokens a success returns.
func (b *Budget) params() (size, ratio int64) {
	if b.max == 0 {
		return DefaultBudgetTokens * 1000, DefaultBudgetRatio * 1000
	}
	return b.max, b.ratio
}

// Tokens returns the tokens currently in the bucket.
func (b *Budget) Tokens() float64 {
	size, _ := b.params()
	return float64(size-b.used.Load()) / 1000
}

// succeed puts tokenRatio tokens back. A full bucket (the steady state of
// a healthy dependency) costs one atomic load.
func (b *Budget) succeed() {
	_, ratio := b.params()
	for {
		u := b.used.Load()
		if u <= 0 {
			return
		}
		if b.used.CompareAndSwap(u, max(0, u-ratio)) {
			return
		}
	}
}

// fail takes one token for a transient failure and reports whether a
// retry is still allowed: more than half of the bucket remains.
func (b *Budget) fail() bool {
	size, _ := b.params()
	for {
		u := b.used.Load()
		n := min(size, u+1000)
		if b.used.CompareAndSwap(u, n) {
			return size-n > size/2
		}
	}
}
