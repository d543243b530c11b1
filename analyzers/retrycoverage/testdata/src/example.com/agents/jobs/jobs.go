// Package jobs has job-queue handlers as agents: a framework runs them and
// retries a job whose handler fails, so a retry around the handler would
// multiply the framework's attempts and retry the errors it is told not
// to retry (asynq.SkipRetry, river.JobCancel over a transient error).
package jobs

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hibiken/asynq"
	"github.com/riverqueue/river"
)

// Mailer sends mail through an HTTP API.
type Mailer struct{ client *http.Client }

// send is the handlers' work (unexported: no agent method of its own).
func (m *Mailer) send(ctx context.Context, to string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://mail/send?to="+to, nil)
	if err != nil {
		return err
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// EmailHandler is an asynq.Handler.
type EmailHandler struct{ m *Mailer }

func (h *EmailHandler) ProcessTask(ctx context.Context, t *asynq.Task) error { // want `^EmailHandler.ProcessTask returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: asynq runs it for each task through asynq.Handler and retries the task when it fails, and a retry around it would multiply that retry's attempts and retry the errors that tell asynq not to \(configure asynq's retries instead, or mark it //resilience:noretry <reason>\)$`
	if len(t.Payload()) == 0 {
		return fmt.Errorf("empty payload: %w", asynq.SkipRetry)
	}
	return h.m.send(ctx, string(t.Payload()))
}

// SendArgs are the arguments of a "send" job.
type SendArgs struct{ To string }

// Kind is the job kind.
func (SendArgs) Kind() string { return "send" }

// Sender is a river.Worker[SendArgs] (WorkerDefaults has its other
// methods).
type Sender struct {
	river.WorkerDefaults[SendArgs]
	m *Mailer
}

func (w *Sender) Work(ctx context.Context, job *river.Job[SendArgs]) error { // want `^Sender.Work returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: river runs it for each job through river.Worker\[SendArgs\] and retries the job when it fails`
	if err := w.m.send(ctx, job.Args.To); err != nil {
		if job.Attempt >= 5 {
			return river.JobCancel(err)
		}
		return err
	}
	return nil
}

// Lookalike has the methods' names but not the frameworks' signatures:
// nothing runs it for a framework.
type Lookalike struct{ m *Mailer }

func (l *Lookalike) ProcessTask(ctx context.Context, to string) error { // want ProcessTask:"unrouted" `^Lookalike.ProcessTask returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return l.m.send(ctx, to)
}

// Work takes a river.Job, but Lookalike is no river.Worker (no NextRetry
// or Timeout): a river client cannot run it.
func (l *Lookalike) Work(ctx context.Context, job *river.Job[SendArgs]) error { // want Work:"unrouted" `^Lookalike.Work returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	if job.Args.To == "" {
		return errors.New("no recipient")
	}
	return l.m.send(ctx, job.Args.To)
}
