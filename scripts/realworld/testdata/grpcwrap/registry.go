// Package registry is a hand-written wrapper of a gRPC service, as a Go
// team would have one: generated-style stubs (stubs.go) and grpc's health
// service behind a type of the team's own, over a connection made with a
// retry policy in its service config, with go-grpc-middleware's retry
// interceptor, or with neither.
package registry

import (
	"context"
	"errors"
	"io"

	retry "github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/retry"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// ServiceConfig is the retry policy of Dial's WithServiceConfig: gRPC
// itself sends a call again on Unavailable, up to 3 attempts in all.
const ServiceConfig = `{"methodConfig":[{"name":[{"service":"registry.Registry"},{"service":"grpc.health.v1.Health"}],
 "retryPolicy":{"maxAttempts":3,"initialBackoff":"0.001s","maxBackoff":"0.001s","backoffMultiplier":1,"retryableStatusCodes":["UNAVAILABLE"]}}]}`

// Mode says how Dial sets up retries.
type Mode int

// The modes of Dial.
const (
	Plain             Mode = iota // no retry of our own
	WithServiceConfig             // gRPC's retryPolicy
	WithInterceptor               // go-grpc-middleware's retry interceptor
)

// Dial opens a client connection to target in mode m; opts come after
// the mode's own options (a bufconn dialer in a test).
func Dial(target string, m Mode, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	base := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	switch m {
	case WithServiceConfig:
		base = append(base, grpc.WithDefaultServiceConfig(ServiceConfig))
	case WithInterceptor:
		base = append(base,
			grpc.WithChainUnaryInterceptor(retry.UnaryClientInterceptor(retry.WithMax(3), retry.WithBackoff(retry.BackoffLinear(0)))),
			grpc.WithChainStreamInterceptor(retry.StreamClientInterceptor(retry.WithMax(3), retry.WithBackoff(retry.BackoffLinear(0)))))
	}
	return grpc.NewClient(target, append(base, opts...)...)
}

// Registry is the team's client of the registry service.
type Registry struct {
	Stub   *RegistryClient
	Health healthpb.HealthClient
	// Seen counts the events Tail has received, across calls.
	Seen int
}

// New returns a Registry over cc.
func New(cc grpc.ClientConnInterface) *Registry {
	return &Registry{Stub: NewRegistryClient(cc), Health: healthpb.NewHealthClient(cc)}
}

// Register creates the entry name and returns its id.
func (r *Registry) Register(ctx context.Context, name string) (int64, error) {
	reply, err := r.Stub.Create(ctx, &CreateRequest{Name: name})
	if err != nil {
		return 0, err
	}
	return reply.ID, nil
}

// Status returns the serving status of service.
func (r *Registry) Status(ctx context.Context, service string) (string, error) {
	resp, err := r.Health.Check(ctx, &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		return "", err
	}
	return resp.GetStatus().String(), nil
}

// Collect returns the events from sequence number from on.
func (r *Registry) Collect(ctx context.Context, from int64) ([]Event, error) {
	stream, err := r.Stub.Events(ctx, &EventsRequest{From: from})
	if err != nil {
		return nil, err
	}
	var out []Event
	for {
		ev, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *ev)
	}
}

// Replay hands each event from sequence number from on to apply.
func (r *Registry) Replay(ctx context.Context, from int64, apply func(Event) error) error {
	stream, err := r.Stub.Events(ctx, &EventsRequest{From: from})
	if err != nil {
		return err
	}
	for {
		ev, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := apply(*ev); err != nil {
			return err
		}
	}
}

// Tail counts the events from sequence number from on in r.Seen.
func (r *Registry) Tail(ctx context.Context, from int64) error {
	stream, err := r.Stub.Events(ctx, &EventsRequest{From: from})
	if err != nil {
		return err
	}
	for {
		_, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		r.Seen++
	}
}
