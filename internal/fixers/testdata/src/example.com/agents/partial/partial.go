// Package partial holds agent methods whose leading statements write
// state that outlives an attempt: -fix keeps them outside the retry, so
// they still run once, and wraps the rest.
package partial

import (
	"context"
	"strconv"
)

func load(ctx context.Context, key string) (string, error) { return key, ctx.Err() }

// Agent is an agent.
type Agent struct {
	calls int
	last  string
}

// Fetch counts the call and remembers the key, then loads.
func (a *Agent) Fetch(ctx context.Context, key string) (string, error) { // want Fetch:"unrouted" `Agent.Fetch returns an error but is not routed through runtime/recovery; -fix retries only the statements after partial.go:22, as it increments a.calls at partial.go:21 before the call that can fail \(load at partial.go:23\); a retry would repeat it \(run resilience-lint -fix`
	a.calls++
	a.last = key
	v, err := load(ctx, key)
	if err != nil {
		return "", err
	}
	return v + a.last, nil
}

// Numbered computes a key from the count before counting: both stay
// outside, and the retry reads the key they computed.
func (a *Agent) Numbered(ctx context.Context) (string, error) { // want Numbered:"unrouted" `-fix retries only the statements after partial.go:34, as it increments a.calls at partial.go:34`
	key := strconv.Itoa(a.calls)
	a.calls++
	return load(ctx, key)
}

// Guarded validates first, then counts, then loads.
func (a *Agent) Guarded(ctx context.Context, key string) error { // want Guarded:"unrouted" `-fix retries only the statements after partial.go:43, as it increments a.calls at partial.go:43`
	if key == "" {
		return nil
	}
	a.calls++
	_, err := load(ctx, key)
	return err
}
