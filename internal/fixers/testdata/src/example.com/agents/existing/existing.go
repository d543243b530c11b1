// Package existing already retries in places: -fix leaves a retry
// library's call, a hand-rolled loop of another package and a method that
// mixes work in a retry with work outside it as they are, and wraps only
// the method that does its work unrouted.
package existing

import (
	"context"
	"os"
	"strings"
	"time"

	"example.com/retryhelper"
	"github.com/cenkalti/backoff/v4"
)

type Store struct {
	dir   string
	timer <-chan time.Time
}

// Lib retries through a retry library: routed, left alone.
func (s *Store) Lib(ctx context.Context) error { // want Lib:"routed by backoff.Retry"
	return backoff.Retry(func() error { return os.Remove(s.dir) }, backoff.NewExponentialBackOff())
}

// Loop delegates to a hand-rolled retry loop: routed, left alone.
func (s *Store) Loop(ctx context.Context, name string) ([]byte, error) { // want Loop:"routed by its own retry at retryhelper.go:12"
	return retryhelper.Fetch(s.dir+name, s.timer)
}

// Mixed does work before the library's retry: reported, left alone.
func (s *Store) Mixed(ctx context.Context) error { // want Mixed:"nests" `-fix cannot rewrite it: it mixes work inside a retry \(the call to backoff.Retry at existing.go:37\) with work outside it`
	if _, err := os.Stat(s.dir); err != nil {
		return err
	}
	return backoff.Retry(func() error { return os.Remove(s.dir) }, backoff.NewExponentialBackOff())
}

// Plain does its work unrouted: wrapped.
func (s *Store) Plain(ctx context.Context, name string) ([]byte, error) { // want Plain:"unrouted" `Store.Plain returns an error but is not routed`
	return os.ReadFile(s.dir + name)
}

// Text only delegates to Plain; its builder's errors are dropped: left
// alone, routed by delegation once Plain is wrapped.
func (s *Store) Text(ctx context.Context, name string) (string, error) { // want Text:"unrouted" `it delegates to Store.Plain, which must be routed first`
	b, err := s.Plain(ctx, name)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	sb.WriteString(strings.ToUpper(string(b)))
	return sb.String(), nil
}
