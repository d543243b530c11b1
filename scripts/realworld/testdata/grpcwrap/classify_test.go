package registry_test

// How runtime/recovery's default classifier takes grpc-go's real errors
// (it reads them without importing gRPC): every status code returned by
// a server, the errors grpc-go makes on the client (a connection that
// cannot be made, a reply over the size limit), and an attempt that runs
// out of recovery's per-attempt timeout. Printed as PROBE lines, the same
// before and after -fix; the sweep reads them.

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"example.com/registry"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
)

func TestRLProbeClassifier(t *testing.T) {
	for c := codes.Canceled; c <= codes.Unauthenticated; c++ {
		err := fmt.Errorf("registry: %w", status.Error(c, "probe"))
		t.Logf("PROBE grpcwrap classify code=%s transient=%v", c, recovery.IsTransient(err))
	}

	// Client-side errors of a real connection.
	lis := bufconn.Listen(1 << 20)
	gs := grpc.NewServer()
	srv := &server{failure: "ok", calls: map[string]int{}, entries: map[string]int64{}}
	gs.RegisterService(&serviceDesc, srv)
	healthpb.RegisterHealthServer(gs, srv)
	go func() { _ = gs.Serve(lis) }()
	defer gs.Stop()
	dial := func(l *bufconn.Listener) *registry.Registry {
		cc, err := registry.Dial("passthrough:///bufnet", registry.Plain, grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
			return l.DialContext(ctx)
		}))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cc.Close() })
		return registry.New(cc)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	closed := bufconn.Listen(1 << 10)
	_ = closed.Close()
	_, err := dial(closed).Status(ctx, "")
	t.Logf("PROBE grpcwrap classify client=no-connection code=%s transient=%v", status.Code(err), recovery.IsTransient(err))

	r := dial(lis)
	_, err = r.Stub.Create(ctx, &registry.CreateRequest{Name: strings.Repeat("x", 64)}, grpc.MaxCallSendMsgSize(16))
	t.Logf("PROBE grpcwrap classify client=send-too-large code=%s transient=%v", status.Code(err), recovery.IsTransient(err))
	_, err = r.Stub.Create(ctx, &registry.CreateRequest{Name: "b"}, grpc.MaxCallRecvMsgSize(2))
	t.Logf("PROBE grpcwrap classify client=reply-too-large code=%s transient=%v", status.Code(err), recovery.IsTransient(err))

	// An attempt that runs out of recovery's per-attempt timeout (the
	// server's first Check hangs): grpc-go returns DeadlineExceeded, and
	// Do retries it because its own attempt context expired.
	slow := &server{failure: "slow-once", calls: map[string]int{}, entries: map[string]int64{}}
	lis2 := bufconn.Listen(1 << 20)
	gs2 := grpc.NewServer()
	healthpb.RegisterHealthServer(gs2, slow)
	go func() { _ = gs2.Serve(lis2) }()
	defer gs2.Stop()
	r2 := dial(lis2)
	p := recovery.MustNewPolicy(recovery.WithAttemptTimeout(time.Second), recovery.WithInitialDelay(time.Millisecond))
	_, err = recovery.DoValue(ctx, p, func(ctx context.Context) (string, error) { return r2.Status(ctx, "") })
	slow.mu.Lock()
	n := slow.calls["Check"]
	slow.mu.Unlock()
	t.Logf("PROBE grpcwrap classify client=attempt-timeout calls=%d code=%s", n, status.Code(err))
}
