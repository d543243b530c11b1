// Package typederr is an API client whose transport returns a concrete
// error type (influxdb-client-go's Service.WriteBatch returns
// *http2.Error): a call of it is work that can fail like one returning
// error, and a constructor of that type is validation.
package typederr

import (
	"context"
	"net/http"
)

// HTTPError is the transport's error.
type HTTPError struct {
	StatusCode int
	Err        error
}

func (e *HTTPError) Error() string { return e.Err.Error() }

// newError builds an HTTPError on the spot: validation, not work.
func newError(code int, err error) *HTTPError { // want newError:"validator"
	return &HTTPError{StatusCode: code, Err: err}
}

type service struct{ hc *http.Client }

// post sends a request: work that can fail, with an *HTTPError.
func (s *service) post(ctx context.Context, url string) *HTTPError {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return newError(0, err)
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return newError(0, err)
	}
	resp.Body.Close()
	return nil
}

type Writer struct {
	svc *service
	url string
}

// WriteRecord fails through post's *HTTPError: it does work that can fail.
func (w *Writer) WriteRecord(ctx context.Context) error { // want WriteRecord:"unrouted" `^Writer.WriteRecord returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	if err := w.svc.post(ctx, w.url); err != nil {
		return err
	}
	return nil
}

// Check only builds an error: no work that can fail.
func (w *Writer) Check(code int) error { // want Check:"validator"
	if code >= 400 {
		return newError(code, http.ErrNotSupported)
	}
	return nil
}
