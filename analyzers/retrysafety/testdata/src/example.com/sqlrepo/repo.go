// Package sqlrepo exercises the database rule: a statement that changes
// a database, run through database/sql, is a write a retry would repeat
// when the connection fails after the server executed it; a query that
// only reads is none, and statements in a transaction the body begins
// are kept only by its Commit.
package sqlrepo

import (
	"context"
	"database/sql"
)

type Repo struct {
	DB *sql.DB
}

const insertOrder = "INSERT INTO orders (item) VALUES (?)"

// Get only reads.
func (r *Repo) Get(ctx context.Context, id int64) (string, error) {
	var item string
	err := r.DB.QueryRowContext(ctx, "SELECT item FROM orders WHERE id = ?", id).Scan(&item)
	return item, err
}

// List only reads, through a cursor local to the body.
func (r *Repo) List(ctx context.Context) ([]string, error) {
	rows, err := r.DB.QueryContext(ctx, "  -- all orders\n  select item FROM orders")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Add inserts through Exec.
func (r *Repo) Add(ctx context.Context, item string) error { // want Add:"writes package state; early"
	_, err := r.DB.ExecContext(ctx, insertOrder, item)
	return err
}

// Create inserts through a query that returns the new id.
func (r *Repo) Create(ctx context.Context, item string) (int64, error) { // want Create:"writes package state; early"
	var id int64
	err := r.DB.QueryRowContext(ctx, "INSERT INTO orders (item) VALUES ($1) RETURNING id", item).Scan(&id)
	return id, err
}

// Upsert writes in a WITH.
func (r *Repo) Upsert(ctx context.Context, item string) error { // want Upsert:"writes package state; early"
	rows, err := r.DB.QueryContext(ctx, "WITH n AS (UPDATE orders SET n = n + 1 RETURNING id) SELECT id FROM n")
	if err != nil {
		return err
	}
	return rows.Close()
}

// Dynamic runs its caller's SQL: unknown here; callers judge theirs.
func (r *Repo) Dynamic(ctx context.Context, q string) error { // want Dynamic:"early; runs the SQL of param 1"
	rows, err := r.DB.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Transfer runs a transaction it begins: its statements are kept only by
// its Commit, which is the write.
func (r *Repo) Transfer(ctx context.Context, n int) error { // want Transfer:"writes package state; early"
	tx, err := r.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE stock SET qty = qty - ?", n); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// InTx runs a statement in the caller's transaction.
func InTx(ctx context.Context, tx *sql.Tx, n int) error { // want InTx:"writes package state; early"
	_, err := tx.ExecContext(ctx, "UPDATE stock SET qty = qty + ?", n)
	return err
}

// Prepared runs a prepared statement: what it runs is not known here.
func Prepared(ctx context.Context, st *sql.Stmt) error { // want Prepared:"writes package state; early"
	_, err := st.ExecContext(ctx, 1)
	return err
}

// Caller calls a function that inserts, through its fact.
func (r *Repo) Caller(ctx context.Context) error { // want Caller:"writes package state; early"
	return r.Add(ctx, "x")
}

// AfterFetch writes after a read that can fail: the write is the last
// call, but it may have been executed when it fails.
func (r *Repo) AfterFetch(ctx context.Context) error { // want AfterFetch:"writes package state; early"
	item, err := r.Get(ctx, 1)
	if err != nil {
		return err
	}
	_, err = r.DB.Exec("UPDATE orders SET item = ? WHERE id = 1", item+"!")
	return err
}
