// Package sdkiface holds API clients whose retry sits behind an interface // want package:"retrying impls retryHandler.Do"
// that their resource clients call, reduced from stripe-go and hcloud-go:
// stripe's resource clients call c.B.Call of the stripe.Backend interface,
// whose BackendImplementation retries in a loop that asks a classifier
// (shouldRetry(err, ...)) whether to go on, and makes a new idempotency key
// for each Call; hcloud's Client.Do calls c.handler.Do, a chain of
// handlers of which retryHandler retries. Neither implementation is an
// agent, so only their Facts tell a caller that wrapping the interface call
// nests their retry (and, for stripe, sends a new idempotency key on every
// wrapper attempt).
package sdkiface

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Backend is what the resource clients call (stripe.Backend).
type Backend interface {
	Call(method, path string, v any) error
}

// BackendImplementation is the real backend: it retries.
type BackendImplementation struct {
	HTTPClient *http.Client
	URL        string
	MaxRetries int
}

// Call builds the request (a new idempotency key each time: a guard, as
// http.NewRequest only checks its arguments) and sends it through the
// retry loop: routed by it.
func (s *BackendImplementation) Call(method, path string, v any) error { // want Call:"waits" Call:"routed by its own retry at sdkiface.go:60"
	req, err := http.NewRequest(method, s.URL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Idempotency-Key", newKey())
	_, err = s.requestWithRetries(req, func(resp *http.Response, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 400 {
			return nil, errors.New(resp.Status)
		}
		return resp, nil
	})
	return err
}

// requestWithRetries is stripe's loop: the failure is read by a
// classifier given the error, whose verdict (true: try again) decides
// whether the loop goes on; the bound is inside the classifier.
func (s *BackendImplementation) requestWithRetries(req *http.Request, handle func(*http.Response, error) (any, error)) (any, error) { // want requestWithRetries:"waits" requestWithRetries:"routed by its own retry at sdkiface.go:60"
	var resp *http.Response
	var err error
	var result any
	for retry := 0; ; {
		resp, err = s.HTTPClient.Do(req)
		result, err = handle(resp, err)
		shouldRetry, reason := s.shouldRetry(err, retry)
		if !shouldRetry {
			_ = reason
			break
		}
		retry++
		time.Sleep(time.Duration(retry) * time.Millisecond)
	}
	if err != nil {
		return nil, err
	}
	return result, nil
}

func (s *BackendImplementation) shouldRetry(err error, n int) (bool, string) {
	if n >= s.MaxRetries {
		return false, "max retries exceeded"
	}
	return err != nil, "no error"
}

func newKey() string { return time.Now().String() }

// handler is hcloud's chain of request handlers.
type handler interface {
	Do(req *http.Request) (*http.Response, error)
}

type httpHandler struct{ c *http.Client }

func (h *httpHandler) Do(req *http.Request) (*http.Response, error) {
	return h.c.Do(req)
}

// retryHandler retries the handler it wraps: a loop waiting in a select.
type retryHandler struct {
	next       handler
	maxRetries int
}

func (h *retryHandler) Do(req *http.Request) (*http.Response, error) { // want Do:"waits" Do:"routed by its own retry at sdkiface.go:105"
	retries := 0
	for {
		resp, err := h.next.Do(req)
		if err != nil {
			if retries < h.maxRetries {
				select {
				case <-req.Context().Done():
					return resp, err
				case <-time.After(time.Millisecond):
					retries++
					continue
				}
			}
		}
		return resp, err
	}
}

// Client is hcloud's client: Do goes through the chain.
type Client struct {
	handler handler
}

func (c *Client) Do(req *http.Request) (*http.Response, error) { // want Do:"nests"
	return c.handler.Do(req)
}

// customerService is stripe's v1CustomerService, in the backend's own
// package: marked an agent here.
//
//resilience:agent
type customerService struct {
	B Backend
}

// Create calls Backend.Call, which BackendImplementation (no agent)
// implements with a retry: no fix.
func (c customerService) Create(ctx context.Context, name string) error { // want Create:"nests" `^customerService.Create returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls Backend.Call \(an interface method BackendImplementation.Call implements\), which already retries part of its work, and wrapping`
	return c.B.Call(http.MethodPost, "/v1/customers", name)
}

// Closer is an interface no retrying type implements.
type Closer interface{ Close() error }

type plainCloser struct{}

func (plainCloser) Close() error { return errors.New("closed") } // want Close:"validator"

// Close calls an interface method no implementation of which retries: it
// gets the fix.
func (c customerService) Close(cl Closer) error { // want Close:"unrouted" `^customerService.Close returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return cl.Close()
}

// Drain polls until a classifier given the error says the stream ended:
// the verdict's true leaves the loop, so no failure is sent back by it,
// and the loop is no retry loop (no RoutedFunc fact).
func Drain(next func() error) error { // want Drain:"waits"
	for {
		err := next()
		if isEnd(err) {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
}

func isEnd(err error) bool { return errors.Is(err, errEnd) }

var errEnd = errors.New("end")
