// Package gormrepo exercises gorm (gormwrites.go): finishers whose error
// is the Error field of the *gorm.DB they return, the writes among them,
// and a transaction helper that commits: gorm's DB.Transaction.
package gormrepo

import (
	"context"

	"gorm.io/gorm"
)

type Repo struct{ DB *gorm.DB }

type User struct {
	ID   int
	Name string
}

// Move runs a transaction through the helper, which commits it.
func (r *Repo) Move(ctx context.Context, v any) error { // want Move:"writes package state; early"
	return r.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return tx.Create(v).Error
	})
}

// Get reads: safe.
func (r *Repo) Get(ctx context.Context, id int) (*User, error) {
	var u User
	if err := r.DB.WithContext(ctx).First(&u, id).Error; err != nil {
		return nil, err
	}
	return &u, nil
}

// Tally reads with raw SQL: safe.
func (r *Repo) Tally(ctx context.Context) (int, error) {
	var n int
	res := r.DB.WithContext(ctx).Raw("SELECT count(*) FROM users").Scan(&n)
	return n, res.Error
}

// Insert inserts.
func (r *Repo) Insert(ctx context.Context, u *User) error { // want Insert:"writes package state; early"
	return r.DB.WithContext(ctx).Create(u).Error
}

// Rename updates, its result kept in a variable.
func (r *Repo) Rename(ctx context.Context, id int, name string) error { // want Rename:"writes package state; early"
	res := r.DB.WithContext(ctx).Model(&User{}).Where("id = ?", id).Update("name", name)
	if res.Error != nil {
		return res.Error
	}
	return nil
}

// Bump runs an UPDATE through Raw and Scan.
func (r *Repo) Bump(ctx context.Context) (int, error) { // want Bump:"writes package state; early"
	var n int
	err := r.DB.Raw("UPDATE counters SET n = n + 1 RETURNING n").Scan(&n).Error
	return n, err
}

// Purge runs a statement through Exec.
func (r *Repo) Purge(ctx context.Context) error { // want Purge:"writes package state; early"
	return r.DB.WithContext(ctx).Exec("DELETE FROM users WHERE stale").Error
}

// Swap deletes then creates in a transaction it begins, then commits.
func (r *Repo) Swap(ctx context.Context, old, u *User) error { // want Swap:"writes package state; early"
	tx := r.DB.WithContext(ctx).Begin()
	if err := tx.Delete(old).Error; err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Create(u).Error; err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit().Error
}
