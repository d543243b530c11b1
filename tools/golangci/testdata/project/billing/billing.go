// Package billing is not an agent package: Invoicer is an agent only
// because the fixture's .golangci.yml lists it in extra-agent-types.
package billing

import (
	"context"
	"fmt"
)

// Invoicer sends invoices.
type Invoicer struct {
	send func(ctx context.Context, to string, cents int64) error
}

// Charge is reported only when the settings make Invoicer an agent.
func (i *Invoicer) Charge(ctx context.Context, to string, cents int64) error {
	if err := i.send(ctx, to, cents); err != nil {
		return fmt.Errorf("charge %s: %w", to, err)
	}
	return nil
}
