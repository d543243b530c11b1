// Package topics is a hand-written wrapper of a Pub/Sub client, as a
// service would have one.
package topics

import (
	"context"
	"errors"

	"cloud.google.com/go/pubsub/v2"
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"google.golang.org/api/iterator"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Admin manages and publishes to the topics of one project.
type Admin struct {
	Client  *pubsub.Client
	Project string
}

func (a *Admin) name(id string) string { return "projects/" + a.Project + "/topics/" + id }

// Create creates the topic id.
func (a *Admin) Create(ctx context.Context, id string) error {
	_, err := a.Client.TopicAdminClient.CreateTopic(ctx, &pubsubpb.Topic{Name: a.name(id)})
	return err
}

// Exists reports whether the topic id exists.
func (a *Admin) Exists(ctx context.Context, id string) (bool, error) {
	_, err := a.Client.TopicAdminClient.GetTopic(ctx, &pubsubpb.GetTopicRequest{Topic: a.name(id)})
	if status.Code(err) == codes.NotFound {
		return false, nil
	}
	return err == nil, err
}

// Delete deletes the topic id.
func (a *Admin) Delete(ctx context.Context, id string) error {
	return a.Client.TopicAdminClient.DeleteTopic(ctx, &pubsubpb.DeleteTopicRequest{Topic: a.name(id)})
}

// List returns the names of the project's topics.
func (a *Admin) List(ctx context.Context) ([]string, error) {
	it := a.Client.TopicAdminClient.ListTopics(ctx, &pubsubpb.ListTopicsRequest{Project: "projects/" + a.Project})
	var names []string
	for {
		t, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return names, nil
		}
		if err != nil {
			return nil, err
		}
		names = append(names, t.GetName())
	}
}

// Send publishes data to the topic id and returns the message id.
func (a *Admin) Send(ctx context.Context, id string, data []byte) (string, error) {
	p := a.Client.Publisher(id)
	defer p.Stop()
	return p.Publish(ctx, &pubsub.Message{Data: data}).Get(ctx)
}
