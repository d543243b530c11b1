// Package validation holds methods whose validation guards follow
// statements that only compute from the arguments: the guards stay
// outside the retry, and the statements with them.
package validation

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors of the client.
var (
	ErrNoID      = errors.New("no id")
	ErrNoTimeout = errors.New("no timeout")
)

// Options configure a call.
type Options struct {
	Timeout time.Duration
	Prefix  string
}

// withDefaults fills the zero fields of opts: a pure helper.
func withDefaults(opts Options) Options {
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.Prefix == "" {
		opts.Prefix = "/v1"
	}
	return opts
}

// counter counts calls: not pure, it writes package state.
var calls int

func count() int {
	calls++
	return calls
}

func send(ctx context.Context, path string, d time.Duration) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return path + d.String(), nil
}

// Client is an agent.
type Client struct {
	base  string
	calls int
}

// Defaults defaults a field of its argument and builds a suffix before
// validating: all of it stays outside the retry.
func (c *Client) Defaults(ctx context.Context, id string, opts Options) (string, error) { // want Defaults:"unrouted" `Client.Defaults returns an error but is not routed`
	// Normalise the arguments.
	id = strings.TrimSpace(id)
	if opts.Timeout == 0 {
		opts.Timeout = time.Second
	}
	suffix := "/items/" + id
	if id == "" {
		return "", ErrNoID // validation: not retried
	}
	return send(ctx, c.base+suffix, opts.Timeout)
}

// Helper defaults its options with a pure helper of the package.
func (c *Client) Helper(ctx context.Context, id string, opts Options) (string, error) { // want Helper:"unrouted" `Client.Helper returns an error but is not routed`
	opts = withDefaults(opts)
	path := fmt.Sprintf("%s/%s", opts.Prefix, id)
	if id == "" {
		return "", ErrNoID
	}
	if opts.Timeout < time.Millisecond {
		return "", ErrNoTimeout
	}
	return send(ctx, c.base+path, opts.Timeout)
}

// Rebound writes and reads a variable of the guard region in the work:
// every attempt starts from the value computed before the retry.
func (c *Client) Rebound(ctx context.Context, id string) (string, error) { // want Rebound:"unrouted" `Client.Rebound returns an error but is not routed`
	path := "/items/" + id
	if id == "" {
		return "", ErrNoID
	}
	if strings.HasSuffix(path, "/") {
		path += "index"
	}
	return send(ctx, c.base+path, time.Second)
}

// Impure writes package state before its guard: the guard region ends
// there, but the write must run once (retrysafety's Keep), so it stays
// outside the retry with the guard.
func (c *Client) Impure(ctx context.Context, id string) (string, error) { // want Impure:"unrouted" `Client.Impure returns an error but is not routed`
	n := count()
	if id == "" {
		return "", ErrNoID
	}
	return send(ctx, fmt.Sprint(c.base, id, n), time.Second)
}

// Receiver writes receiver state before its guard: not part of the guard
// region, but kept outside the retry as a write that must run once.
func (c *Client) Receiver(ctx context.Context, id string) (string, error) { // want Receiver:"unrouted" `Client.Receiver returns an error but is not routed`
	c.calls++
	if id == "" {
		return "", ErrNoID
	}
	return send(ctx, c.base+id, time.Second)
}

// Trailing computes after its last guard: that statement moves into the
// retry with the work.
func (c *Client) Trailing(ctx context.Context, id string) (string, error) { // want Trailing:"unrouted" `Client.Trailing returns an error but is not routed`
	if id == "" {
		return "", ErrNoID
	}
	path := "/items/" + id
	return send(ctx, c.base+path, time.Second)
}

// Parsed parses its arguments before sending: a malformed timeout or
// count fails the same way on every try, so the parses are guards and
// stay outside the retry.
func (c *Client) Parsed(ctx context.Context, id, timeout, page string) (string, error) { // want Parsed:"unrouted" `Client.Parsed returns an error but is not routed`
	d, err := time.ParseDuration(timeout)
	if err != nil {
		return "", fmt.Errorf("timeout: %w", err)
	}
	n, err := strconv.Atoi(page)
	if err != nil {
		return "", err
	}
	return send(ctx, fmt.Sprint(c.base, id, n), d)
}
