// Package awsuser is an agent built on an aws-sdk-go-v2 service client,
// whose operations retry by construction: a retry around a method that
// only calls them would nest the SDK's.
package awsuser

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// Queue sends messages through SQS.
type Queue struct {
	sqs     *sqs.Client
	presign *sqs.PresignClient
	url     string
}

// Send only calls the SDK: routed by the SDK's own retry, no fix.
func (q *Queue) Send(ctx context.Context, body string) error { // want Send:`^routed by sqs.Client.SendMessage, which retries by construction \(the default retrying type github.com/aws/aws-sdk-go-v2/service/\*.Client selects sqs.Client\)$`
	if body == "" {
		return errors.New("empty body")
	}
	_, err := q.sqs.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: &q.url, MessageBody: &body})
	return err
}

// Link calls the presign client, which is not a retrying type (and fails
// only on its input: a validator).
func (q *Queue) Link(ctx context.Context, body string) (string, error) { // want Link:"validator"
	return q.presign.PresignSendMessage(ctx, &sqs.SendMessageInput{QueueUrl: &q.url, MessageBody: &body})
}
