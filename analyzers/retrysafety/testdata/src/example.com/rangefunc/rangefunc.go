package rangefunc // want package:"last values example.com/rangefunc.Assistant.transcript"

// The package ranges over streams that an SDK exposes as Go 1.23
// function iterators yielding an error (iter.Seq2[T, error]): every
// iteration can fail at the loop's head, after the body's writes of the
// iterations before.

import (
	"context"
	"iter"
	"strings"
)

type Chunk struct{ Text string }

// Client streams answers; its iterator sends the request when the range
// starts and yields each chunk or the error that ended the stream.
type Client struct{ chunks []Chunk }

func (c *Client) Stream(ctx context.Context, prompt string) iter.Seq2[Chunk, error] {
	return func(yield func(Chunk, error) bool) {
		for _, ch := range c.chunks {
			if !yield(ch, ctx.Err()) {
				return
			}
		}
	}
}

type Assistant struct {
	c          *Client
	transcript []string
	asked      int
}

// Record appends each chunk to a field: a failure in a later iteration
// comes after the append, so a retry would append the first chunks again.
func (a *Assistant) Record(ctx context.Context, prompt string) error { // want Record:"reads example.com/rangefunc.Assistant.transcript" Record:"writes receiver; early; last values of receiver: example.com/rangefunc.Assistant.transcript"
	for ch, err := range a.c.Stream(ctx, prompt) {
		if err != nil {
			return err
		}
		a.transcript = append(a.transcript, ch.Text)
	}
	return nil
}

func (c *Client) Ping(ctx context.Context) error { return ctx.Err() }

// Converse pings first: the append is after that call that can fail, but
// before the next iteration's failure.
func (a *Assistant) Converse(ctx context.Context, prompt string) error { // want Converse:"reads example.com/rangefunc.Assistant.transcript" Converse:"writes receiver; early; last values of receiver: example.com/rangefunc.Assistant.transcript"
	if err := a.c.Ping(ctx); err != nil {
		return err
	}
	for ch, err := range a.c.Stream(ctx, prompt) {
		if err != nil {
			return err
		}
		a.transcript = append(a.transcript, ch.Text)
	}
	return nil
}

// Counted counts the question before the stream fails.
func (a *Assistant) Counted(ctx context.Context, prompt string) error { // want Counted:"writes receiver; early"
	a.asked++
	seq := a.c.Stream(ctx, prompt)
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// Answer collects the chunks in a builder of its own: safe.
func (a *Assistant) Answer(ctx context.Context, prompt string) (string, error) {
	var b strings.Builder
	for ch, err := range a.c.Stream(ctx, prompt) {
		if err != nil {
			return "", err
		}
		b.WriteString(ch.Text)
	}
	return b.String(), nil
}

// Ignored drops the stream's errors: nothing fails, and the append is
// no write before a failure.
func (a *Assistant) Ignored(ctx context.Context, prompt string) error { // want Ignored:"reads example.com/rangefunc.Assistant.transcript" Ignored:"writes receiver; last values of receiver: example.com/rangefunc.Assistant.transcript"
	for ch, _ := range a.c.Stream(ctx, prompt) {
		a.transcript = append(a.transcript, ch.Text)
	}
	return nil
}
