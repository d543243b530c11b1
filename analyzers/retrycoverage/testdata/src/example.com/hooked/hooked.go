// Package hooked holds a client whose retry is reached only through struct
// fields of function type, reduced from go-redis: Client.Process calls
// hooksMixin.processHook, which calls hs.state.current.process, a field
// NewClient sets to the method value c.base.process (through a hooks
// literal and a copy into another field of the same type); a pipeline
// calls p.exec, set to a conversion of a method value. The calls have no
// static callee: only the values stored into the fields say that wrapping
// them would nest the client's retry.
package hooked

import (
	"context"
	"errors"
	"time"
)

// ProcessHook and PipelineHook are go-redis's hook types.
type ProcessHook func(ctx context.Context, cmd string) error

type PipelineHook func(ctx context.Context, cmds []string) error

type hooks struct {
	process  ProcessHook
	pipeline PipelineHook
}

type hooksState struct {
	initial hooks
	current hooks
}

type hooksMixin struct {
	state *hooksState
}

// initHooks copies the initial hooks into the current ones: a field read
// from a field of the same type.
func (hs *hooksMixin) initHooks(h hooks) {
	s := &hooksState{initial: h}
	s.current.process = s.initial.process
	s.current.pipeline = s.initial.pipeline
	hs.state = s
}

// processHook calls the process field, which holds baseClient.process: it
// nests that retry.
func (hs *hooksMixin) processHook(ctx context.Context, cmd string) error { // want processHook:"nests"
	return hs.state.current.process(ctx, cmd)
}

// pipelineHook calls the pipeline field, which holds a conversion of
// baseClient.processPipeline.
func (hs *hooksMixin) pipelineHook(ctx context.Context, cmds []string) error { // want pipelineHook:"nests"
	return hs.state.current.pipeline(ctx, cmds)
}

// conn is the connection a command is sent on.
type conn interface {
	Exchange(ctx context.Context, cmd string) error
}

// baseClient retries each command (go-redis's baseClient.process).
type baseClient struct {
	cn         conn
	maxRetries int
}

func (c *baseClient) process(ctx context.Context, cmd string) error { // want process:"waits" process:"routed by its own retry at hooked.go:70"
	var err error
	for attempt := 0; attempt <= c.maxRetries; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Millisecond)
		}
		if err = c.cn.Exchange(ctx, cmd); err == nil {
			return nil
		}
	}
	return err
}

func (c *baseClient) processPipeline(ctx context.Context, cmds []string) error { // want processPipeline:"waits" processPipeline:"routed by"
	for _, cmd := range cmds {
		if err := c.process(ctx, cmd); err != nil {
			return err
		}
	}
	return nil
}

// Client is go-redis's Client.
//
//resilience:agent
type Client struct {
	hooksMixin
	cmdable
	base    *baseClient
	onEvent func(name string) error
	after   func(ctx context.Context) error
}

// NewClient stores the retrying methods into the hooks, logEvent (which
// does not retry) into onEvent, and a literal that calls the pipeline
// through the hooks into after.
func NewClient(cn conn) *Client {
	c := &Client{base: &baseClient{cn: cn, maxRetries: 3}, onEvent: logEvent}
	c.initHooks(hooks{
		process:  c.base.process,
		pipeline: PipelineHook(c.base.processPipeline),
	})
	c.after = func(ctx context.Context) error { return c.pipelineHook(ctx, nil) }
	c.cmdable = c.Process
	return c
}

func logEvent(name string) error { // want logEvent:"validator"
	if name == "" {
		return errors.New("no name")
	}
	return nil
}

// Process goes through processHook: no fix.
func (c *Client) Process(ctx context.Context, cmd string) error { // want Process:"nests" `^Client.Process returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls hooksMixin.processHook, which already retries part of its work`
	return c.processHook(ctx, cmd)
}

// Send calls the field itself: no fix, and the message names the field.
func (c *Client) Send(ctx context.Context, cmd string) error { // want Send:"nests" `it calls baseClient.process \(stored in the function field c.state.current.process it calls\), which already retries part of its work`
	return c.state.current.process(ctx, cmd)
}

