package anthropic_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one SDK call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection), and how many of
// them start a call of the SDK's own retry loop (X-Stainless-Retry-Count:
// 0). The SDK retries 408, 409, 429, 5xx and connection errors itself
// (MaxRetries, 2 here; every response carries Retry-After-Ms: 0, so it
// does not sleep). A wrapper retry around a method would start the SDK's
// loop again: more than one "0" per call is a nested retry, a 4xx tried
// more than once a retry that cannot succeed, a stream opened more than
// the SDK opens it a re-sent generation. It asserts nothing: the sweep
// compares the PROBE lines of the two runs.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"syscall"
	"testing"

	anthropic "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

// rlCounting counts the requests and the SDK calls they belong to; with
// refuse set it fails each as a refused connection instead of sending it.
type rlCounting struct {
	refuse bool
	mu     *sync.Mutex
	n      *int
	calls  *int
}

func (c rlCounting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	*c.n++
	if req.Header.Get("X-Stainless-Retry-Count") == "0" {
		*c.calls++
	}
	c.mu.Unlock()
	if c.refuse {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return http.DefaultTransport.RoundTrip(req)
}

const (
	rlMessageBody = `{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-5-5","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}`
	rlModelBody   = `{"id":"claude-haiku-5-5","type":"model","display_name":"Haiku","created_at":"2025-01-01T00:00:00Z"}`
	rlStreamBody  = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-5-5\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
)

func TestRLProbeRequestsPerStatus(t *testing.T) {
	for _, status := range []int{200, 400, 401, 404, 409, 413, 422, 429, 500, 503, 529, -1} {
		for _, call := range []string{"Models.Get", "Messages.New", "Messages.CountTokens", "Messages.NewStreaming"} {
			var mu sync.Mutex
			n, calls := 0, 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After-Ms", "0")
				switch {
				case status == 200 && call == "Messages.NewStreaming":
					w.Header().Set("Content-Type", "text/event-stream")
					_, _ = w.Write([]byte(rlStreamBody))
				case status == 200:
					w.Header().Set("Content-Type", "application/json")
					switch call {
					case "Models.Get":
						_, _ = w.Write([]byte(rlModelBody))
					case "Messages.CountTokens":
						_, _ = w.Write([]byte(`{"input_tokens":3}`))
					default:
						_, _ = w.Write([]byte(rlMessageBody))
					}
				default:
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(status)
					_, _ = w.Write([]byte(`{"type":"error","error":{"type":"api_error","message":"probe"}}`))
				}
			}))
			c := anthropic.NewClient(
				option.WithAPIKey("probe"),
				option.WithBaseURL(srv.URL),
				option.WithMaxRetries(2),
				option.WithHTTPClient(&http.Client{Transport: rlCounting{refuse: status < 0, mu: &mu, n: &n, calls: &calls}}),
			)
			ctx := context.Background()
			msg := anthropic.MessageNewParams{
				Model:     anthropic.ModelClaudeHaiku5_5,
				MaxTokens: 16,
				Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("hi"))},
			}
			var err error
			switch call {
			case "Models.Get":
				_, err = c.Models.Get(ctx, "claude-haiku-5-5", anthropic.ModelGetParams{})
			case "Messages.New":
				_, err = c.Messages.New(ctx, msg)
			case "Messages.CountTokens":
				_, err = c.Messages.CountTokens(ctx, anthropic.MessageCountTokensParams{
					Model:    anthropic.ModelClaudeHaiku5_5,
					Messages: msg.Messages,
				})
			default:
				s := c.Messages.NewStreaming(ctx, msg)
				for s.Next() {
				}
				err = s.Err()
				_ = s.Close()
			}
			srv.Close()
			mu.Lock()
			t.Logf("PROBE anthropic %s status=%d requests=%d sdk-calls=%d err=%v", call, status, n, calls, err != nil)
			mu.Unlock()
		}
	}
}
