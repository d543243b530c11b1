package looped

import (
	"context"
	"net/http"

	"example.com/retryloop"
)

// Sender sends through an http.Client over retryloop's Transport, whose
// RoundTrip retries after buffering the body (work outside its loop).
type Sender struct {
	client *http.Client
	url    string
}

// NewSender builds the client over the retrying transport.
func NewSender(url string) *Sender {
	return &Sender{client: &http.Client{Transport: retryloop.NewTransport(http.DefaultTransport)}, url: url}
}

// Send would nest the transport's retry: no fix.
func (s *Sender) Send(ctx context.Context) error { // want Send:"sends through a retrying transport" `^Sender.Send returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it sends through s.client, which transported.go:19 may set to a retrying client \(retryloop.Transport.RoundTrip\)`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
