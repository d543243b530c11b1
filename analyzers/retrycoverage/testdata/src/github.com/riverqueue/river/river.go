// Package river is a stand-in for github.com/riverqueue/river v0.51: a
// client works each job with its Worker's Work and retries a job whose
// Work fails (MaxAttempts, 25 by default).
package river

import (
	"context"
	"time"
)

// JobArgs are the arguments of a job kind.
type JobArgs interface{ Kind() string }

// Job is a job with its decoded arguments.
type Job[T JobArgs] struct {
	Attempt int
	Args    T
}

// Worker works jobs of one kind.
type Worker[T JobArgs] interface {
	NextRetry(job *Job[T]) time.Time
	Timeout(job *Job[T]) time.Duration
	Work(ctx context.Context, job *Job[T]) error
}

// WorkerDefaults implements every method of Worker but Work.
type WorkerDefaults[T JobArgs] struct{}

// NextRetry returns the zero time: the client's retry policy decides.
func (w WorkerDefaults[T]) NextRetry(*Job[T]) time.Time { return time.Time{} }

// Timeout returns 0: the client's timeout applies.
func (w WorkerDefaults[T]) Timeout(*Job[T]) time.Duration { return 0 }

type cancelError struct{ err error }

func (e *cancelError) Error() string { return "JobCancelError: " + e.err.Error() }
func (e *cancelError) Unwrap() error { return e.err }

// JobCancel tells the client not to retry the job.
func JobCancel(err error) error { return &cancelError{err} }
