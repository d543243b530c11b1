// Package dynamodb stands in for aws-sdk-go-v2's service/dynamodb: every
// operation of its Client runs the SDK's retry middleware (4 attempts by
// default for DynamoDB), which config.DefaultRetryingTypes names.
package dynamodb

import "context"

// AttributeValue stands in for types.AttributeValue.
type AttributeValue interface{ isAttributeValue() }

// Client is the service client.
type Client struct {
	send func(ctx context.Context, op string) error
}

// GetItemInput and GetItemOutput are an operation's input and output.
type GetItemInput struct{ Key map[string]AttributeValue }

type GetItemOutput struct{ Item map[string]AttributeValue }

// GetItem is an operation.
func (c *Client) GetItem(ctx context.Context, params *GetItemInput) (*GetItemOutput, error) {
	if err := c.send(ctx, "GetItem"); err != nil {
		return nil, err
	}
	return &GetItemOutput{}, nil
}

// PutItemInput and PutItemOutput are an operation's input and output.
type PutItemInput struct {
	Item                map[string]AttributeValue
	ConditionExpression *string
}

type PutItemOutput struct{}

// PutItem is an operation.
func (c *Client) PutItem(ctx context.Context, params *PutItemInput) (*PutItemOutput, error) {
	if err := c.send(ctx, "PutItem"); err != nil {
		return nil, err
	}
	return &PutItemOutput{}, nil
}

// QueryInput and QueryOutput are an operation's input and output.
type QueryInput struct{ ExclusiveStartKey map[string]AttributeValue }

type QueryOutput struct {
	Items            []map[string]AttributeValue
	LastEvaluatedKey map[string]AttributeValue
}

// QueryAPIClient is what a QueryPaginator pages through.
type QueryAPIClient interface {
	Query(ctx context.Context, params *QueryInput) (*QueryOutput, error)
}

// Query is an operation.
func (c *Client) Query(ctx context.Context, params *QueryInput) (*QueryOutput, error) {
	if err := c.send(ctx, "Query"); err != nil {
		return nil, err
	}
	return &QueryOutput{}, nil
}

// QueryPaginator pages through a Query: each NextPage is one Query, with
// the SDK's retry, from the key the last page ended at.
type QueryPaginator struct {
	client    QueryAPIClient
	params    *QueryInput
	nextToken map[string]AttributeValue
	firstPage bool
}

// NewQueryPaginator returns a paginator of params' pages.
func NewQueryPaginator(client QueryAPIClient, params *QueryInput) *QueryPaginator {
	return &QueryPaginator{client: client, params: params, firstPage: true}
}

// HasMorePages reports whether a page is left.
func (p *QueryPaginator) HasMorePages() bool { return p.firstPage || len(p.nextToken) != 0 }

// NextPage reads the next page.
func (p *QueryPaginator) NextPage(ctx context.Context) (*QueryOutput, error) {
	params := *p.params
	params.ExclusiveStartKey = p.nextToken
	out, err := p.client.Query(ctx, &params)
	if err != nil {
		return nil, err
	}
	p.firstPage = false
	p.nextToken = out.LastEvaluatedKey
	return out, nil
}
