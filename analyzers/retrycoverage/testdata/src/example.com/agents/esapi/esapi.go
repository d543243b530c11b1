// Package esapi is reduced from go-elasticsearch's esapi: its request
// types send through an interface of their own (Transport), and the client
// behind it in practice is estransport.Client (another package, another
// module in go-elasticsearch), whose Perform retries. A retry wrapped
// around InfoRequest.Do nested that one: 12 requests on a refused
// connection instead of 4. The implementation is in a package esapi
// imports, so its Facts are seen here.
package esapi

import (
	"context"
	"io"
	"net/http"

	"example.com/estransport"
)

// Transport is what the request types send through.
type Transport interface {
	Perform(*http.Request) (*http.Response, error)
}

// The client that implements Transport (go-elasticsearch's esapi imports
// elastic-transport-go for its instrumentation types).
var _ Transport = (*estransport.Client)(nil)

// InfoRequest is GET /.
type InfoRequest struct{ URL string }

// Do calls Transport.Perform, which estransport.Client.Perform implements
// with a retry: wrapping Do would nest it.
func (r InfoRequest) Do(ctx context.Context, t Transport) (*http.Response, error) { // want Do:"nests" `^InfoRequest.Do returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls Transport.Perform \(an interface method estransport.Client.Perform implements\), which already retries part of its work \(through the retry loop at estransport\.go:40 in estransport\.Client\.Perform\), and wrapping it would nest that retry`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, err
	}
	return t.Perform(req)
}

// Search is no agent method: a function of the package that nests the
// same retry (NestedRetry), for its callers in other packages.
func Search(ctx context.Context, t Transport, url string) (*http.Response, error) { // want Search:"nests"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return search(t, req)
}

// search is reached through Search only.
func search(t Transport, req *http.Request) (*http.Response, error) { // want search:"nests"
	return t.Perform(req)
}

// Sender is implemented, among the packages esapi imports, by
// estransport.Routed, which is routed.
type Sender interface {
	Send(*http.Request) (*http.Response, error)
}

// SendRequest sends through a Sender.
type SendRequest struct{ URL string }

// Do calls Sender.Send, which estransport.Routed.Send implements with a
// retry of runtime/recovery: wrapping Do would nest it.
func (r SendRequest) Do(ctx context.Context, s Sender) (*http.Response, error) { // want Do:"nests" `-fix cannot rewrite it: it calls Sender.Send \(an interface method estransport.Routed.Send implements\), which already retries part of its work, and wrapping`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, err
	}
	return s.Send(req)
}

// Fetcher is implemented by estransport.Plain, which retries nothing.
type Fetcher interface {
	Fetch(*http.Request) (*http.Response, error)
}

// FetchRequest fetches through a Fetcher.
type FetchRequest struct{ URL string }

// Do calls Fetcher.Fetch, whose only implementation retries nothing: it
// gets the fix.
func (r FetchRequest) Do(ctx context.Context, f Fetcher) (*http.Response, error) { // want Do:"unrouted" `^FetchRequest.Do returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, err
	}
	return f.Fetch(req)
}

// Close calls io.Closer.Close: no Facts of the standard library, no
// implementation that retries; it gets the fix.
func (r FetchRequest) Close(c io.Closer) error { // want Close:"unrouted" `^FetchRequest.Close returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return c.Close()
}
