// Package metrics is a hand-written metrics writer over clickhouse-go's
// native interface (driver.Conn), as a service would have one: a batch
// of points prepared, appended and sent, an INSERT through Exec, an
// asynchronous insert, a query of totals, a row scan and a ping.
package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Point is one sample.
type Point struct {
	Name  string
	Value float64
	At    time.Time
}

// Metrics writes and reads points.
type Metrics struct {
	Conn driver.Conn
}

// Write sends points in one batch.
func (m *Metrics) Write(ctx context.Context, points []Point) error {
	batch, err := m.Conn.PrepareBatch(ctx, "INSERT INTO metrics (name, value, at)")
	if err != nil {
		return err
	}
	for _, p := range points {
		if err := batch.Append(p.Name, p.Value, p.At); err != nil {
			_ = batch.Abort()
			return err
		}
	}
	return batch.Send()
}

// Record inserts one point.
func (m *Metrics) Record(ctx context.Context, p Point) error {
	return m.Conn.Exec(ctx, "INSERT INTO metrics (name, value, at) VALUES (?, ?, ?)", p.Name, p.Value, p.At)
}

// RecordAsync inserts one point with the server's asynchronous insert,
// waiting for it.
func (m *Metrics) RecordAsync(ctx context.Context, p Point) error {
	return m.Conn.AsyncInsert(ctx, "INSERT INTO metrics (name, value, at) VALUES (?, ?, ?)", true, p.Name, p.Value, p.At)
}

// Totals returns the sum of each metric since a time.
func (m *Metrics) Totals(ctx context.Context, since time.Time) (map[string]float64, error) {
	rows, err := m.Conn.Query(ctx, "SELECT name, sum(value) FROM metrics WHERE at >= ? GROUP BY name", since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var name string
		var sum float64
		if err := rows.Scan(&name, &sum); err != nil {
			return nil, err
		}
		out[name] = sum
	}
	return out, rows.Err()
}

// Last returns the latest value of a metric.
func (m *Metrics) Last(ctx context.Context, name string) (float64, error) {
	var v float64
	if err := m.Conn.QueryRow(ctx, "SELECT value FROM metrics WHERE name = ? ORDER BY at DESC LIMIT 1", name).Scan(&v); err != nil {
		return 0, fmt.Errorf("last %s: %w", name, err)
	}
	return v, nil
}

// Ping checks the server.
func (m *Metrics) Ping(ctx context.Context) error {
	return m.Conn.Ping(ctx)
}
