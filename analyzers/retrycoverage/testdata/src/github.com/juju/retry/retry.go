// Package retry is a minimal stand-in for github.com/juju/retry v1.0.1,
// with its real signatures (the clock is an interface of its own here).
package retry

import "time"

type Clock interface {
	Now() time.Time
	After(time.Duration) <-chan time.Time
}

// CallArgs holds the work (Func) and how to retry it.
type CallArgs struct {
	Func     func() error
	Attempts int
	Delay    time.Duration
	Clock    Clock
	Stop     <-chan struct{}
}

func Call(args CallArgs) error { return args.Func() }
