package elasticsearch_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one API call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection). The retries of
// go-elasticsearch live in another module: elastic-transport-go's
// Client.Perform retries 502, 503, 504 and transport errors (MaxRetries 3,
// here without delay), reached from esapi's request types and the typed
// API through interfaces (esapi.Transport, elastictransport.Interface). A
// retry wrapped around those calls would multiply the requests. It asserts
// nothing: the sweep compares the PROBE lines of the two runs.

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

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"
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
	for _, status := range []int{200, 400, 404, 429, 500, 502, 503, -1} {
		for _, call := range []string{"esapi.Info", "esapi.Index", "typed.Info", "typed.Search", "Perform"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Elastic-Product", "Elasticsearch")
				w.WriteHeader(status)
				if status == 200 {
					_, _ = w.Write([]byte(`{"name":"probe","cluster_name":"probe","cluster_uuid":"u","tagline":"t",` +
						`"version":{"number":"8.19.7","build_flavor":"default","build_type":"tar","build_hash":"h",` +
						`"build_date":"2025-01-01T00:00:00Z","build_snapshot":false,"lucene_version":"9","minimum_wire_compatibility_version":"7",` +
						`"minimum_index_compatibility_version":"7"},"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"failed":0},` +
						`"hits":{"hits":[]},"_index":"i","_id":"1","result":"created"}`))
					return
				}
				_, _ = w.Write([]byte(`{"error":{"type":"probe","reason":"probe"},"status":` + http.StatusText(status) + `}`))
			}))
			cfg := elasticsearch.Config{
				Addresses: []string{srv.URL},
				Transport: counting{refuse: status < 0, n: &n},
			}
			var err error
			ctx := context.Background()
			switch call {
			case "esapi.Info", "esapi.Index", "Perform":
				es, cerr := elasticsearch.NewClient(cfg)
				if cerr != nil {
					t.Fatal(cerr)
				}
				var res *esapi.Response
				switch call {
				case "esapi.Info":
					res, err = esapi.InfoRequest{}.Do(ctx, es)
				case "esapi.Index":
					res, err = esapi.IndexRequest{Index: "i", Body: strings.NewReader(`{"a":1}`)}.Do(ctx, es)
				case "Perform":
					req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/", nil)
					var hres *http.Response
					hres, err = es.Perform(req)
					if hres != nil {
						hres.Body.Close()
					}
				}
				if res != nil {
					if err == nil && res.IsError() {
						err = errString(res.Status())
					}
					res.Body.Close()
				}
			case "typed.Info", "typed.Search":
				tc, cerr := elasticsearch.NewTypedClient(cfg)
				if cerr != nil {
					t.Fatal(cerr)
				}
				if call == "typed.Info" {
					_, err = tc.Core.Info().Do(ctx)
				} else {
					_, err = tc.Core.Search().Index("i").Do(ctx)
				}
			}
			srv.Close()
			t.Logf("PROBE elastic %s status=%d requests=%d err=%v", call, status, n.Load(), err != nil)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
