// Package repeat calls effects meant to repeat on every attempt (rate
// limiters, metrics, logs, a pool) before its calls that can fail, and,
// as controls, effects of the same packages that are not.
package repeat

import (
	"context"
	"expvar"
	"fmt"
	"log"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"example.com/metrics"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/ratelimit"
	"go.uber.org/zap"
	"golang.org/x/time/rate"
)

type Client struct {
	limiter  *rate.Limiter
	lim      rate.Limiter // held by value: its methods change the field
	rl       ratelimit.Limiter
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	total    prometheus.Counter
	hits     expvar.Int
	logger   log.Logger
	slogger  slog.Logger
	zl       *zap.Logger
	sugar    *zap.SugaredLogger
	pool     sync.Pool
	cond     sync.Cond
	wg       sync.WaitGroup
	n        atomic.Int64
	count    metrics.Counter
	timed    metrics.Timed
	sink     metrics.Sink
}

func (c *Client) fetch(ctx context.Context, k string) (string, error) { return k, ctx.Err() }

// Limited waits for the limiter before each request: a retry waits again.
func (c *Client) Limited(ctx context.Context, k string) (string, error) {
	if err := c.limiter.Wait(ctx); err != nil {
		return "", err
	}
	return c.fetch(ctx, k)
}

func (c *Client) LimitedN(ctx context.Context, k string) (string, error) {
	if err := c.lim.WaitN(ctx, 2); err != nil {
		return "", err
	}
	if !c.limiter.Allow() || !c.lim.AllowN(time.Now(), 1) {
		return "", fmt.Errorf("rate limited")
	}
	time.Sleep(c.limiter.Reserve().Delay())
	return c.fetch(ctx, k)
}

func (c *Client) Taken(ctx context.Context, k string) (string, error) {
	c.rl.Take()
	return c.fetch(ctx, k)
}

// throttle only waits: it writes nothing a retry must not repeat, so it
// has no Writes fact and its callers are safe.
func (c *Client) throttle(ctx context.Context) error { return c.limiter.Wait(ctx) }

func (c *Client) Throttled(ctx context.Context, k string) (string, error) {
	if err := c.throttle(ctx); err != nil {
		return "", err
	}
	return c.fetch(ctx, k)
}

// Counted records metrics before the request.
func (c *Client) Counted(ctx context.Context, k string) (string, error) {
	c.requests.WithLabelValues("get").Inc()
	c.total.Add(1)
	c.hits.Add(1)
	start := time.Now()
	v, err := c.fetch(ctx, k)
	c.latency.With(prometheus.Labels{"code": "200"}).Observe(time.Since(start).Seconds())
	return v, err
}

func (c *Client) CountedChecked(ctx context.Context, k string) (string, error) {
	m, err := c.requests.GetMetricWithLabelValues("get")
	if err != nil {
		return "", err
	}
	m.Inc()
	return c.fetch(ctx, k)
}

// Logged logs each attempt.
func (c *Client) Logged(ctx context.Context, k string) (string, error) {
	log.Printf("fetching %s", k)
	c.logger.Printf("fetching %s", k)
	c.slogger.InfoContext(ctx, "fetching", "key", k)
	slog.Info("fetching", "key", k)
	c.zl.Info("fetching", zap.Field{Key: "key", String: k})
	c.sugar.Infow("fetching", "key", k)
	return c.fetch(ctx, k)
}

func (c *Client) Pooled(ctx context.Context, k string) (string, error) {
	buf, _ := c.pool.Get().(*[]byte)
	defer c.pool.Put(buf)
	return c.fetch(ctx, k)
}

// Notify wakes the waiters before the request: they recheck.
func (c *Client) Notify(ctx context.Context, k string) (string, error) {
	c.cond.Broadcast()
	c.wg.Go(func() {})
	return c.fetch(ctx, k)
}

// Team records with the team's own counter: safe only when
// repeatable-funcs names metrics.Counter.Inc. (The Reset after the call
// gives it a fact under either configuration: early only without it.)
func (c *Client) Team(ctx context.Context, k string) (string, error) { // want Team:"writes receiver" Team:"reads example.com/metrics.Counter.n"
	c.count.Inc()
	v, err := c.fetch(ctx, k)
	c.count.Reset()
	return v, err
}

// Promoted calls Counter.Inc promoted through Timed: safe only when
// repeatable-funcs names it, as metrics.Timed.Inc.
func (c *Client) Promoted(ctx context.Context, k string) (string, error) { // want Promoted:"writes receiver" Promoted:"reads example.com/metrics.Counter.n"
	c.timed.Inc()
	v, err := c.fetch(ctx, k)
	c.timed.Reset()
	return v, err
}

// Sunk writes to an interface's stream method: safe only when
// repeatable-funcs names the interface method, metrics.Sink.Write.
func (c *Client) Sunk(ctx context.Context, k string) (string, error) { // want Sunk:"writes receiver"
	c.sink.Write([]byte(k))
	v, err := c.fetch(ctx, k)
	c.count.Reset()
	return v, err
}

// Controls: state, not effects meant to repeat.

func (c *Client) SetLimit(ctx context.Context, k string) (string, error) { // want SetLimit:"writes receiver; early" SetLimit:"reads golang.org/x/time/rate.Limiter.last, golang.org/x/time/rate.Limiter.limit"
	c.limiter.SetLimit(2)
	return c.fetch(ctx, k)
}

func (c *Client) Atomic(ctx context.Context, k string) (string, error) { // want Atomic:"writes receiver; early"
	c.n.Add(1)
	return c.fetch(ctx, k)
}

func (c *Client) Group(ctx context.Context, k string) (string, error) { // want Group:"writes receiver; early"
	c.wg.Add(1)
	return c.fetch(ctx, k)
}

func (c *Client) TeamReset(ctx context.Context, k string) (string, error) { // want TeamReset:"writes receiver; early"
	c.count.Reset()
	return c.fetch(ctx, k)
}

func (c *Client) Printed(ctx context.Context, k string) (string, error) { // want Printed:`writes package state \(stream\); early`
	fmt.Printf("fetching %s\n", k)
	return c.fetch(ctx, k)
}
