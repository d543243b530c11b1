// Package configured is tested with -agent-types=Repo,example.com/configured.Svc*
// -retry-funcs=example.com/configured.Retry,example.com/configured.Runner.Run.
package configured

import (
	"context"
	"os"
)

// Retry wraps runtime/recovery in this code base.
func Retry(ctx context.Context, fn func(context.Context) error) error { return fn(ctx) }

type Runner struct{}

func (Runner) Run(fn func() error) error { return fn() }

type Repo struct{ r Runner }

func (Repo) Put() error { return os.Remove("x") } // want Put:"unrouted" `Repo.Put returns an error but is not routed`

// Get is routed through a configured entry point.
func (Repo) Get(ctx context.Context) error { // want Get:"routed"
	return Retry(ctx, func(ctx context.Context) error { return os.Remove("x") })
}

// Del is routed through a configured method entry point.
func (r Repo) Del() error { // want Del:"routed"
	return r.r.Run(func() error { return os.Remove("x") })
}

type SvcA struct{}

func (SvcA) Put() error { return os.Remove("x") } // want Put:"unrouted" `SvcA.Put returns an error but is not routed`

type Other struct{}

func (Other) Put() error { return os.Remove("x") }
