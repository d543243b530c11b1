// Package lvapi is an API client shaped like github.com/digitalocean/godo:
// Do stores the last response's rate-limit headers in c.Rate, under a
// mutex, before it checks the status, which can fail.
package lvapi

import (
	"context"
	"errors"
	"sync"
)

type Rate struct{ Limit, Remaining int }

type Response struct {
	Status int
	Rate   Rate
}

type Client struct {
	Rate    Rate
	ratemtx sync.Mutex
}

func (c *Client) send(ctx context.Context) (*Response, error) {
	return &Response{Status: 200, Rate: Rate{Limit: 10}}, ctx.Err()
}

func (c *Client) Do(ctx context.Context, v *string) (*Response, error) {
	resp, err := c.send(ctx)
	if err != nil {
		return nil, err
	}
	c.ratemtx.Lock()
	c.Rate = resp.Rate
	c.ratemtx.Unlock()
	if err := check(resp); err != nil {
		return resp, err
	}
	*v = "ok"
	return resp, nil
}

func check(r *Response) error {
	if r.Status >= 500 {
		return errors.New("server error")
	}
	return nil
}

// GetRate returns the last value.
func (c *Client) GetRate() Rate {
	c.ratemtx.Lock()
	defer c.ratemtx.Unlock()
	return c.Rate
}
