// Package stack is a middleware stack in small, as smithy-go's: values
// inserted into a list, run through a chain of interface calls.
package stack

import "context"

// Handler handles one request.
type Handler interface {
	Handle(ctx context.Context, in string) (string, error)
}

// Middleware wraps the next handler.
type Middleware interface {
	HandleMiddleware(ctx context.Context, in string, next Handler) (string, error)
}

// Stack is an ordered list of middleware.
type Stack struct{ list []Middleware }

// Insert adds m.
func (s *Stack) Insert(m Middleware) { s.list = append(s.list, m) }

type decorated struct {
	with Middleware
	next Handler
}

func (d decorated) Handle(ctx context.Context, in string) (string, error) {
	return d.with.HandleMiddleware(ctx, in, d.next)
}

// Decorate returns h wrapped in the stack's middleware.
func Decorate(h Handler, s *Stack) Handler {
	for i := len(s.list) - 1; i >= 0; i-- {
		h = decorated{with: s.list[i], next: h}
	}
	return h
}
