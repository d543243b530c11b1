// Package sqlcrepo is the shape sqlc generates: queries over an
// interface (DBTX) that *sql.DB and *sql.Tx implement.
package sqlcrepo

import (
	"context"
	"database/sql"
)

type DBTX interface {
	ExecContext(context.Context, string, ...interface{}) (sql.Result, error)
	QueryRowContext(context.Context, string, ...interface{}) *sql.Row
}

type Queries struct{ db DBTX }

const createAuthor = `-- name: CreateAuthor :exec
INSERT INTO authors (name) VALUES (?)
`

// CreateAuthor inserts through the interface.
func (q *Queries) CreateAuthor(ctx context.Context, name string) error { // want CreateAuthor:"writes package state; early"
	_, err := q.db.ExecContext(ctx, createAuthor, name)
	return err
}

const getAuthor = `-- name: GetAuthor :one
SELECT name FROM authors WHERE id = ?
`

// GetAuthor only reads.
func (q *Queries) GetAuthor(ctx context.Context, id int64) (string, error) {
	var name string
	err := q.db.QueryRowContext(ctx, getAuthor, id).Scan(&name)
	return name, err
}