// Flush calls a field set to a function literal that reaches the pipeline
// hook: no fix.
func (c *Client) Flush(ctx context.Context) error { // want Flush:"nests" `it calls hooksMixin.pipelineHook \(stored in the function field c.after it calls\)`
	return c.after(ctx)
}

// Emit calls a field that holds only logEvent, which retries nothing: it
// gets the fix.
func (c *Client) Emit(ctx context.Context, name string) error { // want Emit:"unrouted" `^Client.Emit returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return c.onEvent(name)
}

// pipelineExecer is the type of a pipeline's exec field.
type pipelineExecer func(ctx context.Context, cmds []string) error

// Pipeline queues commands and runs them through exec.
type Pipeline struct {
	exec pipelineExecer
	cmds []string
}

// Pipeline sets exec to a conversion of a method value.
func (c *Client) Pipeline() *Pipeline {
	return &Pipeline{exec: pipelineExecer(c.pipelineHook)}
}

// Exec runs the queued commands through exec: it nests the pipeline's
// retry.
func (p *Pipeline) Exec(ctx context.Context) error { // want Exec:"nests"
	return p.exec(ctx, p.cmds)
}

// Pipelined queues cmds on a new pipeline and runs it: no fix.
func (c *Client) Pipelined(ctx context.Context, cmds []string) error { // want Pipelined:"nests" `it calls Pipeline.Exec, which already retries part of its work`
	p := c.Pipeline()
	p.cmds = append(p.cmds, cmds...)
	return p.Exec(ctx)
}

// StatusCmd carries the error of a command: go-redis's command methods
// return one instead of an error.
type StatusCmd struct{ err error }

func (c *StatusCmd) Err() error { return c.err } // want Err:"validator"

// Tx is go-redis's transaction.
type Tx struct{ c *Client }

// WatchCmd sends WATCH through Client.Process, which nests: without an
// error result, it nests too.
func (t *Tx) WatchCmd(ctx context.Context, keys ...string) *StatusCmd { // want WatchCmd:"nests"
	cmd := &StatusCmd{}
	cmd.err = t.c.Process(ctx, "watch")
	return cmd
}

// Watch reads the error of a retried WATCH through the command WatchCmd
// returns: no fix.
func (c *Client) Watch(ctx context.Context, fn func(*Tx) error, keys ...string) error { // want Watch:"nests" `it calls Tx.WatchCmd \(whose result it asks for its error: StatusCmd.Err\), which already retries part of its work`
	tx := &Tx{c: c}
	if err := tx.WatchCmd(ctx, keys...).Err(); err != nil {
		return err
	}
	return fn(tx)
}

// name builds a pipeline without running it (a conversion of a method
// value makes a value, it runs nothing): it does not nest, and Rename,
// which calls it, gets the fix.
func (c *Client) name() string {
	p := &Pipeline{exec: pipelineExecer(c.pipelineHook)}
	if p.exec == nil {
		return ""
	}
	return "pipeline"
}

func (c *Client) Rename(ctx context.Context) error { // want Rename:"unrouted" `^Client.Rename returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return c.base.cn.Exchange(ctx, c.name())
}

// cmdable is go-redis's command set: a function type whose methods call
// their receiver, which NewClient sets to Client.Process.
type cmdable func(ctx context.Context, cmd string) error

// Get calls its receiver, a cmdable: it runs Client.Process, which nests.
func (c cmdable) Get(ctx context.Context, key string) *StatusCmd { // want Get:"nests"
	cmd := &StatusCmd{}
	cmd.err = c(ctx, "get "+key)
	return cmd
}

// Check calls a parameter of a named function type nothing retrying is
// stored as: it gets the fix.
type checkFunc func(key string) error

func (c *Client) Check(ctx context.Context, f checkFunc) error { // want Check:"unrouted" `^Client.Check returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return f("k")
}

var _ = checkFunc(logEvent)
