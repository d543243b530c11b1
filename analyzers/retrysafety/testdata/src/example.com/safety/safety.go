package safety // want package:"last values example.com/safety.Result.N"

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	"example.com/helper"
)

type Client struct {
	offset int
	items  []string
	cache  map[string]string
	dec    *json.Decoder
	sc     *bufio.Scanner
	out    io.Writer
	mu     sync.Mutex
	events chan string
	count  helper.Counter
	buf    []byte
}

type Result struct{ N int }

var lastKey string

func (c *Client) fetch(ctx context.Context, k string) (string, error) { return k, ctx.Err() }

func (c *Client) list(ctx context.Context, token string) ([]string, string, error) {
	return nil, token, ctx.Err()
}

func (c *Client) WriteBefore(ctx context.Context, k string) (string, error) { // want WriteBefore:"writes receiver; early"
	c.offset++
	v, err := c.fetch(ctx, k)
	if err != nil {
		return "", err
	}
	return v, nil
}

func (c *Client) WriteAfter(ctx context.Context, k string) (string, error) { // want WriteAfter:"writes receiver"
	v, err := c.fetch(ctx, k)
	if err != nil {
		return "", err
	}
	c.offset++
	c.cache[k] = v
	return v, nil
}

func (c *Client) EarlyReturn(ctx context.Context, k string) (string, error) { // want EarlyReturn:"writes receiver"
	if v, ok := c.cache[k]; ok {
		c.offset++ // on a path with no call that can fail after it
		return v, nil
	}
	return c.fetch(ctx, k)
}

