// Package events is a hand-written event bus over franz-go's kgo.Client,
// as a service would have one: a publish of one event, a publish of a
// batch, one round of a consumer group's poll loop with offsets
// committed after the handler ran, a topic created through a raw
// request, a lookup of a partition's end offset, and a ping of the
// cluster.
package events

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Event is one message of the bus.
type Event struct {
	Key, Value []byte
}

// EventBus publishes to and consumes from one topic.
type EventBus struct {
	Client *kgo.Client
	Topic  string
}

// Publish produces one event and waits for its acknowledgement.
func (b *EventBus) Publish(ctx context.Context, e Event) error {
	rec := &kgo.Record{Topic: b.Topic, Key: e.Key, Value: e.Value}
	if err := b.Client.ProduceSync(ctx, rec).FirstErr(); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// PublishBatch produces events and waits for all of them: it fails when
// any record fails (the others may have been acknowledged).
func (b *EventBus) PublishBatch(ctx context.Context, events []Event) error {
	recs := make([]*kgo.Record, 0, len(events))
	for _, e := range events {
		recs = append(recs, &kgo.Record{Topic: b.Topic, Key: e.Key, Value: e.Value})
	}
	return b.Client.ProduceSync(ctx, recs...).FirstErr()
}

// PublishAsync produces an event and waits for its promise.
func (b *EventBus) PublishAsync(ctx context.Context, e Event) error {
	done := make(chan error, 1)
	b.Client.Produce(ctx, &kgo.Record{Topic: b.Topic, Key: e.Key, Value: e.Value}, func(_ *kgo.Record, err error) {
		done <- err
	})
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Consume runs one round of the poll loop: it polls, hands each record
// to handle and commits the offsets of the records handled. It returns
// the number of records handled.
func (b *EventBus) Consume(ctx context.Context, handle func(context.Context, Event) error) (int, error) {
	fetches := b.Client.PollFetches(ctx)
	if errs := fetches.Errors(); len(errs) > 0 {
		return 0, fmt.Errorf("poll %s/%d: %w", errs[0].Topic, errs[0].Partition, errs[0].Err)
	}
	var handled []*kgo.Record
	var herr error
	fetches.EachRecord(func(r *kgo.Record) {
		if herr != nil {
			return
		}
		if err := handle(ctx, Event{Key: r.Key, Value: r.Value}); err != nil {
			herr = err
			return
		}
		handled = append(handled, r)
	})
	if len(handled) > 0 {
		if err := b.Client.CommitRecords(ctx, handled...); err != nil {
			return len(handled), fmt.Errorf("commit: %w", err)
		}
	}
	return len(handled), herr
}

// CreateTopic creates the bus's topic with partitions partitions.
func (b *EventBus) CreateTopic(ctx context.Context, partitions int32) error {
	req := kmsg.NewPtrCreateTopicsRequest()
	t := kmsg.NewCreateTopicsRequestTopic()
	t.Topic = b.Topic
	t.NumPartitions = partitions
	t.ReplicationFactor = 1
	req.Topics = append(req.Topics, t)
	resp, err := req.RequestWith(ctx, b.Client)
	if err != nil {
		return err
	}
	if len(resp.Topics) != 1 {
		return errors.New("create topic: no answer for the topic")
	}
	return kerr.ErrorForCode(resp.Topics[0].ErrorCode)
}

// EndOffset returns the end offset of one partition of the bus's topic.
func (b *EventBus) EndOffset(ctx context.Context, partition int32) (int64, error) {
	req := kmsg.NewPtrListOffsetsRequest()
	t := kmsg.NewListOffsetsRequestTopic()
	t.Topic = b.Topic
	p := kmsg.NewListOffsetsRequestTopicPartition()
	p.Partition = partition
	p.Timestamp = -1 // the latest offset
	t.Partitions = append(t.Partitions, p)
	req.Topics = append(req.Topics, t)
	shards := b.Client.RequestSharded(ctx, req)
	for _, s := range shards {
		if s.Err != nil {
			return 0, s.Err
		}
		resp := s.Resp.(*kmsg.ListOffsetsResponse)
		for _, rt := range resp.Topics {
			for _, rp := range rt.Partitions {
				if err := kerr.ErrorForCode(rp.ErrorCode); err != nil {
					return 0, err
				}
				return rp.Offset, nil
			}
		}
	}
	return 0, errors.New("end offset: no answer for the partition")
}

// Ping checks that a broker of the cluster answers.
func (b *EventBus) Ping(ctx context.Context) error {
	return b.Client.Ping(ctx)
}
