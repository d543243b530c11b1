package registry_test

// A probe of the real-world sweep: counts the calls the server sees for
// one call of the wrapper (registry.go) per failure, and what the call
// repeated (entries created, events handed to the callback, Seen), on
// three connections: plain, gRPC's retryPolicy (3 attempts on
// Unavailable) and go-grpc-middleware's retry interceptor (3 attempts on
// Unavailable and ResourceExhausted). It runs before and after
// resilience-lint -fix and asserts nothing: the sweep compares the PROBE
// lines of the two runs.
//
// Failures: "ok"; "unavailable-once" (the first call answers Unavailable
// without doing anything, the others succeed); "applied-unavailable" (the
// first Create creates the entry, then answers Unavailable: a second
// Create answers AlreadyExists); "exhausted", "invalid", "deadline",
// "permission" (every call answers ResourceExhausted, InvalidArgument,
// DeadlineExceeded, PermissionDenied); "midstream" (the first Events
// stream sends 2 of its 3 events, then fails with Unavailable; the others
// send all 3).

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"example.com/registry"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
)

type server struct {
	healthpb.UnimplementedHealthServer
	failure string
	mu      sync.Mutex
	calls   map[string]int
	entries map[string]int64
}

func (s *server) count(method string) (n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[method]++
	return s.calls[method]
}

func (s *server) fail(n int) error {
	switch s.failure {
	case "unavailable-once":
		if n == 1 {
			return status.Error(codes.Unavailable, "probe")
		}
	case "exhausted":
		return status.Error(codes.ResourceExhausted, "probe")
	case "invalid":
		return status.Error(codes.InvalidArgument, "probe")
	case "deadline":
		return status.Error(codes.DeadlineExceeded, "probe")
	case "permission":
		return status.Error(codes.PermissionDenied, "probe")
	}
	return nil
}

func (s *server) Check(ctx context.Context, _ *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	n := s.count("Check")
	if err := s.fail(n); err != nil {
		return nil, err
	}
	if s.failure == "slow-once" && n == 1 {
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
		}
	}
	if s.failure == "applied-unavailable" && s.calls["Check"] == 1 {
		return nil, status.Error(codes.Unavailable, "probe")
	}
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

func (s *server) create(req *registry.CreateRequest) (*registry.CreateReply, error) {
	n := s.count("Create")
	if err := s.fail(n); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.entries[req.Name]; ok {
		return nil, status.Error(codes.AlreadyExists, "probe")
	}
	s.entries[req.Name] = int64(len(s.entries) + 1)
	if s.failure == "applied-unavailable" && n == 1 {
		return nil, status.Error(codes.Unavailable, "probe")
	}
	return &registry.CreateReply{ID: s.entries[req.Name]}, nil
}

func (s *server) events(req *registry.EventsRequest, stream grpc.ServerStream) error {
	n := s.count("Events")
	if err := s.fail(n); err != nil {
		return err
	}
	for i := range int64(3) {
		if s.failure == "midstream" && n == 1 && i == 2 {
			return status.Error(codes.Unavailable, "probe")
		}
		if err := stream.SendMsg(&registry.Event{Seq: req.From + i, Name: fmt.Sprint("e", i)}); err != nil {
			return err
		}
	}
	return nil
}

var serviceDesc = grpc.ServiceDesc{
	ServiceName: "registry.Registry",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Create",
		Handler: func(srv any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			in := new(registry.CreateRequest)
			if err := dec(in); err != nil {
				return nil, err
			}
			return srv.(*server).create(in)
		},
	}},
	Streams: []grpc.StreamDesc{{
		StreamName:    "Events",
		ServerStreams: true,
		Handler: func(srv any, stream grpc.ServerStream) error {
			in := new(registry.EventsRequest)
			if err := stream.RecvMsg(in); err != nil {
				return err
			}
			return srv.(*server).events(in, stream)
		},
	}},
}

func TestRLProbeCallsPerFailure(t *testing.T) {
	modes := []struct {
		name string
		mode registry.Mode
	}{{"plain", registry.Plain}, {"serviceconfig", registry.WithServiceConfig}, {"interceptor", registry.WithInterceptor}}
	failures := []string{"ok", "unavailable-once", "applied-unavailable", "exhausted", "invalid", "deadline", "permission", "midstream"}
	calls := []string{"Register", "Status", "Collect", "Replay", "Tail"}
	for _, m := range modes {
		for _, failure := range failures {
			for _, call := range calls {
				if failure == "midstream" && call != "Collect" && call != "Replay" && call != "Tail" {
					continue
				}
				if failure == "applied-unavailable" && call != "Register" && call != "Status" {
					continue
				}
				srv := &server{failure: failure, calls: map[string]int{}, entries: map[string]int64{}}
				lis := bufconn.Listen(1 << 20)
				gs := grpc.NewServer()
				gs.RegisterService(&serviceDesc, srv)
				healthpb.RegisterHealthServer(gs, srv)
				go func() { _ = gs.Serve(lis) }()
				cc, err := registry.Dial("passthrough:///bufnet", m.mode, grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
					return lis.DialContext(ctx)
				}))
				if err != nil {
					t.Fatal(err)
				}
				r := registry.New(cc)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				var detail string
				switch call {
				case "Register":
					_, err = r.Register(ctx, "a")
					detail = fmt.Sprintf(" entries=%d", len(srv.entries))
				case "Status":
					_, err = r.Status(ctx, "")
				case "Collect":
					var evs []registry.Event
					evs, err = r.Collect(ctx, 1)
					detail = fmt.Sprintf(" events=%d", len(evs))
				case "Replay":
					applied := 0
					err = r.Replay(ctx, 1, func(registry.Event) error { applied++; return nil })
					detail = fmt.Sprintf(" applied=%d", applied)
				case "Tail":
					err = r.Tail(ctx, 1)
					detail = fmt.Sprintf(" seen=%d", r.Seen)
				}
				cancel()
				_ = cc.Close()
				gs.Stop()
				method := map[string]string{"Register": "Create", "Status": "Check"}[call]
				if method == "" {
					method = "Events"
				}
				srv.mu.Lock()
				n := srv.calls[method]
				srv.mu.Unlock()
				t.Logf("PROBE grpcwrap %s conn=%s failure=%s calls=%d code=%s%s", call, m.name, failure, n, status.Code(err), detail)
			}
		}
	}
}
