// Package configured is tested with -worker-types=Job* -worker-methods=Run
// -worker-interfaces=example.com/configured.Runner -track-funcs=example.com/configured.Observe=outcome
package configured

import "os"

type Runner interface{ Handle() error }

func Observe(err error) {}

// JobA is a worker by type pattern with run method Run.
type JobA struct{}

func (JobA) Run() error { return os.Remove("x") } // want `JobA.Run: the result returned at configured.go:14 is not tracked`

// Handler implements Runner, but its run method must be named Run: Handle is
// not a run method, so it is not a worker.
type Handler struct{}

func (Handler) Handle() error { return nil }

// Impl implements Runner and has a Run method: a worker.
type Impl struct{}

func (Impl) Handle() error { return nil }

func (Impl) Run() error { // want Run:"tracks outcome"
	err := os.Remove("x")
	Observe(err)
	return err
}

// SomeWorker no longer matches: worker-types replaced the default.
type SomeWorker struct{}

func (SomeWorker) Execute() error { return nil }
