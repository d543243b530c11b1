// Package svc is a generated-style service client in small.
package svc

import (
	"context"
	"net"

	"example.com/mw/retry"
	"example.com/mw/stack"
)

type transport struct{}

func (transport) Handle(ctx context.Context, in string) (string, error) {
	c, err := net.Dial("tcp", "127.0.0.1:1")
	if err != nil {
		return "", err
	}
	defer c.Close()
	return in, nil
}

// Client sends requests through a stack with a retry middleware.
type Client struct{}

// Send sends in.
func (c *Client) Send(ctx context.Context, in string) (string, error) {
	st := &stack.Stack{}
	st.Insert(&retry.Attempt{Max: 3})
	return stack.Decorate(transport{}, st).Handle(ctx, in)
}
