// Package polled polls through pollretry's helpers and sends through the
// retrying transport pollretry.NewRetry returns as an http.RoundTripper:
// -fix wraps only the methods whose work does not retry already (a poll
// that waits for a state is no retry).
package polled

import (
	"context"
	"net/http"

	"example.com/pollretry"
	"example.com/pollwait"
)

type Cluster struct {
	api       pollretry.API
	backoff   pollwait.Backoff
	transport http.RoundTripper
}

func New(api pollretry.API) *Cluster {
	return &Cluster{api: api, transport: pollretry.NewRetry(http.DefaultTransport)}
}

// AwaitReady waits for a state: it is wrapped.
func (c *Cluster) AwaitReady(ctx context.Context) error { // want AwaitReady:"waits" AwaitReady:"unrouted" `^Cluster.AwaitReady returns an error but is not routed through runtime/recovery`
	return pollretry.WaitReady(ctx, c.api)
}

// AwaitReachable retries Status already: left alone.
func (c *Cluster) AwaitReachable(ctx context.Context) error { // want AwaitReachable:"waits" AwaitReachable:`routed by its own retry at pollretry.go:\d+`
	return pollretry.WaitReachable(ctx, c.api)
}

// Poke polls Status, swallowing its failures: its own retry, left alone.
func (c *Cluster) Poke(ctx context.Context) error { // want Poke:"waits" Poke:`routed by its own retry at polled.go:\d+`
	return pollwait.ExponentialBackoff(c.backoff, func() (bool, error) {
		if _, err := c.api.Status(ctx); err != nil {
			return false, nil
		}
		return true, nil
	})
}

// Delete sends through the retrying transport: left alone.
func (c *Cluster) Delete(ctx context.Context, url string) error { // want Delete:"nests" Delete:"sends through a retrying transport" `-fix cannot rewrite it: it sends through c.transport, which polled.go:\d+ may set to a retrying client \(pollretry.NewRetry\)`
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.transport.RoundTrip(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
