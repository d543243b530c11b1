// Package shardring holds callbacks a caller passes, reduced from
// go-redis: Ring.ForEachShard runs the caller's fn on every shard with the
// shard's retrying *Client, and Pipeline.Pipelined hands the caller's fn
// the pipeline itself before it runs Exec, which nests the client's retry.
package shardring

import (
	"context"
	"errors"
	"sync"
	"time"
)

type conn interface {
	Exchange(ctx context.Context, cmd string) error
}

// Client retries each command (go-redis's baseClient.process).
//
//resilience:agent
type Client struct {
	cn         conn
	maxRetries int
}

func (c *Client) process(ctx context.Context, cmd string) error { // want process:"waits" process:"routed by its own retry at shardring.go:28"
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

// Process sends a command through the retrying process: routed.
func (c *Client) Process(ctx context.Context, cmd string) error { // want Process:"routed by" Process:"waits"
	return c.process(ctx, cmd)
}

func (c *Client) processPipeline(ctx context.Context, cmds []string) error { // want processPipeline:"waits" processPipeline:"routed by"
	for _, cmd := range cmds {
		if err := c.process(ctx, cmd); err != nil {
			return err
		}
	}
	return nil
}

// Pipeline returns a pipeline that runs through the client's retry.
func (c *Client) Pipeline() *Pipeline {
	return &Pipeline{exec: c.processPipeline}
}

// Options are plain values a hook is given.
type Options struct{ Name string }

// Ring spreads keys over shard clients.
//
//resilience:agent
type Ring struct {
	mu     sync.Mutex
	shards []*Client
	conn   conn
}

// ForEachShard runs fn for every shard in a goroutine of its own, handing
// it the shard's client, which retries: no fix (a retry would run fn
// again on the shards that succeeded, and may nest the client's retry).
// The message names the first, which is certain; it nests for its
// callers (CallsForEach).
func (r *Ring) ForEachShard(ctx context.Context, fn func(ctx context.Context, c *Client) error) error { // want ForEachShard:"nests" ForEachShard:"waits" `^Ring.ForEachShard returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs fn \(a function its caller passes, once per iteration of the loop at shardring.go:78\) at shardring.go:82 in fn, a call that can fail; when one run fails, the others may have succeeded, and a retry would run fn again for them \(what it does is not known\) \(retry inside the function the caller passes, or per item, instead, or mark the method //resilience:noretry <reason>\)$`
	var wg sync.WaitGroup
	errCh := make(chan error, 1)
	for _, shard := range r.shards {
		wg.Add(1)
		go func(c *Client) {
			defer wg.Done()
			if err := fn(ctx, c); err != nil {
				select {
				case errCh <- err:
				default:
				}
			}
		}(shard)
	}
	wg.Wait()
	select {
	case err := <-errCh:
		return err
	default:
		return r.conn.Exchange(ctx, "ping")
	}
}

// WithClient hands fn a new client of the ring's connection, once: fn
// sends through it, so a retry around WithClient would nest the client's.
func (r *Ring) WithClient(ctx context.Context, fn func(*Client) error) error { // want WithClient:"nests" `it calls Client.Process \(a method of c, which it passes to its callback fn\), which already retries part of its work`
	if r.conn == nil {
		return errors.New("no connection")
	}
	c := &Client{cn: r.conn, maxRetries: 3}
	return fn(c)
}

// Each runs fn once per name, with plain values: nothing fn is given
// retries, but a retry would run fn again for the names before the one
// that failed.
func (r *Ring) Each(ctx context.Context, names []string, fn func(context.Context, string) error) error { // want `^Ring.Each returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs fn \(a function its caller passes, once per iteration of the loop at shardring.go:113\) at shardring.go:114 before the call that can fail \(fn at shardring.go:114\); a retry would repeat it \(retry inside the function the caller passes, or per item, instead, or mark the method //resilience:noretry <reason>\)`
	for _, name := range names {
		if err := fn(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// Hook runs its hook once with plain values before the work: it gets the
// fix.
func (r *Ring) Hook(ctx context.Context, opts Options, hook func(context.Context, Options) error) error { // want Hook:"unrouted" `^Ring.Hook returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	if err := hook(ctx, opts); err != nil {
		return err
	}
	return r.conn.Exchange(ctx, "ping "+opts.Name)
}

// Pipeliner is what a pipeline's callback is given.
type Pipeliner interface {
	Get(ctx context.Context, key string) error
	Exec(ctx context.Context) error
	Pipelined(ctx context.Context, fn func(Pipeliner) error) error
	TxPipelined(ctx context.Context, fn func(Pipeliner) error) error
}

// Pipeline queues commands and runs them through its client.
//
//resilience:agent
type Pipeline struct {
	exec func(ctx context.Context, cmds []string) error
	cmds []string
}

// Get queues a command: nothing can fail.
func (p *Pipeline) Get(ctx context.Context, key string) error { // want Get:"validator"
	p.cmds = append(p.cmds, "get "+key)
	return nil
}

// Exec sends the queued commands through exec, which holds the client's
// retrying processPipeline: it nests that retry.
func (p *Pipeline) Exec(ctx context.Context) error { // want Exec:"nests" `it calls Client.processPipeline \(stored in the function field p.exec it calls\), which already retries part of its work`
	cmds := p.cmds
	p.cmds = nil
	return p.exec(ctx, cmds)
}

// Pipelined hands the caller's fn the pipeline, then runs Exec: the
// message names Exec, the cause of its own, not a method of p handed to
// fn.
func (p *Pipeline) Pipelined(ctx context.Context, fn func(Pipeliner) error) error { // want Pipelined:"nests" `it calls Pipeline.Exec, which already retries part of its work \(through shardring.Client.processPipeline\), and wrapping`
	if err := fn(p); err != nil {
		return err
	}
	return p.Exec(ctx)
}

// TxPipelined calls Pipelined, which nests: the message says so, not
// recursion (the cycle closes only through the callback Pipelined hands
// p).
func (p *Pipeline) TxPipelined(ctx context.Context, fn func(Pipeliner) error) error { // want TxPipelined:"nests" `it calls Pipeline.Pipelined, which already retries part of its work`
	return p.Pipelined(ctx, fn)
}

// Result carries the error of a command sent without an error result.
type Result struct{ err error }

// Conn sends HELLO through the retrying process and returns no error: it
// nests, but the messages above name Process, a method with an error
// result, the work a callback asks of a client.
func (c *Client) Conn(ctx context.Context) *Result { // want Conn:"nests" Conn:"waits"
	return &Result{err: c.process(ctx, "hello")}
}

// CallsForEach calls ForEachShard besides other work: ForEachShard nests
// (through the client it hands fn), so no fix.
func (r *Ring) CallsForEach(ctx context.Context) error { // want CallsForEach:"nests" CallsForEach:"waits" `it calls Ring.ForEachShard, which already retries part of its work`
	if err := r.conn.Exchange(ctx, "hello"); err != nil {
		return err
	}
	return r.ForEachShard(ctx, func(ctx context.Context, c *Client) error { return nil })
}
