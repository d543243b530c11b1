// Package driver stands for clickhouse-go v2's lib/driver: the native
// interface's connection and batch, interfaces whose implementations
// (unexported, in the clickhouse package) write to a server connection.
package driver

import "context"

type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Close() error
	Err() error
}

type Row interface {
	Scan(dest ...any) error
}

type Batch interface {
	Append(v ...any) error
	Abort() error
	Flush() error
	Send() error
}

type Conn interface {
	Ping(ctx context.Context) error
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
	Select(ctx context.Context, dest any, query string, args ...any) error
	PrepareBatch(ctx context.Context, query string) (Batch, error)
	Exec(ctx context.Context, query string, args ...any) error
	AsyncInsert(ctx context.Context, query string, wait bool, args ...any) error
}
