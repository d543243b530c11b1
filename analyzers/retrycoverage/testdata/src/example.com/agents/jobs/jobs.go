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

// Send is the asynq handler's work: asynq retries the task it runs in.
func (m *Mailer) Send(ctx context.Context, to string) error { // want `^Mailer.Send returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs in each attempt of asynq's retry of each task \(asynq.Handler\) at jobs.go:\d+ in EmailHandler.ProcessTask, and a retry around it would multiply that retry's attempts`
	return m.send(ctx, to)
}

// Notify is called by Lookalike only: nothing retries it yet.
func (m *Mailer) Notify(ctx context.Context, to string) error { // want Notify:"unrouted" `^Mailer.Notify returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return m.send(ctx, to)
}

// Ping is reached from river's Worker through an unexported helper.
func (m *Mailer) Ping(ctx context.Context) error { // want `^Mailer.Ping returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs in each attempt of river's retry of each job \(river.Worker\[SendArgs\]\) at jobs.go:\d+ in Sender.Work, through Sender.check, and a retry`
	return m.send(ctx, "ping")
}

// send is the work of the methods above (unexported: no agent method).
func (m *Mailer) send(ctx context.Context, to string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, "http://mail/send?to="+to, nil)
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
	return h.m.Send(ctx, string(t.Payload()))
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
	if err := w.check(ctx); err != nil {
		return err
	}
	if err := w.m.send(ctx, job.Args.To); err != nil {
		if job.Attempt >= 5 {
			return river.JobCancel(err)
		}
		return err
	}
	return nil
}

func (w *Sender) check(ctx context.Context) error { return w.m.Ping(ctx) }

// Lookalike has the methods' names but not the frameworks' signatures:
// nothing runs it for a framework.
type Lookalike struct{ m *Mailer }

func (l *Lookalike) ProcessTask(ctx context.Context, to string) error { // want ProcessTask:"unrouted" `^Lookalike.ProcessTask returns an error but is not routed through runtime/recovery: it delegates to Mailer.Notify, which must be routed first`
	return l.m.Notify(ctx, to)
}

// Work takes a river.Job, but Lookalike is no river.Worker (no NextRetry
// or Timeout): a river client cannot run it.
func (l *Lookalike) Work(ctx context.Context, job *river.Job[SendArgs]) error { // want Work:"unrouted" `^Lookalike.Work returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	if job.Args.To == "" {
		return errors.New("no recipient")
	}
	return l.m.send(ctx, job.Args.To)
}

// Each is a generic river.Worker: the interface is instantiated with the
// receiver's own type parameter.
type Each[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	m *Mailer
}

func (w *Each[T]) Work(ctx context.Context, job *river.Job[T]) error { // want `^Each.Work returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: river runs it for each job through river.Worker\[T\] and retries the job when it fails`
	return w.m.send(ctx, job.Args.Kind())
}
