// Package lastvalue holds agent methods whose client stores a last value
// (the rate-limit headers of the last response) before it can fail: a
// retry leaves what one attempt leaves, so -fix rewrites them, unless the
// method reads that value back.
package lastvalue

import (
	"context"
	"errors"

	"example.com/lvapi"
)

// DropletsService is an agent over the client.
type DropletsService struct {
	client *lvapi.Client
	calls  int
}

// Get is rewritten: the client's c.Rate is a last value nothing here reads.
func (s *DropletsService) Get(ctx context.Context, id string) (string, error) { // want Get:"unrouted" `DropletsService.Get returns an error but is not routed`
	var out string
	if _, err := s.client.Do(ctx, &out); err != nil {
		return "", err
	}
	return out + id, nil
}

// Throttled reads the last value back: a retry would see the failed
// attempt's rate.
func (s *DropletsService) Throttled(ctx context.Context) (string, error) { // want `-fix cannot rewrite it: it calls s.client.Do \(which sets c.Rate at lvapi.go:\d+\) at lastvalue.go:\d+ in s.client.Do, a call that can fail`
	var out string
	if s.client.GetRate().Remaining == 0 {
		return "", errors.New("rate limited")
	}
	_, err := s.client.Do(ctx, &out)
	return out, err
}

// Counted counts with a plain = that reads what it writes.
func (s *DropletsService) Counted(ctx context.Context) (string, error) { // want Counted:"unrouted" `-fix retries only the statements after lastvalue.go:\d+, as it sets s.calls at lastvalue.go:\d+`
	s.calls = s.calls + 1
	var out string
	_, err := s.client.Do(ctx, &out)
	return out, err
}
