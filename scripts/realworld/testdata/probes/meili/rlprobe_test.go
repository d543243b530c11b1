package meilisearch_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection). meilisearch-go
// retries on its own in client.do: 502, 503 and 504 up to 3 times more,
// waiting 1s, 2s and 3s, and then fails with MaxRetriesExceeded (an
// *Error without a status); other statuses and transport errors are not
// retried. GetIndex (its work is FetchInfo) was the method -fix wrapped
// until the tool took client.do's loop for a retry (fix13): it is refused
// now, as nesting that loop; a retry of ours around the SDK's must not
// multiply its 4 requests on a 503. It asserts nothing: the sweep compares
// the PROBE lines of the two runs.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/meilisearch/meilisearch-go"
)

// counting counts the requests; with refuse set it fails each as a
// refused connection instead of sending it.
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

func TestRLProbeRequestsPerStatus(t *testing.T) {
	for _, status := range []int{200, 400, 404, 429, 500, 503, -1} {
		for _, call := range []string{"GetIndex", "Index.FetchInfo", "Index.AddDocuments"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if status == 429 {
					w.Header().Set("Retry-After", "0")
				}
				switch {
				case status != 200:
					w.WriteHeader(status)
					_, _ = w.Write([]byte(`{"message":"probe","code":"internal","type":"internal","link":""}`))
				case strings.HasSuffix(r.URL.Path, "/documents"):
					w.WriteHeader(http.StatusAccepted)
					_, _ = w.Write([]byte(`{"taskUid":1,"indexUid":"movies","status":"enqueued","type":"documentAdditionOrUpdate","enqueuedAt":"2026-01-01T00:00:00Z"}`))
				default:
					_, _ = w.Write([]byte(`{"uid":"movies","primaryKey":"id","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}`))
				}
			}))
			sm := meilisearch.New(srv.URL, meilisearch.WithAPIKey("probe"),
				meilisearch.WithCustomClient(&http.Client{Transport: counting{refuse: status < 0, n: &n}}))
			ctx := context.Background()
			var err error
			switch call {
			case "GetIndex":
				_, err = sm.GetIndex(ctx, "movies")
			case "Index.FetchInfo":
				_, err = sm.Index("movies").FetchInfo(ctx)
			case "Index.AddDocuments":
				_, err = sm.Index("movies").AddDocuments(ctx, []map[string]any{{"id": 1, "title": "probe"}}, nil)
			}
			srv.Close()
			if status == 200 && err != nil {
				t.Logf("probe call failed on success: %v", err)
			}
			t.Logf("PROBE meili %s status=%d requests=%d err=%v", call, status, n.Load(), err != nil)
		}
	}
}
