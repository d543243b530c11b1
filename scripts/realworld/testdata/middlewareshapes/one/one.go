// Package one wraps svc.Client, as a service's own code would.
package one

import (
	"context"

	"example.com/mw/svc"
)

// Queue wraps a client.
type Queue struct{ C *svc.Client }

// Send sends in.
func (q *Queue) Send(ctx context.Context, in string) (string, error) { return q.C.Send(ctx, in) }
