package intelligence

import (
	"context"
	"fmt"
	"reflect"
)

// trackKey is the context key of the Op being tracked. Its value is the
// *series under Track, or an opMark from WithOp.
type trackKey struct{}

type opMark struct{ op Op }

// WithOp returns a context carrying op, for RetryObserver to attribute
// retries to when it was built without an Op. Track does this itself.
func WithOp(ctx context.Context, op Op) context.Context {
	return context.WithValue(ctx, trackKey{}, opMark{op: op.bounded()})
}

// OpFromContext returns the Op set by Track or WithOp.
func OpFromContext(ctx context.Context) (Op, bool) {
	op, _, ok := fromContext(ctx)
	return op, ok
}

// fromContext returns the Op in ctx and, under Track, its series.
func fromContext(ctx context.Context) (Op, *series, bool) {
	if ctx == nil {
		return Op{}, nil, false
	}
	switch v := ctx.Value(trackKey{}).(type) {
	case *series:
		return v.op, v, true
	case opMark:
		return v.op, nil, true
	}
	return Op{}, nil, false
}

// trackCtx is the context Track passes to its function: the caller's
// context with the tracked series under trackKey. It is what
// context.WithValue would build, as a type of its own so that it can be
// cached (see series.context). Embedding the parent keeps its Done, Err
// and Deadline, so the context package still recognises the parent's
// cancellation when a child is derived from it.
type trackCtx struct {
	context.Context
	s *series
}

// Value returns the tracked series for trackKey and asks the parent for
// any other key.
func (c *trackCtx) Value(key any) any {
	if _, ok := key.(trackKey); ok {
		return c.s
	}
	return c.Context.Value(key)
}

// String describes the context like the context package's own do.
func (c *trackCtx) String() string {
	parent := fmt.Sprintf("%T", c.Context)
	if s, ok := c.Context.(fmt.Stringer); ok {
		parent = s.String()
	}
	return parent + ".WithOp(" + c.s.op.Agent + "/" + c.s.op.Worker + "/" + c.s.op.Operation + ")"
}

// context returns parent marked with s, reusing the context made for the
// same parent the last time this goroutine's stripe index asked: a worker
// calling Track in a loop on one context allocates nothing. A cached
// context is never changed, so a function that kept the context it was
// given (a goroutine it started) sees the same values and cancellation as
// if it had been made for it. The cache keeps at most stripeCount parents
// alive per operation.
func (s *series) context(parent context.Context) context.Context {
	if c, ok := parent.(*trackCtx); ok && c.s == s {
		return c // a Track of this op inside another: already marked
	}
	slot := &s.ctxs[stripeIndex()]
	// Only contexts that compare safely are stored (see comparableContext),
	// so this comparison never panics.
	if c := slot.Load(); c != nil && c.Context == parent {
		return c
	}
	c := &trackCtx{Context: parent, s: s}
	if comparableContext(parent) {
		slot.Store(c)
	}
	return c
}

// comparableContext reports whether ctx can be compared with == without a
// run-time panic, whatever it is compared with: its dynamic type is
// comparable and so is everything its interface fields hold (comparing ctx
// with itself finds out). A context equal to another is then
// interchangeable with it. Most contexts are pointers; Background and TODO
// are comparable structs.
func comparableContext(ctx context.Context) (ok bool) {
	if !reflect.TypeOf(ctx).Comparable() {
		return false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return sameContext(ctx, ctx) // false for a NaN field: never a hit, never stored
}

func sameContext(a, b context.Context) bool { return a == b }
