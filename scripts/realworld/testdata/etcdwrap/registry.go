// Package registry is a hand-written wrapper of an etcd v3 client, as a
// service would have one: a key-value store for its settings and locks.
package registry

import (
	"context"
	"errors"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// ErrNotFound is returned by Get for a key that is not set.
var ErrNotFound = errors.New("registry: key not found")

// Store reads and writes keys under one prefix of an etcd cluster.
type Store struct {
	Client *clientv3.Client
	Prefix string
}

// Get returns the value of key.
func (s *Store) Get(ctx context.Context, key string) (string, error) {
	resp, err := s.Client.Get(ctx, s.Prefix+key)
	if err != nil {
		return "", err
	}
	if len(resp.Kvs) == 0 {
		return "", ErrNotFound
	}
	return string(resp.Kvs[0].Value), nil
}

// Put sets key to value.
func (s *Store) Put(ctx context.Context, key, value string) error {
	_, err := s.Client.Put(ctx, s.Prefix+key, value)
	return err
}

// Delete removes key and reports how many keys it removed.
func (s *Store) Delete(ctx context.Context, key string) (int64, error) {
	resp, err := s.Client.Delete(ctx, s.Prefix+key)
	if err != nil {
		return 0, err
	}
	return resp.Deleted, nil
}

// Swap sets key to value if it still holds old, in one transaction, and
// reports whether it did.
func (s *Store) Swap(ctx context.Context, key, old, value string) (bool, error) {
	k := s.Prefix + key
	resp, err := s.Client.Txn(ctx).
		If(clientv3.Compare(clientv3.Value(k), "=", old)).
		Then(clientv3.OpPut(k, value)).
		Commit()
	if err != nil {
		return false, err
	}
	return resp.Succeeded, nil
}

// Lease grants a lease of ttl and returns its id.
func (s *Store) Lease(ctx context.Context, ttl time.Duration) (clientv3.LeaseID, error) {
	resp, err := s.Client.Grant(ctx, int64(ttl/time.Second))
	if err != nil {
		return 0, err
	}
	return resp.ID, nil
}
