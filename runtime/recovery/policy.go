package recovery

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Policy is an immutable retry policy. Build it once with NewPolicy and
// share it between goroutines; a nil *Policy means Default(). The zero
// Policy (not built by NewPolicy) makes a single attempt.
type Policy struct {
	maxAttempts    int
	initial        time.Duration
	multiplier     float64
	maxDelay       time.Duration
	jitter         Jitter
	attemptTimeout time.Duration
	maxElapsed     time.Duration
	classify       func(error) bool
	budget         *Budget
	observer       Observer
	clock          Clock
	randN          func(n int64) int64
	detailed       bool
	nested         bool // retry even inside an enclosing retrying Do

	// fast is set when the first attempt needs no bookkeeping (no
	// observer, timeout, budget or elapsed limit): Do then calls fn
	// directly and enters the retry loop only on failure.
	fast bool
	err  error // invalid options, reported by NewPolicy / BuildPolicy
}

// Option configures a Policy in NewPolicy, BuildPolicy and Policy.With.
type Option func(*Policy)

// Jitter selects how a delay is randomised so that many clients failing
// together do not retry in lockstep.
type Jitter int

// Jitter kinds. The zero value, JitterFull, is the default.
const (
	// JitterFull waits a uniform random time in [0, d].
	JitterFull Jitter = iota
	// JitterNone waits exactly d.
	JitterNone
	// JitterEqual waits d/2 plus a uniform random time in [0, d/2].
	JitterEqual
	// JitterDecorrelated waits a uniform random time in
	// [initial, 3*previous delay], capped at the max delay (the AWS
	// "decorrelated jitter"); it ignores the multiplier.
	JitterDecorrelated
)

// String returns the jitter's name.
func (j Jitter) String() string {
	switch j {
	case JitterFull:
		return "full"
	case JitterNone:
		return "none"
	case JitterEqual:
		return "equal"
	case JitterDecorrelated:
		return "decorrelated"
	}
	return fmt.Sprintf("Jitter(%d)", int(j))
}

// Defaults of NewPolicy.
const (
	DefaultMaxAttempts  = 3
	DefaultInitialDelay = 100 * time.Millisecond
	DefaultMultiplier   = 2
	DefaultMaxDelay     = 10 * time.Second
)

// NewPolicy returns a policy with the defaults overridden by opts. It
// panics with a message naming the option when an option's value is
// invalid (a policy is normally built once, at start-up); use BuildPolicy
// to get an error instead.
func NewPolicy(opts ...Option) *Policy {
	p, err := BuildPolicy(opts...)
	if err != nil {
		panic(err)
	}
	return p
}

// BuildPolicy is NewPolicy returning an error, for policies built from
// configuration.
func BuildPolicy(opts ...Option) (*Policy, error) {
	p := &Policy{
		maxAttempts: DefaultMaxAttempts,
		initial:     DefaultInitialDelay,
		multiplier:  DefaultMultiplier,
		maxDelay:    DefaultMaxDelay,
		clock:       systemClock{},
		randN:       rand.Int64N,
	}
	return p.apply(opts)
}

// With returns a new policy: p's settings overridden by opts. p itself is
// not changed. It panics on invalid options, like NewPolicy.
func (p *Policy) With(opts ...Option) *Policy {
	if p == nil {
		p = Default()
	}
	q := *p
	q.err = nil
	r, err := q.apply(opts)
	if err != nil {
		panic(err)
	}
	return r
}

func (p *Policy) apply(opts []Option) (*Policy, error) {
	for _, o := range opts {
		if o != nil {
			o(p)
		}
	}
	if p.err != nil {
		return nil, fmt.Errorf("recovery: invalid policy: %w", p.err)
	}
	p.fast = p.observer == nil && p.attemptTimeout == 0 && p.budget == nil && p.maxElapsed == 0
	return p, nil
}

func (p *Policy) invalid(format string, args ...any) {
	p.err = errors.Join(p.err, fmt.Errorf(format, args...))
}

var defaultPolicy = NewPolicy()

// Default returns the package-level default policy: 3 attempts, 100ms
// initial delay, multiplier 2, 10s max delay, full jitter, every error
// transient except cancellation and Permanent ones.
func Default() *Policy { return defaultPolicy }

// MaxAttempts returns the total number of attempts, the first included.
func (p *Policy) MaxAttempts() int {
	if p == nil {
		p = Default()
	}
	return p.maxAttempts
}

// WithMaxAttempts sets the total number of attempts, the first included
// (default 3; 1 disables retrying). n must be at least 1.
func WithMaxAttempts(n int) Option {
	return func(p *Policy) {
		if n < 1 {
			p.invalid("WithMaxAttempts(%d): need at least 1 attempt", n)
			return
		}
		p.maxAttempts = n
	}
}

// WithInitialDelay sets the delay before the first retry (default 100ms).
func WithInitialDelay(d time.Duration) Option {
	return func(p *Policy) {
		if d < 0 {
			p.invalid("WithInitialDelay(%v): negative delay", d)
			return
		}
		p.initial = d
	}
}

