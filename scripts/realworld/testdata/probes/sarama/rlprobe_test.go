package sarama

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one call makes for each kind of failure, before and after
// resilience-lint -fix, against sarama's own MockBroker (its History).
// sarama retries on its own: the producer re-sends a batch on retriable
// Kafka errors (Producer.Retry.Max, here 2), the admin client re-sends a
// controller request on ErrNotController/EOF (Admin.Retry.Max, here 2),
// the client re-fetches metadata while a topic has no leader
// (Metadata.Retry.Max, here 2); every backoff here is zero. A retry
// wrapped around those methods would multiply the requests; a produce or
// a create repeated on a permanent error would be a new effect.
// "refused": the broker was reachable when the client was made and every
// later dial is refused (a counting proxy.Dialer): the count is dials.
// It asserts nothing: the sweep compares the PROBE lines of the two runs.

import (
	"errors"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// probeDialer dials through net.Dialer until refuse is set, then fails
// every dial as a refused connection; it counts the dials after that.
type probeDialer struct {
	refuse  atomic.Bool
	refused atomic.Int64
}

func (d *probeDialer) Dial(network, addr string) (net.Conn, error) {
	if d.refuse.Load() {
		d.refused.Add(1)
		return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return (&net.Dialer{Timeout: time.Second}).Dial(network, addr)
}

// probeCreateTopics answers every CreateTopics request with err.
type probeCreateTopics struct{ err KError }

func (p probeCreateTopics) For(reqBody versionedDecoder) encoderWithHeader {
	req := reqBody.(*CreateTopicsRequest)
	res := &CreateTopicsResponse{Version: req.Version, TopicErrors: map[string]*TopicError{}}
	for topic := range req.TopicDetails {
		res.TopicErrors[topic] = &TopicError{Err: p.err}
	}
	return res
}

func probeConfig(d *probeDialer) *Config {
	c := NewTestConfig()
	c.Version = V2_1_0_0
	c.Producer.Return.Successes = true
	c.Producer.Retry.Max = 2
	c.Producer.Retry.Backoff = 0
	c.Admin.Retry.Max = 2
	c.Admin.Retry.Backoff = 0
	c.Metadata.Retry.Max = 2
	c.Metadata.Retry.Backoff = 0
	c.Net.Proxy.Enable = true
	c.Net.Proxy.Dialer = d
	return c
}

func probeCount(b *MockBroker, kind string) int {
	n := 0
	for _, rr := range b.History() {
		switch rr.Request.(type) {
		case *ProduceRequest:
			if kind == "produce" {
				n++
			}
		case *CreateTopicsRequest:
			if kind == "create" {
				n++
			}
		case *MetadataRequest:
			if kind == "metadata" {
				n++
			}
		}
	}
	return n
}

func TestRLProbeRequestsPerFailure(t *testing.T) {
	type failure struct {
		name string
		err  KError // the error of the counted request's answer
	}
	cases := map[string][]failure{
		// ErrNotLeaderForPartition is retried by the producer, ErrMessageSizeTooLarge is not.
		"SyncProducer.SendMessage": {{"ok", ErrNoError}, {"NotLeaderForPartition", ErrNotLeaderForPartition}, {"MessageSizeTooLarge", ErrMessageSizeTooLarge}, {"refused", ErrNoError}},
		// ErrNotController is retried by the admin client, ErrTopicAlreadyExists is not.
		"ClusterAdmin.CreateTopic": {{"ok", ErrNoError}, {"NotController", ErrNotController}, {"TopicAlreadyExists", ErrTopicAlreadyExists}, {"refused", ErrNoError}},
		// ErrLeaderNotAvailable is retried by the client, ErrTopicAuthorizationFailed is not.
		"Client.RefreshMetadata": {{"ok", ErrNoError}, {"LeaderNotAvailable", ErrLeaderNotAvailable}, {"TopicAuthorizationFailed", ErrTopicAuthorizationFailed}, {"refused", ErrNoError}},
	}
	for _, call := range []string{"SyncProducer.SendMessage", "ClusterAdmin.CreateTopic", "Client.RefreshMetadata"} {
		for _, f := range cases[call] {
			b := NewMockBroker(t, 1)
			meta := NewMockMetadataResponse(t).SetBroker(b.Addr(), b.BrokerID()).SetController(b.BrokerID()).SetLeader("probe", 0, b.BrokerID())
			produce := NewMockProduceResponse(t)
			if f.err != ErrNoError && call == "SyncProducer.SendMessage" {
				produce.SetError("probe", 0, f.err)
			}
			handlers := map[string]MockResponse{
				"MetadataRequest":     meta,
				"ProduceRequest":      produce,
				"CreateTopicsRequest": probeCreateTopics{err: ErrNoError},
			}
			if call == "ClusterAdmin.CreateTopic" {
				handlers["CreateTopicsRequest"] = probeCreateTopics{err: f.err}
			}
			b.SetHandlerByMap(handlers)
			d := &probeDialer{}
			conf := probeConfig(d)
			var err error
			var kind string
			switch call {
			case "SyncProducer.SendMessage":
				kind = "produce"
				p, perr := NewSyncProducer([]string{b.Addr()}, conf)
				if perr != nil {
					t.Fatal(perr)
				}
				if f.name == "refused" {
					b.Close()
					d.refuse.Store(true)
				}
				_, _, err = p.SendMessage(&ProducerMessage{Topic: "probe", Value: StringEncoder("v")})
				_ = p.Close()
			case "ClusterAdmin.CreateTopic":
				kind = "create"
				a, aerr := NewClusterAdmin([]string{b.Addr()}, conf)
				if aerr != nil {
					t.Fatal(aerr)
				}
				if f.name == "refused" {
					b.Close()
					d.refuse.Store(true)
				}
				err = a.CreateTopic("created", &TopicDetail{NumPartitions: 1, ReplicationFactor: 1}, false)
				_ = a.Close()
			case "Client.RefreshMetadata":
				kind = "metadata"
				c, cerr := NewClient([]string{b.Addr()}, conf)
				if cerr != nil {
					t.Fatal(cerr)
				}
				if f.err != ErrNoError {
					b.SetHandlerByMap(map[string]MockResponse{"MetadataRequest": NewMockMetadataResponse(t).
						SetBroker(b.Addr(), b.BrokerID()).SetController(b.BrokerID()).SetError("probe", f.err)})
				}
				before := probeCount(b, "metadata")
				if f.name == "refused" {
					b.Close()
					d.refuse.Store(true)
				}
				err = c.RefreshMetadata("probe")
				_ = c.Close()
				if f.name != "refused" {
					n := probeCount(b, "metadata") - before
					b.Close()
					t.Logf("PROBE sarama %s failure=%s requests=%d err=%v", call, f.name, n, err != nil)
					continue
				}
			}
			if f.name == "refused" {
				t.Logf("PROBE sarama %s failure=%s dials=%d err=%v refused=%v", call, f.name, d.refused.Load(), err != nil, errors.Is(err, syscall.ECONNREFUSED))
				continue
			}
			n := probeCount(b, kind)
			b.Close()
			t.Logf("PROBE sarama %s failure=%s requests=%d err=%v", call, f.name, n, err != nil)
		}
	}
}

// TestRLProbeClientLookups probes the client methods that -fix wraps and
// that refresh metadata on a cache miss (a topic the client has not seen:
// "other"), through RefreshMetadata's own retry (Metadata.Retry.Max).
func TestRLProbeClientLookups(t *testing.T) {
	calls := []string{"Client.Partitions", "Client.WritablePartitions", "Client.Replicas", "Client.RefreshController"}
	for _, call := range calls {
		for _, failure := range []string{"ok", "LeaderNotAvailable", "refused"} {
			b := NewMockBroker(t, 1)
			b.SetHandlerByMap(map[string]MockResponse{"MetadataRequest": NewMockMetadataResponse(t).
				SetBroker(b.Addr(), b.BrokerID()).SetController(b.BrokerID()).SetLeader("probe", 0, b.BrokerID())})
			d := &probeDialer{}
			c, err := NewClient([]string{b.Addr()}, probeConfig(d))
			if err != nil {
				t.Fatal(err)
			}
			meta := NewMockMetadataResponse(t).SetBroker(b.Addr(), b.BrokerID()).SetController(b.BrokerID()).SetLeader("probe", 0, b.BrokerID())
			if failure == "ok" {
				meta.SetLeader("other", 0, b.BrokerID())
			} else {
				meta.SetError("other", ErrLeaderNotAvailable)
			}
			b.SetHandlerByMap(map[string]MockResponse{"MetadataRequest": meta})
			before := probeCount(b, "metadata")
			if failure == "refused" {
				b.Close()
				d.refuse.Store(true)
			}
			switch call {
			case "Client.Partitions":
				_, err = c.Partitions("other")
			case "Client.WritablePartitions":
				_, err = c.WritablePartitions("other")
			case "Client.Replicas":
				_, err = c.Replicas("other", 0)
			case "Client.RefreshController":
				_, err = c.RefreshController()
			}
			_ = c.Close()
			if failure == "refused" {
				t.Logf("PROBE sarama %s failure=%s dials=%d err=%v refused=%v", call, failure, d.refused.Load(), err != nil, errors.Is(err, syscall.ECONNREFUSED))
				continue
			}
			n := probeCount(b, "metadata") - before
			b.Close()
			t.Logf("PROBE sarama %s failure=%s requests=%d err=%v", call, failure, n, err != nil)
		}
	}
}

// TestRLProbeAdminLookups probes the admin methods that -fix wraps and
// that reach the client's metadata refresh through the Client interface:
// Controller after the cached controller was dropped, ListOffsets for a
// topic the client has not seen ("other").
func TestRLProbeAdminLookups(t *testing.T) {
	for _, call := range []string{"ClusterAdmin.Controller", "ClusterAdmin.ListOffsets"} {
		for _, failure := range []string{"ok", "refused"} {
			b := NewMockBroker(t, 1)
			b.SetHandlerByMap(map[string]MockResponse{
				"MetadataRequest": NewMockMetadataResponse(t).SetBroker(b.Addr(), b.BrokerID()).
					SetController(b.BrokerID()).SetLeader("probe", 0, b.BrokerID()).SetLeader("other", 0, b.BrokerID()),
				"OffsetRequest": NewMockOffsetResponse(t).SetOffset("other", 0, OffsetNewest, 7),
			})
			d := &probeDialer{}
			a, err := NewClusterAdmin([]string{b.Addr()}, probeConfig(d))
			if err != nil {
				t.Fatal(err)
			}
			cl := a.(*clusterAdmin).client.(*client)
			before := probeCount(b, "metadata")
			if failure == "refused" {
				b.Close()
				d.refuse.Store(true)
			}
			switch call {
			case "ClusterAdmin.Controller":
				cl.deregisterController()
				_, err = a.Controller()
			case "ClusterAdmin.ListOffsets":
				cl.lock.Lock()
				delete(cl.metadata, "other")
				cl.lock.Unlock()
				var res map[string]map[int32]*OffsetResult
				res, err = a.ListOffsets(map[string]map[int32]int64{"other": {0: OffsetNewest}}, nil)
				if err == nil && res["other"][0] != nil && res["other"][0].Err != nil {
					err = res["other"][0].Err
				}
			}
			_ = a.Close()
			if failure == "refused" {
				t.Logf("PROBE sarama %s failure=%s dials=%d err=%v refused=%v", call, failure, d.refused.Load(), err != nil, errors.Is(err, syscall.ECONNREFUSED))
				continue
			}
			n := probeCount(b, "metadata") - before
			b.Close()
			t.Logf("PROBE sarama %s failure=%s requests=%d err=%v", call, failure, n, err != nil)
		}
	}
}
