// Package untouched holds code that gofmt would change outside the
// methods -fix rewrites; -fix must leave it byte for byte.
package untouched

import (
	"context"
	"os"
)

// Config is read from a file. Its format is described at
//   https://example.com/config
//   https://example.com/config/v2
// (an old-style doc comment: gofmt would indent the links with a tab and
// set them apart with blank comment lines).
type Config struct {
	Path string
	Retries   int // misaligned: gofmt would align the field types
}

var (
	short = 1
	muchLonger   = 2 // misaligned
)



// helper is formatted by hand (and three blank lines above it).
func helper( ) int { return short+muchLonger }

// Loader is an agent. It loads files, see
//   https://example.com/loader
type Loader struct{ cfg Config }

// Load reads the configured file. Its own old-style doc comment is not
// part of the rewrite either:
//   https://example.com/load
func (l *Loader) Load(ctx context.Context) ([]byte, error) { // want Load:"unrouted" `Loader.Load returns an error but is not routed`
	// Read it whole.
	data, err := os.ReadFile(l.cfg.Path)
	if err != nil {
		return nil, err
	}
	return data, nil
}

type unformatted struct{a int; b string}

// Remove removes a file; the context is the one Remove makes.
func (l *Loader) Remove(name string) error { // want Remove:"unrouted" `Loader.Remove returns an error but is not routed`
	return os.Remove(name)
}
//   trailing old-style comment after the last declaration
