package intelligence

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"
)

// Option configures a Tracker in New.
type Option func(*Tracker)

type config struct {
	err        error // invalid options, reported by New
	clock      func() time.Time
	logger     *slog.Logger
	limits     Limits
	thresholds Thresholds
	objectives []Objective
	redactor   func(groups []string, a slog.Attr) slog.Attr
	noSamples  bool

	scrubKeys     []string
	scrubPatterns []*regexp.Regexp
	scrub         *scrubber // built by complete
}

// Limits bound the memory a Tracker retains whatever its input. A zero
// field keeps its default.
type Limits struct {
	// MaxOps is the number of distinct operations tracked (default 4096).
	// Later operations are counted under the OverflowName operation.
	MaxOps int
	// MaxPatterns is the number of distinct error patterns kept (default
	// 1000). Errors of further patterns are counted in the overflow
	// pattern; patterns idle for PatternTTL are evicted to make room.
	MaxPatterns int
	// PatternTTL is how long an idle pattern is kept once MaxPatterns is
	// reached (default 24h).
	PatternTTL time.Duration
	// MaxMessageLen is the number of bytes of an error message that are
	// normalised and fingerprinted (default 1024); the sample message kept
	// per pattern is at most 256 bytes.
	MaxMessageLen int
	// MaxAttrs is the number of attributes kept per record (default 8);
	// the number dropped is kept as an "attrs_dropped" attribute.
	MaxAttrs int
	// MaxAttrValueLen truncates string attribute values (default 256).
	MaxAttrValueLen int
	// MaxAttrLeaves bounds the attributes kept per record in all, at every
	// depth of slog.Group nesting (default 64); MaxAttrBytes bounds their
	// keys and values in bytes (default 4096). What does not fit is
	// counted in "attrs_dropped" and Overflow.AttrsDropped.
	MaxAttrLeaves int
	MaxAttrBytes  int
	// MaxWorkersPerPattern bounds the affected workers listed per pattern
	// (default 16); further workers are counted, not listed.
	MaxWorkersPerPattern int
	// MaxFixes bounds the fixes recorded with RecordFix (default 256).
	MaxFixes int
}

// DefaultLimits returns the limits a Tracker uses when none are given.
func DefaultLimits() Limits {
	return Limits{
		MaxOps:               4096,
		MaxPatterns:          1000,
		PatternTTL:           24 * time.Hour,
		MaxMessageLen:        1024,
		MaxAttrs:             8,
		MaxAttrValueLen:      256,
		MaxAttrLeaves:        64,
		MaxAttrBytes:         4096,
		MaxWorkersPerPattern: 16,
		MaxFixes:             256,
	}
}

// Thresholds decide a worker's or agent's Status. A zero field keeps its
// default.
type Thresholds struct {
	// Healthy is the success rate at or above which the status is healthy
	// (default 0.90).
	Healthy float64
	// Degraded is the success rate at or above which the status is degraded
	// rather than failing (default 0.70).
	Degraded float64
	// MinSamples is the number of runs in the evaluated window below which
	// the status is unknown (default 20).
	MinSamples int
	// FailingAfter is the number of consecutive failures that makes the
	// status failing whatever the rate (default 5).
	FailingAfter int
}

// DefaultThresholds returns the thresholds a Tracker uses when none are
// given.
func DefaultThresholds() Thresholds {
	return Thresholds{Healthy: 0.90, Degraded: 0.70, MinSamples: 20, FailingAfter: 5}
}

// Objective is a service level objective for an agent (Worker empty) or
// for one of its workers.
type Objective struct {
	Agent  string
	Worker string
	// Target is the objective success ratio, in (0, 1), for example 0.99.
	Target float64
	// MinEvents is the number of runs a burn-rate window needs before it
	// can raise an alert (default 20): on low traffic one failure would
	// otherwise burn a whole budget.
	MinEvents int
}

func (c *config) invalid(format string, args ...any) {
	c.err = errors.Join(c.err, fmt.Errorf(format, args...))
}

// complete fills the fields left zero with their defaults.
func (c *config) complete() {
	d := DefaultLimits()
	l := &c.limits
	setInt(&l.MaxOps, d.MaxOps)
	setInt(&l.MaxPatterns, d.MaxPatterns)
	setInt(&l.MaxMessageLen, d.MaxMessageLen)
	setInt(&l.MaxAttrs, d.MaxAttrs)
	setInt(&l.MaxAttrValueLen, d.MaxAttrValueLen)
	setInt(&l.MaxAttrLeaves, d.MaxAttrLeaves)
	setInt(&l.MaxAttrBytes, d.MaxAttrBytes)
	setInt(&l.MaxWorkersPerPattern, d.MaxWorkersPerPattern)
	setInt(&l.MaxFixes, d.MaxFixes)
	if l.PatternTTL <= 0 {
		l.PatternTTL = d.PatternTTL
	}
	dt := DefaultThresholds()
	th := &c.thresholds
	if th.Healthy == 0 {
		th.Healthy = dt.Healthy
	}
	if th.Degraded == 0 {
		th.Degraded = min(dt.Degraded, th.Healthy)
	}
	setInt(&th.MinSamples, dt.MinSamples)
	setInt(&th.FailingAfter, dt.FailingAfter)
	for i := range c.objectives {
		setInt(&c.objectives[i].MinEvents, 20)
	}
	c.scrub = newScrubber(c.scrubKeys, c.scrubPatterns)
}

