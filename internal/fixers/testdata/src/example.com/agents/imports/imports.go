// Package imports holds import collisions.
package imports

import (
	"context"
	"os"
)

// recovery is a package-level name that the import must not hide.
var recovery = "policy"

// Agent is an agent.
type Agent struct{}

// Param has a parameter named context.
func (a *Agent) Param(context context.Context, name string) error { // want Param:"unrouted" `Agent.Param returns an error but is not routed`
	return os.Remove(name + recovery)
}

// Local has a local named like the import.
func (a *Agent) Local(ctx context.Context, name string) (string, error) { // want Local:"unrouted" `Agent.Local returns an error but is not routed`
	recovery := recovery + name
	return recovery, os.Remove(recovery)
}
