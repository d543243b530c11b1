package kafka

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one call makes for each kind of failure, before and after
// resilience-lint -fix. kafka-go's Writer retries a produce itself
// (MaxAttempts, here 3, on temporary Kafka errors and refused or reset
// connections) in a goroutine of its own that WriteMessages waits for on a
// channel; its metadata lookup and the Client's calls are not retried. A
// retry wrapped around WriteMessages would multiply the produce requests
// (each one a write of the messages); a retry of Client.Produce after its
// records were sent would find its record reader drained. The requests go through a fake
// RoundTripper (no broker is needed). The file sorts first so that the
// probe runs before the package's broker tests, which panic without a
// broker. It asserts nothing: the sweep compares the PROBE lines of the
// two runs.

import (
	"context"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go/protocol"
	metadataAPI "github.com/segmentio/kafka-go/protocol/metadata"
	produceAPI "github.com/segmentio/kafka-go/protocol/produce"
)

// probeTransport answers metadata requests with one topic of one
// partition, and produce requests per its mode: "ok", "temporary" (Not
// Leader For Partition), "permanent" (Message Size Too Large), "refused"
// (a refused connection), "meta-refused" (metadata requests refused) and
// "reset-after-send" (the first produce reads the records, as sending them
// does, then fails as a reset connection; later ones succeed). Like the
// real transport's encoder (protocol/record_v2.go), a produce whose record
// set yields no record fails with protocol.ErrNoRecord. records counts the
// records the produce requests carried.
type probeTransport struct {
	mode                   string
	meta, produce, records atomic.Int64
}

func probeRefused() error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
}

func (p *probeTransport) RoundTrip(ctx context.Context, addr net.Addr, req Request) (Response, error) {
	switch r := req.(type) {
	case *metadataAPI.Request:
		p.meta.Add(1)
		if p.mode == "meta-refused" {
			return nil, probeRefused()
		}
		res := &metadataAPI.Response{Brokers: []metadataAPI.ResponseBroker{{NodeID: 1, Host: "localhost", Port: 9092}}}
		for _, name := range r.TopicNames {
			res.Topics = append(res.Topics, metadataAPI.ResponseTopic{Name: name,
				Partitions: []metadataAPI.ResponsePartition{{PartitionIndex: 0, LeaderID: 1}}})
		}
		return res, nil
	case *produceAPI.Request:
		n := p.produce.Add(1)
		if p.mode == "refused" { // a dial refused: nothing is sent
			return nil, probeRefused()
		}
		read := 0
		for _, t := range r.Topics {
			for _, part := range t.Partitions {
				if part.RecordSet.Records == nil {
					continue
				}
				for {
					rec, err := part.RecordSet.Records.ReadRecord()
					if err != nil || rec == nil {
						break
					}
					read++
				}
			}
		}
		p.records.Add(int64(read))
		if read == 0 {
			return nil, protocol.ErrNoRecord
		}
		var code int16
		switch p.mode {
		case "reset-after-send":
			if n == 1 {
				return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
			}
		case "refused":
			return nil, probeRefused()
		case "temporary":
			code = int16(NotLeaderForPartition)
		case "permanent":
			code = int16(MessageSizeTooLarge)
		}
		return &produceAPI.Response{Topics: []produceAPI.ResponseTopic{{Topic: r.Topics[0].Topic,
			Partitions: []produceAPI.ResponsePartition{{Partition: 0, ErrorCode: code, BaseOffset: 1}}}}}, nil
	}
	return nil, UnsupportedVersion
}

func TestRLProbeRequestsPerFailure(t *testing.T) {
	for _, mode := range []string{"ok", "temporary", "permanent", "refused", "meta-refused", "reset-after-send"} {
		for _, call := range []string{"Writer.WriteMessages", "Client.Produce", "Client.Metadata"} {
			tr := &probeTransport{mode: mode}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			var err error
			switch call {
			case "Writer.WriteMessages":
				w := &Writer{Addr: TCP("probe:9092"), Topic: "t", Transport: tr, MaxAttempts: 3,
					WriteBackoffMin: time.Millisecond, WriteBackoffMax: time.Millisecond,
					BatchSize: 1, BatchTimeout: time.Millisecond, RequiredAcks: RequireOne}
				err = w.WriteMessages(ctx, Message{Value: []byte("v")})
				_ = w.Close()
			case "Client.Produce":
				c := &Client{Addr: TCP("probe:9092"), Transport: tr}
				var res *ProduceResponse
				res, err = c.Produce(ctx, &ProduceRequest{Topic: "t", RequiredAcks: RequireOne,
					Records: NewRecordReader(Record{Value: NewBytes([]byte("v"))})})
				if err == nil && res != nil {
					err = res.Error
				}
			case "Client.Metadata":
				c := &Client{Addr: TCP("probe:9092"), Transport: tr}
				_, err = c.Metadata(ctx, &MetadataRequest{Topics: []string{"t"}})
			}
			cancel()
			t.Logf("PROBE kafka %s mode=%s metadata=%d produce=%d records=%d err=%v", call, mode, tr.meta.Load(), tr.produce.Load(), tr.records.Load(), err != nil)
		}
	}
}
