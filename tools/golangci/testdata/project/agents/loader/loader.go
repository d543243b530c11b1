// Package loader is an agent package by default: its path has an element
// "agents".
package loader

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"

	"example.com/fixture/store"
)

// ErrEmptyPath is returned for an empty path, before any work.
var ErrEmptyPath = errors.New("loader: empty path")

// Table is a loaded table.
type Table struct {
	Rows []string
}

// DataLoader loads tables.
type DataLoader struct {
	dir string
}

// Load is not routed through recovery: reported, and -fix rewrites it.
func (l *DataLoader) Load(ctx context.Context, path string) (*Table, error) {
	if path == "" {
		return nil, ErrEmptyPath
	}
	data, err := os.ReadFile(l.dir + "/" + path)
	if err != nil {
		return nil, err
	}
	return &Table{Rows: strings.Split(string(data), "\n")}, nil
}

// LoadRouted runs its work inside recovery.DoValue: not reported.
func (l *DataLoader) LoadRouted(ctx context.Context, path string) (*Table, error) {
	return recovery.DoValue(ctx, recovery.Default(), func(ctx context.Context) (*Table, error) {
		data, err := os.ReadFile(l.dir + "/" + path)
		if err != nil {
			return nil, err
		}
		return &Table{Rows: strings.Split(string(data), "\n")}, nil
	})
}

// Raw delegates to store.Read, which is routed: not reported.
func (l *DataLoader) Raw(ctx context.Context, path string) ([]byte, error) {
	return store.Read(ctx, l.dir+"/"+path)
}

// Remove is not routed either, but golangci-lint's nolint directive
// suppresses the finding.
//
//nolint:retrycoverage // the plugin test checks that this suppresses a finding
func (l *DataLoader) Remove(ctx context.Context, path string) error {
	return os.Remove(l.dir + "/" + path)
}

// Ping must fail fast.
//
//resilience:noretry a health check reports the first failure
func (l *DataLoader) Ping(ctx context.Context) error {
	_, err := os.Stat(l.dir)
	return err
}

// Dir has no error result: out of scope.
func (l *DataLoader) Dir() string { return l.dir }
