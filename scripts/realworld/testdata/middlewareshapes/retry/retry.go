// Package retry is a retry middleware, as aws/retry's Attempt.
package retry

import (
	"context"

	"example.com/mw/stack"
)

// Attempt retries the rest of the stack.
type Attempt struct{ Max int }

// HandleMiddleware calls next up to Max times.
func (a *Attempt) HandleMiddleware(ctx context.Context, in string, next stack.Handler) (string, error) {
	var out string
	var err error
	for i := 0; i < a.Max; i++ {
		if out, err = next.Handle(ctx, in); err == nil {
			return out, nil
		}
	}
	return out, err
}
