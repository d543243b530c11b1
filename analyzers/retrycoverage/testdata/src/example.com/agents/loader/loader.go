package loader

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	rec "github.com/resilience-lint/resilience-lint/runtime/recovery"
)

var ErrEmptyPath = errors.New("empty path")

type Table struct{ rows int }

// MyErr is an alias of error: methods returning it are in scope.
type MyErr = error

// Options has no in-scope method: in an agents package it is not an agent.
type Options struct{ Retries int }

func (o Options) String() string { return "options" }

type DataLoader struct{ dir string }

// LoadCSV is routed: validation guards, then DoValue (aliased import).
func (l *DataLoader) LoadCSV(ctx context.Context, path string) (*Table, error) { // want LoadCSV:"routed"
	if path == "" {
		return nil, ErrEmptyPath
	}
	if len(path) > 100 {
		return nil, fmt.Errorf("path too long: %d", len(path))
	}
	return rec.DoValue(ctx, rec.Default(), func(ctx context.Context) (*Table, error) {
		_, err := os.ReadFile(path)
		return &Table{}, err
	})
}

// Save is routed through Do with a value receiver check below.
func (l DataLoader) Save(ctx context.Context) error { // want Save:"routed"
	return rec.Do(ctx, nil, func(ctx context.Context) error { return os.WriteFile(l.dir, nil, 0o600) })
}

// Pair is routed through DoValue2 with results used after the call.
func (l *DataLoader) Pair(ctx context.Context) (int, string, error) { // want Pair:"routed"
	a, b, err := rec.DoValue2(ctx, nil, func(ctx context.Context) (int, string, error) { return 1, "", os.Remove(l.dir) })
	if err != nil {
		return 0, "", fmt.Errorf("pair: %w", err)
	}
	return a, b, nil
}

func (l *DataLoader) Read(path string) ([]byte, error) { // want Read:"unrouted" `DataLoader.Read returns an error but is not routed through runtime/recovery \(run resilience-lint -fix, or mark it //resilience:noretry <reason>\)`
	return os.ReadFile(path)
}

// Alias returns an alias of error.
func (l DataLoader) Alias() MyErr { // want Alias:"unrouted" `DataLoader.Alias returns an error but is not routed`
	return os.Remove(l.dir)
}

// WorkBefore does work that can fail before the retry call.
func (l *DataLoader) WorkBefore(ctx context.Context, path string) error { // want WorkBefore:"nests" `DataLoader.WorkBefore returns an error but is not routed through runtime/recovery: the error returned at loader.go:67 comes from work done before the recovery call at loader.go:69; -fix cannot rewrite it: it mixes work inside a retry`
	if _, err := os.Stat(path); err != nil {
		return err
	}
	return rec.Do(ctx, nil, func(ctx context.Context) error { return nil })
}

// SomeBranch retries only when fast is false.
func (l *DataLoader) SomeBranch(ctx context.Context, fast bool) error { // want SomeBranch:"nests" `DataLoader.SomeBranch returns an error but is not routed through runtime/recovery: the return at loader.go:75 is reached on a path that does not call a recovery entry point; -fix cannot rewrite it: it mixes work inside a retry \(the recovery call at loader.go:77\)`
	if fast {
		return os.Remove(l.dir)
	}
	return rec.Do(ctx, nil, func(ctx context.Context) error { return os.Remove(l.dir) })
}

// InGoroutine starts the retry in a goroutine: it does not count.
func (l *DataLoader) InGoroutine(ctx context.Context) error { // want InGoroutine:"unrouted" `DataLoader.InGoroutine returns an error but is not routed through runtime/recovery: the recovery call at loader.go:82 runs in a go or defer statement, which does not count; the error returned at loader.go:83 is not retried`
	go rec.Do(ctx, nil, func(ctx context.Context) error { return nil })
	return os.Remove(l.dir)
}

// Unknown calls a function of the recovery package that is not an entry point.
func (l *DataLoader) Unknown(ctx context.Context) error { // want Unknown:"unrouted" `DataLoader.Unknown returns an error but is not routed`
	return rec.Retry(ctx, func(ctx context.Context) error { return nil })
}

// Panics on one path: that path needs nothing.
func (l *DataLoader) Panics(ctx context.Context, n int) error { // want Panics:"routed"
	if n < 0 {
		panic("negative")
	}
	if n == 0 {
		os.Exit(2)
	}
	return rec.Do(ctx, nil, func(ctx context.Context) error { return nil })
}

// Nothing does no work that can fail: it is fine.
func (l *DataLoader) Nothing() error { // want Nothing:"validator"
	if l.dir == "" {
		return ErrEmptyPath
	}
	return nil
}

