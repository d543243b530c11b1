// Package statusswitch has retry loops that decide on a response's
// status in a switch rather than an if (switch resp.StatusCode { case
// 429, 503: wait and send again }), and a readiness wait that sends a
// request again until it gets a 200: both send again, so a retry around
// the methods running them would nest theirs. A switch whose every case
// runs the loop again (a consumer) and a switch on a task's state (a
// poll) are no retries.
package statusswitch

import (
	"context"
	"errors"
	"net/http"
	"time"
)

var errGaveUp = errors.New("statusswitch: gave up")

type client struct {
	hc   *http.Client
	host string
}

// do sends again on 429 and 503, up to 3 attempts.
func (c *client) do(req *http.Request) (*http.Response, error) { // want do:"waits" do:"routed by its own retry at switch.go:26"
	for attempt := 0; attempt < 3; attempt++ {
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		switch resp.StatusCode {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			resp.Body.Close()
			time.Sleep(time.Second)
			continue
		}
		return resp, nil
	}
	return nil, errGaveUp
}

// doTagless sends again on 5xx through a switch without a tag, whose
// default gives the response back; its 5xx case falls out of the switch
// into the wait.
func (c *client) doTagless(req *http.Request) (*http.Response, error) { // want doTagless:"waits" doTagless:"routed by its own retry at switch.go:46"
	for attempt := 0; ; attempt++ {
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		switch {
		case attempt < 3 && resp.StatusCode >= 500:
			resp.Body.Close()
		default:
			return resp, nil
		}
		time.Sleep(time.Second)
	}
}

// waitReady asks for the health endpoint until it answers 200, swallowing
// the errors of the attempts: a readiness wait sends its request again,
// so it is a retry of that request.
func (c *client) waitReady(ctx context.Context) error { // want waitReady:"waits" waitReady:"routed by its own retry at switch.go:65"
	for {
		resp, err := c.hc.Get(c.host + "/health")
		if err == nil && resp.StatusCode == http.StatusOK {
			resp.Body.Close()
			return nil
		}
		if err == nil {
			resp.Body.Close()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Client is the entry point.
type Client struct{ c *client }

// Get sends through do: routed by do's retry (a retry around it would
// nest do's), so no finding.
func (m *Client) Get(ctx context.Context, path string) (*http.Response, error) { // want Get:"waits" Get:"routed by its own retry at switch.go:26"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.c.host+path, nil)
	if err != nil {
		return nil, err
	}
	return m.c.do(req)
}

// Head sends through doTagless: the same.
func (m *Client) Head(ctx context.Context, path string) (*http.Response, error) { // want Head:"waits" Head:"routed by its own retry at switch.go:46"
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, m.c.host+path, nil)
	if err != nil {
		return nil, err
	}
	return m.c.doTagless(req)
}

// Start waits for the service and then sends: a retry around it would
// wait again in each attempt.
func (m *Client) Start(ctx context.Context) error { // want Start:"waits" Start:"nests" `^Client.Start returns an error .* -fix cannot rewrite it: it mixes work inside a retry \(the call to routed client.waitReady at switch.go:107\) with work outside it, and wrapping its body would nest that retry`
	if err := m.c.waitReady(ctx); err != nil {
		return err
	}
	resp, err := m.c.hc.Post(m.c.host+"/start", "text/plain", nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Consume handles each response and asks for the next one, waiting on a
// 503 first: every case of its switch runs the loop again, so it is a
// consumer, not a retry (it is refused for running handle).
func (m *Client) Consume(ctx context.Context, handle func(*http.Response) error) error { // want Consume:"waits" `^Client.Consume returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs handle`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.c.host+"/events", nil)
	if err != nil {
		return err
	}
	for {
		resp, err := m.c.hc.Do(req)
		if err != nil {
			return err
		}
		switch resp.StatusCode {
		case http.StatusServiceUnavailable:
			resp.Body.Close()
			time.Sleep(time.Second)
		default:
			if err := handle(resp); err != nil {
				return err
			}
		}
	}
}

// Task is an operation of the server.
type Task struct{ Status string }

func (c *client) task(ctx context.Context, id string) (*Task, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.host+"/tasks/"+id, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, errGaveUp
	}
	return &Task{Status: resp.Header.Get("X-Status")}, nil
}

// Wait polls a task's state in a switch: no status code is read, so it
// is a poll, no retry; it gets the fix.
func (m *Client) Wait(ctx context.Context, id string) (*Task, error) { // want Wait:"waits" Wait:"unrouted" `^Client.Wait returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	for {
		t, err := m.c.task(ctx, id)
		if err != nil {
			return nil, err
		}
		switch t.Status {
		case "queued", "running":
			time.Sleep(50 * time.Millisecond)
		default:
			return t, nil
		}
	}
}
