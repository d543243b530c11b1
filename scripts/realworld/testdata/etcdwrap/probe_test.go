package registry_test

// A probe of the real-world sweep (docs/real-world.md): counts the
// attempts one Store call makes for each kind of failure, before and
// after resilience-lint -fix. etcd's clientv3 retries in a gRPC unary
// interceptor it installs as a dial option (Client.unaryClientInterceptor,
// MaxUnaryRetries attempts, 5 here, 1 ms apart): Range and LeaseGrant
// (repeatable) on Unavailable; Put, DeleteRange and Txn (not repeatable)
// only when no connection was ever made, so that a write the server may
// have applied is not sent again. A retry wrapped around a Store method
// would multiply those attempts, or repeat a write etcd deliberately
// sends once. It asserts nothing: the sweep compares the PROBE lines of
// the two runs.
//
// Failures: "ok"; "unavailable", "exhausted" and "invalid" (every request
// fails with codes.Unavailable, ResourceExhausted or InvalidArgument);
// "unavailable1" (the first request fails with Unavailable, the next ones
// succeed); "refused" (nothing listens: the connection is refused, and
// the call, which etcd makes wait for ready, ends at the caller's 300 ms
// deadline).
// attempts counts the requests the client sent (an interceptor inside
// etcd's), served the ones the fake server received.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"example.com/registry"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// fake is an etcd KV and Lease server that fails its first fails
// requests with code (every request when fails is negative).
type fake struct {
	pb.UnimplementedKVServer
	pb.UnimplementedLeaseServer
	code   codes.Code
	fails  int64
	served atomic.Int64
}

func (f *fake) fail() error {
	n := f.served.Add(1)
	if f.fails < 0 || n <= f.fails {
		return status.Error(f.code, "probe")
	}
	return nil
}

func (f *fake) header() *pb.ResponseHeader {
	return &pb.ResponseHeader{ClusterId: 1, MemberId: 1, Revision: 7}
}

func (f *fake) Range(_ context.Context, r *pb.RangeRequest) (*pb.RangeResponse, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return &pb.RangeResponse{Header: f.header(), Kvs: []*mvccpb.KeyValue{{Key: r.Key, Value: []byte("v1")}}, Count: 1}, nil
}

func (f *fake) Put(context.Context, *pb.PutRequest) (*pb.PutResponse, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return &pb.PutResponse{Header: f.header()}, nil
}

func (f *fake) DeleteRange(context.Context, *pb.DeleteRangeRequest) (*pb.DeleteRangeResponse, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return &pb.DeleteRangeResponse{Header: f.header(), Deleted: 1}, nil
}

func (f *fake) Txn(context.Context, *pb.TxnRequest) (*pb.TxnResponse, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return &pb.TxnResponse{Header: f.header(), Succeeded: true}, nil
}

func (f *fake) LeaseGrant(_ context.Context, r *pb.LeaseGrantRequest) (*pb.LeaseGrantResponse, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return &pb.LeaseGrantResponse{Header: f.header(), ID: 42, TTL: r.TTL}, nil
}

func TestRLProbeAttemptsPerFailure(t *testing.T) {
	failures := []struct {
		name  string
		code  codes.Code
		fails int64
	}{
		{"ok", codes.OK, 0},
		{"unavailable", codes.Unavailable, -1},
		{"unavailable1", codes.Unavailable, 1},
		{"exhausted", codes.ResourceExhausted, -1},
		{"invalid", codes.InvalidArgument, -1},
		{"refused", codes.OK, 0},
	}
	for _, failure := range failures {
		for _, call := range []string{"Store.Get", "Store.Put", "Store.Delete", "Store.Swap", "Store.Lease"} {
			lis, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			f := &fake{code: failure.code, fails: failure.fails}
			srv := grpc.NewServer()
			pb.RegisterKVServer(srv, f)
			pb.RegisterLeaseServer(srv, f)
			go func() { _ = srv.Serve(lis) }()
			if failure.name == "refused" {
				srv.Stop()
			}
			var attempts atomic.Int64
			count := func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
				attempts.Add(1)
				return invoker(ctx, method, req, reply, cc, opts...)
			}
			client, err := clientv3.New(clientv3.Config{
				Endpoints:          []string{lis.Addr().String()},
				MaxUnaryRetries:    5,
				BackoffWaitBetween: time.Millisecond,
				DialOptions:        []grpc.DialOption{grpc.WithChainUnaryInterceptor(count)},
				Logger:             zap.NewNop(),
			})
			if err != nil {
				t.Fatal(err)
			}
			// With nothing listening the client waits for a connection
			// (etcd's calls wait for ready) until the caller's deadline.
			timeout := 20 * time.Second
			if failure.name == "refused" {
				timeout = 300 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			s := &registry.Store{Client: client, Prefix: "/probe/"}
			var detail string
			switch call {
			case "Store.Get":
				var v string
				v, err = s.Get(ctx, "k")
				detail = " value=" + v
			case "Store.Put":
				err = s.Put(ctx, "k", "v2")
			case "Store.Delete":
				var n int64
				n, err = s.Delete(ctx, "k")
				detail = fmt.Sprintf(" deleted=%d", n)
			case "Store.Swap":
				var ok bool
				ok, err = s.Swap(ctx, "k", "v1", "v2")
				detail = fmt.Sprintf(" swapped=%v", ok)
			case "Store.Lease":
				var id clientv3.LeaseID
				id, err = s.Lease(ctx, 10*time.Second)
				detail = fmt.Sprintf(" lease=%d", id)
			}
			cancel()
			_ = client.Close()
			srv.Stop()
			if failure.name == "ok" && err != nil {
				t.Logf("probe call failed on success: %v", err)
			}
			t.Logf("PROBE etcdwrap %s failure=%s attempts=%d served=%d err=%s%s", call, failure.name, attempts.Load(), f.served.Load(), errCode(err), detail)
		}
	}
}

// errCode names err's gRPC code ("nil" for no error, "deadline" for the
// caller's deadline), so that the lines of two runs compare without the
// messages' addresses.
func errCode(err error) string {
	switch {
	case err == nil:
		return "nil"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline"
	}
	return status.Code(err).String()
}
