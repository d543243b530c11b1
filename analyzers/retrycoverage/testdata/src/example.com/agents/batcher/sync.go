package batcher

import (
	"context"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Sync retries its fetch with the runtime: Client.Fetch, which the
// closure runs in each attempt through fetchAll, gets no fix (a retry
// around it would nest in that one).
func Sync(ctx context.Context, c *Client) error { // want Sync:"routed"
	return recovery.Do(ctx, nil, func(ctx context.Context) error {
		return c.fetchAll(ctx)
	})
}

func (c *Client) fetchAll(ctx context.Context) error {
	_, err := c.Fetch(ctx, "t")
	return err
}

// Fetch reads a topic.
func (c *Client) Fetch(ctx context.Context, topic string) ([]byte, error) { // want `^Client.Fetch returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs in each attempt of the retry of recovery.Do at sync.go:13 in Sync, through Client.fetchAll, and a retry around it would multiply that retry's attempts`
	if _, err := c.Transport.RoundTrip(ctx, topic); err != nil {
		return nil, err
	}
	return nil, nil
}
