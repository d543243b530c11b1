package topics_test

// A probe of the real-world sweep: counts the RPCs one call of the
// wrapper (topics.go) makes for each kind of failure, before and after
// resilience-lint -fix, against pstest (the module's in-memory fake
// server) with injected errors. The generated client (apiv1) retries
// each RPC through gax.Invoke with its per-method codes (v2.9.0's
// defaults, repeated here: CreateTopic and DeleteTopic on Unavailable;
// GetTopic and ListTopics on Unknown, Aborted and Unavailable; Publish on
// Aborted, Canceled, Internal, ResourceExhausted, Unknown, Unavailable and
// DeadlineExceeded), here 3 attempts without waiting (the defaults retry
// until a 60 s timeout). A retry wrapped around an Admin method would
// multiply those RPCs. It asserts nothing: the sweep compares the PROBE
// lines of the two runs.
//
// Failures: "ok", a status code injected into every RPC ("Unavailable",
// "Internal", "ResourceExhausted", "NotFound", "InvalidArgument"), and
// "refused" (the endpoint is a closed port).

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"cloud.google.com/go/pubsub/v2"
	vkit "cloud.google.com/go/pubsub/v2/apiv1"
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/pubsub/v2/pstest"
	"example.com/topics"
	gax "github.com/googleapis/gax-go/v2"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
)

// capped is a gax.Retryer that gives up after its third attempt.
type capped struct {
	r    gax.Retryer
	left int
}

func (c *capped) Retry(err error) (time.Duration, bool) {
	if c.left == 0 {
		return 0, false
	}
	c.left--
	if _, ok := c.r.Retry(err); !ok {
		return 0, false
	}
	return 0, true
}

// retry returns the call options of one method: the SDK's codes, three
// attempts, no wait.
func retry(cs ...codes.Code) []gax.CallOption {
	return []gax.CallOption{gax.WithRetry(func() gax.Retryer {
		return &capped{r: gax.OnCodes(cs, gax.Backoff{Initial: time.Microsecond, Max: time.Microsecond}), left: 2}
	})}
}

var failureCodes = map[string]codes.Code{
	"Unavailable":       codes.Unavailable,
	"Internal":          codes.Internal,
	"ResourceExhausted": codes.ResourceExhausted,
	"NotFound":          codes.NotFound,
	"InvalidArgument":   codes.InvalidArgument,
}

func TestRLProbeRequestsPerFailure(t *testing.T) {
	cfg := &pubsub.ClientConfig{TopicAdminCallOptions: &vkit.TopicAdminCallOptions{
		CreateTopic: retry(codes.Unavailable),
		DeleteTopic: retry(codes.Unavailable),
		GetTopic:    retry(codes.Unknown, codes.Aborted, codes.Unavailable),
		ListTopics:  retry(codes.Unknown, codes.Aborted, codes.Unavailable),
		Publish:     retry(codes.Aborted, codes.Canceled, codes.Internal, codes.ResourceExhausted, codes.Unknown, codes.Unavailable, codes.DeadlineExceeded),
	}}
	for _, failure := range []string{"ok", "Unavailable", "Internal", "ResourceExhausted", "NotFound", "InvalidArgument", "refused"} {
		for _, call := range []string{"Admin.Create", "Admin.Exists", "Admin.Delete", "Admin.List", "Admin.Send"} {
			var opts []pstest.ServerReactorOption
			if code, ok := failureCodes[failure]; ok {
				for _, fn := range []string{"CreateTopic", "GetTopic", "DeleteTopic", "ListTopics", "Publish"} {
					opts = append(opts, pstest.WithErrorInjection(fn, code, "probe"))
				}
			}
			srv := pstest.NewServer(opts...)
			addr := srv.Addr
			if failure == "refused" {
				l, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				addr = l.Addr().String()
				_ = l.Close()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			if call != "Admin.Create" {
				_, _ = srv.GServer.CreateTopic(ctx, &pubsubpb.Topic{Name: "projects/p/topics/t"})
			}
			var n atomic.Int64
			count := func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
				n.Add(1)
				return invoker(ctx, method, req, reply, cc, opts...)
			}
			client, err := pubsub.NewClientWithConfig(ctx, "p", cfg,
				option.WithEndpoint(addr),
				option.WithoutAuthentication(),
				option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())),
				option.WithGRPCDialOption(grpc.WithUnaryInterceptor(count)))
			if err != nil {
				t.Fatal(err)
			}
			a := &topics.Admin{Client: client, Project: "p"}
			var detail string
			switch call {
			case "Admin.Create":
				err = a.Create(ctx, "t")
			case "Admin.Exists":
				var ok bool
				ok, err = a.Exists(ctx, "t")
				detail = fmt.Sprintf(" exists=%v", ok)
			case "Admin.Delete":
				err = a.Delete(ctx, "t")
			case "Admin.List":
				var names []string
				names, err = a.List(ctx)
				detail = fmt.Sprintf(" names=%d", len(names))
			case "Admin.Send":
				_, err = a.Send(ctx, "t", []byte("hello probe"))
			}
			cancel()
			_ = client.Close()
			_ = srv.Close()
			if failure == "ok" && err != nil {
				t.Logf("probe call %s failed on success: %v", call, err)
			}
			t.Logf("PROBE pubsubwrap %s failure=%s requests=%d err=%v%s", call, failure, n.Load(), err != nil, detail)
		}
	}
}
