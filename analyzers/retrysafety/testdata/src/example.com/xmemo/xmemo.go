// Package xmemo fills memo caches held in a concurrent map of another
// package with sync.Map's API (xsync's MapOf, as bun's registries do):
// the stores are memo stores, whatever the map's code writes. A store
// that is no memo store is judged through the map's Writes as before.
package xmemo

import (
	"context"
	"database/sql"
	"errors"
	"reflect"

	"github.com/puzpuzpuz/xsync/v3"

	"example.com/xmemo/model"
)

type encodeFunc func(v any) ([]byte, error)

var encoders = xsync.NewMapOf[reflect.Type, encodeFunc]()

// encoderOf looks up, else builds (recursively, through itself) and
// stores the encoder of t: bun's Scanner and Appender.
func encoderOf(t reflect.Type) encodeFunc {
	if v, ok := encoders.Load(t); ok {
		return v
	}
	fn := build(t)
	if v, ok := encoders.LoadOrStore(t, fn); ok {
		return v
	}
	return fn
}

func build(t reflect.Type) encodeFunc {
	if t.Kind() == reflect.Pointer {
		return encoderOf(t.Elem())
	}
	return func(any) ([]byte, error) { return nil, nil }
}

type byName struct {
	m *xsync.MapOf[string, int]
}

// index looks up, else stores, under a guard and Store.
func (b *byName) index(name string) int {
	if v, ok := b.m.Load(name); ok {
		return v
	}
	n := len(name)
	b.m.Store(name, n)
	return n
}

// Client sends encoded values.
type Client struct {
	names *byName
	seen  *xsync.MapOf[string, int]
	sent  int
}

func (c *Client) send(b []byte) error {
	if len(b) > 1<<20 {
		return errors.New("too large")
	}
	return nil
}

// Encode builds or finds the encoder, then sends.
func (c *Client) Encode(v any) error {
	enc := encoderOf(reflect.TypeOf(v))
	b, err := enc(v)
	if err != nil {
		return err
	}
	return c.send(b)
}

// Named indexes, then sends.
func (c *Client) Named(name string) error {
	n := c.names.index(name)
	return c.send(make([]byte, n))
}

// Mark stores a count that is no memo (no look-up first), then sends.
func (c *Client) Mark(name string) error { // want Mark:"writes receiver; early"
	c.seen.Store(name, c.sent)
	return c.send(nil)
}

// ScanAll hands its rows to a model implemented in another package: the
// model may advance them.
func ScanAll(ctx context.Context, rows *sql.Rows, m model.Model) error { // want ScanAll:"writes param 1 \\(stream\\); early"
	_, err := m.ScanRows(ctx, rows)
	return err
}
