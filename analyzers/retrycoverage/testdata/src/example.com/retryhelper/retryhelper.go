// Package retryhelper retries through pollwait's poll helpers, as
// go-containerregistry's internal/retry (Retry) and client-go's
// util/retry (OnError) do, and builds a retrying http.RoundTripper that
// it returns as the interface (go-containerregistry's transport.NewRetry).
package retryhelper

import (
	"context"
	"errors"
	"net/http"
	"os"
	"time"

	"example.com/pollwait"
	"github.com/hashicorp/go-retryablehttp"
)

type Predicate func(error) (retry bool)

// Retry turns the failures p accepts into "not done", and hands f's error
// back through its named result, which the condition assigns.
func Retry(f func() error, p Predicate, backoff pollwait.Backoff) (err error) { // want Retry:"waits" Retry:`routed by its own retry at retryhelper.go:\d+`
	if f == nil {
		return errors.New("nil f passed to retry")
	}
	condition := func() (bool, error) {
		err = f()
		if p(err) {
			return false, nil
		}
		return true, err
	}
	pollwait.ExponentialBackoff(backoff, condition)
	return
}

// OnError is client-go's: a switch sorts the failures.
func OnError(backoff pollwait.Backoff, retriable func(error) bool, fn func() error) error { // want OnError:"waits" OnError:`routed by its own retry at retryhelper.go:\d+`
	var lastErr error
	err := pollwait.ExponentialBackoff(backoff, func() (bool, error) {
		err := fn()
		switch {
		case err == nil:
			return true, nil
		case retriable(err):
			lastErr = err
			return false, nil
		default:
			return false, err
		}
	})
	if err == pollwait.ErrWaitTimeout {
		err = lastErr
	}
	return err
}

type Status struct{ Ready bool }

type API interface {
	Status(ctx context.Context) (Status, error)
}

// WaitReady waits for a state: a failure of Status ends the poll (it is
// returned as the condition's error), and "not done" comes only from what
// Status returned. No retry: calling it is work, as any call.
func WaitReady(ctx context.Context, api API) error { // want WaitReady:"waits"
	return pollwait.PollImmediate(time.Second, time.Minute, func() (bool, error) {
		st, err := api.Status(ctx)
		if err != nil {
			return false, err
		}
		if !st.Ready {
			return false, nil
		}
		return true, nil
	})
}

// WaitReachable swallows every failure of Status into "not done": a
// retry of Status, after the check on success.
func WaitReachable(ctx context.Context, api API) error { // want WaitReachable:"waits" WaitReachable:`routed by its own retry at retryhelper.go:\d+`
	return pollwait.PollImmediate(time.Second, time.Minute, func() (bool, error) {
		if _, err := api.Status(ctx); err == nil {
			return true, nil
		}
		return false, nil
	})
}

// retryTransport retries its inner transport's failures through Retry.
type retryTransport struct {
	inner   http.RoundTripper
	backoff pollwait.Backoff
}

func (t *retryTransport) RoundTrip(in *http.Request) (out *http.Response, err error) { // want RoundTrip:"waits" RoundTrip:`routed by its own retry at retryhelper.go:\d+`
	roundtrip := func() error {
		out, err = t.inner.RoundTrip(in)
		return err
	}
	Retry(roundtrip, func(error) bool { return true }, t.backoff)
	return
}

// NewRetry returns the retrying transport as an http.RoundTripper: the
// type says nothing, the Fact does.
func NewRetry(inner http.RoundTripper) http.RoundTripper { // want NewRetry:`returns a retrying sender \(retryhelper.retryTransport.RoundTrip\)`
	return &retryTransport{inner: inner, backoff: pollwait.Backoff{Duration: time.Millisecond, Steps: 3}}
}

// logTransport only logs: NewLogger returns no retrying sender.
type logTransport struct {
	inner http.RoundTripper
}

func (t *logTransport) RoundTrip(in *http.Request) (*http.Response, error) { // want RoundTrip:"nests"
	return t.inner.RoundTrip(in)
}

func NewLogger(inner http.RoundTripper) http.RoundTripper {
	return &logTransport{inner: inner}
}

// NewHTTPClient returns a client whose transport a retry library built:
// the Fact says so to the packages that use it.
func NewHTTPClient() *http.Client { // want NewHTTPClient:`returns a retrying sender \(go-retryablehttp\)`
	rc := retryablehttp.NewClient()
	return rc.StandardClient()
}

// WaitQuiet waits for a state and reads the error only on success: no
// retry.
func WaitQuiet(ctx context.Context, api API) error { // want WaitQuiet:"waits"
	return pollwait.PollImmediate(time.Second, time.Minute, func() (bool, error) {
		st, err := api.Status(ctx)
		if err == nil && !st.Ready {
			return false, nil
		}
		return err == nil, err
	})
}

// WaitCreated polls while the file does not exist yet (sweep17's
// WaitForKey: "not done" on apierrors.IsNotFound): "not done" only for a
// missing file, a failure no retry of transient failures takes, and any
// other failure ends the wait. No retry: calling it is work.
func WaitCreated(path string) error { // want WaitCreated:"waits"
	return pollwait.PollImmediate(time.Millisecond, time.Second, func() (bool, error) {
		_, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return true, nil
	})
}

// StatAgain polls through every failure but a missing file: a retry.
func StatAgain(path string) error { // want StatAgain:"waits" StatAgain:`routed by its own retry at retryhelper.go:\d+`
	return pollwait.PollImmediate(time.Millisecond, time.Second, func() (bool, error) {
		_, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			return false, err
		}
		if err != nil {
			return false, nil
		}
		return true, nil
	})
}
