// Package typederr batches lines and sends them through a call that fails
// with a concrete error type (influxdb-client-go's writeAPIBlocking.flush
// empties its batch before Service.WriteBatch, which returns
// *http2.Error): that call can fail, so emptying the batch before it is a
// write a retry would repeat (and lose the batch).
package typederr

import "context"

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
	svc   *Service
	batch []string
}

// Flush empties the batch before the call that can fail.
func (w *Writer) Flush(ctx context.Context) error { // want Flush:"writes receiver; early"
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
