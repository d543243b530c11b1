package events_test

// A probe of the real-world sweep (scripts/realworld/wrapper.sh): counts
// what franz-go's in-process fake cluster (kfake) receives and keeps when
// one call of the event bus meets a failure, before and after
// resilience-lint -fix. franz-go retries by itself: a produce on a
// retriable Kafka error (NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT) or
// a dropped connection, with the same producer sequence numbers, so the
// cluster keeps each record once (the idempotent producer); every other
// request (CreateTopics, ListOffsets, OffsetCommit, Metadata) up to
// RequestRetries times. A retry of ours around a call would produce the
// records again with new sequence numbers (kept twice), or multiply
// franz-go's attempts.
//
// Faults: a Kafka error code answered once (kfake.Fault; REQUEST_TIMED_OUT
// on a produce or a CreateTopics is answered after the cluster applied
// it), or the connection closed on every request of a kind ("drop").
// Counts: the requests of the kind the cluster received, the records it
// keeps (the topic's end offsets), the records the consumer handled. It
// asserts nothing: the sweep compares the PROBE lines of the two runs.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"example.com/events"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

const topic = "events"

// fixture is one cluster and a bus over it.
type fixture struct {
	c   *kfake.Cluster
	cl  *kgo.Client
	bus *events.EventBus
	n   map[kmsg.Key]*atomic.Int64
	// dials counts the client's connection attempts.
	dials atomic.Int64
}

func newFixture(t *testing.T, partitions int32, opts ...kgo.Opt) *fixture {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(partitions, topic))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{c: c, n: map[kmsg.Key]*atomic.Int64{}}
	for _, k := range []kmsg.Key{kmsg.Produce, kmsg.CreateTopics, kmsg.ListOffsets, kmsg.OffsetCommit, kmsg.Metadata} {
		n := new(atomic.Int64)
		f.n[k] = n
		c.ControlKey(int16(k), func(kmsg.Request) (kmsg.Response, error, bool) {
			n.Add(1)
			return nil, nil, false // observe only
		})
	}
	var d net.Dialer
	base := []kgo.Opt{
		kgo.SeedBrokers(c.ListenAddrs()...),
		kgo.Dialer(func(ctx context.Context, network, host string) (net.Conn, error) {
			f.dials.Add(1)
			return d.DialContext(ctx, network, host)
		}),
		kgo.RetryBackoffFn(func(int) time.Duration { return time.Millisecond }),
		kgo.RequestRetries(3),
		kgo.RecordRetries(3),
		kgo.RecordDeliveryTimeout(2 * time.Second),
		kgo.RetryTimeout(2 * time.Second),
		kgo.MetadataMinAge(10 * time.Millisecond),
		kgo.RecordPartitioner(kgo.RoundRobinPartitioner()),
	}
	cl, err := kgo.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	f.cl = cl
	f.bus = &events.EventBus{Client: cl, Topic: topic}
	t.Cleanup(func() { cl.Close(); c.Close() })
	return f
}

// drop closes the connection of the next request of kind k, or of every
// one from now on (always).
func (f *fixture) drop(k kmsg.Key, always bool) {
	f.c.ControlKey(int16(k), func(kmsg.Request) (kmsg.Response, error, bool) {
		if always {
			f.c.KeepControl()
		}
		return nil, errors.New("probe: connection dropped"), true
	})
}

// quiet keeps the client from refreshing its metadata in the
// background while the cluster is down (each refresh dials): the dials
// counted are the call's.
var quiet = []kgo.Opt{kgo.MetadataMinAge(time.Minute), kgo.MetadataMaxAge(time.Hour)}

// down connects the client (a metadata request), then stops the
// cluster and lets the client find its connections closed: every later
// dial is refused. The dial count starts at 0.
func (f *fixture) down(t *testing.T) {
	t.Helper()
	if err := f.cl.Ping(ctx(t)); err != nil {
		t.Fatal(err)
	}
	f.c.Close()
	time.Sleep(50 * time.Millisecond)
	_ = f.cl.Ping(ctx(t)) // finds the open connections closed
	f.dials.Store(0)
}

