// Package lvdeclared is analyzed with repeatable-writes naming
// Client.token, Client.n, Client.trace and hits: their writes may repeat
// by declaration, although the rule cannot prove it (the cache is read
// back, the counter and the map grow, the trace writer is written to).
package lvdeclared

import (
	"context"
	"fmt"
	"io"
)

type Client struct {
	token string
	n     int
	other int
	trace io.Writer
	in    io.Reader
}

var hits = map[string]int{}

func (c *Client) fetch(ctx context.Context, k string) (int, error) { return len(k), ctx.Err() }

func (c *Client) login(ctx context.Context) (string, error) { return "t", ctx.Err() }

func (c *Client) Session(ctx context.Context) (int, error) {
	if c.token == "" {
		t, err := c.login(ctx)
		if err != nil {
			return 0, err
		}
		c.token = t
	}
	return c.fetch(ctx, c.token)
}

func (c *Client) Counted(ctx context.Context, k string) (int, error) {
	c.n++
	hits[k]++
	return c.fetch(ctx, k)
}

// Traced writes a trace line to a declared writer.
func (c *Client) Traced(ctx context.Context, k string) (int, error) {
	fmt.Fprintln(c.trace, "fetch", k)
	c.trace.Write([]byte(k))
	return c.fetch(ctx, k)
}

// Consumed reads a declared reader: consuming input is never a write
// that may repeat, declared or not.
func (c *Client) Consumed(ctx context.Context) (int, error) { // want Consumed:`writes receiver \(stream\); early`
	b, err := io.ReadAll(c.in)
	if err != nil {
		return 0, err
	}
	return c.fetch(ctx, string(b))
}

// Other is not declared.
func (c *Client) Other(ctx context.Context, k string) (int, error) { // want Other:"writes receiver; early"
	c.other++
	return c.fetch(ctx, k)
}
