// Package cqlrepo is an event store over gocql (sweep19's cqlwrap): its
// statements are judged by their CQL, found at the head of the query's
// chain.
package cqlrepo

import (
	"context"

	"github.com/gocql/gocql"
)

type Store struct{ Session *gocql.Session }

func (s *Store) Get(ctx context.Context, id string) (string, error) {
	var body string
	err := s.Session.Query(`SELECT body FROM events WHERE id = ?`, id).WithContext(ctx).Scan(&body)
	return body, err
}

func (s *Store) List(ctx context.Context) ([]string, error) {
	iter := s.Session.Query(`SELECT body FROM events`).WithContext(ctx).Iter()
	var out []string
	var b string
	for iter.Scan(&b) {
		out = append(out, b)
	}
	return out, iter.Close()
}

func (s *Store) Insert(ctx context.Context, id, body string) error { // want Insert:"writes package state"
	return s.Session.Query(`INSERT INTO events (id, body) VALUES (?, ?)`, id, body).WithContext(ctx).Exec()
}

func (s *Store) Put(ctx context.Context, id, body string) error { // want Put:"writes package state"
	q := s.Session.Query(`INSERT INTO events (id, body) VALUES (?, ?)`, id, body).WithContext(ctx).Idempotent(true)
	return q.Exec()
}

func (s *Store) Count(ctx context.Context, id string) error { // want Count:"writes package state"
	return s.Session.Query(`UPDATE counts SET n = n + 1 WHERE id = ?`, id).WithContext(ctx).Exec()
}

func (s *Store) Claim(ctx context.Context, id string) (bool, error) { // want Claim:"writes package state"
	var got string
	return s.Session.Query(`INSERT INTO events (id) VALUES (?) IF NOT EXISTS`, id).WithContext(ctx).ScanCAS(&got)
}

func (s *Store) InsertAll(ctx context.Context, ids []string) error { // want InsertAll:"writes package state"
	b := s.Session.NewBatch(gocql.LoggedBatch)
	for _, id := range ids {
		b.Query(`INSERT INTO events (id) VALUES (?)`, id)
	}
	return s.Session.ExecuteBatch(b)
}

// Run runs its caller's CQL: its callers judge it.
func (s *Store) Run(ctx context.Context, cql string) error { // want Run:"runs the SQL of param 1"
	return s.Session.Query(cql).WithContext(ctx).Exec()
}

func (s *Store) Truncate(ctx context.Context) error { // want Truncate:"writes package state"
	return s.Run(ctx, `DELETE FROM events WHERE day = '2026-11-30'`)
}
