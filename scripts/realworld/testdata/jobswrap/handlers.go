package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hibiken/asynq"
	"github.com/riverqueue/river"
)

// EmailPayload is the payload of an "email:send" asynq task.
type EmailPayload struct {
	To   string `json:"to"`
	Body string `json:"body"`
}

// EmailHandler processes "email:send" tasks (asynq.Handler).
//
//resilience:worker
type EmailHandler struct {
	Mailer *Mailer
}

// ProcessTask sends the task's mail. A payload that does not decode is
// never retried (SkipRetry), nor is a send over the daily quota (429); a
// mailbox that is gone revokes the task.
func (h *EmailHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p EmailPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("json.Unmarshal failed: %v: %w", err, asynq.SkipRetry)
	}
	if p.To == "" {
		panic("email task without a recipient")
	}
	if err := h.Mailer.Send(ctx, p.To, p.Body); err != nil {
		var se *StatusError
		if errors.As(err, &se) && se.Code == http.StatusGone {
			return fmt.Errorf("mailbox %s: %w", p.To, asynq.RevokeTask)
		}
		if errors.As(err, &se) && se.Code == http.StatusTooManyRequests {
			return fmt.Errorf("daily quota: %w: %w", err, asynq.SkipRetry)
		}
		return fmt.Errorf("send to %s: %w", p.To, err)
	}
	return nil
}

// SendArgs are the arguments of a river "send" job.
type SendArgs struct {
	To   string `json:"to"`
	Body string `json:"body"`
}

// Kind is the job kind.
func (SendArgs) Kind() string { return "send" }

// SendWorker works "send" jobs (river.Worker[SendArgs]).
type SendWorker struct {
	river.WorkerDefaults[SendArgs]
	Mailer *Mailer
}

// Work sends the job's mail: a 429 snoozes the job for a minute, a gone
// mailbox cancels it, and so does any failure from the fifth attempt on.
func (w *SendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	err := w.Mailer.Send(ctx, job.Args.To, job.Args.Body)
	if err == nil {
		return nil
	}
	var se *StatusError
	switch {
	case errors.As(err, &se) && se.Code == http.StatusTooManyRequests:
		return river.JobSnooze(time.Minute)
	case errors.As(err, &se) && se.Code == http.StatusGone:
		return river.JobCancel(err)
	case job.Attempt >= 5:
		return river.JobCancel(fmt.Errorf("giving up after %d attempts: %w", job.Attempt, err))
	}
	return err
}
