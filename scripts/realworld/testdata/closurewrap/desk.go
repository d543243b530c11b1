// Package desk files tickets at a help desk over net/http.
package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// StatusError is an answer of status 400 or more.
type StatusError struct{ Code int }

func (e *StatusError) Error() string   { return fmt.Sprintf("desk: status %d", e.Code) }
func (e *StatusError) StatusCode() int { return e.Code }

type ticket struct {
	ID  int    `json:"id"`
	Ref string `json:"ref"`
}

// Desk files tickets.
type Desk struct {
	base string
	hc   *http.Client
}

// New returns a Desk at base.
func New(base string, hc *http.Client) *Desk { return &Desk{base: base, hc: hc} }

// send sends a request of method to path with body as JSON and decodes
// the answer into v.
func (d *Desk) send(ctx context.Context, method, path string, body, v any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	resp, err := d.hc.Do(req)
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

// Submit checks the quota, then files the ticket through a literal
// written first.
func (d *Desk) Submit(ctx context.Context, subject string) (int, error) {
	file := func() (int, error) {
		var t ticket
		if err := d.send(ctx, http.MethodPost, "/tickets", map[string]string{"subject": subject}, &t); err != nil {
			return 0, err
		}
		return t.ID, nil
	}
	if err := d.send(ctx, http.MethodGet, "/quota", nil, nil); err != nil {
		return 0, err
	}
	return file()
}

// SubmitAssign files the ticket through the literal, then assigns it.
func (d *Desk) SubmitAssign(ctx context.Context, subject, assignee string) (int, error) {
	file := func() (int, error) {
		var t ticket
		if err := d.send(ctx, http.MethodPost, "/tickets", map[string]string{"subject": subject}, &t); err != nil {
			return 0, err
		}
		return t.ID, nil
	}
	id, err := file()
	if err != nil {
		return 0, err
	}
	if err := d.send(ctx, http.MethodPatch, "/tickets/"+strconv.Itoa(id), map[string]string{"assignee": assignee}, nil); err != nil {
		return 0, err
	}
	return id, nil
}

// Receipt files the ticket, then parses the reference the desk returned.
func (d *Desk) Receipt(ctx context.Context, subject string) (int, error) {
	var t ticket
	if err := d.send(ctx, http.MethodPost, "/tickets", map[string]string{"subject": subject}, &t); err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(t.Ref)
	if err != nil {
		return 0, fmt.Errorf("reference %q: %w", t.Ref, err)
	}
	return n, nil
}
