package analytics_test

// A probe of the real-world sweep (scripts/real-world.sh): counts what one
// Enqueue makes the client do for each response status of the batch
// endpoint, before and after resilience-lint -fix (status -1: a refused
// connection): the batch requests its goroutine sends (10 attempts of its
// own on a failure), the messages reported sent and failed, and the
// Validate calls of a message. "closed" enqueues after Close (ErrClosed),
// "invalid" a Track without an event (a FieldError), "custom-transient" a
// Message of the caller's whose Validate fails as a reset connection. It
// asserts nothing: the sweep compares the PROBE lines of the two runs.

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	analytics "github.com/segmentio/analytics-go/v3"
)

type counting struct {
	refuse bool
	n      *atomic.Int64
}

func (c counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	if c.refuse {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return http.DefaultTransport.RoundTrip(req)
}

type results struct{ sent, failed atomic.Int64 }

func (r *results) Success(analytics.Message)        { r.sent.Add(1) }
func (r *results) Failure(analytics.Message, error) { r.failed.Add(1) }

// transientMsg is a caller's message whose validation fails as a reset
// connection would.
type transientMsg struct{ calls *atomic.Int64 }

func (m transientMsg) Validate() error {
	m.calls.Add(1)
	return os.NewSyscallError("read", syscall.ECONNRESET)
}

func TestRLProbeEnqueue(t *testing.T) {
	for _, scenario := range []string{"200", "400", "500", "503", "-1", "closed", "invalid", "custom-transient"} {
		var n, validates atomic.Int64
		var res results
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			status := map[string]int{"400": 400, "500": 500, "503": 503}[scenario]
			if status == 0 {
				status = 200
			}
			w.WriteHeader(status)
		}))
		c, err := analytics.NewWithConfig("probe", analytics.Config{
			Endpoint:   srv.URL,
			Interval:   time.Millisecond,
			BatchSize:  1,
			Transport:  counting{refuse: scenario == "-1", n: &n},
			Callback:   &res,
			RetryAfter: func(int) time.Duration { return time.Millisecond },
			Logger:     analytics.StdLogger(log.New(io.Discard, "", 0)),
		})
		if err != nil {
			t.Fatal(err)
		}
		var msg analytics.Message = analytics.Track{Event: "probe", UserId: "u"}
		switch scenario {
		case "invalid":
			msg = analytics.Track{UserId: "u"}
		case "custom-transient":
			msg = transientMsg{calls: &validates}
		case "closed":
			_ = c.Close()
		}
		err = c.Enqueue(msg)
		// Let the batch goroutine finish its attempts (Close drops a batch
		// still waiting to be retried).
		for deadline := time.Now().Add(2 * time.Second); err == nil && res.sent.Load()+res.failed.Load() == 0 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		if scenario != "closed" {
			_ = c.Close()
		}
		srv.Close()
		t.Logf("PROBE segment Enqueue scenario=%s requests=%d sent=%d failed=%d validates=%d err=%v",
			scenario, n.Load(), res.sent.Load(), res.failed.Load(), validates.Load(), err != nil)
	}
}
