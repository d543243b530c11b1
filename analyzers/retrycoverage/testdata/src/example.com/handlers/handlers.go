// Package handlers holds a client whose retry is reached through functions
// kept in package-level maps and slices, reduced from linodego: a poll
// takes a handler out of a map of function literals, each of which calls a
// method that sends through the client's retrying request. The calls have
// no static callee: only the values the package stores into the maps' and
// slices' elements say that wrapping the caller would nest the retry.
package handlers

import (
	"context"
	"errors"
	"time"
)

// Client sends requests and retries each of them.
//
//resilience:agent
type Client struct {
	send func(ctx context.Context, path string) (string, error)
}

// request retries a request (resty's retry in linodego).
func (c *Client) request(ctx context.Context, path string) (string, error) { // want request:"waits" request:"routed by its own retry at handlers.go:25"
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Millisecond)
		}
		var body string
		if body, err = c.send(ctx, path); err == nil {
			return body, nil
		}
	}
	return "", err
}

// GetMySQL sends through the retrying request: routed by delegation.
func (c *Client) GetMySQL(ctx context.Context, id int) (string, error) { // want GetMySQL:"waits" GetMySQL:"routed by its own retry at handlers.go:25"
	return c.request(ctx, "mysql")
}

// GetPostgres sends through the retrying request: routed by delegation.
func (c *Client) GetPostgres(ctx context.Context, id int) (string, error) { // want GetPostgres:"waits" GetPostgres:"routed by its own retry at handlers.go:25"
	return c.request(ctx, "postgres")
}

// statusFunc is linodego's databaseStatusFunc.
type statusFunc func(ctx context.Context, c *Client, id int) (string, error)

// statusHandlers is linodego's databaseStatusHandlers: a map of function
// literals, stored as statusFunc.
var statusHandlers = map[string]statusFunc{
	"mysql": func(ctx context.Context, c *Client, id int) (string, error) {
		return c.GetMySQL(ctx, id)
	},
	"postgres": func(ctx context.Context, c *Client, id int) (string, error) {
		return c.GetPostgres(ctx, id)
	},
}

// WaitForStatus takes its handler out of statusHandlers, a local variable
// of the named function type: no fix, and the message names the variable.
func (c *Client) WaitForStatus(ctx context.Context, engine string, id int, want string) error { // want WaitForStatus:"waits" WaitForStatus:"nests" `it calls Client.GetMySQL \(stored as the statusFunc handler it calls\), which already retries part of its work`
	for {
		handler, ok := statusHandlers[engine]
		if !ok {
			return errors.New("no such engine")
		}
		got, err := handler(ctx, c, id)
		if err != nil {
			return err
		}
		if got == want {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
}

// checks is a slice of plain function values (no named type): one of its
// elements is assigned in init.
var checks = []func(ctx context.Context, c *Client) error{
	ping,
	nil,
}

func ping(ctx context.Context, c *Client) error { // want ping:"validator"
	if c == nil {
		return errors.New("no client")
	}
	return nil
}

func init() {
	checks[1] = func(ctx context.Context, c *Client) error {
		_, err := c.GetPostgres(ctx, 0)
		return err
	}
}

// Check calls an element of checks directly: one of them, stored by init,
// sends through the retry. No fix, and the message names the variable.
func (c *Client) Check(ctx context.Context, i int) error { // want Check:"nests" `it calls Client.GetPostgres \(stored in checks, an element of which it calls: checks\[i\]\), which already retries part of its work`
	return checks[i](ctx, c)
}

// CheckAll takes each element of checks into a local variable of an
// unnamed function type first: no fix either.
func (c *Client) CheckAll(ctx context.Context) error { // want CheckAll:"nests" `it calls Client.GetPostgres \(stored in checks, an element of which it calls: check\)`
	for i := range checks {
		check := checks[i]
		if err := check(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// local holds functions that retry nothing.
var local = [...]func(ctx context.Context) error{noop}

func noop(ctx context.Context) error {
	return ctx.Err()
}

// Validate calls an element of local, whose functions do not retry: it
// gets the fix.
func (c *Client) Validate(ctx context.Context) error { // want Validate:"unrouted" `^Client.Validate returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return local[0](ctx)
}
