// Package looped delegates to the hand-rolled retry loops of package
// retryloop (known through their facts) and has loops of its own.
package looped

import (
	"context"
	"encoding/json"
	"os"
	"time"

	"example.com/backoffhelper"
	"example.com/retryloop"
)

type Svc struct {
	c     *retryloop.Client
	timer <-chan time.Time
}

// Load delegates to a function of another package that retries on its
// own: routed.
func (s *Svc) Load(ctx context.Context, path string) ([]byte, error) { // want Load:"routed by its own retry at retryloop.go:17"
	if path == "" {
		return nil, os.ErrInvalid
	}
	return retryloop.Fetch(ctx, path, s.timer)
}

// Get delegates to a method whose helper retries: routed.
func (s *Svc) Get(ctx context.Context, name string) ([]byte, error) { // want Get:"routed by its own retry at retryloop.go:122"
	return s.c.Get(ctx, name)
}

// Own retries on its own.
func (s *Svc) Own(ctx context.Context, path string) error { // want Own:"routed by its own retry at looped.go:37"
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = os.Remove(path); err == nil {
			return nil
		}
	}
	return err
}

// Decode decodes what the helper's retry fetched: decoding bytes in hand
// fails only on them, so its work that can fail runs in that retry.
func (s *Svc) Decode(ctx context.Context, name string) (map[string]any, error) { // want Decode:"routed by its own retry at retryloop.go:122"
	b, err := s.c.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// After does work after its own retry loop.
func (s *Svc) After(ctx context.Context, path string) error { // want After:"nests" `^Svc.After returns an error but is not routed through runtime/recovery: the error returned at looped.go:67 comes from os.Remove at looped.go:67, which runs after the retry loop at looped.go:61, outside it; -fix cannot rewrite it: it mixes work inside a retry \(the retry loop at looped.go:61\)`
	for range s.timer {
		if _, err := os.Stat(path); err != nil {
			continue
		}
		break
	}
	return os.Remove(path)
}

// Backoff waits through a helper of another package (its WaitFunc fact):
// a retry loop of its own.
func (s *Svc) Backoff(ctx context.Context, path string) error { // want Backoff:"waits" Backoff:"routed by its own retry at looped.go:73"
	for attempt := 0; ; attempt++ {
		err := os.Remove(path)
		if err == nil {
			return nil
		}
		if err := backoffhelper.Pause(ctx); err != nil {
			return err
		}
	}
}

// Helper hands its work to a retry helper of another package as a
// closure: routed by that helper's loop.
func (s *Svc) Helper(ctx context.Context, path string) error { // want Helper:"waits" Helper:"routed by its own retry at retryloop.go:194"
	return retryloop.Backoff(ctx, func() (int, error) { return 0, os.Remove(path) }, 3)
}

// Execute retries through the helper only when asked to (go-resty's
// Request.Execute): the other path does the same work outside any retry,
// and wrapping the body would nest the helper's retry.
func (s *Svc) Execute(ctx context.Context, path string, retries int) error { // want Execute:"waits" Execute:"nests" `^Svc.Execute returns an error but is not routed through runtime/recovery: the return at looped.go:95 is reached on a path that does not call a recovery entry point; -fix cannot rewrite it: it mixes work inside a retry \(the call to routed retryloop.Backoff at looped.go:97\) with work outside it, and wrapping its body would nest that retry`
	if retries == 0 {
		return os.Remove(path)
	}
	return retryloop.Backoff(ctx, func() (int, error) { return 0, os.Remove(path) }, retries)
}

// Save does work of its own after the helper's retry: it mixes work in
// a retry with work outside it, and gets no fix.
func (s *Svc) Save(ctx context.Context, name string) error { // want Save:"nests" `^Svc.Save returns an error but is not routed through runtime/recovery: the error returned at looped.go:\d+ comes from os.WriteFile at looped.go:\d+, which runs after the call to routed retryloop.Client.Get at looped.go:\d+, outside it; -fix cannot rewrite it: it mixes work inside a retry \(the call to routed retryloop.Client.Get at looped.go:\d+\) with work outside it`
	b, err := s.c.Get(ctx, name)
	if err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o644)
}
