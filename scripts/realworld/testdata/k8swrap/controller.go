package configs

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/client-go/util/workqueue"
)

// MaxRequeues is how many times the controller requeues a failing key.
const MaxRequeues = 5

// Controller marks ConfigMaps synced from a queue of their names, the
// way client-go's sample controller works its queue.
type Controller struct {
	Queue workqueue.TypedRateLimitingInterface[string]
	Store *ConfigStore
}

// runWorker works the queue until it shuts down.
func (c *Controller) runWorker(ctx context.Context) {
	for c.processNextWorkItem(ctx) {
	}
}

// processNextWorkItem syncs the next name of the queue: a failure puts it
// back, rate-limited, until it failed MaxRequeues times.
func (c *Controller) processNextWorkItem(ctx context.Context) bool {
	name, quit := c.Queue.Get()
	if quit {
		return false
	}
	defer c.Queue.Done(name)
	err := c.syncHandler(ctx, name)
	if err == nil {
		c.Queue.Forget(name)
		return true
	}
	if c.Queue.NumRequeues(name) < MaxRequeues {
		c.Queue.AddRateLimited(name)
		return true
	}
	c.Queue.Forget(name)
	utilruntime.HandleErrorWithContext(ctx, err, "dropping ConfigMap out of the queue", "name", name)
	return true
}

// syncHandler sets the synced key of the ConfigMap name.
func (c *Controller) syncHandler(ctx context.Context, name string) error {
	cm, err := c.Store.Get(ctx, name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get %s: %w", name, err)
	}
	if cm.Data[SyncedKey] == "true" {
		return nil
	}
	if cm.Data == nil {
		cm.Data = map[string]string{}
	}
	cm.Data[SyncedKey] = "true"
	if _, err := c.Store.Update(ctx, cm); err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	return nil
}
