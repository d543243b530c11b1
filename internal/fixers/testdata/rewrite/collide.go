package shapes

import (
	"context"
	"os"
)

// recovery is a package-level name that the import must not hide.
var recovery = "policy"

// Agent is an agent.
type Agent struct{}

// Param has a parameter named context.
func (a *Agent) Param(context context.Context, name string) error {
	return os.Remove(name + recovery)
}

// Local has a local named like the import.
func (a *Agent) Local(ctx context.Context) (string, error) {
	recovery := recovery + "!"
	return recovery, nil
}
