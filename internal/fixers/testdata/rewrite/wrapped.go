package shapes

import (
	"context"

	rec "github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Agent is an agent.
type Agent struct{}

// Wrapped is already routed, under an aliased import.
func (a *Agent) Wrapped(ctx context.Context) (int, error) {
	return rec.DoValue(ctx, rec.Default(), func(ctx context.Context) (int, error) {
		return 1, nil
	})
}

// Alias reuses the existing import name.
func (a *Agent) Alias(ctx context.Context) error {
	return ctx.Err()
}
