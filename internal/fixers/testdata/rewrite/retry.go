// Package shapes holds the method shapes the retry rewrite must handle.
package shapes

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrEmpty is a sentinel validation error.
var ErrEmpty = errors.New("empty key")

// Store is an agent.
type Store struct {
	data map[string]string
}

// ErrorOnly has only an error result and one guard.
func (s *Store) ErrorOnly(ctx context.Context, key string) error {
	if key == "" { // guard: stays outside
		return ErrEmpty
	}

	// write it
	s.data[key] = "x"
	return nil // done
}

// OneValue returns one value.
func (s *Store) OneValue(ctx context.Context, key string) (string, error) {
	v, ok := s.data[key]
	if !ok {
		return "", fmt.Errorf("missing %q", key)
	}
	return v, nil
}

// TwoValues returns two values.
func (s *Store) TwoValues(ctx context.Context, key string) (string, int, error) {
	v := s.data[key]
	return v, len(v), nil
}

// NamedBare uses named results and a bare return.
func (s *Store) NamedBare(ctx context.Context, key string) (v string, err error) {
	v = s.data[key]
	if v == "" {
		err = ErrEmpty
	}
	return
}

// DeferEdit edits a named result in a deferred function.
func (s *Store) DeferEdit(ctx context.Context, key string) (n int, err error) {
	defer func() {
		if err != nil {
			n = -1 // failure marker
		}
	}()
	n = len(s.data[key])
	return n, nil
}

// Variadic takes a variadic parameter.
func (s *Store) Variadic(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		delete(s.data, k)
	}
	return nil
}

// Blank has a blank context parameter.
func (s *Store) Blank(_ context.Context, key string) error {
	delete(s.data, key)
	return nil
}

// Unnamed has unnamed parameters.
func (s *Store) Unnamed(context.Context, string) error {
	return nil
}

// Renamed calls its context c.
func (s *Store) Renamed(c context.Context, key string) error {
	return c.Err()
}

// Shadowed redeclares its context with a timeout.
func (s *Store) Shadowed(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	<-ctx.Done()
	return ctx.Err()
}

// NoContext has no context parameter.
func (s *Store) NoContext(key string) error {
	delete(s.data, key)
	return nil
}

// Labels uses labels and goto inside the body.
func (s *Store) Labels(ctx context.Context, keys []string) (n int, err error) {
outer:
	for _, k := range keys {
		for range 3 {
			if k == "" {
				continue outer
			}
			n++
			if n > 10 {
				goto done
			}
		}
	}
done:
	return n, nil
}

// Nested has function literals with their own returns.
func (s *Store) Nested(ctx context.Context) (int, error) {
	count := func() (int, error) {
		return len(s.data), nil
	}
	n, err := count()
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Recover turns a panic into an error with a deferred recover.
func (s *Store) Recover(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	panic("boom")
}

// Mutates consumes its arguments as it goes.
func (s *Store) Mutates(ctx context.Context, data []byte, n int) (int, error) {
	for n > 0 && len(data) > 0 {
		data = data[1:]
		n--
	}
	return len(data), nil
}

// Comments has comments everywhere.
func (s *Store) Comments(ctx context.Context, key string) error { // on the brace
	// guard comment
	if key == "" {
		return ErrEmpty // trailing guard
	}
	// before the first moved statement
	s.data[key] = "y" // trailing
	/* block comment */
	return nil
	// before the closing brace
}

// Value is an agent with a value receiver.
type Value struct{ n int }

// Get has a value receiver that it changes.
func (v Value) Get(ctx context.Context) (int, error) {
	v.n++
	return v.n, nil
}

// Cache is a generic agent.
type Cache[K comparable, V any] struct{ m map[K]V }

// Get has a generic receiver.
func (c *Cache[K, V]) Get(ctx context.Context, k K) (V, error) {
	v, ok := c.m[k]
	if !ok {
		var zero V
		return zero, ErrEmpty
	}
	return v, nil
}

func clean(name string) (string, error) {
	if name == "" {
		return "", ErrEmpty
	}
	return name, nil
}

// GuardAssign sets its error result in a guard's check (afero's
// BasePathFs.OpenFile).
func (s *Store) GuardAssign(ctx context.Context, name string) (v string, err error) {
	if name, err = clean(name); err != nil {
		return "", err
	}
	v, err = s.data[name], ctx.Err()
	return v, err
}
