package policy

import "context"

// Fresh is in a file that does not import platform: -fix adds it.
type Fresh struct{}

// Get fetches key.
func (Fresh) Get(ctx context.Context, key string) (string, error) { // want Get:"unrouted" `Fresh.Get returns an error but is not routed`
	return fetch(ctx, key)
}
