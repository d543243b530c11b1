// Package graphql is a stand-in for machinebox/graphql.
package graphql

import "context"

type Client struct{ endpoint string }

type Request struct {
	q    string
	vars map[string]any
}

func NewRequest(q string) *Request { return &Request{q: q, vars: map[string]any{}} }

func (r *Request) Var(k string, v any) { r.vars[k] = v }

// Run posts req and decodes the answer's data into resp.
func (c *Client) Run(ctx context.Context, req *Request, resp any) error { return ctx.Err() }
