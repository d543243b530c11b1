package typederr // want package:"last values example.com/typederr.Writer.batch"
// Package typederr batches lines and sends them through a call that fails
// with a concrete error type (influxdb-client-go's writeAPIBlocking.flush
// empties its batch before Service.WriteBatch, which returns
// *http2.Error): that call can fail, so emptying the batch before it is a
// write a retry would repeat (and lose the batch).

import (
	"context"
	"sync/atomic"
)

type Error struct{ Code int }

func (e *Error) Error() string { return "write failed" }

type Service struct{}

func (s *Service) WriteBatch(ctx context.Context, body string) *Error {
	if ctx.Err() != nil {
		return &Error{Code: 503}
	}
	return nil
}

type Writer struct {
	svc      *Service
	batch    []string
	batching int32
}

// Flush empties the batch before the call that can fail.
func (w *Writer) Flush(ctx context.Context) error { // want Flush:"writes receiver; early" Flush:"reads example.com/typederr.Writer.batch"
	body := ""
	for _, l := range w.batch {
		body += l
	}
	w.batch = w.batch[:0]
	if err := w.svc.WriteBatch(ctx, body); err != nil {
		return err
	}
	return nil
}

// Pending reads the batching flag atomically (a read, not a write) before
// the call that can fail.
func (w *Writer) Pending(ctx context.Context) error {
	if atomic.LoadInt32(&w.batching) == 0 {
		return nil
	}
	if err := w.svc.WriteBatch(ctx, ""); err != nil {
		return err
	}
	return nil
}

// Start sets the flag atomically before the call that can fail: a write.
func (w *Writer) Start(ctx context.Context) error { // want Start:"writes receiver; early"
	atomic.StoreInt32(&w.batching, 1)
	if err := w.svc.WriteBatch(ctx, ""); err != nil {
		return err
	}
	return nil
}
