// Package mailjobs runs mailsvc's agent methods from retries of its own:
// an asynq handler, a river worker (through a helper) and a retry loop.
// Their fixes, reported by mailsvc's pass, would nest in those retries:
// the Result names them (Retried) with the refusal each gets.
package mailjobs

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
	"github.com/riverqueue/river"

	"example.com/agents/mailsvc"
)

// EmailHandler is an asynq.Handler.
type EmailHandler struct{ m *mailsvc.Mailer }

func (h *EmailHandler) ProcessTask(ctx context.Context, t *asynq.Task) error { // want `^EmailHandler.ProcessTask returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: asynq runs it`
	return h.m.Send(ctx, string(t.Payload()))
}

// PingArgs are the arguments of a "ping" job.
type PingArgs struct{}

func (PingArgs) Kind() string { return "ping" }

// Pinger is a river.Worker[PingArgs].
type Pinger struct {
	river.WorkerDefaults[PingArgs]
	m *mailsvc.Mailer
}

func (p *Pinger) Work(ctx context.Context, job *river.Job[PingArgs]) error { // want `^Pinger.Work returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: river runs it`
	return check(ctx, p.m)
}

func check(ctx context.Context, m *mailsvc.Mailer) error { return m.Ping(ctx) }

// notifyAll retries each notification itself.
func notifyAll(ctx context.Context, m *mailsvc.Mailer, to []string) error { // want notifyAll:"waits" notifyAll:"routed by its own retry at jobs.go:45"
	for _, addr := range to {
		var err error
		for attempt := 0; attempt < 3; attempt++ {
			if err = m.Notify(ctx, addr); err == nil {
				break
			}
			time.Sleep(time.Second)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// relayAll retries each relay itself; Relay only delegates to Forward,
// whose fix would route it: Forward's fix would nest too.
func relayAll(ctx context.Context, m *mailsvc.Mailer, to []string) error { // want relayAll:"waits" relayAll:"routed by its own retry at jobs.go:63"
	for _, addr := range to {
		var err error
		for attempt := 0; attempt < 3; attempt++ {
			if err = m.Relay(ctx, addr); err == nil {
				break
			}
			time.Sleep(time.Second)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// batchAll retries Batch in a loop of its own (Batch is retried
// elsewhere); Digest calls Batch directly and nests Batch's own retry,
// whoever else runs it.
func batchAll(ctx context.Context, m *mailsvc.Mailer, to []string) error { // want batchAll:"waits" batchAll:"routed by its own retry at jobs.go:81"
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = m.Batch(ctx, to); err == nil {
			return nil
		}
		time.Sleep(time.Second)
	}
	return err
}

// Digester sends digests.
type Digester struct{ m *mailsvc.Mailer }

func (d *Digester) Digest(ctx context.Context, to []string) error { // want Digest:"nests" Digest:"waits" `^Digester.Digest returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls mailsvc.Mailer.Batch, which already retries part of its work`
	return d.m.Batch(ctx, to)
}
