// Package gorm is a fake of gorm.io/gorm: a chain whose error is a field,
// and Transaction, which begins, runs fc and commits.
package gorm

import "context"

type DB struct {
	Error error
	n     int
}

func (db *DB) WithContext(ctx context.Context) *DB { return db }

func (db *DB) Model(v any) *DB { return db }

func (db *DB) Where(q any, args ...any) *DB { return db }

func (db *DB) Raw(sql string, args ...any) *DB { return db }

func (db *DB) Begin() *DB { return db }

func (db *DB) Commit() *DB { return db }

func (db *DB) Rollback() *DB { return db }

func (db *DB) First(dest any, conds ...any) *DB { return db }

func (db *DB) Find(dest any, conds ...any) *DB { return db }

func (db *DB) Scan(dest any) *DB { return db }

func (db *DB) Create(v any) *DB { return db }

func (db *DB) Save(v any) *DB { return db }

func (db *DB) Update(column string, v any) *DB { return db }

func (db *DB) Delete(v any, conds ...any) *DB { return db }

func (db *DB) Exec(sql string, args ...any) *DB { return db }

func (db *DB) Transaction(fc func(tx *DB) error) error { return fc(db) }
