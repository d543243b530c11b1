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
