// Package kmsg stands for franz-go's pkg/kmsg: requests that a client
// given as an interface (Requestor) issues. It does not import the
// client's package.
package kmsg

import "context"

// Request is a Kafka request.
type Request interface{ Key() int16 }

// Response is a Kafka response.
type Response interface{ Key() int16 }

// Requestor issues requests: kgo.Client implements it.
type Requestor interface {
	Request(context.Context, Request) (Response, error)
}

// CreateTopicsRequest creates topics.
type CreateTopicsRequest struct{ Topics []string }

func (*CreateTopicsRequest) Key() int16 { return 19 }

// CreateTopicsResponse answers a CreateTopicsRequest.
type CreateTopicsResponse struct{ ErrorCode int16 }

func (*CreateTopicsResponse) Key() int16 { return 19 }

// RequestWith issues v through r.
func (v *CreateTopicsRequest) RequestWith(ctx context.Context, r Requestor) (*CreateTopicsResponse, error) {
	kresp, err := r.Request(ctx, v)
	resp, _ := kresp.(*CreateTopicsResponse)
	return resp, err
}
