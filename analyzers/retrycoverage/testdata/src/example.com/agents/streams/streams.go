// Package streams has agents that range over streams an SDK exposes as Go
// 1.23 function iterators yielding an error (iter.Seq2[T, error]): the
// iterator's request and reads fail through the loop's error variable,
// which the body returns, so such a loop is work that can fail although
// the call making the iterator returns no error.
package streams

import (
	"context"
	"iter"
	"net/http"
	"strings"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

type Chunk struct{ Text string }

// Client is the SDK's client (not an agent: its package is not one).
type Client struct{ hc *http.Client }

// stream sends the request when the range starts and yields each chunk,
// or the error that ended the stream.
func (c *Client) stream(ctx context.Context, prompt string) iter.Seq2[Chunk, error] {
	return func(yield func(Chunk, error) bool) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://chat/"+prompt, nil)
		if err != nil {
			yield(Chunk{}, err)
			return
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			yield(Chunk{}, err)
			return
		}
		defer resp.Body.Close()
		yield(Chunk{Text: resp.Status}, nil)
	}
}

// names yields no errors.
func (c *Client) names() iter.Seq[string] {
	return func(yield func(string) bool) { yield("a") }
}

type Assistant struct {
	c          *Client
	transcript []string
}

// Answer returns the stream's error from inside the loop: work.
func (a *Assistant) Answer(ctx context.Context, prompt string) (string, error) { // want Answer:"unrouted" `^Assistant.Answer returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	var b strings.Builder
	for ch, err := range a.c.stream(ctx, prompt) {
		if err != nil {
			return "", err
		}
		b.WriteString(ch.Text)
	}
	return b.String(), nil
}

// Held ranges over an iterator held in a variable first: work too.
func (a *Assistant) Held(ctx context.Context, prompt string) error { // want Held:"unrouted" `^Assistant.Held returns an error but is not routed`
	seq := a.c.stream(ctx, prompt)
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// Record appends each chunk to a field before the next iteration can
// fail: no fix.
func (a *Assistant) Record(ctx context.Context, prompt string) error { // want `^Assistant.Record returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it sets a.transcript at streams.go:\d+ before the call that can fail \(a.c.stream at streams.go:\d+\); a retry would repeat it`
	for ch, err := range a.c.stream(ctx, prompt) {
		if err != nil {
			return err
		}
		a.transcript = append(a.transcript, ch.Text)
	}
	return nil
}

// Dropped ignores the stream's errors: nothing it returns can fail.
func (a *Assistant) Dropped(ctx context.Context, prompt string) error { // want Dropped:"validator"
	var n int
	for _, _ = range a.c.stream(ctx, prompt) {
		n++
	}
	for range a.c.names() {
		n++
	}
	if n == 0 {
		return context.Canceled
	}
	return nil
}

// Routed ranges inside the retry.
func (a *Assistant) Routed(ctx context.Context, prompt string) (string, error) { // want Routed:"routed"
	return recovery.DoValue(ctx, recovery.Default(), func(ctx context.Context) (string, error) {
		var b strings.Builder
		for ch, err := range a.c.stream(ctx, prompt) {
			if err != nil {
				return "", err
			}
			b.WriteString(ch.Text)
		}
		return b.String(), nil
	})
}
