// Package helpers is not an agents package: its routed functions carry a
// Fact that agents in other packages rely on.
package helpers

import (
	"context"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Remove is routed: it exports the RoutedFunc fact.
func Remove(ctx context.Context, path string) error { // want Remove:"routed"
	if path == "" {
		return os.ErrInvalid
	}
	return recovery.Do(ctx, nil, func(ctx context.Context) error { return os.Remove(path) })
}

// Indirect is routed through Remove.
func Indirect(ctx context.Context, path string) error { // want Indirect:"routed"
	return Remove(ctx, path)
}

// Plain is not routed.
func Plain(path string) error { return os.Remove(path) }

// Validate is not routed: it does no work, so it carries no fact.
func Validate(path string) error { // want Validate:"validator"
	if path == "" {
		return os.ErrInvalid
	}
	return nil
}

type Client struct{}

// Get is a routed method: methods carry facts too.
func (c *Client) Get(ctx context.Context) ([]byte, error) { // want Get:"routed"
	return recovery.DoValue(ctx, nil, func(ctx context.Context) ([]byte, error) { return os.ReadFile("x") })
}
