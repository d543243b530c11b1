// Package store is a routed helper in another package: agent methods that
// return its result are routed, which retrycoverage learns through an
// analysis Fact (so golangci-lint must carry Facts across packages).
package store

import (
	"context"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Read reads a file inside recovery.DoValue.
func Read(ctx context.Context, path string) ([]byte, error) {
	return recovery.DoValue(ctx, nil, func(ctx context.Context) ([]byte, error) {
		return os.ReadFile(path)
	})
}
