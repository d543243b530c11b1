// Package retrylibs is a service's client that already retries through
// third-party retry libraries, one method per library (Transport through
// a retrying http.RoundTripper), and one method
// (Plain) that does not retry. resilience-lint -fix must route Plain and
// leave every other method as it is: wrapping one would nest a retry.
package retrylibs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/PuerkitoBio/rehttp"
	rican "github.com/Rican7/retry"
	"github.com/Rican7/retry/strategy"
	retrygo "github.com/avast/retry-go"
	backoff3 "github.com/cenkalti/backoff/v3"
	"github.com/eapache/go-resiliency/retrier"
	lbackoff "github.com/lestrrat-go/backoff/v2"
	"github.com/matryer/try"
	retryv1 "gopkg.in/retry.v1"
)

// StatusError is a response's status, which runtime/recovery's classifier
// reads (StatusCode: 503 is transient).
type StatusError struct{ Code int }

func (e *StatusError) Error() string   { return fmt.Sprintf("status %d", e.Code) }
func (e *StatusError) StatusCode() int { return e.Code }

// Client sends GET requests to URL.
type Client struct {
	HTTP *http.Client
	URL  string
	// Retrying retries 503s in its transport (rehttp).
	Retrying *http.Client
}

// New returns a Client of url whose Retrying client's transport retries
// a 503 twice.
func New(url string) *Client {
	return &Client{HTTP: http.DefaultClient, URL: url, Retrying: &http.Client{Transport: rehttp.NewTransport(nil,
		rehttp.RetryAll(rehttp.RetryMaxRetries(2), rehttp.RetryStatuses(http.StatusServiceUnavailable)), rehttp.ConstDelay(time.Millisecond))}}
}

func (c *Client) get(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		return &StatusError{Code: resp.StatusCode}
	}
	return nil
}

// RetryGo retries with avast/retry-go (the unversioned path): 3 attempts.
func (c *Client) RetryGo(ctx context.Context) error {
	return retrygo.Do(func() error { return c.get(ctx) }, retrygo.Attempts(3), retrygo.Delay(time.Millisecond), retrygo.LastErrorOnly(true))
}

// Backoff retries with cenkalti/backoff/v3: 3 attempts.
func (c *Client) Backoff(ctx context.Context) error {
	b := backoff3.NewExponentialBackOff()
	b.InitialInterval = time.Millisecond
	return backoff3.Retry(func() error { return c.get(ctx) }, backoff3.WithMaxRetries(b, 2))
}

// Retrier retries with eapache/go-resiliency: 3 attempts.
func (c *Client) Retrier(ctx context.Context) error {
	r := retrier.New(retrier.ConstantBackoff(2, time.Millisecond), nil)
	return r.RunCtx(ctx, func(ctx context.Context) error { return c.get(ctx) })
}

// Try retries with matryer/try: 3 attempts.
func (c *Client) Try(ctx context.Context) error {
	return try.Do(func(attempt int) (bool, error) {
		err := c.get(ctx)
		return attempt < 3, err
	})
}

// Rican retries with Rican7/retry: 3 attempts.
func (c *Client) Rican(ctx context.Context) error {
	return rican.Retry(func(uint) error { return c.get(ctx) }, strategy.Limit(3))
}

// RetryV1 retries through gopkg.in/retry.v1's iterator: 3 attempts.
func (c *Client) RetryV1(ctx context.Context) error {
	var err error
	for a := retryv1.StartWithCancel(retryv1.LimitCount(3, retryv1.Regular{Total: time.Second, Delay: time.Millisecond}), nil, ctx.Done()); a.Next(); {
		if err = c.get(ctx); err == nil {
			return nil
		}
	}
	return err
}

// Lestrrat retries through lestrrat-go/backoff's controller: 3 attempts.
func (c *Client) Lestrrat(ctx context.Context) error {
	p := lbackoff.Constant(lbackoff.WithInterval(time.Millisecond), lbackoff.WithMaxRetries(2))
	b := p.Start(ctx)
	var err error
	for lbackoff.Continue(b) {
		if err = c.get(ctx); err == nil {
			return nil
		}
	}
	if err == nil {
		err = errors.New("gave up")
	}
	return err
}

// Transport sends through the client whose transport retries (rehttp):
// 3 attempts.
func (c *Client) Transport(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return err
	}
	resp, err := c.Retrying.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		return &StatusError{Code: resp.StatusCode}
	}
	return nil
}

// Plain sends once: the one method -fix routes.
func (c *Client) Plain(ctx context.Context) error {
	return c.get(ctx)
}
