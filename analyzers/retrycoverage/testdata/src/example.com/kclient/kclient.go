// Package kclient stands for franz-go's kgo: every request goes // want package:"retrying impls retryable.Request"
// through retryable.Request, which retries with a label and a goto
// rather than a for statement; Client.Request returns the error of the
// first shard its shardedRequest issued (resps[0].Err), RequestSharded
// the shards, whose callers range over them for their errors.
package kclient

import (
	"context"
	"errors"
	"time"

	"example.com/kclient/kmsg"
)

type broker struct{ id int32 }

func (b *broker) waitResp(ctx context.Context, req kmsg.Request) (kmsg.Response, error) {
	if b == nil {
		return nil, errors.New("no broker")
	}
	return nil, ctx.Err()
}

// Client issues requests to brokers.
type Client struct {
	brokers []*broker
	retries int
}

func (cl *Client) waitTries(ctx context.Context, backoff time.Duration) bool { // want waitTries:"waits"
	after := time.NewTimer(backoff)
	defer after.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-after.C:
		return true
	}
}

func (cl *Client) shouldRetry(tries int, err error) bool {
	return err != nil && tries <= cl.retries
}

type retryable struct {
	cl   *Client
	last *broker
}

// Request retries with goto, waiting between attempts.
func (r *retryable) Request(ctx context.Context, req kmsg.Request) (kmsg.Response, error) { // want Request:"waits" Request:"routed by its own retry at kclient.go:54"
	tries := 0
start:
	tries++
	r.last = r.cl.brokers[0]
	resp, err := r.last.waitResp(ctx, req)
	if err != nil {
		if r.cl.shouldRetry(tries, err) {
			if r.cl.waitTries(ctx, time.Millisecond) {
				goto start
			}
		}
	}
	return resp, err
}

// ResponseShard is the answer of one broker, or the error that kept it.
type ResponseShard struct {
	Resp kmsg.Response
	Err  error
}

type shardMerge func([]ResponseShard) (kmsg.Response, error)

func (cl *Client) shardedRequest(ctx context.Context, req kmsg.Request) ([]ResponseShard, shardMerge) { // want shardedRequest:"waits" shardedRequest:"nests"
	r := &retryable{cl: cl}
	resp, err := r.Request(ctx, req)
	return []ResponseShard{{resp, err}}, nil
}

// Request issues req: its error is the first shard's.
func (cl *Client) Request(ctx context.Context, req kmsg.Request) (kmsg.Response, error) { // want Request:"waits" Request:"nests"
	resps, merge := cl.shardedRequest(ctx, req)
	if merge == nil {
		return resps[0].Resp, resps[0].Err
	}
	return merge(resps)
}

// RequestSharded issues req and returns every shard.
func (cl *Client) RequestSharded(ctx context.Context, req kmsg.Request) []ResponseShard { // want RequestSharded:"waits" RequestSharded:"nests"
	resps, _ := cl.shardedRequest(ctx, req)
	return resps
}

// lookup loads the broker list again, once, when id is not in it: the
// goto follows a success, so it is no retry (its failure returns).
func (cl *Client) lookup(ctx context.Context, id int32) (*broker, error) {
	tries := 0
start:
	for _, b := range cl.brokers {
		if b.id == id {
			return b, nil
		}
	}
	if err := cl.load(ctx); err != nil {
		return nil, err
	}
	tries++
	if tries < 2 {
		goto start
	}
	return nil, errors.New("unknown broker")
}

func (cl *Client) load(ctx context.Context) error {
	_, err := cl.brokers[0].waitResp(ctx, nil)
	return err
}

// Broker looks a broker up.
func (cl *Client) Broker(ctx context.Context, id int32) (int32, error) {
	b, err := cl.lookup(ctx, id)
	if err != nil {
		return 0, err
	}
	return b.id, nil
}

// Spin goes back to its label on failure, but neither waits nor counts:
// no retry loop.
func (cl *Client) Spin(ctx context.Context) error {
again:
	_, err := cl.brokers[0].waitResp(ctx, nil)
	if err != nil && ctx.Err() == nil {
		goto again
	}
	return err
}

// Load retries the load at once, bounded by a counter in the condition:
// a retry loop.
func (cl *Client) Load(ctx context.Context) error { // want Load:"routed by its own retry at kclient.go:146"
	tries := 0
again:
	err := cl.load(ctx)
	if err != nil && tries < cl.retries {
		tries++
		goto again
	}
	return err
}

// Iter holds the answer of a query and the error that kept it, as
// gocql's Iter does.
type Iter struct {
	err  error
	rows int
}

// Query runs req through the retry and returns its iterator, as gocql's
// Query.Iter does: no error result, the error is the iterator's.
func (cl *Client) Query(ctx context.Context, req kmsg.Request) *Iter { // want Query:"waits" Query:"nests"
	resps, _ := cl.shardedRequest(ctx, req)
	return &Iter{err: resps[0].Err}
}

func (it *Iter) check() error { // want check:"validator"
	if it.err != nil {
		return it.err
	}
	if it.rows == 0 {
		return errors.New("not found")
	}
	return nil
}

// Close returns the query's error.
func (it *Iter) Close() error { return it.err } // want Close:"validator"

// Scan runs req and reads its row, as gocql's Query.Scan does: the
// iterator is a local variable, whose methods return the error of the
// query's work.
func (cl *Client) Scan(ctx context.Context, req kmsg.Request) error { // want Scan:"waits" Scan:"nests"
	it := cl.Query(ctx, req)
	if err := it.check(); err != nil {
		return err
	}
	return it.Close()
}
