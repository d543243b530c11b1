// Package estransport is reduced from elastic-transport-go: its Client
// sends every request of go-elasticsearch and retries it itself (Perform:
// a loop over attempts, after buffering the request body outside it), and
// it declares the interface its callers hold it by (Interface). It is no
// agent package: its Facts are what the packages importing it see.
package estransport

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Interface is what a client holds its transport by.
type Interface interface {
	Perform(*http.Request) (*http.Response, error)
}

// Client retries a request up to MaxRetries times.
type Client struct {
	HTTP       *http.Client
	MaxRetries int
}

// Perform buffers the body (work outside the retry), then retries the
// round trip: it retries part of its work.
func (c *Client) Perform(req *http.Request) (*http.Response, error) { // want Perform:"waits" Perform:"nests"
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	var err error
	for attempt := 0; attempt <= c.MaxRetries; attempt++ {
		var res *http.Response
		if res, err = c.HTTP.Do(req); err == nil {
			return res, nil
		}
		time.Sleep(time.Duration(attempt) * time.Millisecond)
	}
	return nil, err
}

// Routed is a transport routed through runtime/recovery: it retries all
// of its work.
type Routed struct{ HTTP *http.Client }

// Send retries the round trip.
func (r Routed) Send(req *http.Request) (*http.Response, error) { // want Send:"routed"
	return recovery.DoValue(req.Context(), recovery.Default(), func(ctx context.Context) (*http.Response, error) {
		return r.HTTP.Do(req.WithContext(ctx))
	})
}

// Plain sends once: its Fetch retries nothing.
type Plain struct{ HTTP *http.Client }

// Fetch sends the request once.
func (p Plain) Fetch(req *http.Request) (*http.Response, error) {
	return p.HTTP.Do(req)
}
