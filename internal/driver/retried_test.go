package driver_test

import (
	"context"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// TestRetriedElsewhereRefused checks that the fix of an agent method that
// a job handler of another package calls is taken back: asynq retries the
// task whose handler calls mail.Mailer.Send, so a retry around Send would
// multiply asynq's attempts. mail's pass runs first and reports the fix;
// the handler's package names Send in its Result (Retried), and the
// driver turns the finding into that refusal. A method no retry reaches
// keeps its fix.
func TestRetriedElsewhereRefused(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"go.mod":       "module example.com/fx\n\ngo 1.26\n\nrequire github.com/hibiken/asynq v0.0.0\n\nreplace github.com/hibiken/asynq => ./asynq\n",
		"asynq/go.mod": "module github.com/hibiken/asynq\n\ngo 1.26\n",
		"asynq/asynq.go": `package asynq

import "context"

// Task is a unit of work.
type Task struct{ payload []byte }

// Payload returns the task's payload.
func (t *Task) Payload() []byte { return t.payload }

// Handler processes tasks; the server retries a task whose handler fails.
type Handler interface {
	ProcessTask(context.Context, *Task) error
}
`,
		"mail/mail.go": `package mail

import (
	"context"
	"net/http"
)

// Mailer sends mail.
//
//resilience:agent
type Mailer struct{ C *http.Client }

// Send is called by the jobs package's handler.
func (m *Mailer) Send(ctx context.Context, to string) error { return m.post(ctx, "/send?to="+to) }

// Status is called by nothing that retries.
func (m *Mailer) Status(ctx context.Context) error { return m.post(ctx, "/status") }

func (m *Mailer) post(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://mail"+path, nil)
	if err != nil {
		return err
	}
	resp, err := m.C.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`,
		"jobs/jobs.go": `package jobs

import (
	"context"

	"example.com/fx/mail"
	"github.com/hibiken/asynq"
)

// EmailHandler is an asynq.Handler.
type EmailHandler struct{ M *mail.Mailer }

func (h *EmailHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	return h.M.Send(ctx, string(t.Payload()))
}

var _ asynq.Handler = (*EmailHandler)(nil)
`,
	})
	// Without a cache, and twice with one: the second run serves both
	// packages' findings and results from it.
	cache := t.TempDir()
	for i, cacheDir := range []string{"", cache, cache} {
		res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: []string{"./..."}, CacheDir: cacheDir})
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 && len(res.Cached) != 2 {
			t.Errorf("run %d: cached %v, want both packages", i, res.Cached)
		}
		checkRetriedElsewhere(t, res)
	}
}

func checkRetriedElsewhere(t *testing.T, res *driver.Result) {
	t.Helper()
	found := map[string]driver.Finding{}
	for _, f := range res.Findings {
		if f.Analyzer == "retrycoverage" {
			name, _, _ := strings.Cut(f.Message, " ")
			found[name] = f
		}
	}
	send, ok := found["Mailer.Send"]
	if !ok {
		t.Fatalf("no finding for Mailer.Send: %v", found)
	}
	if len(send.Fixes) != 0 {
		t.Errorf("Mailer.Send has %d fixes, want none", len(send.Fixes))
	}
	want := "Mailer.Send returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs in each attempt of asynq's retry of each task (asynq.Handler) at jobs.go:13 in jobs.EmailHandler.ProcessTask, and a retry around it would multiply that retry's attempts (leave the retrying to that retry, or mark it //resilience:noretry <reason>)"
	if send.Message != want {
		t.Errorf("Mailer.Send: %q, want %q", send.Message, want)
	}
	if status := found["Mailer.Status"]; len(status.Fixes) == 0 || !strings.HasSuffix(status.Message, "(run resilience-lint -fix, or mark it //resilience:noretry <reason>)") {
		t.Errorf("Mailer.Status: %q with %d fixes, want a fix", status.Message, len(status.Fixes))
	}
}
