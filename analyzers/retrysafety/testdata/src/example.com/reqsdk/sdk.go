package reqsdk // want package:"last values example.com/reqsdk.Options.Type"

// reqsdk exercises the request rule: an SDK whose helpers take
// the HTTP method as a parameter (NewRequest, send), as go-github's,
// godo's and go-jira's do. A POST or PATCH that succeeded, followed by
// another call that can fail, is sent again by a retry; the calls
// handling the request's own outcome are part of it.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
)

type Client struct {
	base string
	hc   *http.Client
}

type Issue struct {
	Number int
	Title  string
}

// NewRequest builds a request; its method is a parameter.
func (c *Client) NewRequest(ctx context.Context, method, path string, body any) (*http.Request, error) { // want NewRequest:"HTTP method param 1"
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			return nil, err
		}
	}
	return http.NewRequestWithContext(ctx, method, c.base+path, &buf)
}

// do sends req and decodes the answer into v.
func (c *Client) do(req *http.Request, v any) error {
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if v == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// send builds and sends a request through NewRequest: its method is a
// parameter too.
func (c *Client) send(ctx context.Context, method, path string, body, v any) error { // want send:"HTTP method param 1"
	req, err := c.NewRequest(ctx, method, path, body)
	if err != nil {
		return err
	}
	return c.do(req, v)
}

// CreateIssue sends one POST, then its answer's decoding: safe.
func (c *Client) CreateIssue(ctx context.Context, title string) (*Issue, error) { // want CreateIssue:"sends a request"
	req, err := c.NewRequest(ctx, http.MethodPost, "/issues", &Issue{Title: title})
	if err != nil {
		return nil, err
	}
	is := new(Issue)
	if err := c.do(req, is); err != nil {
		return nil, err
	}
	return is, nil
}

// AddLabels sends one POST through send: safe.
func (c *Client) AddLabels(ctx context.Context, n int, labels []string) error { // want AddLabels:"sends a request"
	return c.send(ctx, "POST", "/issues/"+strconv.Itoa(n)+"/labels", labels, nil)
}

// GetIssue reads.
func (c *Client) GetIssue(ctx context.Context, n int) (*Issue, error) {
	is := new(Issue)
	err := c.send(ctx, http.MethodGet, "/issues/"+strconv.Itoa(n), nil, is)
	return is, err
}

// Replace sends a PUT, which a retry may repeat.
func (c *Client) Replace(ctx context.Context, is *Issue) error {
	return c.send(ctx, http.MethodPut, "/issues/"+strconv.Itoa(is.Number), is, nil)
}

// CreateAndLabel creates, then labels: a failed label request would
// make a retry create a second issue.
func (c *Client) CreateAndLabel(ctx context.Context, title string, labels []string) error { // want CreateAndLabel:"sends a request early"
	is, err := c.CreateIssue(ctx, title)
	if err != nil {
		return err
	}
	return c.AddLabels(ctx, is.Number, labels)
}

// GetThenCreate reads, then creates: the POST is the last call.
func (c *Client) GetThenCreate(ctx context.Context, n int) (*Issue, error) { // want GetThenCreate:"sends a request"
	old, err := c.GetIssue(ctx, n)
	if err != nil {
		return nil, err
	}
	return c.CreateIssue(ctx, old.Title)
}

// ReplaceThenGet sends a PUT, then reads: a PUT is no such request.
func (c *Client) ReplaceThenGet(ctx context.Context, is *Issue) (*Issue, error) {
	if err := c.Replace(ctx, is); err != nil {
		return nil, err
	}
	return c.GetIssue(ctx, is.Number)
}

// LabelEach sends a POST per label: a retry sends the first ones again.
func (c *Client) LabelEach(ctx context.Context, n int, labels []string) error { // want LabelEach:"sends a request early"
	for _, l := range labels {
		if err := c.AddLabels(ctx, n, []string{l}); err != nil {
			return err
		}
	}
	return nil
}

// PostThenPatch makes two requests in one body with net/http itself:
// the POST's own reading and decoding are part of it, the PATCH's
// request is another call.
func (c *Client) PostThenPatch(ctx context.Context) error { // want PostThenPatch:"sends a request early"
	resp, err := c.hc.Post(c.base+"/jobs", "application/json", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var is Issue
	if err := json.Unmarshal(data, &is); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, "patch", c.base+"/jobs/"+strconv.Itoa(is.Number), nil)
	if err != nil {
		return err
	}
	resp2, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	return resp2.Body.Close()
}

// postRaw sends a POST and returns its response to the caller.
func (c *Client) postRaw(ctx context.Context, path string) (*http.Response, error) { // want postRaw:"sends a request"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req)
}

// decode reads resp's body into v.
func decode(resp *http.Response, v any) error { // want decode:"writes param 0 \\(stream\\); early"
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

// Start decodes the response postRaw returns: part of the request.
func (c *Client) Start(ctx context.Context) (*Issue, error) { // want Start:"sends a request"
	resp, err := c.postRaw(ctx, "/start")
	if err != nil {
		return nil, err
	}
	var is Issue
	if err := decode(resp, &is); err != nil {
		return nil, err
	}
	return &is, nil
}

// NewPostRequest only builds a POST for its caller to send.
func (c *Client) NewPostRequest(ctx context.Context) (*http.Request, error) {
	return c.NewRequest(ctx, http.MethodPost, "/issues", nil)
}

// Options are a caller's options of CreateTyped.
type Options struct {
	Type  string
	Title string
}

// CreateTyped sets the caller's o.Type, a last value, then sends a POST
// (of a map holding o, as pagerduty's CreateIncidentWithContext does).
func (c *Client) CreateTyped(ctx context.Context, o *Options) (*Issue, error) { // want CreateTyped:"writes param 1; early; sends a request; last values of param 1: example.com/reqsdk.Options.Type"
	o.Type = "issue"
	d := map[string]*Options{"issue": o}
	req, err := c.NewRequest(ctx, http.MethodPost, "/issues", d)
	if err != nil {
		return nil, err
	}
	is := new(Issue)
	err = c.do(req, is)
	return is, err
}

// AcceptedError is an answer accepted but not done yet, with its body
// (as go-github's).
type AcceptedError struct{ Raw []byte }

func (*AcceptedError) Error() string { return "accepted" }

func (is *Issue) validate() error {
	if is.Title == "" {
		return &AcceptedError{}
	}
	return nil
}

// Review builds a POST, checks its input, then sends the request, whose
// accepted answer's body it decodes (go-github's CreateReview and
// CreateFork): the check comes before the request, and the decoding is
// part of it.
func (c *Client) Review(ctx context.Context, is *Issue) (*Issue, error) { // want Review:"sends a request"
	req, err := c.NewRequest(ctx, http.MethodPost, "/reviews", is)
	if err != nil {
		return nil, err
	}
	if err := is.validate(); err != nil {
		return nil, err
	}
	out := new(Issue)
	if err := c.do(req, out); err != nil {
		if aerr, ok := err.(*AcceptedError); ok {
			if err := json.Unmarshal(aerr.Raw, out); err != nil {
				return nil, err
			}
			return out, nil
		}
		return nil, err
	}
	return out, nil
}

// Upload sends a POST whose accepted answer comes back as an error, read
// with errors.As (go-github's UploadSarif): the decoding is part of it.
func (c *Client) Upload(ctx context.Context) (*Issue, error) { // want Upload:"sends a request"
	req, err := c.NewRequest(ctx, http.MethodPost, "/sarifs", nil)
	if err != nil {
		return nil, err
	}
	err = c.do(req, nil)
	var aerr *AcceptedError
	if !errors.As(err, &aerr) {
		return nil, err
	}
	out := new(Issue)
	if err := json.Unmarshal(aerr.Raw, out); err != nil {
		return nil, err
	}
	return out, nil
}

var errUnauthorized = errors.New("unauthorized")

// Pull sends a POST, and again with other credentials when the server
// refused the first (moby's ImagePull): the second is sent only when the
// first failed.
func (c *Client) Pull(ctx context.Context, auth string) error { // want Pull:"sends a request"
	err := c.send(ctx, http.MethodPost, "/pull?auth="+auth, nil, nil)
	if errors.Is(err, errUnauthorized) {
		err = c.send(ctx, http.MethodPost, "/pull?auth=fresh", nil, nil)
	}
	return err
}

// PullThenTag sends a POST, then another request when the first
// succeeded: the second is after the first.
func (c *Client) PullThenTag(ctx context.Context) error { // want PullThenTag:"sends a request early"
	err := c.send(ctx, http.MethodPost, "/pull", nil, nil)
	if err == nil {
		err = c.send(ctx, http.MethodPost, "/tag", nil, nil)
	}
	return err
}

// BuildResult holds the body of a build's answer (as moby's
// ImageBuildResult).
type BuildResult struct {
	Body io.ReadCloser
}

// build sends a POST and returns its answer's body.
func (c *Client) build(ctx context.Context) (BuildResult, error) { // want build:"sends a request"
	resp, err := c.postRaw(ctx, "/build")
	if err != nil {
		return BuildResult{}, err
	}
	return BuildResult{Body: resp.Body}, nil
}

// Build reads the answer build returns: part of the request.
func (c *Client) Build(ctx context.Context) (string, error) { // want Build:"sends a request"
	res, err := c.build(ctx)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return string(out), err
}
