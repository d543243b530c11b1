package lastvalue // want package:"last values example.com/lastvalue.Client.buf, example.com/lastvalue.Client.cfg, example.com/lastvalue.Client.closed, example.com/lastvalue.Client.last, example.com/lastvalue.Client.n, example.com/lastvalue.Client.page, example.com/lastvalue.Client.rate, example.com/lastvalue.Client.stats, example.com/lastvalue.Client.token, example.com/lastvalue.Config.Retries, example.com/lastvalue.Request.Name, example.com/lastvalue.Stats.Last, example.com/lastvalue.lastKey; repeatable example.com/lastvalue.Client.creds"

// Package lastvalue holds the cases of the last-value rule: writes that a
// retry may repeat (a plain = to a field or package variable that nothing
// the retry re-runs reads back) and writes it may not (accumulators, a
// flag read back, map inserts, sends).

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"example.com/lvclient"
)

var ErrClosed = errors.New("closed")

type Stats struct{ Last, Count int }

type Config struct{ Retries int }

type Client struct {
	mu     sync.Mutex
	rate   int
	n      int
	page   int
	buf    []string
	seen   map[string]bool
	events chan string
	closed bool
	stats  Stats
	last   *Stats
	cfg    *Config
	token  string
	// creds is read back (a cache), which the rule cannot prove safe:
	// the directive declares it.
	//resilience:repeatable credentials are refetched when missing; a cached copy is as good as a new one
	creds string
}

var lastKey string

func (c *Client) fetch(ctx context.Context, k string) (int, error) { return len(k), ctx.Err() }

func (c *Client) login(ctx context.Context) (string, error) { return "t", ctx.Err() }

// Safe: last values.

// Locked stores a last value under a mutex before the call that can fail.
func (c *Client) Locked(ctx context.Context, r int) (int, error) { // want Locked:"writes receiver; early; last values of receiver: example.com/lastvalue.Client.rate"
	c.mu.Lock()
	c.rate = r
	c.mu.Unlock()
	return c.fetch(ctx, "k")
}

// Global stores a package variable.
func (c *Client) Global(ctx context.Context, k string) (int, error) { // want Global:"writes package state; early; last values of package: example.com/lastvalue.lastKey"
	lastKey = k
	return c.fetch(ctx, k)
}

// Nested stores a field of a field held by value: reading c.stats would
// read it, nothing does (new(Stats) reads nothing).
func (c *Client) Nested(ctx context.Context, k string) (int, error) { // want Nested:"writes receiver; early; last values of receiver: example.com/lastvalue.Client.stats, example.com/lastvalue.Stats.Last"
	c.stats.Last = len(k)
	if new(Stats) == nil {
		return 0, nil
	}
	return c.fetch(ctx, k)
}

// Pointer stores a fresh pointer.
func (c *Client) Pointer(ctx context.Context, k string) (int, error) { // want Pointer:"writes receiver; early; last values of receiver: example.com/lastvalue.Client.last"
	c.last = &Stats{Last: len(k)}
	return c.fetch(ctx, k)
}

// Service calls a client that stores a last value before it can fail, in
// another package (the godo shape): safe, through the facts.
type Service struct{ client *lvclient.Client }

func (s *Service) Get(ctx context.Context) (int, error) { // want Get:"writes receiver; early; last values of receiver: example.com/lvclient.Client.Rate" Get:"reads example.com/lvclient.Response.Rate"
	resp, err := s.client.Do(ctx)
	if err != nil {
		return 0, err
	}
	return resp.Status, nil
}

// Twice calls it twice: the first call's write is before the second
// call, which can fail, and is still a last value.
func (s *Service) Twice(ctx context.Context) (int, error) { // want Twice:"writes receiver; early; last values of receiver: example.com/lvclient.Client.Rate" Twice:"reads example.com/lvclient.Response.Rate"
	if _, err := s.client.Do(ctx); err != nil {
		return 0, err
	}
	resp, err := s.client.Do(ctx)
	if err != nil {
		return 0, err
	}
	return resp.Status, nil
}

// Cached reads back a cache marked //resilience:repeatable.
func (c *Client) Cached(ctx context.Context) (int, error) {
	if c.creds == "" {
		t, err := c.login(ctx)
		if err != nil {
			return 0, err
		}
		c.creds = t
	}
	return c.fetch(ctx, c.creds)
}

// Unsafe.

// Plus is an accumulator written with a plain =.
func (c *Client) Plus(ctx context.Context) (int, error) { // want Plus:"writes receiver; early" Plus:"reads example.com/lastvalue.Client.n"
	c.n = c.n + 1
	return c.fetch(ctx, "k")
}

// Appended grows a slice.
func (c *Client) Appended(ctx context.Context, k string) (int, error) { // want Appended:"writes receiver; early" Appended:"reads example.com/lastvalue.Client.buf"
	c.buf = append(c.buf, k)
	return c.fetch(ctx, k)
}

