package policy

import "context"

// Clash has a parameter named platform: the import is aliased.
type Clash struct{}

// Get fetches key on a platform.
func (Clash) Get(ctx context.Context, platform string) (string, error) { // want Get:"unrouted" `Clash.Get returns an error but is not routed`
	return fetch(ctx, platform)
}
