// Package graphql is a stand-in for shurcooL/graphql.
package graphql

import "context"

type Client struct{ url string }

// Query builds a query from q's type, posts it and decodes into q.
func (c *Client) Query(ctx context.Context, q any, vars map[string]any) error { return ctx.Err() }

// Mutate builds a mutation from m's type, posts it and decodes into m.
func (c *Client) Mutate(ctx context.Context, m any, vars map[string]any) error { return ctx.Err() }
