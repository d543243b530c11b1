// Package redisuser is an agent built on a client like go-redis (package
// hooked): it reads a command's error from the command the client
// returns (rdb.Get(ctx, key).Err()), which carries the error of the
// client's own retry.
package redisuser

import (
	"context"

	"example.com/hooked"
)

// Cache keeps its entries in the client.
type Cache struct {
	rdb *hooked.Client
}

// Lookup reads the error of Get, whose receiver call runs Client.Process:
// a wrapper would nest the client's retry. No fix.
func (c *Cache) Lookup(ctx context.Context, key string) error { // want Lookup:"nests" `^Cache.Lookup returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls hooked.cmdable.Get \(whose result it asks for its error: hooked.StatusCmd.Err\), which already retries part of its work`
	return c.rdb.Get(ctx, key).Err()
}
