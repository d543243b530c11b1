package recovery

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Policy is an immutable retry policy: a handle on settings that nothing
// changes after NewPolicy, MustNewPolicy or Policy.With built them. Share
// it between goroutines. A nil *Policy and the zero Policy both mean
// Default(). Because the settings sit behind the handle, overwriting a
// Policy value (`*p = recovery.Policy{}`) changes only that handle, never
// the settings other holders see, and Default cannot be changed at all.
type Policy struct {
	s *settings
}

// settings are a Policy's values. They are written only while a policy is
// being built (by its options) and read-only afterwards.
type settings struct {
	maxAttempts    int
	initial        time.Duration
	multiplier     float64
	maxDelay       time.Duration
	jitter         Jitter
	attemptTimeout time.Duration
	maxElapsed     time.Duration
	classify       func(error) bool // nil: IsTransient
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
	err  error // invalid options, reported by NewPolicy
}

// Option configures a Policy in NewPolicy, MustNewPolicy and Policy.With.
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

// NewPolicy returns a policy with the defaults overridden by opts, or an
// error naming every option whose value is invalid (for policies built
// from configuration).
func NewPolicy(opts ...Option) (*Policy, error) {
	return (&settings{
		maxAttempts: DefaultMaxAttempts,
		initial:     DefaultInitialDelay,
		multiplier:  DefaultMultiplier,
		maxDelay:    DefaultMaxDelay,
		clock:       systemClock{},
		randN:       rand.Int64N,
	}).apply(opts)
}

// MustNewPolicy is NewPolicy for policies built once at start-up from
// constant options: it panics with NewPolicy's error.
func MustNewPolicy(opts ...Option) *Policy {
	p, err := NewPolicy(opts...)
	if err != nil {
		panic(err)
	}
	return p
}

// With returns a new policy: p's settings overridden by opts. p itself is
// not changed. A nil or zero p starts from Default(). It panics on invalid
// options, like MustNewPolicy.
func (p *Policy) With(opts ...Option) *Policy {
	s := *p.settings()
	s.err = nil
	r, err := s.apply(opts)
	if err != nil {
		panic(err)
	}
	return r
}

// apply runs opts on s (a copy owned by the caller) and returns the
// policy handle on it.
func (s *settings) apply(opts []Option) (*Policy, error) {
	p := &Policy{s: s}
	for _, o := range opts {
		if o != nil {
			o(p)
		}
	}
	if s.err != nil {
		return nil, fmt.Errorf("recovery: invalid policy: %w", s.err)
	}
	// A settings value copied from a hand-made one may lack these.
	if s.clock == nil {
		s.clock = systemClock{}
	}
	if s.randN == nil {
		s.randN = rand.Int64N
	}
	s.fast = s.observer == nil && s.attemptTimeout == 0 && s.budget == nil && s.maxElapsed == 0
	return p, nil
}

func (s *settings) invalid(format string, args ...any) {
	s.err = errors.Join(s.err, fmt.Errorf(format, args...))
}

// settings returns p's settings; nil and the zero Policy have the
// default ones.
func (p *Policy) settings() *settings {
	if p == nil || p.s == nil {
		return defaultSettings
	}
	return p.s
}

var defaultSettings = MustNewPolicy().s

// Default returns the default policy: 3 attempts, 100ms initial delay,
// multiplier 2, 10s max delay, full jitter, and only failures known to be
// transient retried (IsTransient; an unknown error is returned after one
// attempt). Each call returns a new handle on the same immutable
// settings, so nothing a caller does to the result changes the default
// for anyone else; the handle does not escape Do, so
// `recovery.Do(ctx, recovery.Default(), fn)` allocates nothing.
func Default() *Policy { return &Policy{s: defaultSettings} }

// MaxAttempts returns the total number of attempts, the first included.
func (p *Policy) MaxAttempts() int {
	return p.settings().maxAttempts
}

// WithMaxAttempts sets the total number of attempts, the first included
// (default 3; 1 disables retrying). n must be at least 1.
func WithMaxAttempts(n int) Option {
	return func(p *Policy) {
		if n < 1 {
			p.s.invalid("WithMaxAttempts(%d): need at least 1 attempt", n)
			return
		}
		p.s.maxAttempts = n
	}
}

// WithInitialDelay sets the delay before the first retry (default 100ms).
func WithInitialDelay(d time.Duration) Option {
	return func(p *Policy) {
		if d < 0 {
			p.s.invalid("WithInitialDelay(%v): negative delay", d)
			return
		}
		p.s.initial = d
	}
}

