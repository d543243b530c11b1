// Package orders is a hand-written repository over database/sql, as a
// service would have one: a SELECT by id, a list, an INSERT returning
// an id, an UPDATE, a transaction, an upsert, a method that calls an
// HTTP service and then writes its answer, and two queries whose SQL is
// built at run time (a filtered search, a claim of the next order
// through UPDATE ... RETURNING).
package orders

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Order is one row of the orders table.
type Order struct {
	ID     int64
	Item   string
	Status string
}

// Repo reads and writes orders.
type Repo struct {
	DB      *sql.DB
	Pricing *http.Client
	BaseURL string
}

// Get returns the order with id.
func (r *Repo) Get(ctx context.Context, id int64) (Order, error) {
	var o Order
	err := r.DB.QueryRowContext(ctx, "SELECT id, item, status FROM orders WHERE id = ?", id).Scan(&o.ID, &o.Item, &o.Status)
	if err != nil {
		return Order{}, fmt.Errorf("get order %d: %w", id, err)
	}
	return o, nil
}

// List returns the orders with status.
func (r *Repo) List(ctx context.Context, status string) ([]Order, error) {
	rows, err := r.DB.QueryContext(ctx, "SELECT id, item, status FROM orders WHERE status = ?", status)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Order
	for rows.Next() {
		var o Order
		if err := rows.Scan(&o.ID, &o.Item, &o.Status); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Create inserts an order and returns its id.
func (r *Repo) Create(ctx context.Context, item string) (int64, error) {
	var id int64
	err := r.DB.QueryRowContext(ctx, "INSERT INTO orders (item, status) VALUES (?, 'new') RETURNING id", item).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id, nil
}

// Add inserts an order through ExecContext and returns its id.
func (r *Repo) Add(ctx context.Context, item string) (int64, error) {
	res, err := r.DB.ExecContext(ctx, "INSERT INTO orders (item, status) VALUES (?, 'new')", item)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// SetStatus sets an order's status.
func (r *Repo) SetStatus(ctx context.Context, id int64, status string) error {
	_, err := r.DB.ExecContext(ctx, "UPDATE orders SET status = ? WHERE id = ?", status, id)
	return err
}

// Transfer moves qty of stock from one warehouse to another in one
// transaction.
func (r *Repo) Transfer(ctx context.Context, from, to string, qty int) error {
	tx, err := r.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE stock SET qty = qty - ? WHERE warehouse = ?", qty, from); err != nil {
		_ = tx.Rollback()
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE stock SET qty = qty + ? WHERE warehouse = ?", qty, to); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Save inserts or replaces an order (an upsert).
func (r *Repo) Save(ctx context.Context, o Order) error {
	_, err := r.DB.ExecContext(ctx, "INSERT INTO orders (id, item, status) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET item = excluded.item, status = excluded.status", o.ID, o.Item, o.Status)
	return err
}

// Reprice asks the pricing service for an item's price and records it.
func (r *Repo) Reprice(ctx context.Context, item string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.BaseURL+"/price?item="+item, nil)
	if err != nil {
		return err
	}
	resp, err := r.Pricing.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pricing: %s", resp.Status)
	}
	var p struct{ Cents int64 }
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		return err
	}
	_, err = r.DB.ExecContext(ctx, "INSERT INTO prices (item, cents) VALUES (?, ?)", item, p.Cents)
	return err
}

// Search returns up to limit orders, filtered by the fields given: its
// SQL is built at run time from a constant SELECT.
func (r *Repo) Search(ctx context.Context, item, status string, limit int) ([]Order, error) {
	q := "SELECT id, item, status FROM orders"
	var where []string
	var args []any
	if item != "" {
		where, args = append(where, "item = ?"), append(args, item)
	}
	if status != "" {
		where, args = append(where, "status = ?"), append(args, status)
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " LIMIT ?"
	rows, err := r.DB.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Order
	for rows.Next() {
		var o Order
		if err := rows.Scan(&o.ID, &o.Item, &o.Status); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Claim marks the oldest new order of a table as claimed and returns
// its id: an UPDATE through QueryRowContext, its SQL built at run time.
func (r *Repo) Claim(ctx context.Context, table string) (int64, error) {
	var id int64
	q := fmt.Sprintf("UPDATE %s SET status = 'claimed' WHERE id = (SELECT min(id) FROM %s WHERE status = 'new') RETURNING id", table, table)
	if err := r.DB.QueryRowContext(ctx, q).Scan(&id); err != nil {
		return 0, err
	}
	return id, nil
}
