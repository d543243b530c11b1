// Package glclient is reduced from gitlab's client-go: its services send
// through Client.Do, which decodes around a go-retryablehttp call (it
// retries part of its work), and some send through an interface of the
// client (GraphQLInterface) that *GraphQL, no agent, implements by
// calling Client.Do. Only agent methods were looked for among the
// implementations of an interface of the package: TerraformService.List
// got a fix that nested go-retryablehttp's retries.
package glclient

import (
	"encoding/json"
	"io"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// Client sends every request.
type Client struct {
	http    *retryablehttp.Client
	GraphQL GraphQLInterface
}

// Do sends req with retries and decodes the body into v: work outside
// the retry.
func (c *Client) Do(req *retryablehttp.Request, v any) error { // want Do:"nests"
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// GraphQLInterface is how services reach the GraphQL endpoint.
type GraphQLInterface interface {
	Do(query string, v any) error
}

// GraphQL is no agent: it is reached through GraphQLInterface.
type GraphQL struct{ client *Client }

// Do sends a query through Client.Do.
func (g *GraphQL) Do(query string, v any) error { // want Do:"nests"
	req, err := retryablehttp.NewRequest("POST", "/api/graphql", query)
	if err != nil {
		return err
	}
	return g.client.Do(req, v)
}

// Plain is no agent and retries nothing.
type Plain struct{}

// Fetch reads nothing it could retry.
func (Plain) Fetch(path string) error { return json.Unmarshal([]byte(path), new(any)) }

// Fetcher is implemented by Plain only.
type Fetcher interface {
	Fetch(path string) error
}

// TerraformService is an agent.
//
//resilience:agent
type TerraformService struct {
	client *Client
	f      Fetcher
}

// List calls GraphQLInterface.Do, which *GraphQL implements by sending
// through go-retryablehttp: wrapping it would nest that retry.
func (s *TerraformService) List(path string) ([]string, error) { // want List:"nests" `^TerraformService.List returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls GraphQLInterface.Do \(an interface method GraphQL.Do implements\), which already retries part of its work`
	var out []string
	if err := s.client.GraphQL.Do("query { "+path+" }", &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Check calls Fetcher.Fetch, whose only implementation retries nothing:
// it gets the fix.
func (s *TerraformService) Check(path string) error { // want Check:"unrouted" `^TerraformService.Check returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return s.f.Fetch(path)
}
