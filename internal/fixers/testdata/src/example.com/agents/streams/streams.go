// Package streams has agent methods that range over a stream an SDK
// exposes as a Go 1.23 function iterator yielding an error
// (iter.Seq2[T, error]): -fix wraps the loop, with the returns inside its
// body, and keeps a leading count out of the retry.
package streams

import (
	"context"
	"iter"
	"strings"
)

type Chunk struct{ Text string }

// stream yields the chunks of an answer, or the error that ended it.
func stream(ctx context.Context, prompt string) iter.Seq2[Chunk, error] {
	return func(yield func(Chunk, error) bool) {
		for _, s := range strings.Fields(prompt) {
			if !yield(Chunk{Text: s}, ctx.Err()) {
				return
			}
		}
	}
}

// Assistant is an agent.
type Assistant struct {
	asked      int
	transcript []string
}

// Answer collects the chunks in a builder of its own.
func (a *Assistant) Answer(ctx context.Context, prompt string) (string, error) { // want Answer:"unrouted" `^Assistant.Answer returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	var b strings.Builder
	for ch, err := range stream(ctx, prompt) {
		if err != nil {
			return "", err
		}
		b.WriteString(ch.Text)
	}
	return b.String(), nil
}

// Counted counts the question, then drains the stream.
func (a *Assistant) Counted(ctx context.Context, prompt string) error { // want Counted:"unrouted" `^Assistant.Counted returns an error but is not routed through runtime/recovery; -fix retries only the statements after streams.go:\d+, as it increments a.asked`
	a.asked++
	for _, err := range stream(ctx, prompt) {
		if err != nil {
			return err
		}
	}
	return nil
}

// Record appends each chunk to the transcript: no fix.
func (a *Assistant) Record(ctx context.Context, prompt string) error { // want `^Assistant.Record returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it sets a.transcript at streams.go:\d+ before the call that can fail \(stream at streams.go:\d+\)`
	for ch, err := range stream(ctx, prompt) {
		if err != nil {
			return err
		}
		a.transcript = append(a.transcript, ch.Text)
	}
	return nil
}
