// Package debugtrace prints request traces when a debug switch is on
// (debugtrace.go): a trace printed once per attempt records the attempt,
// as a log line does, and changes nothing the program computes. Output
// that is not a trace stays a write.
package debugtrace

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Debug turns on the request traces (a user sets it).
var Debug bool

// Client calls a service.
type Client struct {
	Verbose bool
}

func (c *Client) call(ctx context.Context, op string) error {
	if ctx.Err() != nil {
		return errors.New(op + " failed")
	}
	return nil
}

// do traces the request when Debug is on, then makes it.
func (c *Client) do(ctx context.Context, op string) error {
	if Debug {
		fmt.Println("curl", op)
	}
	return c.call(ctx, op)
}

// Get traces through do.
func (c *Client) Get(ctx context.Context) error {
	return c.do(ctx, "get")
}

// Put traces under a verbose field and a second condition, to standard
// error, before the call.
func (c *Client) Put(ctx context.Context, n int) error {
	if c.Verbose && n > 0 {
		fmt.Fprintf(os.Stderr, "put %d\n", n)
	}
	return c.call(ctx, "put")
}

// Nested traces in the else branch of an inner if under Debug.
func (c *Client) Nested(ctx context.Context, capture bool) error {
	if Debug {
		if capture {
			return c.call(ctx, "captured")
		} else {
			fmt.Println("nested")
		}
	}
	return c.call(ctx, "nested")
}

// Report prints the result of the first call before the second: output,
// not a trace.
func (c *Client) Report(ctx context.Context) error { // want Report:"writes package state"
	if err := c.call(ctx, "first"); err != nil {
		return err
	}
	fmt.Println("first done")
	return c.call(ctx, "second")
}

// Quiet prints unless a switch that is no debug switch is on: output.
func (c *Client) Quiet(ctx context.Context, quiet bool) error { // want Quiet:"writes package state"
	if !quiet {
		fmt.Println("starting")
	}
	return c.call(ctx, "quiet")
}

// Otherwise prints in the else branch of a debug switch: output.
func (c *Client) Otherwise(ctx context.Context) error { // want Otherwise:"writes package state"
	if Debug {
		return c.call(ctx, "debug")
	} else {
		fmt.Println("plain")
	}
	return c.call(ctx, "otherwise")
}