// WithMultiplier sets the factor by which the delay grows after each retry
// (default 2). It must be at least 1.
func WithMultiplier(m float64) Option {
	return func(p *Policy) {
		if !(m >= 1) || math.IsInf(m, 0) { // !(m >= 1) also rejects NaN
			p.s.invalid("WithMultiplier(%v): need a finite multiplier >= 1", m)
			return
		}
		p.s.multiplier = m
	}
}

// WithMaxDelay caps every delay, retry-after hints included (default 10s).
// It must be positive.
func WithMaxDelay(d time.Duration) Option {
	return func(p *Policy) {
		if d <= 0 {
			p.s.invalid("WithMaxDelay(%v): need a positive cap", d)
			return
		}
		p.s.maxDelay = d
	}
}

// WithJitter sets the jitter kind (default JitterFull).
func WithJitter(j Jitter) Option {
	return func(p *Policy) {
		if j < JitterFull || j > JitterDecorrelated {
			p.s.invalid("WithJitter(%d): unknown jitter kind", int(j))
			return
		}
		p.s.jitter = j
	}
}

// WithAttemptTimeout bounds each attempt: fn receives a context derived
// from the caller's with this timeout, cancelled as soon as the attempt
// returns. An attempt that runs out of it is transient, whatever the
// classifier says. 0 (the default) means no per-attempt timeout.
func WithAttemptTimeout(d time.Duration) Option {
	return func(p *Policy) {
		if d < 0 {
			p.s.invalid("WithAttemptTimeout(%v): negative timeout", d)
			return
		}
		p.s.attemptTimeout = d
	}
}

// WithMaxElapsed stops retrying when waiting for the next attempt would
// end after d from the start of the first attempt (StopMaxElapsed). It
// does not interrupt a running attempt: combine it with a per-attempt
// timeout or a context deadline for that. 0 (the default) means no limit.
func WithMaxElapsed(d time.Duration) Option {
	return func(p *Policy) {
		if d < 0 {
			p.s.invalid("WithMaxElapsed(%v): negative duration", d)
			return
		}
		p.s.maxElapsed = d
	}
}

// WithClassifier sets the function that says whether an error is
// transient (true: retry it). It is consulted only for errors that are not
// cancellations, Permanent or attempt timeouts. nil restores the default,
// IsTransient, which retries only failures known to be transient; pass
// RetryAll to retry every such error instead.
func WithClassifier(transient func(err error) bool) Option {
	return func(p *Policy) { p.s.classify = transient }
}

// WithBudget shares a retry budget between every call of this policy (and
// of any other policy given the same budget). nil means no budget.
func WithBudget(b *Budget) Option {
	return func(p *Policy) { p.s.budget = b }
}

// WithObserver sets the observer that receives every attempt, retry and
// outcome (combine several with Observers). nil means none, at no cost.
func WithObserver(o Observer) Option {
	return func(p *Policy) { p.s.observer = o }
}

// WithClock replaces the clock and sleeper (tests use a fake one; see the
// recoverytest package). nil restores the system clock.
func WithClock(c Clock) Option {
	return func(p *Policy) {
		if c == nil {
			c = systemClock{}
		}
		p.s.clock = c
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
		p.s.randN = randN
	}
}

// WithDetailedError makes a failed call return *Error, which records the
// attempts and stop reason and unwraps to the last error and the context's
// error. Without it (the default) the last error is returned unchanged.
func WithDetailedError() Option {
	return func(p *Policy) { p.s.detailed = true }
}

// WithNestedRetries lets this policy retry even when it runs inside an
// attempt of another retrying Do, accepting that attempts multiply.
func WithNestedRetries() Option {
	return func(p *Policy) { p.s.nested = true }
}

// backoff returns the delay before retrying after failed attempt n
// (1-based). prev is the previous delay (initial before the first retry),
// used by decorrelated jitter.
func (s *settings) backoff(n int, prev time.Duration) time.Duration {
	limit := s.maxDelay
	if s.jitter == JitterDecorrelated {
		lo := s.initial
		hi := limit
		if prev <= limit/3 {
			hi = 3 * prev
		}
		if lo >= hi {
			return min(lo, limit)
		}
		return lo + s.random(hi-lo)
	}
	base := limit
	if s.initial == 0 {
		base = 0 // avoid 0*Inf below
	} else if f := float64(s.initial) * math.Pow(s.multiplier, float64(n-1)); f < float64(limit) {
		base = time.Duration(f)
	}
	switch s.jitter {
	case JitterNone:
		return base
	case JitterEqual:
		half := base / 2
		return half + s.random(base-half)
	default:
		return s.random(base)
	}
}

// random returns a uniform duration in [0, d].
func (s *settings) random(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	n := int64(d)
	if n < math.MaxInt64 {
		n++
	}
	return time.Duration(s.randN(n))
}
