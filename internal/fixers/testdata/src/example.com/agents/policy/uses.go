// Package policy holds agents fixed with a policy of another package,
// configured as example.com/platform.DefaultPolicy.
package policy

import (
	"context"

	"example.com/platform"
)

func fetch(ctx context.Context, key string) (string, error) {
	return key + platform.Region, ctx.Err()
}

// Imported is in a file that imports platform: the import is reused.
type Imported struct{}

// Get fetches key.
func (Imported) Get(ctx context.Context, key string) (string, error) { // want Get:"unrouted" `Imported.Get returns an error but is not routed`
	return fetch(ctx, key)
}
