// Package policyunknown is fixed with a policy of a package it does not
// depend on (example.com/elsewhere/rules/v2.Default): its name is not
// known, so the import names it.
package policyunknown

import "context"

// Agent is an agent.
type Agent struct{}

// Get fetches key.
func (Agent) Get(ctx context.Context, key string) (string, error) { // want Get:"unrouted" `Agent.Get returns an error but is not routed`
	return key, ctx.Err()
}
