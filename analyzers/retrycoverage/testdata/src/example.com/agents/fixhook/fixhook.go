// Package fixhook is checked with a Fix hook that refuses Refused and
// rewrites the others, and with policy "s.policy".
package fixhook

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

var errEmpty = errors.New("empty")

type Svc struct{ policy *recovery.Policy }

func (s *Svc) Refused(ctx context.Context) error { // want `^Svc.Refused returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: refused for the test \(route it by hand, or mark it //resilience:noretry <reason>\)$`
	return os.Remove("x")
}

func (s *Svc) Fixable(ctx context.Context, path string) (int, error) { // want Fixable:"unrouted" `^Svc.Fixable returns an error but is not routed through runtime/recovery \(run resilience-lint -fix, or mark it //resilience:noretry <reason>\)$`
	if path == "" {
		return 0, errEmpty
	}
	if len(path) > 3 {
		return 0, fmt.Errorf("path %q too long", path)
	}
	if err := check(path); err != nil {
		return 0, err
	}
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	return 1, nil
}

func (s *Svc) NoCtx(_ context.Context) error { // want NoCtx:"unrouted" `Svc.NoCtx returns an error`
	return os.Remove("x")
}

func (s *Svc) Done(ctx context.Context) error { // want Done:"routed"
	return recovery.Do(ctx, s.policy, func(ctx context.Context) error { return os.Remove("x") })
}

//resilience:noretry deletes are not idempotent here
func (s *Svc) Exempted() error { return os.Remove("x") }

// check is a validator: it makes no call that can fail.
func check(path string) error { // want check:"validator"
	if path[0] == '/' {
		return fmt.Errorf("absolute path %s", path)
	}
	return nil
}
