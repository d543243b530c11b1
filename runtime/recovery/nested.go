package recovery

import "context"

// Nested reports whether ctx is the context of a retrying call's second
// or later attempt (see the package doc on nested retries): a call made
// with it is part of the enclosing call's attempt. Observers use it to
// leave the outcome of such an inner call to the enclosing call, whether
// the inner call succeeded at once or stopped with StopNested.
func Nested(ctx context.Context) bool {
	return ctx != nil && ctx.Value(nestedKey{}) != nil
}
