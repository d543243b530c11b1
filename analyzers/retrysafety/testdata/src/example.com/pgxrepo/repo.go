// Package pgxrepo exercises the database rule on pgx's pool and
// transactions.
package pgxrepo

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

type Store struct{ Pool *pgxpool.Pool }

// Count only reads.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.Pool.QueryRow(ctx, "SELECT count(*) FROM jobs").Scan(&n)
	return n, err
}

// Enqueue inserts.
func (s *Store) Enqueue(ctx context.Context, kind string) error { // want Enqueue:"writes package state; early"
	_, err := s.Pool.Exec(ctx, "insert into jobs (kind) values ($1)", kind)
	return err
}

// Claim runs a transaction it begins: the Commit is the write.
func (s *Store) Claim(ctx context.Context) error { // want Claim:"writes package state; early"
	tx, err := s.Pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "DELETE FROM jobs WHERE id = (SELECT min(id) FROM jobs)"); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
