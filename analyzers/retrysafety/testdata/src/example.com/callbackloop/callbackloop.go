// Package callbackloop has functions that run a callback their caller
// passes once per item of a loop (go-redis's Ring.ForEachShard, a page
// walker): a retry of the body would run it again for the items it
// succeeded on.
package callbackloop

import (
	"context"
	"sync"
)

type Client struct{ addr string }

type Ring struct{ shards []*Client }

type Item struct{ ID int }

func (r *Ring) fetch(ctx context.Context, page int) ([]Item, bool, error) {
	return nil, false, ctx.Err()
}

// ForEachShard runs fn for every shard in a goroutine of its own, as
// go-redis does: when one fails, the others may have succeeded.
func (r *Ring) ForEachShard(ctx context.Context, fn func(context.Context, *Client) error) error {
	var wg sync.WaitGroup
	errCh := make(chan error, 1)
	for _, shard := range r.shards {
		wg.Add(1)
		go func(c *Client) {
			defer wg.Done()
			if err := fn(ctx, c); err != nil {
				select {
				case errCh <- err:
				default:
				}
			}
		}(shard)
	}
	wg.Wait()
	select {
	case err := <-errCh:
		return err
	default:
		return nil
	}
}

// Each stops at the first failing item: the items before it were done.
func (r *Ring) Each(items []Item, fn func(Item) error) error {
	for _, it := range items {
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

// Walk visits the items of each page it fetches: the next page's request
// can fail after the visitor ran on the first.
func (r *Ring) Walk(ctx context.Context, visit func(Item)) error {
	for page := 0; ; page++ {
		items, more, err := r.fetch(ctx, page)
		if err != nil {
			return err
		}
		for _, it := range items {
			visit(it)
		}
		if !more {
			return nil
		}
	}
}

// Hook runs its hook once, before the work: repeating it on a retry is
// what a hook before the work is for.
func (r *Ring) Hook(ctx context.Context, hook func(context.Context) error) error {
	if err := hook(ctx); err != nil {
		return err
	}
	_, _, err := r.fetch(ctx, 0)
	return err
}

// VisitAfter visits the one page after the last call that can fail: a
// retry happens only before any visit.
func (r *Ring) VisitAfter(ctx context.Context, visit func(Item)) error {
	items, _, err := r.fetch(ctx, 0)
	if err != nil {
		return err
	}
	for _, it := range items {
		visit(it)
	}
	return nil
}

// Pages loops over pages with no callback: nothing but the requests.
func (r *Ring) Pages(ctx context.Context, n int) error {
	for page := range n {
		if _, _, err := r.fetch(ctx, page); err != nil {
			return err
		}
	}
	return nil
}

// Filter keeps the items include accepts, page after page: include is
// called for its value (a filter), taken to be pure.
func (r *Ring) Filter(ctx context.Context, include func(Item) bool) ([]Item, error) {
	var out []Item
	for page := 0; ; page++ {
		items, more, err := r.fetch(ctx, page)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if include(it) {
				out = append(out, it)
			}
		}
		if !more {
			return out, nil
		}
	}
}

// VisitShards hands fn the receiver's own clients: the rule for pointers
// handed to function values names it first, and callers see that write
// in the fact (pflag's FlagSet.VisitAll, which cobra's Usage calls).
func (r *Ring) VisitShards(fn func(*Client) error) error { // want VisitShards:"writes receiver; early"
	for _, c := range r.shards {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}
