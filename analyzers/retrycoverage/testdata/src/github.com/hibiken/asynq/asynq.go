// Package asynq is a stand-in for github.com/hibiken/asynq v0.26: its
// server calls a Handler's ProcessTask for each task and retries a task
// whose handler fails (MaxRetry, 25 by default).
package asynq

import (
	"context"
	"errors"
)

// Task is a unit of work.
type Task struct{ payload []byte }

// Payload returns the task's payload.
func (t *Task) Payload() []byte { return t.payload }

// Handler processes tasks.
type Handler interface {
	ProcessTask(context.Context, *Task) error
}

// SkipRetry tells the server not to retry the task.
var SkipRetry = errors.New("skip retry for the task")
