// Package chrepo exercises the database rule on clickhouse-go v2's
// native interface: a batch sent, an INSERT through Exec and
// AsyncInsert, reads.
package chrepo

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

type Metrics struct{ Conn driver.Conn }

// Write prepares, fills and sends a batch: Send is the write.
func (m *Metrics) Write(ctx context.Context, names []string) error { // want Write:"writes package state; early"
	batch, err := m.Conn.PrepareBatch(ctx, "INSERT INTO metrics (name)")
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := batch.Append(n); err != nil {
			_ = batch.Abort()
			return err
		}
	}
	return batch.Send()
}

// Prepare only prepares a batch and appends to it: no row is sent.
func (m *Metrics) Prepare(ctx context.Context, name string) (driver.Batch, error) {
	batch, err := m.Conn.PrepareBatch(ctx, "INSERT INTO metrics (name)")
	if err != nil {
		return nil, err
	}
	return batch, batch.Append(name)
}

// Record inserts through Exec.
func (m *Metrics) Record(ctx context.Context, name string) error { // want Record:"writes package state; early"
	return m.Conn.Exec(ctx, "INSERT INTO metrics (name) VALUES (?)", name)
}

// RecordAsync inserts through the server's asynchronous insert.
func (m *Metrics) RecordAsync(ctx context.Context, name string) error { // want RecordAsync:"writes package state; early"
	return m.Conn.AsyncInsert(ctx, "INSERT INTO metrics (name) VALUES (?)", true, name)
}

// Total only reads.
func (m *Metrics) Total(ctx context.Context) (uint64, error) {
	var n uint64
	err := m.Conn.QueryRow(ctx, "SELECT count() FROM metrics").Scan(&n)
	return n, err
}

// Names only reads.
func (m *Metrics) Names(ctx context.Context) ([]string, error) {
	var out []string
	err := m.Conn.Select(ctx, &out, "SELECT name FROM metrics")
	return out, err
}
