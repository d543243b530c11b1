// Package producer holds agent methods that hand a caller's sequence of
// records to a transport (the shape of kafka-go's Client.Produce and
// RawProduce): the first attempt reads the records as it sends them, so a
// retry after a reset connection would send a drained sequence, which
// such a client reports as a success with nothing written. The sequence is
// a cursor (ReadRecord), not an io.Reader, or an io.Reader inside a struct
// the method copies into its request.
package producer

import (
	"context"
	"errors"
	"io"
)

// Record is one record.
type Record struct{ Value []byte }

// RecordReader hands out the records of a set, io.EOF at the end.
type RecordReader interface {
	ReadRecord() (*Record, error)
}

// RoundTripper sends a message.
type RoundTripper interface {
	RoundTrip(ctx context.Context, msg any) (any, error)
}

// ProduceRequest carries records from the caller.
type ProduceRequest struct {
	Topic   string
	Records RecordReader
}

// RawRecordSet holds encoded records.
type RawRecordSet struct {
	Reader io.Reader
}

// RawProduceRequest carries encoded records inside a struct.
type RawProduceRequest struct {
	Topic      string
	RawRecords RawRecordSet
}

type produceMessage struct {
	topic   string
	records RecordReader
}

type rawMessage struct {
	topic string
	set   RawRecordSet
}

var errNoRecord = errors.New("record set contains no records")

// Client is an agent sending records.
type Client struct {
	Transport RoundTripper
}

// Produce sends the caller's records.
func (c *Client) Produce(ctx context.Context, req *ProduceRequest) (int, error) { // want `^Client.Produce returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it consumes req.Records, a reader \(ReadRecord\) that cannot be rewound \(a field of the parameter req\), so a retry would read a drained input`
	_, err := c.Transport.RoundTrip(ctx, &produceMessage{topic: req.Topic, records: req.Records})
	if errors.Is(err, errNoRecord) {
		return 0, nil
	}
	return 1, err
}

// RawProduce sends the caller's encoded records.
func (c *Client) RawProduce(ctx context.Context, req *RawProduceRequest) error { // want `^Client.RawProduce returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it hands on req.RawRecords, which holds req.RawRecords.Reader, an io.Reader that is not an io.Seeker, so a retry would read a drained input`
	_, err := c.Transport.RoundTrip(ctx, &rawMessage{topic: req.Topic, set: req.RawRecords})
	return err
}

// Stream sends records read from a cursor it is given directly.
func (c *Client) Stream(ctx context.Context, records RecordReader) error { // want `-fix cannot rewrite it: it consumes records, a reader \(ReadRecord\) that cannot be rewound, so a retry would read a drained input`
	_, err := c.Transport.RoundTrip(ctx, &produceMessage{records: records})
	return err
}

// Topic sends a request whose topic is read from the raw request: the
// struct holding the reader is only the operand of a selector.
func (c *Client) Topic(ctx context.Context, req *RawProduceRequest) error { // want Topic:"unrouted" `^Client.Topic returns an error but is not routed through runtime/recovery \(run`
	_, err := c.Transport.RoundTrip(ctx, req.Topic)
	return err
}
