// Package fallback checks that the recovery entry points with a fallback
// route like the others.
package fallback

import (
	"context"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

type Cache struct{ dir string }

func (c *Cache) Flush(ctx context.Context) error { // want Flush:"routed"
	return recovery.DoFallback(ctx, nil,
		func(ctx context.Context) error { return os.Remove(c.dir) },
		func(ctx context.Context, err error) error { return nil })
}

func (c *Cache) Get(ctx context.Context) ([]byte, error) { // want Get:"routed"
	return recovery.DoValueFallback(ctx, nil,
		func(ctx context.Context) ([]byte, error) { return os.ReadFile(c.dir) },
		func(ctx context.Context, err error) ([]byte, error) { return nil, nil })
}

func (c *Cache) Stat(ctx context.Context) (string, int64, error) { // want Stat:"routed"
	name, size, err := recovery.DoValue2Fallback(ctx, recovery.Default(),
		func(ctx context.Context) (string, int64, error) {
			fi, err := os.Stat(c.dir)
			if err != nil {
				return "", 0, err
			}
			return fi.Name(), fi.Size(), nil
		},
		func(ctx context.Context, err error) (string, int64, error) { return "", 0, nil })
	if err != nil {
		return "", 0, err
	}
	return name, size, nil
}

// Delegate is routed through the routed Get.
func (c *Cache) Delegate(ctx context.Context) ([]byte, error) { // want Delegate:"routed"
	return c.Get(ctx)
}

// InDefer: a fallback entry point in a defer does not count either.
func (c *Cache) InDefer(ctx context.Context) error { // want InDefer:"unrouted" `the recovery call at fallback.go:49 runs in a go or defer statement`
	defer recovery.DoFallback(ctx, nil, func(context.Context) error { return nil }, nil)
	return os.Remove(c.dir)
}
