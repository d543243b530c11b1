// Package libs calls the known retry libraries: their entry points are
// retries out of the box, matched by type-checked object.
package libs

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"

	retryv4 "github.com/avast/retry-go/v4"
	retryv5 "github.com/avast/retry-go/v5"
	"github.com/cenkalti/backoff/v4"
	backoff5 "github.com/cenkalti/backoff/v5"
	"github.com/failsafe-go/failsafe-go"
	"github.com/hashicorp/go-retryablehttp"
	goretry "github.com/sethvargo/go-retry"
)

type Client struct {
	dir  string
	http *retryablehttp.Client
	exec failsafe.Executor[[]byte]
	r5   *retryv5.Retrier
}

func (c *Client) Backoff4(ctx context.Context) error { // want Backoff4:"routed by backoff.Retry"
	return backoff.Retry(func() error { return os.Remove(c.dir) }, backoff.NewExponentialBackOff())
}

func (c *Client) Backoff4Data(ctx context.Context) ([]byte, error) { // want Backoff4Data:"routed by backoff.RetryNotifyWithData"
	return backoff.RetryNotifyWithData(func() ([]byte, error) { return os.ReadFile(c.dir) }, backoff.NewExponentialBackOff(), nil)
}

func (c *Client) Backoff5(ctx context.Context) ([]byte, error) { // want Backoff5:"routed by backoff.Retry"
	return backoff5.Retry(ctx, func() ([]byte, error) { return os.ReadFile(c.dir) }, backoff5.WithMaxTries(3))
}

func (c *Client) RetryGo4(ctx context.Context) error { // want RetryGo4:"routed by retry.Do"
	return retryv4.Do(func() error { return os.Remove(c.dir) }, retryv4.Attempts(3))
}

func (c *Client) RetryGo4Data(ctx context.Context) ([]byte, error) { // want RetryGo4Data:"routed by retry.DoWithData"
	return retryv4.DoWithData(func() ([]byte, error) { return os.ReadFile(c.dir) })
}

func (c *Client) RetryGo5(ctx context.Context) error { // want RetryGo5:"routed by retry.Retrier.Do"
	return c.r5.Do(func() error { return os.Remove(c.dir) })
}

func (c *Client) RetryGo5Data(ctx context.Context) ([]byte, error) { // want RetryGo5Data:"routed by retry.RetrierWithData.Do"
	return retryv5.NewWithData[[]byte](retryv5.Attempts(2)).Do(func() ([]byte, error) { return os.ReadFile(c.dir) })
}

func (c *Client) GoRetry(ctx context.Context) error { // want GoRetry:"routed by retry.Do"
	return goretry.Do(ctx, goretry.NewConstant(1), func(ctx context.Context) error { return os.Remove(c.dir) })
}

func (c *Client) Failsafe(ctx context.Context) ([]byte, error) { // want Failsafe:"routed by failsafe.Executor.Get"
	return c.exec.WithContext(ctx).Get(func() ([]byte, error) { return os.ReadFile(c.dir) })
}

func (c *Client) FailsafeNew(ctx context.Context) error { // want FailsafeNew:"routed by failsafe.Executor.Run"
	return failsafe.With[any]().Run(func() error { return os.Remove(c.dir) })
}

// Fetch uses a client that retries by construction.
func (c *Client) Fetch(ctx context.Context, url string) (*http.Response, error) { // want Fetch:"routed by retryablehttp.Client.Get"
	return c.http.Get(url)
}

// Plain uses the http.Client of a retryablehttp.Client: net/http's
// Client.Do is no entry point, but its transport retries (StandardClient
// is the library's), so wrapping Plain would nest that retry: no fix.
func (c *Client) Plain(ctx context.Context, url string) (*http.Response, error) { // want Plain:"sends through a retrying transport" `^Client.Plain returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it sends through c.http.StandardClient\(\), a retrying client \(go-retryablehttp\), and wrapping it would nest that retry \(send through the library's own entry point, which routes it, or mark it //resilience:noretry <reason>\)$`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return c.http.StandardClient().Do(req)
}

// Mixed does work before the library's retry: no fix, as wrapping it
// would nest the retry.
func (c *Client) Mixed(ctx context.Context) error { // want Mixed:"nests" `^Client.Mixed returns an error but is not routed through runtime/recovery: the error returned at libs.go:89 comes from work done before the call to backoff.Retry at libs.go:91; -fix cannot rewrite it: it mixes work inside a retry \(the call to backoff.Retry at libs.go:91\) with work outside it`
	if _, err := os.Stat(c.dir); err != nil {
		return err
	}
	return backoff.Retry(func() error { return os.Remove(c.dir) }, backoff.NewExponentialBackOff())
}

// NotAnEntry calls backoff.Permanent, which is no retry.
func (c *Client) NotAnEntry(err error) error { // want NotAnEntry:"validator"
	return backoff.Permanent(err)
}

// Do builds its request (which fails only on its arguments) and sends it
// with the retrying client: routed, not mixed.
func (c *Client) Do(ctx context.Context, url string) (*http.Response, error) { // want Do:"routed by retryablehttp.Client.Do"
	req, err := retryablehttp.NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	return c.http.Do(req)
}

// Build builds a request from a body of any type, as go-tfe's
// Client.NewRequest does for a PUT: retryablehttp.NewRequest buffers a
// stream given as its body whole, so the call is work (the read can fail)
// and a retry would read what the first attempt left of the caller's
// stream: no fix.
func (c *Client) Build(method, url string, body any) (*retryablehttp.Request, error) { // want `^Client.Build returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it reads b \(passed to retryablehttp.NewRequest, which reads a stream given as its body whole\) at libs.go:119 in retryablehttp.NewRequest, a call that can fail; a stream is not rewound`
	var b any
	if method == http.MethodPut {
		b = body
	}
	return retryablehttp.NewRequest(method, url, b)
}

// BuildStream gives it a stream: work, and refused as consuming it.
func (c *Client) BuildStream(url string, r io.Reader) (*retryablehttp.Request, error) { // want `^Client.BuildStream returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it consumes r, an io.Reader that is not an io.Seeker`
	return retryablehttp.NewRequest(http.MethodPut, url, r)
}

// BuildBytes, BuildBuffer and BuildSeeker give it bodies it does not
// read: the call fails only on its arguments (validation).
func (c *Client) BuildBytes(url string, body []byte) (*retryablehttp.Request, error) { // want BuildBytes:"validator"
	return retryablehttp.NewRequest(http.MethodPut, url, body)
}

func (c *Client) BuildBuffer(url string, body *bytes.Buffer) (*retryablehttp.Request, error) { // want BuildBuffer:"validator"
	return retryablehttp.NewRequest(http.MethodPut, url, body)
}

func (c *Client) BuildSeeker(url string, body *strings.Reader) (*retryablehttp.Request, error) { // want BuildSeeker:"validator"
	return retryablehttp.NewRequest(http.MethodPut, url, body)
}
