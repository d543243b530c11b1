// Package mailsvc is an agent a job handler of another package calls
// (mailjobs): its pass runs first, and cannot know that the handler's
// framework retries the calls; it reports its fixes as usual, and the
// handler's package names the methods in its Result (Retried) for a
// driver to take those fixes back.
package mailsvc

import (
	"context"
	"net/http"
	"time"
)

// Mailer sends mail through an HTTP API.
type Mailer struct{ client *http.Client }

// Send is called by the asynq handler of mailjobs.
func (m *Mailer) Send(ctx context.Context, to string) error { // want Send:"unrouted" `^Mailer.Send returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return m.post(ctx, "/send?to="+to)
}

// Ping is called by a helper of river's worker in mailjobs.
func (m *Mailer) Ping(ctx context.Context) error { // want Ping:"unrouted" `^Mailer.Ping returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return m.post(ctx, "/ping")
}

// Notify is called in mailjobs' retry loop.
func (m *Mailer) Notify(ctx context.Context, to string) error { // want Notify:"unrouted" `^Mailer.Notify returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return m.post(ctx, "/notify?to="+to)
}

// Status is called by nothing that retries.
func (m *Mailer) Status(ctx context.Context) error { // want Status:"unrouted" `^Mailer.Status returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return m.post(ctx, "/status")
}

// Relay only delegates to Forward, whose fix routes it.
func (m *Mailer) Relay(ctx context.Context, to string) error { // want Relay:"unrouted" `^Mailer.Relay returns an error but is not routed through runtime/recovery: it delegates to Mailer.Forward`
	return m.Forward(ctx, to)
}

// Forward is the work Relay delegates to.
func (m *Mailer) Forward(ctx context.Context, to string) error { // want Forward:"unrouted" `^Mailer.Forward returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return m.post(ctx, "/forward?to="+to)
}

func (m *Mailer) post(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://mail"+path, nil)
	if err != nil {
		return err
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Batch retries the post of each address itself, then posts a summary
// outside that retry: it nests a retry, and is no agent fix of its own.
func (m *Mailer) Batch(ctx context.Context, to []string) error { // want Batch:"waits" Batch:"nests" `^Mailer.Batch returns an error but is not routed through runtime/recovery: .*; -fix cannot rewrite it: it mixes work inside a retry`
	for _, addr := range to {
		var err error
		for attempt := 0; attempt < 3; attempt++ {
			if err = m.post(ctx, "/send?to="+addr); err == nil {
				break
			}
			time.Sleep(time.Second)
		}
		if err != nil {
			return err
		}
	}
	return m.post(ctx, "/summary")
}
