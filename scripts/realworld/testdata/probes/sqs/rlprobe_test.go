package sqs_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one API call makes for each kind of failure, before and after
// resilience-lint -fix. aws-sdk-go-v2 retries every operation in its
// middleware stack (aws/retry: the standard retryer, 3 attempts on 500,
// 502, 503, 504, throttling error codes and transport errors); here it
// retries without waiting (a no-op backoff, no retry token bucket). A
// retry wrapped around a Client method would multiply those requests; a
// SendMessage repeated on a client error would send the message again.
// It asserts nothing: the sweep compares the PROBE lines of the two runs.
//
// Failures: "ok" (200), "400" (InvalidParameterValue, a client error),
// "403" (AccessDenied), "500", "503", "throttle" (400 RequestThrottled, a
// throttling code), "429" (no body), "refused" (the HTTP client fails as
// a refused connection, without sending).

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// counting counts the requests per operation; with refuse set it fails
// each as a refused connection instead of sending it.
type counting struct {
	refuse bool
	n      *atomic.Int64
}

func (c counting) Do(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	if c.refuse {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return http.DefaultClient.Do(req)
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestRLProbeRequestsPerFailure(t *testing.T) {
	const body = "hello probe"
	for _, failure := range []string{"ok", "400", "403", "500", "503", "throttle", "429", "refused"} {
		for _, call := range []string{"SendMessage", "ReceiveMessage", "GetQueueUrl", "DeleteMessage"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/x-amz-json-1.0")
				target := r.Header.Get("X-Amz-Target")
				apiErr := func(status int, code string) {
					w.Header().Set("x-amzn-query-error", code+";Sender")
					w.WriteHeader(status)
					_, _ = w.Write([]byte(`{"__type":"com.amazonaws.sqs#` + code + `","message":"probe"}`))
				}
				switch failure {
				case "400":
					apiErr(400, "InvalidParameterValue")
				case "403":
					apiErr(403, "AccessDenied")
				case "500":
					apiErr(500, "InternalError")
				case "503":
					apiErr(503, "ServiceUnavailable")
				case "throttle":
					apiErr(400, "RequestThrottled")
				case "429":
					w.WriteHeader(429)
				default:
					switch {
					case strings.HasSuffix(target, ".SendMessage"):
						_, _ = w.Write([]byte(`{"MD5OfMessageBody":"` + md5hex(body) + `","MessageId":"m1"}`))
					case strings.HasSuffix(target, ".ReceiveMessage"):
						_, _ = w.Write([]byte(`{"Messages":[{"MessageId":"m1","ReceiptHandle":"r1","Body":"` + body + `","MD5OfBody":"` + md5hex(body) + `"}]}`))
					case strings.HasSuffix(target, ".GetQueueUrl"):
						_, _ = w.Write([]byte(`{"QueueUrl":"` + "http://" + r.Host + `/123/q"}`))
					default:
						_, _ = w.Write([]byte(`{}`))
					}
				}
			}))
			client := sqs.New(sqs.Options{
				Region:       "us-east-1",
				BaseEndpoint: aws.String(srv.URL),
				Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
					return aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET", Source: "probe"}, nil
				}),
				HTTPClient: counting{refuse: failure == "refused", n: &n},
				Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
					o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
					o.RateLimiter = ratelimit.None
				}),
			})
			ctx := context.Background()
			queue := aws.String(srv.URL + "/123/q")
			var err error
			var detail string
			switch call {
			case "SendMessage":
				var out *sqs.SendMessageOutput
				out, err = client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: queue, MessageBody: aws.String(body)})
				if out != nil {
					detail = " id=" + aws.ToString(out.MessageId)
				}
			case "ReceiveMessage":
				var out *sqs.ReceiveMessageOutput
				out, err = client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: queue})
				if out != nil {
					detail = " messages=" + string(rune('0'+len(out.Messages)))
				}
			case "GetQueueUrl":
				_, err = client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("q")})
			case "DeleteMessage":
				_, err = client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: queue, ReceiptHandle: aws.String("r1")})
			}
			srv.Close()
			if failure == "ok" && err != nil {
				t.Logf("probe call failed on success: %v", err)
			}
			t.Logf("PROBE sqs %s failure=%s requests=%d err=%v%s", call, failure, n.Load(), err != nil, detail)
		}
	}
}