// SwallowsWork ignores the error of its work: no failure of it reaches
// the result, so there is nothing to retry (a retry runs only on an
// error), and it is routed, and a validator to its callers.
func (l *DataLoader) SwallowsWork() error { // want SwallowsWork:"validator"
	_ = os.Remove(l.dir)
	return nil
}

// Stream consumes a one-shot reader: reported, and -fix refuses.
func (l *DataLoader) Stream(r io.Reader) error { // want `DataLoader.Stream returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it consumes r, an io.Reader that is not an io.Seeker`
	_, err := io.ReadAll(r)
	return err
}

// Drain receives from a channel: reported, and -fix refuses.
func (l *DataLoader) Drain(ch <-chan int) error { // want `-fix cannot rewrite it: it receives from the channel ch`
	for range ch {
	}
	return os.Remove(l.dir)
}

// Export writes to a one-shot output: reported, and -fix refuses.
func (l *DataLoader) Export(w io.Writer) error { // want `^DataLoader.Export returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it writes to w, an io.Writer that is not an io.Seeker, so an attempt after a partial write would write the data again \(give each attempt a fresh input or output, such as a buffer, or mark the method //resilience:noretry <reason>\)$`
	b, err := os.ReadFile(l.dir)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// ExportFile writes to a file, which seeks, so targets.OneShot lets it
// be; but nothing seeks back before a retry, so an attempt after a partial
// write would write the data again (retrysafety): -fix refuses it.
func (l *DataLoader) ExportFile(f *os.File) error { // want `DataLoader.ExportFile returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it writes to f \(WriteString\) at loader.go:\d+ in f.WriteString, a call that can fail; a stream is not rewound`
	_, err := f.WriteString(l.dir)
	return err
}

// Skipped is exempt with a reason.
//
//resilience:noretry writes are not idempotent
func (l *DataLoader) Skipped() error {
	return os.Remove(l.dir)
}

// NoReason has a directive without a reason: reported, and not exempt.
//
//resilience:noretry // want `//resilience:noretry on DataLoader.NoReason needs a reason`
func (l *DataLoader) NoReason() error { // want NoReason:"unrouted" `DataLoader.NoReason returns an error but is not routed`
	return os.Remove(l.dir)
}

// Ignored is exempt from both analyzers.
//
//resilience:ignore legacy path, removed in v2
func (l *DataLoader) Ignored() error {
	return os.Remove(l.dir)
}

// unexported methods are out of scope.
func (l *DataLoader) load() error { return os.Remove(l.dir) }

// Count cannot fail: out of scope.
func (l *DataLoader) Count() int { return 0 }

// Cache is a generic agent.
type Cache[K comparable, V any] struct{ m map[K]V }

// Get is routed through the generic entry point.
func (c *Cache[K, V]) Get(ctx context.Context, k K) (V, error) { // want Get:"routed"
	return rec.DoValue(ctx, nil, func(ctx context.Context) (V, error) { return c.m[k], nil })
}

func (c *Cache[K, V]) Fetch(k K) (V, error) { // want Fetch:"unrouted" `Cache.Fetch returns an error but is not routed`
	var zero V
	return zero, os.Remove("x")
}

// Helper delegates to a routed function of the same package.
func (l *DataLoader) Helper(ctx context.Context) error { // want Helper:"routed"
	return l.retried(ctx)
}

func (l *DataLoader) retried(ctx context.Context) error { // want retried:"routed"
	return rec.Do(ctx, nil, func(ctx context.Context) error { return os.Remove(l.dir) })
}

// Ignored type: every method is exempt.
//
//resilience:ignore vendored client
type Vendored struct{}

func (Vendored) Call() error { return os.Remove("x") }

// LoadWorker is a worker (name ends in Worker, has Execute): not an agent.
type LoadWorker struct{}

func (LoadWorker) Execute(ctx context.Context) error { return os.Remove("x") }

func (LoadWorker) Other() error { return os.Remove("x") }

// Validated checks its argument with a local validator, then retries.
func (l *DataLoader) Validated(ctx context.Context, path string) error { // want Validated:"routed"
	if err := validPath(path); err != nil {
		return fmt.Errorf("validated: %w", err)
	}
	return rec.Do(ctx, nil, func(ctx context.Context) error { return os.Remove(path) })
}

func validPath(path string) error { // want validPath:"validator"
	if path == "" {
		return ErrEmptyPath
	}
	return checkLen(path)
}

func checkLen(path string) error { // want checkLen:"validator"
	if len(path) > 10 {
		return errors.New("too long")
	}
	return nil
}

// QuietWorker is a worker whose run method cannot fail: still not an agent.
type QuietWorker struct{}

func (QuietWorker) Execute() {}

func (QuietWorker) Flush() error { return os.Remove("x") }
