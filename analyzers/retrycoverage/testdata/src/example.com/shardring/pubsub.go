package shardring

import (
	"context"
	"fmt"
	"strings"
)

// Cmder is what a pub/sub writes (go-redis's Cmder): a command hands the
// methods implementing it to the functions it is passed to.
type Cmder interface {
	Args() []any
	String() string
}

// Cmd's String sends through the retrying client (a stand-in for any
// method that retries); Args only reads.
type Cmd struct {
	c    *Client
	args []any
}

func (c *Cmd) Args() []any { return c.args }

func (c *Cmd) String() string { // want String:"nests" String:"waits"
	_ = c.c.Process(context.Background(), "echo")
	return fmt.Sprint(c.args...)
}

// PubSub writes commands on its connection.
//
//resilience:agent
type PubSub struct {
	conn conn
}

// writeArgs calls only cmd.Args.
func writeArgs(w *strings.Builder, cmd Cmder) {
	if cmd == nil {
		return
	}
	for _, a := range cmd.Args() {
		fmt.Fprint(w, a)
	}
}

// writeCmd hands cmd to writeArgs, in a closure, and calls no method of
// it itself: what it may call of cmd is Args.
func (ps *PubSub) writeCmd(ctx context.Context, cmd Cmder) error {
	var b strings.Builder
	func() { writeArgs(&b, cmd) }()
	return ps.conn.Exchange(ctx, b.String())
}

// Ping hands a *Cmd to writeCmd as a Cmder: only Args runs there, and
// Cmd.String, which retries, is never called, so Ping gets the fix.
func (ps *PubSub) Ping(ctx context.Context) error { // want Ping:"unrouted" `^PubSub.Ping returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	cmd := &Cmd{args: []any{"ping"}}
	return ps.writeCmd(ctx, cmd)
}

// keep hands cmd to a function value: any method may run.
func (ps *PubSub) keep(ctx context.Context, cmd Cmder, f func(Cmder) error) error {
	return f(cmd)
}

// Send hands a *Cmd to keep, which passes it to a function value: all of
// Cmd's methods count, and String retries: no fix.
func (ps *PubSub) Send(ctx context.Context, f func(Cmder) error) error { // want Send:"nests" `it calls Cmd.String \(a method of cmd, which it passes to PubSub.keep\), which already retries part of its work`
	cmd := &Cmd{args: []any{"send"}}
	return ps.keep(ctx, cmd, f)
}
