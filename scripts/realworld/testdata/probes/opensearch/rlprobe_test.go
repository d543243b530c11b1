package opensearch_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one API call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection). opensearch-go
// retries in its transport package: opensearchtransport.Client.Perform
// retries 502, 503, 504 and transport errors (MaxRetries, here 3, without
// backoff), reached from opensearchapi's clients through opensearch.Client.
// A retry wrapped around those calls would multiply the requests; a write
// (Document.Create, Index, Bulk) repeated on a 4xx would be a new effect.
// DiscoverNodes fetches /_nodes/http once (no retry of its own) and then
// checks the nodes it found.
// It asserts nothing: the sweep compares the PROBE lines of the two runs.

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

	"github.com/opensearch-project/opensearch-go/v4"
	"github.com/opensearch-project/opensearch-go/v4/opensearchapi"
)

// counting counts the requests; with refuse set it fails each as a refused
// connection instead of sending it.
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
	for _, status := range []int{200, 400, 404, 409, 429, 500, 502, 503, -1} {
		for _, call := range []string{"Info", "Search", "Document.Create", "Index", "Indices.Delete", "Bulk", "Perform", "DiscoverNodes"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				if status == 200 {
					_, _ = w.Write([]byte(`{"name":"probe","cluster_name":"probe","cluster_uuid":"u","tagline":"t",` +
						`"version":{"number":"2.19.0","distribution":"opensearch","build_type":"tar","build_hash":"h",` +
						`"build_date":"2025-01-01T00:00:00Z","build_snapshot":false,"lucene_version":"9",` +
						`"minimum_wire_compatibility_version":"7","minimum_index_compatibility_version":"7"},` +
						`"took":1,"timed_out":false,"errors":false,"items":[],"acknowledged":true,` +
						`"_shards":{"total":1,"successful":1,"failed":0},"hits":{"hits":[]},` +
						`"_index":"i","_id":"1","result":"created"}`))
					return
				}
				_, _ = w.Write([]byte(`{"error":{"type":"probe","reason":"probe"},"status":` + http.StatusText(status) + `}`))
			}))
			client, cerr := opensearchapi.NewClient(opensearchapi.Config{Client: opensearch.Config{
				Addresses:  []string{srv.URL},
				Transport:  counting{refuse: status < 0, n: &n},
				MaxRetries: 3,
			}})
			if cerr != nil {
				t.Fatal(cerr)
			}
			ctx := context.Background()
			var err error
			switch call {
			case "Info":
				_, err = client.Info(ctx, nil)
			case "Search":
				_, err = client.Search(ctx, &opensearchapi.SearchReq{Indices: []string{"i"}})
			case "Document.Create":
				_, err = client.Document.Create(ctx, opensearchapi.DocumentCreateReq{Index: "i", DocumentID: "1", Body: strings.NewReader(`{"a":1}`)})
			case "Index":
				_, err = client.Index(ctx, opensearchapi.IndexReq{Index: "i", Body: strings.NewReader(`{"a":1}`)})
			case "Indices.Delete":
				_, err = client.Indices.Delete(ctx, opensearchapi.IndicesDeleteReq{Indices: []string{"i"}})
			case "Bulk":
				_, err = client.Bulk(ctx, opensearchapi.BulkReq{Body: strings.NewReader("{\"index\":{\"_index\":\"i\"}}\n{\"a\":1}\n")})
			case "DiscoverNodes":
				err = client.Client.DiscoverNodes(ctx)
			case "Perform":
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/", nil)
				var res *http.Response
				res, err = client.Client.Perform(req)
				if res != nil {
					res.Body.Close()
				}
			}
			_ = client.Close()
			srv.Close()
			t.Logf("PROBE opensearch %s status=%d requests=%d err=%v", call, status, n.Load(), err != nil)
		}
	}
}
