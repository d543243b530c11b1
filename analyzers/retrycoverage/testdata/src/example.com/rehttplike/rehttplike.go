// Package rehttplike is a retrying http.RoundTripper reduced from
// github.com/PuerkitoBio/rehttp: RoundTrip buffers the request's body (work
// outside the retry), then retries in a loop whose classifier is given
// the attempt as a struct literal holding the error.
package rehttplike

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// Attempt is what the classifier is told of one attempt.
type Attempt struct {
	Index    int
	Response *http.Response
	Error    error
}

// Transport retries its base transport's round trips.
type Transport struct {
	http.RoundTripper
	retry func(Attempt) (bool, time.Duration)
}

// NewTransport returns a Transport over rt.
func NewTransport(rt http.RoundTripper, retry func(Attempt) (bool, time.Duration)) *Transport { // want NewTransport:"returns a retrying sender \\(rehttplike.Transport.RoundTrip\\)"
	return &Transport{RoundTripper: rt, retry: retry}
}

// RoundTrip sends req, again while the classifier says so.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) { // want RoundTrip:"waits" RoundTrip:"nests"
	var br *bytes.Reader
	if req.Body != nil {
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, req.Body); err != nil {
			return nil, err
		}
		br = bytes.NewReader(buf.Bytes())
		req.Body = io.NopCloser(br)
	}
	for attempt := 0; ; attempt++ {
		res, err := t.RoundTripper.RoundTrip(req)
		retry, delay := t.retry(Attempt{Index: attempt, Response: res, Error: err})
		if !retry {
			return res, err
		}
		if br != nil {
			_, _ = br.Seek(0, io.SeekStart)
		}
		time.Sleep(delay)
	}
}
