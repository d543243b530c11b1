// Package workqueues has a client-go style controller as an agent: its
// worker puts a key whose sync failed back on a rate-limited workqueue,
// so a retry around the sync (or the agent methods it calls) would
// multiply the queue's attempts.
package workqueues

import (
	"context"
	"net/http"

	"k8s.io/client-go/util/workqueue"
)

// Store reads objects through an HTTP API.
type Store struct{ client *http.Client }

// Get is SyncHandler's work: the queue requeues the key it runs for.
func (s *Store) Get(ctx context.Context, name string) error { // want `^Store.Get returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs in each attempt of the rate-limited requeue of each item \(workqueue.TypedRateLimitingInterface.AddRateLimited\) at workqueues.go:\d+ in Controller.processNextWorkItem, through Controller.SyncHandler, and a retry around it would multiply that retry's attempts`
	return s.do(ctx, name)
}

// Put is called by Once only: nothing requeues it.
func (s *Store) Put(ctx context.Context, name string) error { // want Put:"unrouted" `^Store.Put returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return s.do(ctx, name)
}

func (s *Store) do(ctx context.Context, name string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://api/objects/"+name, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Controller syncs objects from a queue of their names.
type Controller struct {
	queue workqueue.TypedRateLimitingInterface[string]
	s     *Store
}

func (c *Controller) processNextWorkItem(ctx context.Context) bool {
	name, quit := c.queue.Get()
	if quit {
		return false
	}
	defer c.queue.Done(name)
	if err := c.SyncHandler(ctx, name); err != nil {
		if c.queue.NumRequeues(name) < 5 {
			c.queue.AddRateLimited(name)
			return true
		}
	}
	c.queue.Forget(name)
	return true
}

// SyncHandler syncs one object: the worker requeues its name when it
// fails.
func (c *Controller) SyncHandler(ctx context.Context, name string) error { // want `^Controller.SyncHandler returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs in each attempt of the rate-limited requeue of each item \(workqueue.TypedRateLimitingInterface.AddRateLimited\) at workqueues.go:\d+ in Controller.processNextWorkItem, and a retry around it`
	return c.s.Get(ctx, name)
}

// Once syncs one object outside the queue: nothing requeues it.
func (c *Controller) Once(ctx context.Context, name string) error { // want Once:"unrouted" `^Controller.Once returns an error but is not routed through runtime/recovery: it delegates to Store.Put, which must be routed first`
	return c.s.Put(ctx, name)
}