// records returns the records the cluster keeps in the topic (the sum of
// its partitions' end offsets), asked through a client of its own.
func (f *fixture) records(t *testing.T, partitions int32) int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(f.c.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	req := kmsg.NewPtrListOffsetsRequest()
	rt := kmsg.NewListOffsetsRequestTopic()
	rt.Topic = topic
	for p := range partitions {
		rp := kmsg.NewListOffsetsRequestTopicPartition()
		rp.Partition = p
		rp.Timestamp = -1
		rt.Partitions = append(rt.Partitions, rp)
	}
	req.Topics = append(req.Topics, rt)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			n += p.Offset
		}
	}
	return n
}

// kind names an error briefly: nil, a Kafka error's name, the context's
// end, or its text's start.
func kind(err error) string {
	var ke *kerr.Error
	switch {
	case err == nil:
		return "nil"
	case errors.As(err, &ke):
		return ke.Message
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline"
	}
	s := err.Error()
	if len(s) > 60 {
		s = s[:60]
	}
	return fmt.Sprintf("%q", strings.ReplaceAll(s, "\n", " "))
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestPublish(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault *kfake.Fault
		drop  bool
	}{
		{name: "ok"},
		{name: "not-leader-once", fault: &kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Err: kerr.NotLeaderForPartition}},
		{name: "timed-out-after-apply-once", fault: &kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Err: kerr.RequestTimedOut}},
		{name: "too-large-once", fault: &kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Err: kerr.MessageTooLarge}},
		{name: "drop-once", drop: true},
	} {
		for _, call := range []string{"Publish", "PublishAsync"} {
			f := newFixture(t, 1)
			if tc.fault != nil {
				f.c.Fault(*tc.fault)
			}
			if tc.drop {
				f.drop(kmsg.Produce, false)
			}
			e := events.Event{Key: []byte("k"), Value: []byte("v")}
			var err error
			if call == "Publish" {
				err = f.bus.Publish(ctx(t), e)
			} else {
				err = f.bus.PublishAsync(ctx(t), e)
			}
			fmt.Printf("PROBE %s %s: err=%s produce-requests=%d records-kept=%d\n", call, tc.name, kind(err), f.n[kmsg.Produce].Load(), f.records(t, 1))
		}
	}
}

func TestPublishBatch(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault *kfake.Fault
	}{
		{name: "ok"},
		{name: "partition-1-too-large", fault: &kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: topic, Partitions: []int32{1}, Err: kerr.MessageTooLarge, Count: -1}},
		{name: "partition-1-not-leader-once", fault: &kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: topic, Partitions: []int32{1}, Err: kerr.NotLeaderForPartition}},
	} {
		f := newFixture(t, 2)
		if tc.fault != nil {
			f.c.Fault(*tc.fault)
		}
		var evs []events.Event
		for i := range 4 {
			evs = append(evs, events.Event{Key: fmt.Appendf(nil, "k%d", i), Value: []byte("v")})
		}
		err := f.bus.PublishBatch(ctx(t), evs)
		fmt.Printf("PROBE PublishBatch(4 records, 2 partitions) %s: err=%s produce-requests=%d records-kept=%d\n", tc.name, kind(err), f.n[kmsg.Produce].Load(), f.records(t, 2))
	}
}