func setInt(p *int, def int) {
	if *p <= 0 {
		*p = def
	}
}

// WithClock sets the clock, for deterministic tests; nil means the default
// clock, the system's wall clock advanced by the monotonic clock.
func WithClock(now func() time.Time) Option {
	return func(t *Tracker) { t.cfg.clock = now }
}

// WithLogger logs every tracked error at error level, every retried
// attempt (through RetryObserver) and every success at debug level, with
// the operation, the pattern id and the redacted attributes. The default is
// no logging.
func WithLogger(l *slog.Logger) Option {
	return func(t *Tracker) { t.cfg.logger = l }
}

// WithLimits overrides the memory limits; zero fields keep their defaults
// and negative ones are invalid.
func WithLimits(l Limits) Option {
	return func(t *Tracker) {
		c := &t.cfg
		for name, v := range map[string]int64{
			"MaxOps": int64(l.MaxOps), "MaxPatterns": int64(l.MaxPatterns), "PatternTTL": int64(l.PatternTTL),
			"MaxMessageLen": int64(l.MaxMessageLen), "MaxAttrs": int64(l.MaxAttrs), "MaxAttrValueLen": int64(l.MaxAttrValueLen),
			"MaxAttrLeaves": int64(l.MaxAttrLeaves), "MaxAttrBytes": int64(l.MaxAttrBytes),
			"MaxWorkersPerPattern": int64(l.MaxWorkersPerPattern), "MaxFixes": int64(l.MaxFixes),
		} {
			if v < 0 {
				c.invalid("WithLimits: negative %s %d", name, v)
			}
		}
		c.limits = l
	}
}

// WithThresholds overrides the status thresholds; zero fields keep their
// defaults. Rates must be in (0, 1] with Degraded <= Healthy.
func WithThresholds(th Thresholds) Option {
	return func(t *Tracker) {
		c := &t.cfg
		rate := func(name string, v float64) {
			if v != 0 && !(v > 0 && v <= 1) {
				c.invalid("WithThresholds: %s %v: want a success rate in (0, 1]", name, v)
			}
		}
		rate("Healthy", th.Healthy)
		rate("Degraded", th.Degraded)
		h, d := th.Healthy, th.Degraded
		if h == 0 {
			h = DefaultThresholds().Healthy
		}
		if d > h {
			c.invalid("WithThresholds: Degraded %v above Healthy %v", d, h)
		}
		if th.MinSamples < 0 || th.FailingAfter < 0 {
			c.invalid("WithThresholds: negative MinSamples %d or FailingAfter %d", th.MinSamples, th.FailingAfter)
		}
		c.thresholds = th
	}
}

// WithObjective adds a service level objective; see Objective.Validate
// for what is valid.
func WithObjective(o Objective) Option {
	return func(t *Tracker) {
		c := &t.cfg
		if err := o.Validate(); err != nil {
			c.invalid("WithObjective: %s", strings.TrimPrefix(err.Error(), "intelligence: "))
			return
		}
		c.objectives = append(c.objectives, o)
	}
}

// WithRedactor adds an attribute rewrite applied after the default
// redaction (secrets hidden, long strings truncated, large values
// summarised), with the same contract as slog.HandlerOptions.ReplaceAttr.
func WithRedactor(f func(groups []string, a slog.Attr) slog.Attr) Option {
	return func(t *Tracker) { t.cfg.redactor = f }
}

// WithScrubKeys adds names whose values are secrets to the default ones
// (password, secret, token, api_key, authorization, cookie, session,
// credential, private_key...). They are matched case-insensitively as
// substrings of attribute keys at every depth of groups, of map keys
// inside attribute values (an http.Header), and of the keys of
// "key=value" and "key: value" pairs in messages. Empty keys are invalid.
func WithScrubKeys(keys ...string) Option {
	return func(t *Tracker) {
		for _, k := range keys {
			if strings.TrimSpace(k) == "" {
				t.cfg.invalid("WithScrubKeys: empty key")
				continue
			}
			t.cfg.scrubKeys = append(t.cfg.scrubKeys, k)
		}
	}
}

// WithScrubPatterns adds regular expressions whose matches are replaced by
// Redacted in sample messages, normalised messages, logged errors and
// attribute values, after the default scrubbing (see the package doc).
// They run on normalised messages too, where numbers read <num>. A nil
// pattern, or one that matches the empty string, is invalid.
func WithScrubPatterns(patterns ...*regexp.Regexp) Option {
	return func(t *Tracker) {
		for _, re := range patterns {
			if re == nil || re.MatchString("") {
				t.cfg.invalid("WithScrubPatterns: nil pattern or one matching the empty string: %v", re)
				continue
			}
			t.cfg.scrubPatterns = append(t.cfg.scrubPatterns, re)
		}
	}
}

// WithoutSampleMessages keeps, per pattern, the normalised message instead
// of a raw sample message, for errors whose text may carry personal data
// that the scrubbing does not recognise. Samples are scrubbed either way.
func WithoutSampleMessages() Option {
	return func(t *Tracker) { t.cfg.noSamples = true }
}
