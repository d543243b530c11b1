// Package gocql is a stand-in for github.com/gocql/gocql.
package gocql

import (
	"context"
	"errors"
)

// fail stands for a request to the cluster.
func fail() error { return errors.New("unavailable") }

type Session struct{ ctx context.Context }

type Query struct {
	stmt   string
	values []any
	ctx    context.Context
}

type Iter struct{ err error }

type Batch struct{ entries []string }

type BatchType int

const LoggedBatch BatchType = 0

func (s *Session) Query(stmt string, values ...any) *Query {
	return &Query{stmt: stmt, values: values}
}

func (s *Session) NewBatch(t BatchType) *Batch { return &Batch{} }

func (s *Session) ExecuteBatch(b *Batch) error { return fail() }

func (b *Batch) Query(stmt string, args ...any) {}

func (q *Query) WithContext(ctx context.Context) *Query { q.ctx = ctx; return q }

func (q *Query) Idempotent(v bool) *Query { return q }

func (q *Query) Exec() error { return fail() }

func (q *Query) Scan(dest ...any) error { return fail() }

func (q *Query) ScanCAS(dest ...any) (bool, error) { return true, fail() }

func (q *Query) Iter() *Iter { return &Iter{} }

func (it *Iter) Scan(dest ...any) bool { return false }

func (it *Iter) Close() error { return fail() }
