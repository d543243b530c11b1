// Package sqlbuilt exercises the database rule on SQL built at run
// time: a query is a read only when the rule can follow its SQL to a
// verb that reads; SQL it cannot follow is a write it names as such.
package sqlbuilt

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	sq "github.com/Masterminds/squirrel"

	"example.com/sqlhelper"
)

type Repo struct {
	DB        *sql.DB
	H         *sqlhelper.DB
	TableName string
	Custom    string
}

// queries is a table of the package's queries, assigned nowhere.
var queries = map[string]string{
	"get":  "SELECT item FROM orders WHERE id = ?",
	"bump": "UPDATE orders SET n = n + 1 WHERE id = ? RETURNING n",
}

// Sprintf reads: a constant verb before the format's first %.
func (r *Repo) Sprintf(ctx context.Context, id int64) (string, error) {
	var item string
	err := r.DB.QueryRowContext(ctx, fmt.Sprintf("SELECT item FROM %s WHERE id = ?", r.TableName), id).Scan(&item)
	return item, err
}

// SprintfUpdate updates through QueryRow.
func (r *Repo) SprintfUpdate(ctx context.Context, id int64) (int64, error) { // want SprintfUpdate:"writes package state; early"
	var n int64
	err := r.DB.QueryRowContext(ctx, fmt.Sprintf("UPDATE %s SET n = n + 1 WHERE id = ? RETURNING n", r.TableName), id).Scan(&n)
	return n, err
}

// Filtered reads: a local that starts with a constant SELECT, extended.
func (r *Repo) Filtered(ctx context.Context, status string) error {
	q := "SELECT id FROM orders"
	args := []any{}
	if status != "" {
		q += " WHERE status = ?"
		args = append(args, status)
	}
	rows, err := r.DB.QueryContext(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Either reads: both values of the local are SELECTs.
func (r *Repo) Either(ctx context.Context, all bool) error {
	var q string
	if all {
		q = "SELECT id FROM orders"
	} else {
		q = "SELECT id FROM orders WHERE open"
	}
	rows, err := r.DB.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Claim may delete: one value of the local is a DELETE ... RETURNING.
func (r *Repo) Claim(ctx context.Context, take bool) error { // want Claim:"writes package state; early"
	q := "SELECT id FROM jobs LIMIT 1"
	if take {
		q = "DELETE FROM jobs WHERE id = (SELECT min(id) FROM jobs) RETURNING id"
	}
	rows, err := r.DB.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Built reads: a strings.Builder whose first write is a SELECT.
func (r *Repo) Built(ctx context.Context, cols []string) error {
	var b strings.Builder
	b.WriteString("SELECT ")
	b.WriteString(strings.Join(cols, ", "))
	b.WriteString(" FROM orders")
	rows, err := r.DB.QueryContext(ctx, b.String())
	if err != nil {
		return err
	}
	return rows.Close()
}

// Squirrel reads: a builder whose chain names Select only, through a
// local it extends.
func (r *Repo) Squirrel(ctx context.Context, status string) error {
	b := sq.Select("id").From("orders")
	if status != "" {
		b = b.Where("status = ?", status)
	}
	q, args, err := b.ToSql()
	if err != nil {
		return err
	}
	rows, err := r.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	return rows.Close()
}

// SquirrelInsert inserts: an INSERT ... SELECT ... RETURNING.
func (r *Repo) SquirrelInsert(ctx context.Context) (int64, error) { // want SquirrelInsert:"writes package state; early"
	q, args, err := sq.Insert("archive").Select(sq.Select("*").From("orders")).Suffix("RETURNING id").ToSql()
	if err != nil {
		return 0, err
	}
	var id int64
	err = r.DB.QueryRowContext(ctx, q, args...).Scan(&id)
	return id, err
}

// Table reads: a constant key of the table of queries.
func (r *Repo) Table(ctx context.Context, id int64) (string, error) {
	var item string
	err := r.DB.QueryRowContext(ctx, queries["get"], id).Scan(&item)
	return item, err
}

// Named may update: a key known only at run time, and one of the
// table's queries updates.
func (r *Repo) Named(ctx context.Context, name string, id int64) error { // want Named:"writes package state; early"
	rows, err := r.DB.QueryContext(ctx, queries[name], id)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Field runs SQL held in a field: built at run time.
func (r *Repo) Field(ctx context.Context) error { // want Field:"writes package state; early"
	rows, err := r.DB.QueryContext(ctx, r.Custom)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Verbless runs SQL whose start names no verb.
func (r *Repo) Verbless(ctx context.Context, head string) error { // want Verbless:"writes package state; early"
	rows, err := r.DB.QueryContext(ctx, fmt.Sprintf("%s FROM orders", head))
	if err != nil {
		return err
	}
	return rows.Close()
}

// HelperRead reads through a helper of another package that runs its
// caller's SQL.
func (r *Repo) HelperRead(ctx context.Context) error {
	rows, err := r.H.Query(ctx, "SELECT id FROM orders")
	if err != nil {
		return err
	}
	return rows.Close()
}

// HelperInsert inserts through it.
func (r *Repo) HelperInsert(ctx context.Context, item string) error { // want HelperInsert:"writes package state; early"
	rows, err := r.H.Query(ctx, "INSERT INTO orders (item) VALUES (?) RETURNING id", item)
	if err != nil {
		return err
	}
	return rows.Close()
}

// HelperDeep reads through a helper that passes the SQL on.
func (r *Repo) HelperDeep(ctx context.Context) error {
	return r.H.Get(ctx, "SELECT id FROM orders WHERE id = ?", 1)
}

// HelperField runs SQL of a field through the helper.
func (r *Repo) HelperField(ctx context.Context) error { // want HelperField:"writes package state; early"
	return r.H.Get(ctx, r.Custom, 1)
}

// Pass hands its own parameter to the helper: its callers judge it.
func (r *Repo) Pass(ctx context.Context, q string) error { // want Pass:"early; runs the SQL of param 1"
	return r.H.Get(ctx, q, 1)
}

// PassRead calls Pass with a SELECT.
func (r *Repo) PassRead(ctx context.Context) error {
	return r.Pass(ctx, "SELECT 1")
}

const getMany = "-- name: GetMany :many\nSELECT id FROM orders WHERE id IN (/*SLICE:ids*/?)"

// Slice reads: sqlc's expansion of a slice parameter keeps the verb.
func (r *Repo) Slice(ctx context.Context, ids []int64) error {
	query := getMany
	query = strings.Replace(query, "/*SLICE:ids*/?", strings.Repeat(",?", len(ids))[1:], 1)
	rows, err := r.DB.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	return rows.Close()
}

// SelfAppend builds its SQL from itself only: no start is known.
func (r *Repo) SelfAppend(ctx context.Context) error { // want SelfAppend:"writes package state; early"
	var q string
	q = q + "DELETE FROM jobs RETURNING id"
	rows, err := r.DB.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Trimmed trims its parameter's SQL: its callers judge it.
func (r *Repo) Trimmed(ctx context.Context, q string) error { // want Trimmed:"early; runs the SQL of param 1"
	q = strings.TrimSpace(q)
	rows, err := r.DB.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	return rows.Close()
}
