// Package firsttry has retries whose first attempt is made before their
// loop (go-grpc-middleware's retrying stream receives once, then loops
// over the retries): the call before the loop is an attempt of the loop
// when its failure goes on into it. A call whose every failure returns
// before the loop is no attempt: the loop runs after its success.
package firsttry

import (
	"context"
	"errors"
	"net/http"
	"time"
)

var errBusy = errors.New("firsttry: busy")

type conn struct{ hc *http.Client }

func (c *conn) send(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://host"+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Client sends through conn.
type Client struct{ c *conn }

// Send tries once, then up to twice more while the failure is errBusy.
func (m *Client) Send(ctx context.Context, path string) error { // want Send:"waits" Send:"routed by its own retry at firsttry.go:40"
	err := m.c.send(ctx, path)
	if err == nil || !errors.Is(err, errBusy) {
		return err
	}
	for attempt := 1; attempt < 3; attempt++ {
		time.Sleep(10 * time.Millisecond)
		if err = m.c.send(ctx, path); err == nil || !errors.Is(err, errBusy) {
			return err
		}
	}
	return err
}

// Resend is Send with the first attempt's failure checked in an else
// branch that goes on into the loop.
func (m *Client) Resend(ctx context.Context, path string) error { // want Resend:"waits" Resend:"routed by its own retry at firsttry.go:56"
	if err := m.c.send(ctx, path); err == nil {
		return nil
	}
	var err error
	for attempt := 1; attempt < 3; attempt++ {
		time.Sleep(10 * time.Millisecond)
		if err = m.c.send(ctx, path); err == nil {
			return nil
		}
	}
	return err
}

// Redial sends once, returning its failure, then sends again in a loop
// that retries: the first send's failure is not retried.
func (m *Client) Redial(ctx context.Context, path string) error { // want Redial:"waits" Redial:"nests" `^Client.Redial returns an error but is not routed through runtime/recovery: the error returned at firsttry.go:70 comes from work done before the retry loop at firsttry.go:72`
	err := m.c.send(ctx, path)
	if err != nil {
		return err
	}
	for attempt := 0; attempt < 3; attempt++ {
		time.Sleep(10 * time.Millisecond)
		if err = m.c.send(ctx, path); err == nil || !errors.Is(err, errBusy) {
			return err
		}
	}
	return err
}

// Other sends to another path first: no attempt of the loop.
func (m *Client) Other(ctx context.Context, path string) error { // want Other:"waits" Other:"nests" `^Client.Other returns an error but is not routed through runtime/recovery: the error returned at firsttry.go:85 comes from work done before the retry loop at firsttry.go:87`
	err := m.c.send(ctx, "/login")
	if err != nil && !errors.Is(err, errBusy) {
		return err
	}
	for attempt := 0; attempt < 3; attempt++ {
		time.Sleep(10 * time.Millisecond)
		if err = m.c.send(ctx, path); err == nil || !errors.Is(err, errBusy) {
			return err
		}
	}
	return err
}
