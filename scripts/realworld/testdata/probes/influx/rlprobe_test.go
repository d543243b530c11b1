package influxdb2_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one client call makes for each response status, before and after
// resilience-lint -fix. A client error (4xx but 408/425/429) must be tried
// once; transient statuses may be retried. It asserts nothing: the sweep
// compares the PROBE lines of the two runs. The client's errors are of a
// concrete type (*http.Error with a StatusCode field).

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	influxdb2 "github.com/influxdata/influxdb-client-go/v2"
)

func TestRLProbeRequestsPerStatus(t *testing.T) {
	for _, status := range []int{200, 400, 401, 404, 422, 429, 500, 503} {
		var n atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Content-Type", "application/json")
			if status == 429 {
				w.Header().Set("Retry-After", "0")
			}
			w.WriteHeader(status)
			if status == 200 {
				_, _ = w.Write([]byte(`{"id":"b1","name":"probe"}`))
				return
			}
			_, _ = w.Write([]byte(`{"code":"probe","message":"probe"}`))
		}))
		c := influxdb2.NewClient(srv.URL, "token")
		_, err := c.BucketsAPI().FindBucketByID(context.Background(), "b1")
		c.Close()
		srv.Close()
		t.Logf("PROBE influx FindBucketByID status=%d requests=%d err=%v", status, n.Load(), err != nil)
	}
}
