// Package recursed retries by recursion, as discordgo's
// Session.RequestWithLockedBucket does: on a 502 it calls itself again
// with the attempt counter raised, bounded by a maximum, and on a 429
// after sleeping. That is a retry loop written as a recursion: routed by
// its own retry, as the loop would be, and so are its callers that only
// delegate to it; a caller with work after it would nest it. A recursion
// that does other work at each level (a walk over a tree) is no retry.
package recursed

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"time"
)

type Session struct {
	hc  *http.Client
	Max int
}

// Request retries itself: a 502 again with sequence+1 (bounded by Max), a
// 429 again after a sleep: routed by that retry.
func (s *Session) Request(method, url string, b []byte, sequence int) ([]byte, error) { // want Request:"waits" Request:"routed by its own retry at recursed.go:46"
	req, err := http.NewRequest(method, url, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return body, nil
	case http.StatusTooManyRequests:
		time.Sleep(time.Millisecond)
		return s.Request(method, url, b, sequence)
	case http.StatusBadGateway:
		if sequence < s.Max {
			return s.Request(method, url, b, sequence+1)
		}
		return nil, errors.New("exceeded max retries")
	}
	return nil, errors.New(resp.Status)
}

// User decodes what Request returns (json.Unmarshal of bytes in hand:
// validation): routed by delegation.
func (s *Session) User(id string) (map[string]any, error) { // want User:"waits" User:"routed by its own retry at recursed.go:46"
	body, err := s.Request(http.MethodGet, "http://example.com/users/"+id, nil, 0)
	if err != nil {
		return nil, err
	}
	var u map[string]any
	if err := json.Unmarshal(body, &u); err != nil {
		return nil, err
	}
	return u, nil
}

// get is an unexported helper that retries by recursion, bounded by its
// attempt counter: routed.
func (s *Session) get(url string, attempt int) (*http.Response, error) { // want get:"routed by its own retry at recursed.go:75"
	resp, err := s.hc.Get(url)
	if err != nil && attempt < 3 {
		return s.get(url, attempt+1)
	}
	return resp, err
}

// Status sends through the helper, then closes the body outside its
// retry: wrapping it would nest get's retry.
func (s *Session) Status(url string) (int, error) { // want Status:"nests" `-fix cannot rewrite it: it mixes work inside a retry \(the call to routed Session.get at recursed.go:83\) with work outside it`
	resp, err := s.get(url, 0)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, resp.Body.Close()
}

// Walk recurses into the entries of a directory: each level reads another
// path, so it is no retry.
func (s *Session) Walk(path string, depth int) error { // want `Session.Walk returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls itself \(recursion\)`
	entries, err := os.ReadDir(path)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() && depth < 3 {
			if err := s.Walk(path+"/"+e.Name(), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// Pages fetches page after page by recursion, bounded by the last page:
// each call reads another page, not on a failure path, so it is no retry.
func (s *Session) Pages(url string, page, last int) error { // want `Session.Pages returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls itself \(recursion\)`
	resp, err := s.hc.Get(url + "?page=" + string(rune('0'+page)))
	if err != nil {
		return err
	}
	if err := resp.Body.Close(); err != nil {
		return err
	}
	if page < last {
		return s.Pages(url, page+1, last)
	}
	return nil
}

// Follow follows a redirect by recursion (go-github's
// roundTripWithOptionalFollowRedirect): it sets url to the Location first,
// so the call asks for another resource. No retry.
func (s *Session) Follow(url string, maxRedirects int) (*http.Response, error) { // want `Session.Follow returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls itself \(recursion\)`
	resp, err := s.hc.Get(url)
	if err != nil {
		return nil, err
	}
	if maxRedirects > 0 && resp.StatusCode == http.StatusMovedPermanently {
		_ = resp.Body.Close()
		url = resp.Header.Get("Location")
		resp, err = s.Follow(url, maxRedirects-1)
	}
	return resp, err
}

// retryRec is a retry helper written as a recursion, as in-house helpers
// are: every failure of f is tried again while n allows, after a pause.
func retryRec(n int, f func() error) error { // want retryRec:"waits" retryRec:"routed by its own retry at recursed.go:145"
	err := f()
	if err != nil && n > 1 {
		time.Sleep(time.Millisecond)
		return retryRec(n-1, f)
	}
	return err
}

// Remove hands its work to the helper: routed by it, no finding.
func (s *Session) Remove(path string) error { // want Remove:"waits" Remove:"routed by its own retry at recursed.go:145"
	return retryRec(3, func() error { return os.Remove(path) })
}
