// Package graphql is a stand-in for genqlient's runtime package.
package graphql

import "context"

type Request struct {
	OpName    string
	Query     string
	Variables any
}

type Response struct {
	Data   any
	Errors []error
}

// Client sends a request and decodes its answer into resp.
type Client interface {
	MakeRequest(ctx context.Context, req *Request, resp *Response) error
}