// WithMultiplier sets the factor by which the delay grows after each retry
// (default 2). It must be at least 1.
func WithMultiplier(m float64) Option {
	return func(p *Policy) {
		if !(m >= 1) || math.IsInf(m, 0) { // !(m >= 1) also rejects NaN
			p.invalid("WithMultiplier(%v): need a finite multiplier >= 1", m)
			return
		}
		p.multiplier = m
	}
}

// WithMaxDelay caps every delay, retry-after hints included (default 10s).
// It must be positive.
func WithMaxDelay(d time.Duration) Option {
	return func(p *Policy) {
		if d <= 0 {
			p.invalid("WithMaxDelay(%v): need a positive cap", d)
			return
		}
		p.maxDelay = d
	}
}

// WithJitter sets the jitter kind (default JitterFull).
func WithJitter(j Jitter) Option {
	return func(p *Policy) {
		if j < JitterFull || j > JitterDecorrelated {
			p.invalid("WithJitter(%d): unknown jitter kind", int(j))
			return
		}
		p.jitter = j
	}
}

// WithAttemptTimeout bounds each attempt: fn receives a context derived
// from the caller's with this timeout, cancelled as soon as the attempt
// returns. An attempt that runs out of it is transient, whatever the
// classifier says. 0 (the default) means no per-attempt timeout.
func WithAttemptTimeout(d time.Duration) Option {
	return func(p *Policy) {
		if d < 0 {
			p.invalid("WithAttemptTimeout(%v): negative timeout", d)
			return
		}
		p.attemptTimeout = d
	}
}

// WithMaxElapsed stops retrying when waiting for the next attempt would
// end after d from the start of the first attempt (StopMaxElapsed). It
// does not interrupt a running attempt: combine it with a per-attempt
// timeout or a context deadline for that. 0 (the default) means no limit.
func WithMaxElapsed(d time.Duration) Option {
	return func(p *Policy) {
		if d < 0 {
			p.invalid("WithMaxElapsed(%v): negative duration", d)
			return
		}
		p.maxElapsed = d
	}
}

// WithClassifier sets the function that says whether an error is
// transient (true: retry it). It is consulted only for errors that are not
// cancellations, Permanent or attempt timeouts. nil restores the default,
// which treats every such error as transient.
func WithClassifier(transient func(err error) bool) Option {
	return func(p *Policy) { p.classify = transient }
}

// WithBudget shares a retry budget between every call of this policy (and
// of any other policy given the same budget). nil means no budget.
func WithBudget(b *Budget) Option {
	return func(p *Policy) { p.budget = b }
}

// WithObserver sets the observer that receives every attempt, retry and
// outcome (combine several with Observers). nil means none, at no cost.
func WithObserver(o Observer) Option {
	return func(p *Policy) { p.observer = o }
}

// WithClock replaces the clock and sleeper (tests use a fake one; see the
// recoverytest package). nil restores the system clock.
func WithClock(c Clock) Option {
	return func(p *Policy) {
		if c == nil {
			c = systemClock{}
		}
		p.clock = c
	}
}

// WithRand replaces the random source used for jitter: randN(n) must
// return a uniform value in [0, n) for n > 0 and be safe for concurrent
// use. nil restores the default (math/rand/v2.Int64N).
func WithRand(randN func(n int64) int64) Option {
	return func(p *Policy) {
		if randN == nil {
			randN = rand.Int64N
		}
		p.randN = randN
	}
}

// WithDetailedError makes a failed call return *Error, which records the
// attempts and stop reason and unwraps to the last error and the context's
// error. Without it (the default) the last error is returned unchanged.
func WithDetailedError() Option {
	return func(p *Policy) { p.detailed = true }
}

// WithNestedRetries lets this policy retry even when it runs inside an
// attempt of another retrying Do, accepting that attempts multiply.
func WithNestedRetries() Option {
	return func(p *Policy) { p.nested = true }
}

// backoff returns the delay before retrying after failed attempt n
// (1-based). prev is the previous delay (initial before the first retry),
// used by decorrelated jitter.
func (p *Policy) backoff(n int, prev time.Duration) time.Duration {
	limit := p.maxDelay
	if p.jitter == JitterDecorrelated {
		lo := p.initial
		hi := limit
		if prev <= limit/3 {
			hi = 3 * prev
		}
		if lo >= hi {
			return min(lo, limit)
		}
		return lo + p.random(hi-lo)
	}
	base := limit
	if p.initial == 0 {
		base = 0 // avoid 0*Inf below
	} else if f := float64(p.initial) * math.Pow(p.multiplier, float64(n-1)); f < float64(limit) {
		base = time.Duration(f)
	}
	switch p.jitter {
	case JitterNone:
		return base
	case JitterEqual:
		half := base / 2
		return half + p.random(base-half)
	default:
		return p.random(base)
	}
}

// random returns a uniform duration in [0, d].
func (p *Policy) random(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	n := int64(d)
	if n < math.MaxInt64 {
		n++
	}
	return time.Duration(p.randN(n))
}
