// Package model declares a model interface implemented elsewhere (as
// bun's schema.Model is, in package bun).
package model

import (
	"context"
	"database/sql"
)

type Model interface {
	ScanRows(ctx context.Context, rows *sql.Rows) (int, error)
}
