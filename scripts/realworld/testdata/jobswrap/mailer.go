// Package jobs is a hand-written module of job-queue handlers, as a
// service would have them: an asynq Handler and a river Worker that send
// mail through Mailer, written the way the frameworks' docs show
// (asynq.SkipRetry and asynq.RevokeTask wrapped with %w, river.JobCancel
// and river.JobSnooze returned from Work).
package jobs

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Mailer sends mail through an HTTP API.
type Mailer struct {
	Client *http.Client
	URL    string
}

// StatusError is the API's answer when it is not 2xx.
type StatusError struct{ Code int }

func (e *StatusError) Error() string { return fmt.Sprintf("mail api: status %d", e.Code) }

// StatusCode returns the HTTP status.
func (e *StatusError) StatusCode() int { return e.Code }

// Send posts body to the API for the recipient to.
func (m *Mailer) Send(ctx context.Context, to, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL+"/send?to="+url.QueryEscape(to), strings.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := m.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return &StatusError{Code: resp.StatusCode}
	}
	return nil
}
