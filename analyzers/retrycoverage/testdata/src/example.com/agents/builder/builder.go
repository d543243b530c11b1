// Package builder is an API client whose requests are built by a method
// of their own (go-github's Client.NewRequest): the URL is parsed and the
// body encoded into memory, which fails only on the arguments, so the
// builder is validation and the methods that build a request and send it
// get a fix of their own.
package builder

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-multierror"
	"go.uber.org/multierr"
)

type Client struct {
	hc      *http.Client
	BaseURL *url.URL
	out     io.Writer
}

// NewRequest parses the URL and encodes the body into a buffer made here:
// nothing in it can fail but on its arguments.
func (c *Client) NewRequest(method, urlStr string, body any) (*http.Request, error) { // want NewRequest:"validator"
	u, err := c.BaseURL.Parse(urlStr)
	if err != nil {
		return nil, err
	}
	var buf io.ReadWriter
	if body != nil {
		buf = &bytes.Buffer{}
		enc := json.NewEncoder(buf)
		if err := enc.Encode(body); err != nil {
			return nil, err
		}
	}
	return http.NewRequest(method, u.String(), buf)
}

// Marshalled encodes with json.Marshal and xml into a builder.
func (c *Client) Marshalled(v any) (string, error) { // want Marshalled:"validator"
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	if err := xml.NewEncoder(&sb).Encode(v); err != nil {
		return "", err
	}
	return string(b) + sb.String(), nil
}

// Lease parses its arguments and keeps them: nothing it calls can fail
// but on its arguments, so a second try would get the same error.
func (c *Client) Lease(ttl, port, addr string) (*Lease, error) { // want Lease:"validator"
	d, err := time.ParseDuration(ttl)
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		return nil, err
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(`^[a-z]+$`)
	if err != nil {
		return nil, err
	}
	return &Lease{TTL: d, Port: n, Addr: ip, Name: re}, nil
}

// Event decodes a webhook's payload in hand (stripe's ParseThinEvent):
// nothing it calls fails but on the payload.
func (c *Client) Event(payload []byte, stamp string) (*Lease, error) { // want Event:"validator"
	if _, err := strconv.ParseInt(stamp, 10, 64); err != nil {
		return nil, err
	}
	var l Lease
	if err := json.Unmarshal(payload, &l); err != nil {
		return nil, err
	}
	if err := xml.Unmarshal(payload, &l); err != nil {
		return nil, err
	}
	return &l, nil
}

// Leases parses many leases and reports every bad one at once, with the
// error aggregators of go-multierror and multierr: they build an error
// from the errors they are given, like errors.Join.
func (c *Client) Leases(ttls []string) error { // want Leases:"validator"
	var merr *multierror.Error
	var all error
	for _, ttl := range ttls {
		if _, err := time.ParseDuration(ttl); err != nil {
			merr = multierror.Append(merr, err)
			all = multierr.Append(all, err)
		}
	}
	if err := multierr.Combine(all, merr.ErrorOrNil()); err != nil {
		return err
	}
	return merr.ErrorOrNil()
}

// Lease is what Client.Lease returns.
type Lease struct {
	TTL  time.Duration
	Port int
	Addr netip.Addr
	Name *regexp.Regexp
}

// Renew parses the lease's duration, then sends: only the send is work,
// and the parse stays a guard outside the retry.
func (c *Client) Renew(ctx context.Context, ttl string) (*http.Response, error) { // want Renew:"unrouted" `^Client.Renew returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	d, err := time.ParseDuration(ttl)
	if err != nil {
		return nil, err
	}
	req, err := c.NewRequest("PUT", "/lease?ttl="+d.String(), nil)
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req.WithContext(ctx))
}

// Zone loads a time zone: it reads the zone database, work that can fail.
func (c *Client) Zone(name string) (*time.Location, error) { // want Zone:"unrouted" `^Client.Zone returns an error but is not routed through runtime/recovery`
	return time.LoadLocation(name)
}

// Get builds a request, then sends it: the send is the work to retry.
func (c *Client) Get(ctx context.Context, path string) (*http.Response, error) { // want Get:"unrouted" `^Client.Get returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	req, err := c.NewRequest("GET", path, nil)
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req.WithContext(ctx))
}

// Stream encodes to the client's writer: work that can fail.
func (c *Client) Stream(v any) error { // want `^Client.Stream returns an error but is not routed through runtime/recovery`
	return json.NewEncoder(c.out).Encode(v)
}

// Either encodes to a buffer or to the caller's writer: work that can fail.
func (c *Client) Either(w io.Writer, v any) error { // want `^Client.Either returns an error but is not routed through runtime/recovery`
	var dst io.Writer = &bytes.Buffer{}
	if w != nil {
		dst = w
	}
	return json.NewEncoder(dst).Encode(v)
}
