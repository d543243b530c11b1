package lvclient // want package:"last values example.com/lvclient.Client.Rate, example.com/lvclient.Client.calls, example.com/lvclient.Response.Rate"

// Package lvclient is shaped like github.com/digitalocean/godo: Client.Do
// stores the rate-limit headers of the last response in c.Rate, under a
// mutex, before it checks the status, a call that can fail.

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
	calls   int
}

func (c *Client) send(ctx context.Context) (*Response, error) {
	return &Response{Status: 200}, ctx.Err()
}

func check(r *Response) error {
	if r.Status >= 500 {
		return errors.New("server error")
	}
	return nil
}

// Do writes a last value before check can fail: safe to run twice, and a
// caller that does not read Client.Rate may repeat it.
func (c *Client) Do(ctx context.Context) (*Response, error) { // want Do:"writes receiver; early; last values of receiver: example.com/lvclient.Client.Rate" Do:"reads example.com/lvclient.Response.Rate"
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
	return resp, nil
}

// GetRate reads the last value back.
func (c *Client) GetRate() Rate { // want GetRate:"reads example.com/lvclient.Client.Rate"
	c.ratemtx.Lock()
	defer c.ratemtx.Unlock()
	return c.Rate
}

// Counted counts its calls: c.calls = c.calls + 1 reads what it writes.
func (c *Client) Counted(ctx context.Context) (*Response, error) { // want Counted:"writes receiver; early" Counted:"reads example.com/lvclient.Client.calls"
	c.calls = c.calls + 1
	return c.Do(ctx)
}

// Fresh fills a response it made: nothing outlives the call.
func Fresh(status int) *Response {
	r := &Response{}
	r.Rate = Rate{Limit: status}
	return r
}
