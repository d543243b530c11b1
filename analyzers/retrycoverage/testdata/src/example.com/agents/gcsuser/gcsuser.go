// Package gcsuser is an agent built on a storage client (example.com/objlist,
// cloud.google.com/go/storage's shape) whose listing retries each page
// request behind an iterator.
package gcsuser

import (
	"context"
	"errors"

	"example.com/objlist"
	"google.golang.org/api/iterator"
)

// Store keeps objects in one bucket.
type Store struct {
	c      *objlist.Client
	bucket string
}

// List walks the listing, whose page requests the client retries: a
// retry of its own would nest the client's and read the pages again.
func (s *Store) List(ctx context.Context, prefix string) ([]string, error) { // want List:"nests" `it calls objlist.ObjectIterator.Next, which already retries part of its work \(through objlist.run\), and wrapping it would nest that retry`
	it := s.c.Bucket(s.bucket).Objects(ctx, prefix)
	var names []string
	for {
		a, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return names, nil
		}
		if err != nil {
			return nil, err
		}
		names = append(names, a.Name)
	}
}

// ListOnce walks a listing fetched without retries: it gets the fix.
func (s *Store) ListOnce(ctx context.Context, prefix string) ([]string, error) { // want ListOnce:"unrouted" `^Store.ListOnce returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	it := s.c.Bucket(s.bucket).ObjectsOnce(ctx, prefix)
	var names []string
	for {
		a, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return names, nil
		}
		if err != nil {
			return nil, err
		}
		names = append(names, a.Name)
	}
}
