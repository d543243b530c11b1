// Package nested has agent methods that call each other: -fix wraps the
// callee, not the method that only delegates to it, so that retries do
// not nest.
package nested

import (
	"context"
	"os"
)

// Cache is an agent.
type Cache struct{ dir string }

// Get does the work: it is wrapped.
func (c *Cache) Get(ctx context.Context, key string) ([]byte, error) { // want Get:"unrouted" `Cache.Get returns an error but is not routed`
	return os.ReadFile(c.dir + key)
}

// Stat only delegates to Get: it is left alone, and routed by delegation
// once Get is wrapped.
func (c *Cache) Stat(ctx context.Context, key string) (int, error) { // want Stat:"unrouted" `Cache.Stat returns an error but is not routed through runtime/recovery: it delegates to Cache.Get, which must be routed first`
	b, err := c.Get(ctx, key)
	return len(b), err
}

// Both does work of its own too: it is left alone, as wrapping it would
// nest the retry that -fix gives Get (retries never nest).
func (c *Cache) Both(ctx context.Context, key string) error { // want Both:"nests" `-fix cannot rewrite it: wrapping it would nest the retries that -fix gives Cache.Get`
	if _, err := c.Get(ctx, key); err != nil {
		return err
	}
	return os.Remove(c.dir + key)
}
