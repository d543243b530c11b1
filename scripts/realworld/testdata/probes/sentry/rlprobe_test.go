package sentry

// A probe of the real-world sweep (scripts/real-world.sh): what one
// SyncTransport.SendEnvelopeWithContext does when the first sends fail
// with a reset connection, before and after resilience-lint -fix. The
// transport keeps client reports (report.Aggregator as both recorder and
// provider): a failed send records the envelope's event as lost
// (network_error), and the next send attaches the pending report to its
// envelope (Aggregator.AttachToEnvelope appends an item to the caller's
// envelope). Each line gives the sends attempted, the error, the items of
// the envelope the server received (event, client_report), the items the
// caller's envelope holds afterwards and the outcomes still pending. It
// asserts nothing: the sweep compares the PROBE lines of the two runs.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	httpinternal "github.com/getsentry/sentry-go/internal/http"
	"github.com/getsentry/sentry-go/internal/protocol"
	"github.com/getsentry/sentry-go/report"
)

// resetting fails its first fail round trips as a reset connection and
// sends the others.
type resetting struct {
	fail int64
	n    *atomic.Int64
}

func (r resetting) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.n.Add(1) <= r.fail {
		if req.Body != nil {
			_, _ = io.Copy(io.Discard, req.Body)
			_ = req.Body.Close()
		}
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	}
	return http.DefaultTransport.RoundTrip(req)
}

// itemTypes returns the types of the items of a serialized envelope.
func itemTypes(body []byte) []string {
	var types []string
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var h struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(sc.Bytes(), &h) == nil && h.Type != "" {
			types = append(types, h.Type)
		}
	}
	return types
}

func TestRLProbeSyncTransportReset(t *testing.T) {
	for _, fail := range []int64{0, 1, 2, 5} {
		var received []string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			received = append(received, strings.Join(itemTypes(b), "+"))
			w.WriteHeader(http.StatusOK)
		}))
		dsn := strings.Replace(srv.URL, "http://", "http://public@", 1) + "/1"
		agg := report.NewAggregator()
		var n atomic.Int64
		tr := httpinternal.NewSyncTransport(httpinternal.TransportOptions{
			Dsn:           dsn,
			HTTPTransport: resetting{fail: fail, n: &n},
			HTTPClient:    &http.Client{Transport: resetting{fail: fail, n: &n}},
			Recorder:      agg,
			Provider:      agg,
		})
		env := protocol.NewEnvelope(&protocol.EnvelopeHeader{EventID: "9ec79c33ec9942ab8353589fcb2e04dc"})
		env.AddItem(protocol.NewEnvelopeItem(protocol.EnvelopeItemTypeEvent, []byte(`{"message":"probe"}`)))
		err := tr.(*httpinternal.SyncTransport).SendEnvelopeWithContext(context.Background(), env)
		var after []string
		for _, it := range env.Items {
			after = append(after, string(it.Header.Type))
		}
		pending := "none"
		if rep := agg.TakeReport(); rep != nil {
			var parts []string
			for _, d := range rep.DiscardedEvents {
				parts = append(parts, fmt.Sprintf("%s/%s=%d", d.Reason, d.Category, d.Quantity))
			}
			pending = strings.Join(parts, ",")
		}
		got := "none"
		if len(received) > 0 {
			got = strings.Join(received, ",")
		}
		fmt.Printf("PROBE SyncTransport resets=%d sends=%d err=%v received=%s envelope-after=%s pending=%s\n",
			fail, n.Load(), err != nil, got, strings.Join(after, "+"), pending)
		srv.Close()
	}
}
