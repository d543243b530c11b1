package registry

// The client stubs of the registry service, written the way
// protoc-gen-go-grpc generates them (a struct over a
// grpc.ClientConnInterface, Invoke for a unary method, NewStream and
// grpc.GenericClientStream for a server-streaming one), with JSON messages
// through a codec registered under the content subtype "json" instead of
// protobuf, so that the module needs no generated code.

import (
	"context"
	"encoding/json"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
)

// CreateRequest asks the registry to create an entry.
type CreateRequest struct{ Name string }

// CreateReply is the entry created.
type CreateReply struct{ ID int64 }

// EventsRequest asks for the events from sequence number From on.
type EventsRequest struct{ From int64 }

// Event is one change of the registry.
type Event struct {
	Seq  int64
	Name string
}

// JSONCodec encodes the messages as JSON.
type JSONCodec struct{}

// Marshal encodes v.
func (JSONCodec) Marshal(v any) ([]byte, error) { return json.Marshal(v) }

// Unmarshal decodes data into v.
func (JSONCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// Name is the content subtype.
func (JSONCodec) Name() string { return "json" }

func init() { encoding.RegisterCodec(JSONCodec{}) }

// EventsStreamDesc describes the server-streaming method Events.
var EventsStreamDesc = grpc.StreamDesc{StreamName: "Events", ServerStreams: true}

// RegistryClient is the generated-style client of registry.Registry.
type RegistryClient struct{ cc grpc.ClientConnInterface }

// NewRegistryClient returns a client over cc.
func NewRegistryClient(cc grpc.ClientConnInterface) *RegistryClient {
	return &RegistryClient{cc: cc}
}

// Create calls registry.Registry/Create.
func (c *RegistryClient) Create(ctx context.Context, in *CreateRequest, opts ...grpc.CallOption) (*CreateReply, error) {
	out := new(CreateReply)
	opts = append([]grpc.CallOption{grpc.CallContentSubtype("json")}, opts...)
	if err := c.cc.Invoke(ctx, "/registry.Registry/Create", in, out, opts...); err != nil {
		return nil, err
	}
	return out, nil
}

// Events calls registry.Registry/Events, a server stream.
func (c *RegistryClient) Events(ctx context.Context, in *EventsRequest, opts ...grpc.CallOption) (grpc.ServerStreamingClient[Event], error) {
	opts = append([]grpc.CallOption{grpc.CallContentSubtype("json")}, opts...)
	stream, err := c.cc.NewStream(ctx, &EventsStreamDesc, "/registry.Registry/Events", opts...)
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[EventsRequest, Event]{ClientStream: stream}
	if err := x.ClientStream.SendMsg(in); err != nil {
		return nil, err
	}
	if err := x.ClientStream.CloseSend(); err != nil {
		return nil, err
	}
	return x, nil
}
