// Package liblogger is a client with a logger of its own, as franz-go's
// kgo.Logger and its BasicLogger over an io.Writer: a log line per
// attempt records the attempt, it is no write a retry must not repeat.
package liblogger

import (
	"context"
	"fmt"
	"io"
)

type Logger interface {
	Log(level int, msg string, keyvals ...any)
}

type basicLogger struct{ dst io.Writer }

func (b *basicLogger) Log(level int, msg string, keyvals ...any) { // want Log:"writes receiver \\(stream\\)"
	fmt.Fprintln(b.dst, msg)
}

func BasicLogger(dst io.Writer) Logger { return &basicLogger{dst: dst} }

// Journal is no logger: its Record returns an error, and what it writes
// is the program's output.
type Journal interface {
	Record(msg string) error
}

type Client struct {
	logger  Logger
	journal Journal
	out     io.Writer
	queue   chan string
}

func send(ctx context.Context) error { return ctx.Err() }

// Produce logs, then sends: safe.
func (c *Client) Produce(ctx context.Context, rec string) error {
	c.logger.Log(1, "producing", "record", rec)
	return send(ctx)
}

// Queue queues the record, then sends: a retry would queue it twice.
func (c *Client) Queue(ctx context.Context, rec string) error { // want Queue:"writes receiver; early"
	c.queue <- rec
	c.logger.Log(1, "queued")
	return send(ctx)
}

// Echo writes the record to the client's output: the program's output,
// not a log line.
func (c *Client) Echo(ctx context.Context, rec string) error { // want Echo:"writes receiver \\(stream\\); early"
	fmt.Fprintln(c.out, rec)
	return send(ctx)
}
