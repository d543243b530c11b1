// Package shapes holds the method shapes the retry rewrite handles.
package shapes

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrEmpty is a sentinel validation error.
var ErrEmpty = errors.New("empty key")

func fetch(ctx context.Context, key string) (string, error) {
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	return key, nil
}

// Store is an agent.
type Store struct {
	data map[string]string
}

// ErrorOnly has only an error result and one guard.
func (s *Store) ErrorOnly(ctx context.Context, key string) error { // want ErrorOnly:"unrouted" `Store.ErrorOnly returns an error but is not routed`
	if key == "" { // guard: stays outside
		return ErrEmpty
	}

	// fetch it
	_, err := fetch(ctx, key)
	return err // done
}

// OneValue returns one value.
func (s *Store) OneValue(ctx context.Context, key string) (string, error) { // want OneValue:"unrouted" `Store.OneValue returns an error but is not routed`
	v, err := fetch(ctx, key)
	if err != nil {
		return "", fmt.Errorf("fetch %q: %w", key, err)
	}
	return v, nil
}

// TwoValues returns two values.
func (s *Store) TwoValues(ctx context.Context, key string) (string, int, error) { // want TwoValues:"unrouted" `Store.TwoValues returns an error but is not routed`
	v, err := fetch(ctx, key)
	return v, len(v), err
}

// NamedBare uses named results and a bare return.
func (s *Store) NamedBare(ctx context.Context, key string) (v string, err error) { // want NamedBare:"unrouted" `Store.NamedBare returns an error but is not routed`
	v, err = fetch(ctx, key)
	return
}

// DeferEdit edits a named result in a deferred function.
func (s *Store) DeferEdit(ctx context.Context, key string) (n int, err error) { // want DeferEdit:"unrouted" `Store.DeferEdit returns an error but is not routed`
	defer func() {
		if err != nil {
			n = -1 // failure marker
		}
	}()
	v, err := fetch(ctx, key)
	return len(v), err
}

// Variadic takes a variadic parameter.
func (s *Store) Variadic(ctx context.Context, keys ...string) error { // want Variadic:"unrouted" `Store.Variadic returns an error but is not routed`
	for _, k := range keys {
		if _, err := fetch(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// Blank has a blank context parameter.
func (s *Store) Blank(_ context.Context, key string) error { // want Blank:"unrouted" `Store.Blank returns an error but is not routed`
	_, err := fetch(context.TODO(), key)
	return err
}

// Renamed calls its context c.
func (s *Store) Renamed(c context.Context, key string) error { // want Renamed:"unrouted" `Store.Renamed returns an error but is not routed`
	_, err := fetch(c, key)
	return err
}

// Shadowed redeclares its context with a timeout.
func (s *Store) Shadowed(ctx context.Context, key string) error { // want Shadowed:"unrouted" `Store.Shadowed returns an error but is not routed`
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	_, err := fetch(ctx, key)
	return err
}

// NoContext has no context parameter.
func (s *Store) NoContext(key string) error { // want NoContext:"unrouted" `Store.NoContext returns an error but is not routed`
	_, err := fetch(context.Background(), key)
	return err
}

// Labels uses labels and goto inside the body.
func (s *Store) Labels(ctx context.Context, keys []string) (n int, err error) { // want Labels:"unrouted" `Store.Labels returns an error but is not routed`
outer:
	for _, k := range keys {
		for range 3 {
			if k == "" {
				continue outer
			}
			if _, err = fetch(ctx, k); err != nil {
				goto done
			}
			n++
		}
	}
done:
	return n, err
}

// Nested has function literals with their own returns.
func (s *Store) Nested(ctx context.Context) (int, error) { // want Nested:"unrouted" `Store.Nested returns an error but is not routed`
	count := func() (int, error) {
		v, err := fetch(ctx, "n")
		return len(v), err
	}
	return count()
}

// Recover turns a panic into an error with a deferred recover.
func (s *Store) Recover(ctx context.Context, key string) (err error) { // want Recover:"unrouted" `Store.Recover returns an error but is not routed`
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	_, err = fetch(ctx, key)
	return err
}

// Mutates consumes its arguments as it goes.
func (s *Store) Mutates(ctx context.Context, keys []string) (int, error) { // want Mutates:"unrouted" `Store.Mutates returns an error but is not routed`
	n := 0
	for len(keys) > 0 {
		if _, err := fetch(ctx, keys[0]); err != nil {
			return n, err
		}
		keys = keys[1:]
		n++
	}
	return n, nil
}

// Comments has comments everywhere.
func (s *Store) Comments(ctx context.Context, key string) error { // want Comments:"unrouted" `Store.Comments returns an error but is not routed`
	// guard comment
	if key == "" {
		return ErrEmpty // trailing guard
	}
	// before the first moved statement
	_, err := fetch(ctx, key) // trailing
	/* block comment */
	return err
	// before the closing brace
}

// Value is an agent with a value receiver.
type Value struct{ key string }

// Get has a value receiver.
func (v Value) Get(ctx context.Context) (string, error) { // want Get:"unrouted" `Value.Get returns an error but is not routed`
	return fetch(ctx, v.key)
}

// Cache is a generic agent.
type Cache[K comparable, V any] struct {
	m    map[K]V
	load func(context.Context, K) (V, error)
}

// Get has a generic receiver.
func (c *Cache[K, V]) Get(ctx context.Context, k K) (V, error) { // want Get:"unrouted" `Cache.Get returns an error but is not routed`
	if v, ok := c.m[k]; ok {
		return v, nil
	}
	return c.load(ctx, k)
}
