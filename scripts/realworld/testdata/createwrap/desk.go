package tracker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// deskAPI is a help-desk client written as SDKs write theirs: NewRequest
// takes the HTTP method, Do sends a request and decodes its answer.
type deskAPI struct {
	base string
	hc   *http.Client
}

// StatusError is an answer of status 400 or more.
type StatusError struct{ Code int }

func (e *StatusError) Error() string   { return fmt.Sprintf("desk: status %d", e.Code) }
func (e *StatusError) StatusCode() int { return e.Code }

// NewRequest builds a request of the given method with body as JSON.
func (a *deskAPI) NewRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// Do sends req and decodes its answer into v (when v is not nil).
func (a *deskAPI) Do(req *http.Request, v any) error {
	resp, err := a.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		return &StatusError{Code: resp.StatusCode}
	}
	if v == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

type ticket struct {
	ID int `json:"id"`
}

// Desk files tickets at a help desk.
type Desk struct {
	api *deskAPI
}

// NewDesk returns a Desk at base.
func NewDesk(base string, hc *http.Client) *Desk {
	return &Desk{api: &deskAPI{base: base, hc: hc}}
}

// Open files a ticket, then assigns it: a POST that creates, then a
// PATCH.
func (d *Desk) Open(ctx context.Context, subject, assignee string) (int, error) {
	req, err := d.api.NewRequest(ctx, http.MethodPost, "/tickets", map[string]string{"subject": subject})
	if err != nil {
		return 0, err
	}
	var t ticket
	if err := d.api.Do(req, &t); err != nil {
		return 0, err
	}
	req, err = d.api.NewRequest(ctx, http.MethodPatch, "/tickets/"+strconv.Itoa(t.ID), map[string]string{"assignee": assignee})
	if err != nil {
		return 0, err
	}
	if err := d.api.Do(req, nil); err != nil {
		return 0, err
	}
	return t.ID, nil
}

// File files a ticket: one POST.
func (d *Desk) File(ctx context.Context, subject string) (int, error) {
	req, err := d.api.NewRequest(ctx, http.MethodPost, "/tickets", map[string]string{"subject": subject})
	if err != nil {
		return 0, err
	}
	var t ticket
	if err := d.api.Do(req, &t); err != nil {
		return 0, err
	}
	return t.ID, nil
}
