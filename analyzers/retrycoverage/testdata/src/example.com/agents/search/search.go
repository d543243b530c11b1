// Package search reproduces meilisearch-go v0.37.0's client: client.do
// sends a request and, while the response's status is one it retries
// (502, 503, 504) and attempts are left, closes the response, waits and
// sends it again. It retries on the status of a round trip that did not
// fail, not on an error: Index.FetchInfo, and Client.GetIndex through it,
// run that retry, and a retry around them would nest it. A poll on a
// task's state and a walk through pages whose status is checked are no
// retries.
package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

var errMaxRetries = errors.New("search: max retries exceeded")

type client struct {
	hc            *http.Client
	host          string
	maxRetries    uint8
	retryOnStatus map[int]bool
	disableRetry  bool
	log           *log.Logger
	lastStatus    int
}

func (c *client) retryBackoff(n uint8) time.Duration { return time.Duration(n) * time.Second }

// do sends req again on the statuses it retries, rewinding its body.
func (c *client) do(req *http.Request) (resp *http.Response, err error) { // want do:"waits" do:"routed by its own retry at search.go:40"
	retries := uint8(0)
	for {
		if retries > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("rewind: %w", err)
			}
			req.Body = body
		}
		resp, err = c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		if c.disableRetry || !c.retryOnStatus[resp.StatusCode] {
			return resp, nil
		}
		_ = resp.Body.Close()
		if retries >= c.maxRetries {
			return nil, errMaxRetries
		}
		retries++
		timer := time.NewTimer(c.retryBackoff(retries))
		select {
		case <-req.Context().Done():
			timer.Stop()
			return nil, req.Context().Err()
		case <-timer.C:
			timer.Stop()
		}
	}
}

// doCode retries the same way, through a local copy of the status.
func (c *client) doCode(req *http.Request) (*http.Response, error) { // want doCode:"waits" doCode:"routed by its own retry at search.go:73"
	for attempt := 0; attempt < 3; attempt++ {
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		code := resp.StatusCode
		if code < 500 {
			return resp, nil
		}
		resp.Body.Close()
		time.Sleep(time.Second)
	}
	return nil, errMaxRetries
}

// doLogged retries 429 and 5xx, logging each status and keeping the
// last one in the client: what it keeps is not what it sends again.
func (c *client) doLogged(req *http.Request) (*http.Response, error) { // want doLogged:"waits" doLogged:"routed by its own retry at search.go:91"
	for attempt := 0; ; attempt++ {
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		c.log.Printf("attempt %d: status %d", attempt, resp.StatusCode)
		c.lastStatus = resp.StatusCode
		if attempt < 3 && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500) {
			resp.Body.Close()
			time.Sleep(time.Second)
			continue
		}
		return resp, nil
	}
}

// Error is a response with an unexpected status.
type Error struct{ Status int }

func (e *Error) Error() string { return "search: status " + strconv.Itoa(e.Status) }

// executeRequest sends through do and decodes the response: work inside
// do's retry and work outside it.
func (c *client) executeRequest(ctx context.Context, method, path string, out any) error { // want executeRequest:"waits" executeRequest:"nests"
	req, err := http.NewRequestWithContext(ctx, method, c.host+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return &Error{Status: resp.StatusCode}
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// get sends once and decodes: no retry.
func (c *client) get(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.host+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return &Error{Status: resp.StatusCode}
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// Task is an asynchronous operation of the server.
type Task struct {
	UID    int
	Status string
}

// taskStatus fetches a task once.
func (c *client) taskStatus(ctx context.Context, uid int) (*Task, error) {
	var t Task
	if err := c.get(ctx, "/tasks/"+strconv.Itoa(uid), &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// IndexResult describes an index.
type IndexResult struct {
	UID        string
	PrimaryKey string
}

// Index is one index of the server.
type Index struct {
	uid string
	c   *client
}

func newIndex(c *client, uid string) *Index { return &Index{uid: uid, c: c} }

// FetchInfo reads the index through do: a retry around it would nest
// do's.
func (i *Index) FetchInfo(ctx context.Context) (*IndexResult, error) { // want FetchInfo:"waits" FetchInfo:"nests" `^Index.FetchInfo returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls client.executeRequest, which already retries part of its work \(through search.client.do\)`
	var res IndexResult
	if err := i.c.executeRequest(ctx, http.MethodGet, "/indexes/"+i.uid, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// WaitForTask polls the task until it is done: a poll on the task's
// state, with a request that does not retry, is no retry; it gets the
// fix.
func (i *Index) WaitForTask(ctx context.Context, uid int) (*Task, error) { // want WaitForTask:"waits" WaitForTask:"unrouted" `^Index.WaitForTask returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	for {
		t, err := i.c.taskStatus(ctx, uid)
		if err != nil {
			return nil, err
		}
		if t.Status != "enqueued" && t.Status != "processing" {
			return t, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

type docPage struct {
	Results []map[string]any
	Next    string
}

// Documents walks the pages of the index: each request asks for the
// page the previous response named, and a status other than 200 ends the
// walk. No retry; it gets the fix.
func (i *Index) Documents(ctx context.Context) ([]map[string]any, error) { // want Documents:"waits" Documents:"unrouted" `^Index.Documents returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	var all []map[string]any
	next := ""
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, i.c.host+"/indexes/"+i.uid+"/documents?from="+next, nil)
		if err != nil {
			return nil, err
		}
		resp, err := i.c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, &Error{Status: resp.StatusCode}
		}
		var page docPage
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		all = append(all, page.Results...)
		if page.Next == "" {
			return all, nil
		}
		next = page.Next
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		default:
		}
	}
}

// Scroll walks the pages through a query it sets from each response: no
// retry; it gets the fix.
func (i *Index) Scroll(ctx context.Context) ([]map[string]any, error) { // want Scroll:"waits" Scroll:"unrouted" `^Index.Scroll returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	var all []map[string]any
	q := url.Values{}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, i.c.host+"/indexes/"+i.uid+"/documents?"+q.Encode(), nil)
		if err != nil {
			return nil, err
		}
		resp, err := i.c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 300 {
			resp.Body.Close()
			return nil, &Error{Status: resp.StatusCode}
		}
		var page docPage
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		all = append(all, page.Results...)
		if page.Next == "" {
			return all, nil
		}
		q.Set("from", page.Next)
		time.Sleep(10 * time.Millisecond)
	}
}

// Consume handles each response and asks for the next one, waiting on a
// 503 first: both branches of its status check run the loop again, so it
// is a consumer, not a retry (it is refused for running handle, not as
// retrying on its own).
func (i *Index) Consume(ctx context.Context, path string, handle func(*http.Response) error) error { // want Consume:"waits" `^Index.Consume returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs handle`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, i.c.host+path, nil)
	if err != nil {
		return err
	}
	for {
		resp, err := i.c.hc.Do(req)
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusServiceUnavailable {
			resp.Body.Close()
			time.Sleep(time.Second)
			continue
		}
		if err := handle(resp); err != nil {
			return err
		}
	}
}

// Client is the entry point.
type Client struct{ c *client }

// GetIndex fetches an index's description through FetchInfo: it nests
// do's retry too.
func (m *Client) GetIndex(ctx context.Context, uid string) (*IndexResult, error) { // want GetIndex:"waits" GetIndex:"nests" `^Client.GetIndex returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls Index.FetchInfo, which already retries part of its work \(through search.client.do\)`
	return newIndex(m.c, uid).FetchInfo(ctx)
}
