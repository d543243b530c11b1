// Package gorm is a fake of gorm.io/gorm: a chain whose error is a field,
// and Transaction, which begins, runs fc and commits.
package gorm

import "context"

type DB struct {
	Error error
	n     int
}

func (db *DB) WithContext(ctx context.Context) *DB { return db }

func (db *DB) Create(v any) *DB { return db }

func (db *DB) Transaction(fc func(tx *DB) error) error { return fc(db) }
