// Package sqlhelper is a service's wrapper over database/sql whose
// methods take the SQL from their callers: whether a call reads or
// writes is its caller's argument's verb (the Queries of the Writes
// fact).
package sqlhelper

import (
	"context"
	"database/sql"
)

type DB struct {
	SQL *sql.DB
}

// Query runs the caller's SQL: a write for itself, which cannot tell.
func (d *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) { // want Query:"early; runs the SQL of param 1"
	return d.SQL.QueryContext(ctx, q, args...)
}

// QueryRow rebinds the caller's SQL first, keeping its verb.
func (d *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row { // want QueryRow:"runs the SQL of param 1"
	if q == "" {
		q = "SELECT 1"
	}
	return d.SQL.QueryRowContext(ctx, q, args...)
}

// Get passes the caller's SQL on to Query: its callers judge it too.
func (d *DB) Get(ctx context.Context, q string, id int64) error { // want Get:"early; runs the SQL of param 1"
	rows, err := d.Query(ctx, q, id)
	if err != nil {
		return err
	}
	return rows.Close()
}
