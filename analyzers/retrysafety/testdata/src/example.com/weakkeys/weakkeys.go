// Package weakkeys keeps side tables keyed by weak pointers, as genai
// keeps a response's first prompt token count: an entry is state of the
// object its key was made from.
package weakkeys

import (
	"context"
	"runtime"
	"sync"
	"weak"
)

type Usage struct{ Tokens int32 }

type Response struct{ Usage *Usage }

var counts sync.Map // map[weak.Pointer[Usage]]int32

var notes = map[weak.Pointer[Usage]]string{}

var plain sync.Map

func setCount(u *Usage, n int32) { // want setCount:"writes param 0"
	wp := weak.Make(u)
	counts.Store(wp, n)
	runtime.AddCleanup(u, func(key weak.Pointer[Usage]) {
		counts.Delete(key)
	}, wp)
}

func note(u *Usage, s string) { // want note:"writes param 0"
	notes[weak.Make(u)] = s
}

func fetch(ctx context.Context) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Response{Usage: &Usage{Tokens: 3}}, nil
}

type Client struct{}

// Generate records the count of the response it made: the entry is the
// fresh response's.
func (c *Client) Generate(ctx context.Context) (*Response, error) {
	resp, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	setCount(resp.Usage, resp.Usage.Tokens)
	note(resp.Usage, "first")
	if _, err := fetch(ctx); err != nil {
		return nil, err
	}
	return resp, nil
}

// Annotate records an entry of its caller's object before a call that
// can fail: a write of that object.
func (c *Client) Annotate(ctx context.Context, u *Usage) error { // want Annotate:"writes param 1"
	setCount(u, 1)
	_, err := fetch(ctx)
	return err
}

// Plain stores under an ordinary key: the table's own state.
func (c *Client) Plain(ctx context.Context, k string) error { // want Plain:"writes package state"
	plain.Store(k, 1)
	_, err := fetch(ctx)
	return err
}
