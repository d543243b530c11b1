// Package gormrepo exercises a transaction helper that commits: gorm's
// DB.Transaction.
package gormrepo

import (
	"context"

	"gorm.io/gorm"
)

type Repo struct{ DB *gorm.DB }

// Move runs a transaction through the helper, which commits it.
func (r *Repo) Move(ctx context.Context, v any) error { // want Move:"writes package state; early"
	return r.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return tx.Create(v).Error
	})
}
