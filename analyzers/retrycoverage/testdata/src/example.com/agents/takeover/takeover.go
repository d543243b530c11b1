// Package takeover reproduces how cloud.google.com/go/storage takes over an // want package:"retrying impls grpcClient.OpenWriter"
// appendable object (ObjectHandle.NewWriterFromAppendableObject, gRPC
// path): the client behind an interface starts a goroutine that runs the
// stream inside the package's retry loop (run), keeps its result and
// signals the end by closing a channel; the method waits on that channel
// for the takeover offset or the failure. Each attempt of a retry around
// the method would run run's attempts again: a nested retry.
package takeover

import (
	"context"
	"errors"
	"net"
	"time"
)

// run calls call until it succeeds, fails for good or runs out of
// attempts, as storage's run does.
func run(ctx context.Context, call func(context.Context) error, maxAttempts int) error { // want run:"waits" run:"routed by its own retry at takeover.go:20"
	for attempt := 1; ; attempt++ {
		err := call(ctx)
		if err == nil {
			return nil
		}
		var ne net.Error
		if attempt >= maxAttempts || !errors.As(err, &ne) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}

// runIf retries call only when it is idempotent, as storage's run does
// (its isIdempotent argument): it retries part of its work.
func runIf(ctx context.Context, call func(context.Context) error, idempotent bool) error { // want runIf:"waits" runIf:"nests"
	if !idempotent {
		return call(ctx)
	}
	return run(ctx, call, 3)
}

// openParams is what a client's OpenWriter reports back through.
type openParams struct {
	ctx        context.Context
	idempotent bool
	donec      chan struct{}
	setError   func(error)
	setOffset  func(int64)
}

type streamWriter struct{ conn net.Conn }

type storageClient interface {
	OpenWriter(p *openParams) (*streamWriter, error)
}

type plainClient interface {
	OpenPlain(p *openParams) (*streamWriter, error)
}

type bgClient interface {
	OpenBackground(p *openParams) (*streamWriter, error)
}

type grpcClient struct {
	addr    string
	lastErr error
}

// takeover dials the server and reads the object's current size.
func (c *grpcClient) takeover(ctx context.Context) (int64, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var b [8]byte
	if _, err := conn.Read(b[:]); err != nil {
		return 0, err
	}
	return int64(b[0]), nil
}

// OpenWriter starts the takeover stream in a goroutine, inside runIf, and
// reports its result through p: the caller waits for it on p.donec.
func (c *grpcClient) OpenWriter(p *openParams) (*streamWriter, error) { // want OpenWriter:"nests"
	if p.setOffset == nil {
		return nil, errors.New("takeover: no way to report the offset")
	}
	w := &streamWriter{}
	go func() {
		err := runIf(p.ctx, func(ctx context.Context) error {
			off, err := c.takeover(ctx)
			if err == nil {
				p.setOffset(off)
			}
			return err
		}, p.idempotent)
		p.setError(err)
		close(p.donec)
	}()
	return w, nil
}

// OpenPlain does the same without a retry: the goroutine's work is the
// caller's work, which a retry around the caller retries once.
func (c *grpcClient) OpenPlain(p *openParams) (*streamWriter, error) {
	if p.setOffset == nil {
		return nil, errors.New("takeover: no way to report the offset")
	}
	w := &streamWriter{}
	go func() {
		off, err := c.takeover(p.ctx)
		if err == nil {
			p.setOffset(off)
		}
		p.setError(err)
		close(p.donec)
	}()
	return w, nil
}

// OpenBackground retries in a goroutine that keeps its result in a field
// and signals nobody: no caller waits for that retry, so a retry around
// a caller does not nest it.
func (c *grpcClient) OpenBackground(p *openParams) (*streamWriter, error) {
	if p.setOffset == nil {
		return nil, errors.New("takeover: no way to report the offset")
	}
	go func() {
		c.lastErr = run(p.ctx, func(ctx context.Context) error {
			_, err := c.takeover(ctx)
			return err
		}, 3)
	}()
	return &streamWriter{}, nil
}

// Client is the entry point.
type Client struct {
	addr  string
	tc    storageClient
	plain plainClient
	bg    bgClient
}

// ObjectHandle names an object of a given generation.
type ObjectHandle struct {
	c   *Client
	gen int64
}

// Writer appends to an object.
type Writer struct {
	ctx               context.Context
	o                 *ObjectHandle
	sw                *streamWriter
	donec             chan struct{}
	err               error
	setTakeoverOffset func(int64)
}

func (w *Writer) params() *openParams {
	return &openParams{
		ctx:        w.ctx,
		idempotent: w.o.gen > 0,
		donec:      w.donec,
		setError:   func(err error) { w.err = err },
		setOffset:  w.setTakeoverOffset,
	}
}

func (w *Writer) openWriter() error { // want openWriter:"nests"
	sw, err := w.o.c.tc.OpenWriter(w.params())
	if err != nil {
		return err
	}
	w.sw = sw
	return nil
}

func (w *Writer) openPlain() error {
	sw, err := w.o.c.plain.OpenPlain(w.params())
	if err != nil {
		return err
	}
	w.sw = sw
	return nil
}

func (w *Writer) openBackground() error {
	sw, err := w.o.c.bg.OpenBackground(w.params())
	if err != nil {
		return err
	}
	w.sw = sw
	return nil
}

// NewWriterFromAppendableObject opens a writer that takes the object over
// and waits for the takeover offset, or the end of the stream: the
// stream's own retry runs inside each call.
func (o *ObjectHandle) NewWriterFromAppendableObject(ctx context.Context) (*Writer, int64, error) { // want NewWriterFromAppendableObject:"waits" NewWriterFromAppendableObject:"nests" `^ObjectHandle.NewWriterFromAppendableObject returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls Writer.openWriter, which already retries part of its work \(through takeover.run\)`
	if o.gen < 0 {
		return nil, 0, errors.New("takeover: the generation must be set")
	}
	toc := make(chan int64)
	w := &Writer{ctx: ctx, o: o, donec: make(chan struct{}), setTakeoverOffset: func(to int64) { toc <- to }}
	if err := w.openWriter(); err != nil {
		return nil, 0, err
	}
	select {
	case to := <-toc:
		return w, to, nil
	case <-w.donec:
		return nil, 0, w.err
	}
}

// NewPlainWriter takes the object over without a retry: it gets the fix.
func (o *ObjectHandle) NewPlainWriter(ctx context.Context) (*Writer, int64, error) { // want NewPlainWriter:"waits" NewPlainWriter:"unrouted" `^ObjectHandle.NewPlainWriter returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	toc := make(chan int64)
	w := &Writer{ctx: ctx, o: o, donec: make(chan struct{}), setTakeoverOffset: func(to int64) { toc <- to }}
	if err := w.openPlain(); err != nil {
		return nil, 0, err
	}
	select {
	case to := <-toc:
		return w, to, nil
	case <-w.donec:
		return nil, 0, w.err
	}
}

// NewBackgroundWriter dials on its own; the retry it starts in the
// background is no part of its attempt: it gets the fix.
func (o *ObjectHandle) NewBackgroundWriter(ctx context.Context) (*Writer, error) { // want NewBackgroundWriter:"unrouted" `^ObjectHandle.NewBackgroundWriter returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	w := &Writer{ctx: ctx, o: o, donec: make(chan struct{}), setTakeoverOffset: func(int64) {}}
	if err := w.openBackground(); err != nil {
		return nil, err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", o.c.addr)
	if err != nil {
		return nil, err
	}
	w.sw.conn = conn
	return w, nil
}

// Offset checks the handle, then runs the takeover in a goroutine of its
// own inside run and waits for its result on a channel: wrapping it would
// nest run's retry.
func (o *ObjectHandle) Offset(ctx context.Context, c *grpcClient) (int64, error) { // want Offset:"waits" Offset:"nests" `^ObjectHandle.Offset returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: the goroutine it starts at takeover.go:\d+ retries \(the call to routed run at takeover.go:\d+\) and signals its end, and wrapping it would nest that retry`
	if _, err := net.ResolveTCPAddr("tcp", c.addr); err != nil {
		return 0, err
	}
	type result struct {
		off int64
		err error
	}
	done := make(chan result, 1)
	go func() {
		var off int64
		err := run(ctx, func(ctx context.Context) error {
			var err error
			off, err = c.takeover(ctx)
			return err
		}, 3)
		done <- result{off, err}
	}()
	res := <-done
	return res.off, res.err
}

// Ping checks the handle, and starts a retry in a goroutine whose result
// it drops: no attempt of the method waits for that retry.
func (o *ObjectHandle) Ping(ctx context.Context, c *grpcClient) error { // want Ping:"unrouted" `^ObjectHandle.Ping returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	done := make(chan struct{})
	go func() {
		_ = run(ctx, func(ctx context.Context) error {
			_, err := c.takeover(ctx)
			return err
		}, 3)
		close(done)
	}()
	_, err := net.ResolveTCPAddr("tcp", c.addr)
	return err
}
