// Package queue is a hand-written wrapper of an SQS client, as a service
// would have one.
package queue

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// Queue sends to and receives from one SQS queue.
type Queue struct {
	Client *sqs.Client
	URL    string
}

// Send sends body and returns the message id.
func (q *Queue) Send(ctx context.Context, body string) (string, error) {
	out, err := q.Client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q.URL), MessageBody: aws.String(body)})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.MessageId), nil
}

// Receive returns the bodies of the messages waiting.
func (q *Queue) Receive(ctx context.Context) ([]string, error) {
	out, err := q.Client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(q.URL)})
	if err != nil {
		return nil, err
	}
	var bodies []string
	for _, m := range out.Messages {
		bodies = append(bodies, aws.ToString(m.Body))
	}
	return bodies, nil
}