// NextPage advances a page number.
func (c *Client) NextPage(ctx context.Context) (int, error) { // want NextPage:"writes receiver; early" NextPage:"reads example.com/lastvalue.Client.page"
	c.page = c.page + 1
	return c.fetch(ctx, "page")
}

// Insert inserts into a map: not a plain field.
func (c *Client) Insert(ctx context.Context, k string) (int, error) { // want Insert:"writes receiver; early"
	c.seen[k] = true
	return c.fetch(ctx, k)
}

// Send sends on a channel.
func (c *Client) Send(ctx context.Context, k string) (int, error) { // want Send:"writes receiver; early"
	c.events <- k
	return c.fetch(ctx, k)
}

// Shutdown sets a flag that it reads back: the retry fails with ErrClosed.
func (c *Client) Shutdown(ctx context.Context) (int, error) { // want Shutdown:"writes receiver; early" Shutdown:"reads example.com/lastvalue.Client.closed"
	if c.closed {
		return 0, ErrClosed
	}
	c.closed = true
	return c.fetch(ctx, "bye")
}

// isClosed reads the flag.
func (c *Client) isClosed() bool { return c.closed } // want isClosed:"reads example.com/lastvalue.Client.closed"

// ShutdownVia reads the flag back through a function it calls.
func (c *Client) ShutdownVia(ctx context.Context) (int, error) { // want ShutdownVia:"writes receiver; early" ShutdownVia:"reads example.com/lastvalue.Client.closed"
	c.closed = true
	if c.isClosed() {
		return c.fetch(ctx, "bye")
	}
	return 0, nil
}

// ReadBack reads the other package's last value back after the call.
func (s *Service) ReadBack(ctx context.Context) (int, error) { // want ReadBack:"writes receiver; early" ReadBack:"reads example.com/lvclient.Client.Rate, example.com/lvclient.Response.Rate"
	resp, err := s.client.Do(ctx)
	if err != nil {
		return 0, err
	}
	if s.client.GetRate().Remaining == 0 {
		return 0, errors.New("rate limited")
	}
	return resp.Status, err
}

// CountedCall calls a function that counts.
func (s *Service) CountedCall(ctx context.Context) (*lvclient.Response, error) { // want CountedCall:"writes receiver; early" CountedCall:"reads example.com/lvclient.Client.calls, example.com/lvclient.Response.Rate"
	return s.client.Counted(ctx)
}

// Foreign writes a field of another package's type: its reads there are
// not tracked.
func (s *Service) Foreign(ctx context.Context) (int, error) { // want Foreign:"writes receiver; early" Foreign:"reads example.com/lvclient.Response.Rate"
	s.client.Rate = lvclient.Rate{}
	return s.Get(ctx)
}

// Marshalled passes the client to a function that reads every field.
func (c *Client) Marshalled(ctx context.Context, r int) ([]byte, error) { // want Marshalled:"writes receiver; early" Marshalled:"reads example.com/lastvalue.Client.buf, example.com/lastvalue.Client.cfg, example.com/lastvalue.Client.closed, example.com/lastvalue.Client.last, example.com/lastvalue.Client.n, example.com/lastvalue.Client.page, example.com/lastvalue.Client.rate, example.com/lastvalue.Client.stats, example.com/lastvalue.Client.token"
	c.rate = r
	return json.Marshal(c)
}

// Shared stores a pointer, then changes what it points to.
func (c *Client) Shared(ctx context.Context, cfg *Config) (int, error) { // want Shared:"writes receiver; early" Shared:"reads example.com/lastvalue.Config.Retries"
	c.cfg = cfg
	c.cfg.Retries = c.cfg.Retries + 1
	return c.fetch(ctx, "k")
}

// Session reads back a cache without the directive.
func (c *Client) Session(ctx context.Context) (int, error) { // want Session:"writes receiver; early" Session:"reads example.com/lastvalue.Client.token"
	if c.token == "" {
		t, err := c.login(ctx)
		if err != nil {
			return 0, err
		}
		c.token = t
	}
	return c.fetch(ctx, c.token)
}

type Request struct{ Name string }

// send takes its body as an interface, as godo's NewRequest does before
// it encodes it with encoding/json.
func send(ctx context.Context, body any) (int, error) { return 0, ctx.Err() }

// Filled sets a field of the caller's request, then hands the request on
// as an interface: reflection may read it, so it counts as read.
func (c *Client) Filled(ctx context.Context, req *Request, k string) (int, error) { // want Filled:"writes param 1; early" Filled:"reads example.com/lastvalue.Request.Name"
	req.Name = k
	return send(ctx, req)
}

// ShutdownValue reads the flag back through a method value.
func (c *Client) ShutdownValue(ctx context.Context) (int, error) { // want ShutdownValue:"writes receiver; early" ShutdownValue:"reads example.com/lastvalue.Client.closed"
	c.closed = true
	closed := c.isClosed
	if closed() {
		return c.fetch(ctx, "bye")
	}
	return 0, nil
}
