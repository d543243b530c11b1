package openai_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one SDK call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection), and how many of
// them start a call of the SDK's own retry loop (X-Stainless-Retry-Count:
// 0). The SDK retries 408, 409, 429, 5xx and connection errors itself
// (MaxRetries, 2 here; every response carries Retry-After-Ms: 0, so it
// does not sleep). A wrapper retry around a method would start the SDK's
// loop again: more than one "0" per call is a nested retry, a 4xx tried
// more than once a retry that cannot succeed, a stream opened more than
// the SDK opens it a re-sent generation, an upload sent again a second
// file. Realtime.Connect's websocket handshake is not retried by the SDK
// (it answers no 101 here, so it always fails). It asserts nothing: the sweep compares the PROBE lines of the two
// runs.

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/realtime"
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

// rlOneShot hides the Seek of its reader: a stream that can be read once.
type rlOneShot struct{ r io.Reader }

func (o rlOneShot) Read(p []byte) (int, error) { return o.r.Read(p) }

const (
	rlCompletion = `{"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"hi"}}]}`
	rlModel      = `{"id":"gpt-4o","object":"model","created":1,"owned_by":"probe"}`
	rlFile       = `{"id":"file-1","object":"file","bytes":2,"created_at":1,"filename":"a.txt","purpose":"user_data","status":"processed"}`
	rlChunks     = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n"
)

func TestRLProbeRequestsPerStatus(t *testing.T) {
	for _, status := range []int{200, 400, 401, 404, 409, 422, 429, 500, 503, -1} {
		for _, call := range []string{"Models.Get", "Chat.Completions.New", "Chat.Completions.NewStreaming", "Files.New(one-shot reader)", "Realtime.Connect"} {
			var mu sync.Mutex
			n, calls := 0, 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Retry-After-Ms", "0")
				switch {
				case status == 200 && strings.HasSuffix(call, "NewStreaming"):
					w.Header().Set("Content-Type", "text/event-stream")
					_, _ = w.Write([]byte(rlChunks))
				case status == 200:
					w.Header().Set("Content-Type", "application/json")
					switch call {
					case "Models.Get":
						_, _ = w.Write([]byte(rlModel))
					case "Chat.Completions.New":
						_, _ = w.Write([]byte(rlCompletion))
					default:
						_, _ = w.Write([]byte(rlFile))
					}
				default:
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(status)
					_, _ = w.Write([]byte(`{"error":{"message":"probe","type":"probe","code":"probe"}}`))
				}
			}))
			c := openai.NewClient(
				option.WithAPIKey("probe"),
				option.WithBaseURL(srv.URL),
				option.WithMaxRetries(2),
				option.WithHTTPClient(&http.Client{Transport: rlCounting{refuse: status < 0, mu: &mu, n: &n, calls: &calls}}),
			)
			ctx := context.Background()
			chat := openai.ChatCompletionNewParams{
				Model:    openai.ChatModelGPT4o,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
			}
			var err error
			switch call {
			case "Models.Get":
				_, err = c.Models.Get(ctx, "gpt-4o")
			case "Chat.Completions.New":
				_, err = c.Chat.Completions.New(ctx, chat)
			case "Chat.Completions.NewStreaming":
				s := c.Chat.Completions.NewStreaming(ctx, chat)
				for s.Next() {
				}
				err = s.Err()
				_ = s.Close()
			case "Realtime.Connect":
				// The handshake: the server answers the status, never 101.
				conn, cerr := c.Realtime.Connect(ctx, realtime.RealtimeConnectionOptions{})
				if cerr == nil {
					_ = conn.Close()
				}
				err = cerr
			default:
				_, err = c.Files.New(ctx, openai.FileNewParams{
					File:    rlOneShot{strings.NewReader("hi")},
					Purpose: openai.FilePurposeUserData,
				})
			}
			srv.Close()
			mu.Lock()
			t.Logf("PROBE openaiv3 %s status=%d requests=%d sdk-calls=%d err=%v", call, status, n, calls, err != nil)
			mu.Unlock()
		}
	}
}