func TestConsume(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fault   *kfake.Fault
		drop    bool
		handler error
	}{
		{name: "ok"},
		{name: "commit-coordinator-loading-once", fault: &kfake.Fault{Keys: []kmsg.Key{kmsg.OffsetCommit}, Err: kerr.CoordinatorLoadInProgress}},
		{name: "commit-drop-always", drop: true},
		{name: "handler-fails", handler: errors.New("handler failed")},
	} {
		f := newFixture(t, 1, kgo.ConsumerGroup("g"), kgo.ConsumeTopics(topic), kgo.DisableAutoCommit(), kgo.FetchMaxWait(200*time.Millisecond))
		// One produce of the three records, so that they are one batch
		// and the first poll returns all of them.
		var recs []*kgo.Record
		for i := range 3 {
			recs = append(recs, &kgo.Record{Topic: topic, Value: fmt.Appendf(nil, "%d", i)})
		}
		if err := f.cl.ProduceSync(ctx(t), recs...).FirstErr(); err != nil {
			t.Fatal(err)
		}
		if tc.fault != nil {
			f.c.Fault(*tc.fault)
		}
		if tc.drop {
			f.drop(kmsg.OffsetCommit, true)
		}
		var handled atomic.Int64
		n, err := f.bus.Consume(ctx(t), func(context.Context, events.Event) error {
			handled.Add(1)
			return tc.handler
		})
		fmt.Printf("PROBE Consume(3 records) %s: err=%s returned=%d handler-runs=%d commit-requests=%d\n", tc.name, kind(err), n, handled.Load(), f.n[kmsg.OffsetCommit].Load())
	}
}

func TestAdmin(t *testing.T) {
	// CreateTopic of a new topic.
	for _, tc := range []struct {
		name  string
		fault *kfake.Fault
		drop  bool
	}{
		{name: "ok"},
		{name: "timed-out-after-apply-once", fault: &kfake.Fault{Keys: []kmsg.Key{kmsg.CreateTopics}, Err: kerr.RequestTimedOut}},
		{name: "drop-always", drop: true},
		{name: "cluster-down"},
	} {
		var opts []kgo.Opt
		if tc.name == "cluster-down" {
			opts = quiet
		}
		f := newFixture(t, 1, opts...)
		bus := &events.EventBus{Client: f.cl, Topic: "created"}
		if tc.name == "cluster-down" {
			f.down(t)
		}
		if tc.fault != nil {
			f.c.Fault(*tc.fault)
		}
		if tc.drop {
			f.drop(kmsg.CreateTopics, true)
		}
		err := bus.CreateTopic(ctx(t), 1)
		fmt.Printf("PROBE CreateTopic %s: err=%s createtopics-requests=%d dials=%d\n", tc.name, kind(err), f.n[kmsg.CreateTopics].Load(), f.dials.Load())
	}
	// EndOffset and Ping with every request of theirs dropped.
	{
		f := newFixture(t, 1)
		f.drop(kmsg.ListOffsets, true)
		_, err := f.bus.EndOffset(ctx(t), 0)
		fmt.Printf("PROBE EndOffset drop-always: err=%s listoffsets-requests=%d\n", kind(err), f.n[kmsg.ListOffsets].Load())
	}
	{
		f := newFixture(t, 1)
		_, err := f.bus.EndOffset(ctx(t), 0)
		fmt.Printf("PROBE EndOffset ok: err=%s listoffsets-requests=%d\n", kind(err), f.n[kmsg.ListOffsets].Load())
	}
	{
		f := newFixture(t, 1)
		err := f.bus.Ping(ctx(t))
		fmt.Printf("PROBE Ping ok: err=%s metadata-requests=%d\n", kind(err), f.n[kmsg.Metadata].Load())
	}
	{
		f := newFixture(t, 1)
		f.drop(kmsg.Metadata, true)
		err := f.bus.Ping(ctx(t))
		fmt.Printf("PROBE Ping drop-always: err=%s metadata-requests=%d\n", kind(err), f.n[kmsg.Metadata].Load())
	}
	{
		f := newFixture(t, 1, quiet...)
		f.down(t)
		_, err := f.bus.EndOffset(ctx(t), 0)
		fmt.Printf("PROBE EndOffset cluster-down: err=%s dials=%d\n", kind(err), f.dials.Load())
	}
	{
		f := newFixture(t, 1, quiet...)
		f.down(t)
		err := f.bus.Ping(ctx(t))
		fmt.Printf("PROBE Ping cluster-down: err=%s dials=%d\n", kind(err), f.dials.Load())
	}
}
