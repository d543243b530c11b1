// Package oncefill fills tables once per program through sync.Once, as
// klauspost/compress's zstd does for its predefined tables (reached from
// azblob's list pager through Apache Arrow's IPC reader): the function a
// sync.Once outliving the call runs is run at most once, so a retry of a
// caller never repeats its writes. A sync.Once made in the body runs its
// function on every call, and its writes are the body's; so are those of
// a function that makes a call that can fail (a dial whose error the
// value keeps: a retry would find that error again).
package oncefill

import (
	"context"
	"sync"
)

var (
	predef sync.Once
	table  [16]int
	hits   int
)

// initTable fills table, once per program.
func initTable() {
	predef.Do(func() {
		for i := range table {
			table[i] = i * i
		}
	})
}

// Client looks things up.
type Client struct {
	once   sync.Once
	oncep  *sync.Once
	primed int
	dialed sync.Once
	errs   map[string]error
}

func (c *Client) fetch(ctx context.Context) error { return ctx.Err() }

// Lookup fills the package's table (once), then fetches: safe.
func (c *Client) Lookup(ctx context.Context, i int) (int, error) {
	initTable()
	if err := c.fetch(ctx); err != nil {
		return 0, err
	}
	return table[i%16], nil
}

// Prime counts a priming once per client, then fetches: safe.
func (c *Client) Prime(ctx context.Context) error {
	c.once.Do(func() { c.primed++ })
	return c.fetch(ctx)
}

// PrimeShared does the same through a *sync.Once the client holds: safe.
func (c *Client) PrimeShared(ctx context.Context) error {
	c.oncep.Do(func() { hits++ })
	return c.fetch(ctx)
}

// Count counts through a sync.Once made here, which runs on every call:
// unsafe, a retry counts again.
func (c *Client) Count(ctx context.Context) error { // want Count:`writes package state; early`
	var once sync.Once
	once.Do(func() { hits++ })
	return c.fetch(ctx)
}

func dial(ctx context.Context) error { return ctx.Err() }

// Conn dials once and keeps the dial's error: a retry would find that
// error again instead of dialing, so the writes of a sync.Once's function
// that makes a call that can fail still count: unsafe.
func (c *Client) Conn(ctx context.Context) error { // want Conn:`writes receiver; early`
	c.dialed.Do(func() { c.errs["dial"] = dial(ctx) })
	if err := c.errs["dial"]; err != nil {
		return err
	}
	return c.fetch(ctx)
}
