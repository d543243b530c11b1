// Package lvdeclared is analyzed with repeatable-writes naming
// Client.token, Client.n and hits: their writes may repeat by
// declaration, although the rule cannot prove it (the cache is read
// back, the counter and the map grow).
package lvdeclared

import "context"

type Client struct {
	token string
	n     int
	other int
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

// Other is not declared.
func (c *Client) Other(ctx context.Context, k string) (int, error) { // want Other:"writes receiver; early"
	c.other++
	return c.fetch(ctx, k)
}
