// Package batcher holds a client whose batching writer retries its
// produce calls itself (the shape of kafka-go's Writer and Client): the
// writer's retry loop runs the agent method Client.Produce in each
// attempt, so a retry around Produce would multiply that loop's attempts
// (3 x 3 produce requests on a refused connection). Client.Metadata, which
// no loop runs, and Client.Ping, which the attempts start in a goroutine,
// keep their fixes.
package batcher

import (
	"context"
	"errors"
	"time"
)

// RoundTripper sends a message.
type RoundTripper interface {
	RoundTrip(ctx context.Context, msg any) (any, error)
}

// Client is an agent talking to a broker.
type Client struct {
	Transport RoundTripper
}

// Produce sends one value.
func (c *Client) Produce(ctx context.Context, topic string, value []byte) (int64, error) { // want `^Client.Produce returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs in each attempt of the retry loop at batcher.go:58 in partitionWriter.writeBatch, through partitionWriter.send, Writer.produce, and a retry around it would multiply that retry's attempts`
	if _, err := c.Transport.RoundTrip(ctx, value); err != nil {
		return 0, err
	}
	return 1, nil
}

// Metadata asks for a topic's partitions: no retry loop runs it.
func (c *Client) Metadata(ctx context.Context, topic string) (int, error) { // want Metadata:"unrouted" `^Client.Metadata returns an error but is not routed through runtime/recovery \(run`
	if _, err := c.Transport.RoundTrip(ctx, topic); err != nil {
		return 0, err
	}
	return 1, nil
}

// Writer batches values and produces them through its client.
type Writer struct {
	client      *Client
	MaxAttempts int
}

func (w *Writer) produce(topic string, value []byte) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return w.client.Produce(ctx, topic, value)
}

type partitionWriter struct{ w *Writer }

func (ptw *partitionWriter) writeBatch(topic string, value []byte) error { // want writeBatch:"waits" writeBatch:"routed by its own retry at batcher.go:58"
	var err error
	for attempt := 0; attempt < ptw.w.MaxAttempts; attempt++ {
		if attempt != 0 {
			time.Sleep(time.Millisecond)
		}
		_, err = ptw.send(topic, value)
		if err == nil {
			break
		}
		if !errors.Is(err, errTemporary) {
			break
		}
	}
	return err
}

func (ptw *partitionWriter) send(topic string, value []byte) (int64, error) {
	go ptw.w.client.Ping(context.Background()) //nolint:errcheck // beside the attempt
	return ptw.w.produce(topic, value)
}

// Ping checks the broker. The writer's attempts start it beside them (a
// go statement), not in them: it keeps its fix.
func (c *Client) Ping(ctx context.Context) error { // want Ping:"unrouted" `^Client.Ping returns an error but is not routed through runtime/recovery \(run`
	_, err := c.Transport.RoundTrip(ctx, "ping")
	return err
}

var errTemporary = errors.New("temporary")
