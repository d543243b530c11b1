// Package sqs stands in for aws-sdk-go-v2's service/sqs: every operation
// of its Client runs the SDK's retry middleware (retry.Attempt, 3
// attempts by default) through smithy-go's middleware stack, which the
// analysis cannot follow: config.DefaultRetryingTypes names the clients.
package sqs

import "context"

// Client is the service client.
type Client struct {
	send func(ctx context.Context, op string) error
}

// SendMessageInput and SendMessageOutput are an operation's input and
// output.
type SendMessageInput struct{ QueueUrl, MessageBody *string }

type SendMessageOutput struct{ MessageId *string }

// SendMessage is an operation.
func (c *Client) SendMessage(ctx context.Context, params *SendMessageInput) (*SendMessageOutput, error) {
	if err := c.send(ctx, "SendMessage"); err != nil {
		return nil, err
	}
	return &SendMessageOutput{}, nil
}

// PresignClient builds presigned requests; it sends nothing and is no
// default retrying type.
type PresignClient struct{}

// PresignSendMessage signs a request.
func (p *PresignClient) PresignSendMessage(ctx context.Context, params *SendMessageInput) (string, error) {
	if params == nil {
		return "", context.Canceled
	}
	return "https://example.com", nil
}
