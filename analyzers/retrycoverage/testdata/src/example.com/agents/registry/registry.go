// Package registry is shaped like go-containerregistry's pkg/v1/remote:
// its options hold a transport that retryhelper.NewRetry may have built
// (an http.RoundTripper, retrying through a poll helper two packages
// down), and its methods send through it.
package registry

import (
	"context"
	"net/http"

	"example.com/manifests"
	"example.com/pollwait"
	"example.com/retryhelper"
)

type options struct {
	transport http.RoundTripper
	retry     bool
}

func makeOptions(retry bool) *options {
	o := &options{transport: http.DefaultTransport, retry: retry}
	o.transport = retryhelper.NewLogger(o.transport)
	if o.retry {
		o.transport = retryhelper.NewRetry(o.transport)
	}
	return o
}

// Pusher sends through what makeOptions built.
type Pusher struct {
	o   *options
	url string
}

func (p *Pusher) Delete(ctx context.Context) error { // want Delete:"nests" Delete:"sends through a retrying transport" `^Pusher.Delete returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it sends through p.o.transport, which registry.go:\d+ may set to a retrying client \(retryhelper.NewRetry\), and wrapping it would nest that retry when the client is built so \(declare registry.options in retrying-types if it always is, name example.com/retryhelper.retryTransport in optional-retrying-types if the program never installs it, or mark it //resilience:noretry <reason>\)$`
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, p.url, nil)
	if err != nil {
		return err
	}
	resp, err := p.o.transport.RoundTrip(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Index fetches its manifest through a retrying transport; Digest hands
// the index to manifests.Digest, which calls its RawManifest.
type Index struct {
	client *http.Client
	url    string
}

func newIndex(o *options, url string) *Index {
	return &Index{client: &http.Client{Transport: o.transport}, url: url}
}

func (x *Index) RawManifest() ([]byte, error) { // want RawManifest:"sends through a retrying transport" `^Index.RawManifest returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it sends through x.client, which registry.go:\d+ may set to a retrying client \(retryhelper.NewRetry\), and wrapping it would nest that retry when the client is built so \(declare registry.Index in retrying-types if it always is, name example.com/retryhelper.retryTransport in optional-retrying-types if the program never installs it, or mark it //resilience:noretry <reason>\)$`
	resp, err := x.client.Get(x.url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return nil, nil
}

func (x *Index) Digest() (string, error) { // want Digest:"nests" `^Index.Digest returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls Index.RawManifest \(a method of x, which it passes to manifests.Digest\), which already retries part of its work \(through retryhelper\.NewRetry\), and wrapping it would nest that retry \(route the callee first, or mark it //resilience:noretry <reason>\)$`
	return manifests.Digest(x)
}

// Cluster polls through the helpers.
type Cluster struct {
	api     retryhelper.API
	backoff pollwait.Backoff
}

// AwaitReady waits for a state: no retry, so it gets a fix (a transient
// failure of Status ends the poll, and the fix retries it).
func (c *Cluster) AwaitReady(ctx context.Context) error { // want AwaitReady:"waits" AwaitReady:"unrouted" `^Cluster.AwaitReady returns an error but is not routed through runtime/recovery \(run resilience-lint -fix, or mark it //resilience:noretry <reason>\)$`
	return retryhelper.WaitReady(ctx, c.api)
}

// AwaitReachable retries Status through WaitReachable: routed.
func (c *Cluster) AwaitReachable(ctx context.Context) error { // want AwaitReachable:"waits" AwaitReachable:`routed by its own retry at retryhelper.go:\d+`
	return retryhelper.WaitReachable(ctx, c.api)
}

// Refresh retries its work through a retry helper: routed.
func (c *Cluster) Refresh(ctx context.Context) error { // want Refresh:"waits" Refresh:`routed by its own retry at retryhelper.go:\d+`
	return retryhelper.OnError(c.backoff, func(error) bool { return true }, func() error {
		_, err := c.api.Status(ctx)
		return err
	})
}

// Poke polls Status itself, swallowing its failures: its own retry.
func (c *Cluster) Poke(ctx context.Context) error { // want Poke:"waits" Poke:`routed by its own retry at registry.go:\d+`
	return pollwait.ExponentialBackoff(c.backoff, func() (bool, error) {
		if _, err := c.api.Status(ctx); err != nil {
			return false, nil
		}
		return true, nil
	})
}

// Watch polls for a state itself: a failure of Status is returned, "not
// done" is the state. No retry: it gets a fix.
func (c *Cluster) Watch(ctx context.Context) error { // want Watch:"waits" Watch:"unrouted" `^Cluster.Watch returns an error but is not routed through runtime/recovery \(run resilience-lint -fix, or mark it //resilience:noretry <reason>\)$`
	return pollwait.ExponentialBackoff(c.backoff, func() (bool, error) {
		st, err := c.api.Status(ctx)
		if err != nil {
			return false, err
		}
		return st.Ready, nil
	})
}

// Sync retries Status, then does more work outside the retry: it mixes
// the two, and wrapping it would nest the retry.
func (c *Cluster) Sync(ctx context.Context) error { // want Sync:"waits" Sync:"nests" `^Cluster.Sync returns an error but is not routed through runtime/recovery: the error returned at registry.go:\d+ comes from retryhelper.API.Status at registry.go:\d+, which runs after the call to routed retryhelper.Retry at registry.go:\d+, outside it; -fix cannot rewrite it: it mixes work inside a retry`
	err := retryhelper.Retry(func() error {
		_, err := c.api.Status(ctx)
		return err
	}, func(error) bool { return true }, c.backoff)
	if err != nil {
		return err
	}
	_, err = c.api.Status(ctx)
	return err
}

// AwaitQuiet waits for a state: it gets a fix.
func (c *Cluster) AwaitQuiet(ctx context.Context) error { // want AwaitQuiet:"waits" AwaitQuiet:"unrouted" `^Cluster.AwaitQuiet returns an error but is not routed through runtime/recovery \(run resilience-lint -fix, or mark it //resilience:noretry <reason>\)$`
	return retryhelper.WaitQuiet(ctx, c.api)
}

// Fetch sends through a client another package's constructor built with
// a retry library.
func (c *Cluster) Fetch(ctx context.Context, url string) error { // want Fetch:"sends through a retrying transport" `^Cluster.Fetch returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it sends through hc, which registry.go:\d+ may set to a retrying client \(retryhelper.NewHTTPClient\)`
	hc := retryhelper.NewHTTPClient()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
