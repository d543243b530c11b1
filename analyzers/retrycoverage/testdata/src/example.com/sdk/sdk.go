// Package sdk is shaped like github.com/digitalocean/godo v1.237: New
// builds its Client with a go-retryablehttp transport when asked to
// (WithRetries), and every service method sends through c.HTTPClient. A
// retry around a service method would nest that one when the client is
// built so: no fix, here or in the callers (TransportRetry).
package sdk

import (
	"context"
	"net/http"

	"github.com/failsafe-go/failsafe-go/failsafehttp"
	"github.com/hashicorp/go-retryablehttp"
)

type Client struct {
	HTTPClient *http.Client
	retryMax   int
}

type ClientOpt func(*Client) error

func WithRetries(n int) ClientOpt {
	return func(c *Client) error {
		c.retryMax = n
		return nil
	}
}

func New(hc *http.Client, opts ...ClientOpt) (*Client, error) {
	c := &Client{HTTPClient: hc}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.retryMax > 0 {
		rc := retryablehttp.NewClient()
		rc.RetryMax = c.retryMax
		rc.HTTPClient.Timeout = c.HTTPClient.Timeout // the plain client it sends through
		c.HTTPClient = rc.StandardClient()
	}
	return c, nil
}

func (c *Client) NewRequest(ctx context.Context, method, url string) (*http.Request, error) { // want NewRequest:"validator"
	return http.NewRequestWithContext(ctx, method, url, nil)
}

// Do passes c.HTTPClient on: it may retry at run time.
func (c *Client) Do(ctx context.Context, req *http.Request) (*http.Response, error) { // want Do:"sends through a retrying transport"
	return DoRequestWithClient(ctx, c.HTTPClient, req)
}

// DoRequestWithClient sends through the client it is given: of itself, it
// does not retry.
func DoRequestWithClient(ctx context.Context, client *http.Client, req *http.Request) (*http.Response, error) {
	return client.Do(req.WithContext(ctx))
}

//resilience:agent
type DropletsServiceOp struct{ client *Client }

func (s *DropletsServiceOp) Get(ctx context.Context, id string) (*http.Response, error) { // want Get:"sends through a retrying transport" `^DropletsServiceOp.Get returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it sends through c.HTTPClient \(in Client.Do\), which sdk.go:41 may set to a retrying client \(go-retryablehttp\), and wrapping it would nest that retry when the client is built so \(declare sdk.Client in retrying-types if it always is, or mark it //resilience:noretry <reason>\)$`
	req, err := s.client.NewRequest(ctx, http.MethodGet, "/v2/droplets/"+id)
	if err != nil {
		return nil, err
	}
	return s.client.Do(ctx, req)
}

// PlainClient is built from the caller's http.Client alone: nothing of a
// retry library is stored in it.
type PlainClient struct{ HTTPClient *http.Client }

//resilience:agent
type ImagesServiceOp struct{ client *PlainClient }

func (s *ImagesServiceOp) Get(ctx context.Context, id string) (*http.Response, error) { // want Get:"unrouted" `^ImagesServiceOp.Get returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "/v2/images/"+id, nil)
	if err != nil {
		return nil, err
	}
	return s.client.HTTPClient.Do(req)
}

// Mirror's client gets a failsafehttp round tripper, through a variable
// and a composite literal.
//
//resilience:agent
type Mirror struct{ hc *http.Client }

func NewMirror() *Mirror {
	rt := failsafehttp.NewRoundTripper(nil)
	return &Mirror{hc: &http.Client{Transport: rt}}
}

func (m *Mirror) Fetch(ctx context.Context, url string) (*http.Response, error) { // want Fetch:"sends through a retrying transport" `-fix cannot rewrite it: it sends through m.hc, which sdk.go:95 may set to a retrying client \(failsafehttp\), and wrapping it would nest that retry when the client is built so \(declare sdk.Mirror in retrying-types if it always is`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return m.hc.Do(req)
}
