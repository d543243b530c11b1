package retryloop

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// TripAttempt is what a transport's classifier is handed, as rehttp's is.
type TripAttempt struct {
	Request  *http.Request
	Response *http.Response
	Index    int
	Error    error
}

// Transport retries a round trip while its classifier, given the attempt
// (the error inside a struct), says so, as rehttp.Transport does; like
// it, it buffers the request's body first, outside its retry loop.
type Transport struct {
	Next  http.RoundTripper
	retry func(TripAttempt) (bool, time.Duration)
}

// NewTransport returns a Transport over next.
func NewTransport(next http.RoundTripper) *Transport { // want NewTransport:"returns a retrying sender \\(retryloop.Transport.RoundTrip\\)"
	return &Transport{Next: next, retry: func(a TripAttempt) (bool, time.Duration) { return a.Index < 2, time.Millisecond }}
}

func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) { // want RoundTrip:"waits" RoundTrip:"nests"
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		body = b
	}
	var attempt int
	for {
		if body != nil {
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		res, err := t.Next.RoundTrip(req)
		retry, delay := t.retry(TripAttempt{Request: req, Response: res, Index: attempt, Error: err})
		if !retry {
			return res, err
		}
		if res != nil {
			res.Body.Close()
		}
		select {
		case <-time.After(delay):
			attempt++
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
	}
}
