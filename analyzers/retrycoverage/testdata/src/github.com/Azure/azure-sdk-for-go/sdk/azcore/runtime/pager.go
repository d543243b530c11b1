package runtime

import (
	"context"
	"errors"
)

// PagingHandler says how a Pager fetches its pages.
type PagingHandler[T any] struct {
	More    func(T) bool
	Fetcher func(context.Context, *T) (T, error)
}

// Pager walks the pages of a listing: each NextPage runs the Fetcher the
// client's constructor stored, which sends through the client's Pipeline
// in another package (the SDK's clients, not this one), a store the
// analysis of a caller does not see; its NextPage is a default retry
// entry point (config.DefaultRetryFuncs).
type Pager[T any] struct {
	current *T
	handler PagingHandler[T]
	err     error
}

// NewPager returns a pager over handler.
func NewPager[T any](handler PagingHandler[T]) *Pager[T] {
	return &Pager[T]{handler: handler}
}

// More reports whether there are more pages.
func (p *Pager[T]) More() bool {
	if p.err != nil {
		return false
	}
	return p.current == nil || p.handler.More(*p.current)
}

// NextPage fetches the next page.
func (p *Pager[T]) NextPage(ctx context.Context) (T, error) {
	if p.err != nil {
		return *new(T), p.err
	}
	if p.current != nil && !p.handler.More(*p.current) {
		return *new(T), errors.New("no more pages")
	}
	resp, err := p.handler.Fetcher(ctx, p.current)
	if err != nil {
		p.err = err
		return *new(T), err
	}
	p.current = &resp
	return resp, nil
}
