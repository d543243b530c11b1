// Package pubsubuser is an agent built on a generated Google API client
// (cloud.google.com/go/pubsub/v2/apiv1's shape), whose methods retry
// through gax.Invoke with their per-method settings.
package pubsubuser

import (
	"context"
	"errors"

	pubsub "cloud.google.com/go/pubsub/v2/apiv1"
	"google.golang.org/api/iterator"
)

// Admin manages the topics of one project.
type Admin struct {
	c       *pubsub.TopicAdminClient
	project string
}

// Create creates a topic: the client retries it through gax.Invoke, so
// no retry of its own.
func (a *Admin) Create(ctx context.Context, id string) error { // want Create:"nests" `it calls pubsub.TopicAdminClient.CreateTopic, which already retries part of its work`
	_, err := a.c.CreateTopic(ctx, &pubsub.Topic{Name: "projects/" + a.project + "/topics/" + id})
	return err
}

// List walks the topics, whose page requests the client retries.
func (a *Admin) List(ctx context.Context) ([]string, error) { // want List:"nests" `it calls pubsub.TopicIterator.Next, which already retries part of its work`
	it := a.c.ListTopics(ctx, "projects/"+a.project)
	var names []string
	for {
		t, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return names, nil
		}
		if err != nil {
			return nil, err
		}
		names = append(names, t.Name)
	}
}