func (c *Client) Decode(ctx context.Context) (map[string]any, error) { // want Decode:`writes receiver \(stream\); early`
	var v map[string]any
	if err := c.dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func (c *Client) Lines(ctx context.Context) ([]string, error) { // want Lines:`writes receiver \(stream\); early`
	var lines []string
	for c.sc.Scan() {
		lines = append(lines, c.sc.Text())
	}
	return lines, c.sc.Err()
}

func (c *Client) PackageVar(ctx context.Context, k string) (string, error) { // want PackageVar:"writes package state; early"
	lastKey += k
	return c.fetch(ctx, k)
}

func (c *Client) PointerParam(ctx context.Context, dst *Result) error { // want PointerParam:"writes param 1; early" PointerParam:"reads example.com/safety.Result.N"
	dst.N++
	_, err := c.fetch(ctx, "k")
	return err
}

func (c *Client) FreshValue(ctx context.Context) (*Result, error) {
	r := &Result{}
	r.N = 1
	m := map[string]int{}
	helper.Fill(m)
	var cnt helper.Counter
	cnt.Inc()
	ch := make(chan string, 1)
	ch <- "x"
	_, err := c.fetch(ctx, <-ch)
	return r, err
}

func (c *Client) Send(ctx context.Context, k string) error { // want Send:"writes receiver; early"
	c.events <- k
	_, err := c.fetch(ctx, k)
	return err
}

func (c *Client) WriterField(ctx context.Context, k string) error { // want WriterField:`writes receiver \(stream\); early`
	fmt.Fprintf(c.out, "fetching %s\n", k)
	_, err := c.fetch(ctx, k)
	return err
}

func (c *Client) WriterParam(ctx context.Context, w io.Writer, k string) error { // want WriterParam:`writes param 1 \(stream\); early`
	helper.Log(w, k)
	_, err := c.fetch(ctx, k)
	return err
}

func (c *Client) HelperFact(ctx context.Context, k string) error { // want HelperFact:"writes receiver; early"
	_ = c.count.N()
	c.count.Inc()
	_, err := c.fetch(ctx, k)
	return err
}

func (c *Client) HelperGlobal(ctx context.Context, k string) error { // want HelperGlobal:"writes package state; early"
	helper.Record()
	_, err := c.fetch(ctx, k)
	return err
}

func (c *Client) EarlyCallee(ctx context.Context) error { // want EarlyCallee:"writes receiver; early"
	return c.count.Step()
}

func (c *Client) ListAll(ctx context.Context) ([]string, error) { // want ListAll:"restarts a loop"
	var all []string
	token := ""
	for {
		page, next, err := c.list(ctx, token)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		token = next
	}
}

func (c *Client) Counted(ctx context.Context) error {
	for i := 0; i < 3; i++ {
		if _, err := c.fetch(ctx, strconv.Itoa(i)); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) Locked(ctx context.Context, k string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetch(ctx, k)
}

func (c *Client) Alias(ctx context.Context, k string) error { // want Alias:"writes receiver; early"
	items := c.items
	items[0] = k
	_, err := c.fetch(ctx, k)
	return err
}

func (c *Client) Delete(ctx context.Context, k string) error { // want Delete:"writes receiver; early"
	delete(c.cache, k)
	_, err := c.fetch(ctx, k)
	return err
}

func (c *Client) Print(ctx context.Context, k string) error { // want Print:`writes package state \(stream\); early`
	fmt.Println("fetching", k)
	_, err := c.fetch(ctx, k)
	return err
}

func (c *Client) Loop(ctx context.Context, keys []string) error { // want Loop:"writes receiver; early"
	for _, k := range keys {
		if _, err := c.fetch(ctx, k); err != nil {
			return err
		}
		c.offset++ // the next iteration's fetch may fail
	}
	return nil
}

type Value struct {
	n int
	m map[string]int
}

func (v Value) Copy(ctx context.Context) error {
	v.n++ // a copy
	return ctx.Err()
}

func (v Value) Shared(ctx context.Context) error { // want Shared:"writes receiver; early"
	v.m["k"]++
	return ctx.Err()
}

// PrefixShared writes the receiver first, but what follows changes r,
// declared before the write: split there, a second attempt would see the
// first one's r. No split.
func (c *Client) PrefixShared(ctx context.Context) (*Result, error) { // want PrefixShared:"writes receiver; early" PrefixShared:"reads example.com/safety.Result.N"
	r := &Result{}
	c.offset++
	_, err := c.fetch(ctx, "k")
	r.N++
	return r, err
}

// PrefixValue reads a value declared before the write: the split keeps
// the first two statements outside a retry.
func (c *Client) PrefixValue(ctx context.Context) (string, error) { // want PrefixValue:"writes receiver; early"
	key := strconv.Itoa(c.offset)
	c.offset++
	return c.fetch(ctx, key)
}

type Worker struct {
	quit chan struct{}
	jobs chan string
}

func (w *Worker) fetch(ctx context.Context, k string) error { return ctx.Err() }

// Quit only observes a close: safe.
func (w *Worker) Quit(ctx context.Context) error {
	select {
	case <-w.quit:
		return nil
	default:
	}
	return w.fetch(ctx, "k")
}

// Job takes a value from the receiver's channel: gone for a retry.
func (w *Worker) Job(ctx context.Context) error { // want Job:"writes receiver; early"
	k := <-w.jobs
	return w.fetch(ctx, k)
}

// Fatal prints before exiting: that path returns no error to retry.
func (c *Client) Fatal(ctx context.Context, k string) error {
	if k == "" {
		fmt.Println("no key")
		os.Exit(2)
	}
	_, err := c.fetch(ctx, k)
	return err
}

var errSentinel = fmt.Errorf("sentinel")

// Sentinel assigns a package error to its own result: nothing shared.
func (c *Client) Sentinel(ctx context.Context, k string) (err error) {
	if k == "" {
		err = errSentinel
		return
	}
	err = errSentinel
	_, err = c.fetch(ctx, k)
	return err
}

// Glob accumulates matches through glob, which only appends to them and
// returns them (afero's Glob): restarting the loop rebuilds them, so it is
// no cursor.
func Glob(ctx context.Context, dirs []string) (matches []string, err error) {
	for _, d := range dirs {
		matches, err = glob(ctx, d, matches)
		if err != nil {
			return
		}
	}
	return
}

func glob(ctx context.Context, dir string, matches []string) (m []string, e error) {
	m = matches
	if err := ctx.Err(); err != nil {
		return m, err
	}
	for _, n := range []string{dir + "/a", dir + "/b"} {
		m = append(m, n)
	}
	return
}

// Drain feeds its queue back to step, which reads it: a cursor.
func (c *Client) Drain(ctx context.Context, queue []string) (err error) { // want Drain:"restarts a loop"
	for len(queue) > 0 {
		queue, err = c.step(ctx, queue)
		if err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) step(ctx context.Context, queue []string) ([]string, error) {
	_, err := c.fetch(ctx, queue[0])
	return queue[1:], err
}

// Paged accumulates, but page reads how many items it holds: a cursor.
func (c *Client) Paged(ctx context.Context) (items []string, err error) { // want Paged:"restarts a loop"
	for i := 0; i < 3; i++ {
		items, err = c.page(ctx, items)
		if err != nil {
			return nil, err
		}
	}
	return items, nil
}

func (c *Client) page(ctx context.Context, items []string) ([]string, error) {
	k, err := c.fetch(ctx, strconv.Itoa(len(items)))
	return append(items, k), err
}

// Drained copies a response body to io.Discard before the call that can
// fail: draining into io.Discard writes nothing that outlives the attempt.
func (c *Client) Drained(ctx context.Context) error {
	_, _ = io.Copy(io.Discard, io.LimitReader(nil, 0))
	_, err := c.fetch(ctx, "k")
	return err
}

// Parse fails through a panic that its deferred handler turns into err
// (yaml.v3's Decode): the call after the defer can fail, so advancing the
// offset before it is a write a retry would repeat.
func (c *Client) Parse() (err error) { // want Parse:"writes receiver; early"
	defer handle(&err)
	c.offset++
	c.advance()
	return nil
}

// Unparsed has the same handler but writes only after its last call.
func (c *Client) Unparsed() (err error) { // want Unparsed:"writes receiver"
	defer handle(&err)
	c.advance()
	c.offset++
	return nil
}

func handle(err *error) { // want handle:"writes param 0"
	if r := recover(); r != nil {
		*err = fmt.Errorf("parse: %v", r)
	}
}

func (c *Client) advance() {}
