// Package gqlsender is a GraphQL client library: its senders post
// whatever document their caller gives them, so whether a call sends a
// mutation is the caller's to tell (the Documents of the Writes fact).
package gqlsender

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
)

// Request is GraphQL-over-HTTP's request body, as genqlient's is.
type Request struct {
	Query     string `json:"query"`
	Variables any    `json:"variables,omitempty"`
	OpName    string `json:"operationName"`
}

type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

type client struct {
	httpClient Doer
	endpoint   string
}

// MakeRequest sends the document of req (genqlient's shape).
func (c *client) MakeRequest(ctx context.Context, req *Request, resp any) error { // want MakeRequest:"sends the GraphQL document of param 1"
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	httpResp, err := c.httpClient.Do(httpReq)
	if err != nil {
		return err
	}
	defer httpResp.Body.Close()
	return json.NewDecoder(httpResp.Body).Decode(resp)
}

// Product sends a query through MakeRequest: no mutation.
func (c *client) Product(ctx context.Context, id string) error { // want Product:"sends a request"
	req := &Request{Query: `query Product($id: ID!) { product(id: $id) { id } }`, Variables: map[string]any{"id": id}}
	return c.MakeRequest(ctx, req, nil)
}

// Forward sends its caller's document: its callers judge it.
func (c *client) Forward(ctx context.Context, doc string, vars map[string]any) error { // want Forward:"sends the GraphQL document of param 1"
	req := &Request{Query: doc, Variables: vars}
	return c.MakeRequest(ctx, req, nil)
}

// Logged sends a query, its variables the caller's: no mutation.
func (c *client) Logged(ctx context.Context, vars map[string]any) error { // want Logged:"sends a request"
	return c.MakeRequest(ctx, &Request{Query: `query { me { id } }`, Variables: vars}, nil)
}

// MBRequest keeps its document unexported, as machinebox/graphql's does.
type MBRequest struct {
	q    string
	vars map[string]any
}

func NewMBRequest(q string) *MBRequest { return &MBRequest{q: q} }

type MBClient struct {
	httpClient *http.Client
	endpoint   string
	multipart  bool
}

// Run picks a body encoding, as machinebox/graphql's Run does.
func (c *MBClient) Run(ctx context.Context, req *MBRequest, resp any) error { // want Run:"sends the GraphQL document of param 1"
	if c.multipart {
		return c.runWithPostFields(ctx, req, resp)
	}
	return c.runWithJSON(ctx, req, resp)
}

func (c *MBClient) runWithJSON(ctx context.Context, req *MBRequest, resp any) error { // want runWithJSON:"sends the GraphQL document of param 1"
	var body bytes.Buffer
	obj := struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}{Query: req.q, Variables: req.vars}
	if err := json.NewEncoder(&body).Encode(obj); err != nil {
		return err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, &body)
	if err != nil {
		return err
	}
	res, err := c.httpClient.Do(r)
	if err != nil {
		return err
	}
	return res.Body.Close()
}

func (c *MBClient) runWithPostFields(ctx context.Context, req *MBRequest, resp any) error { // want runWithPostFields:"sends the GraphQL document of param 1"
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if err := w.WriteField("query", req.q); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, &body)
	if err != nil {
		return err
	}
	res, err := c.httpClient.Do(r)
	if err != nil {
		return err
	}
	return res.Body.Close()
}

// Search is a REST call whose body has a "query" but no "variables": no
// GraphQL document.
func (c *MBClient) Search(ctx context.Context, text string) error { // want Search:"sends a request"
	body, err := json.Marshal(struct {
		Query string `json:"query"`
	}{Query: text})
	if err != nil {
		return err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	res, err := c.httpClient.Do(r)
	if err != nil {
		return err
	}
	return res.Body.Close()
}
