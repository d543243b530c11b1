package pagerduty_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one Client call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection). go-pagerduty does
// not retry; its APIError carries the StatusCode. A client error (4xx but
// 408/425/429) must be tried once. It asserts nothing: the sweep compares
// the PROBE lines of the two runs.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"syscall"
	"testing"

	pagerduty "github.com/PagerDuty/go-pagerduty"
)

// counting counts the requests; with refuse set it fails each as a refused
// connection instead of sending it.
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

func TestRLProbeRequestsPerStatus(t *testing.T) {
	for _, status := range []int{200, 400, 401, 404, 429, 500, 503, -1} {
		for _, call := range []string{"GetCurrentUser", "CreateIncident"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if status == 429 {
					w.Header().Set("Retry-After", "0")
				}
				w.WriteHeader(status)
				switch {
				case status == 200 && call == "GetCurrentUser":
					_, _ = w.Write([]byte(`{"user":{"id":"1"}}`))
				case status == 200:
					_, _ = w.Write([]byte(`{"incident":{"id":"1"}}`))
				default:
					_, _ = w.Write([]byte(`{"error":{"code":2001,"message":"probe"}}`))
				}
			}))
			c := pagerduty.NewClient("probe", pagerduty.WithAPIEndpoint(srv.URL))
			c.HTTPClient = counting{refuse: status < 0, n: &n}
			var err error
			if call == "GetCurrentUser" {
				_, err = c.GetCurrentUserWithContext(context.Background(), pagerduty.GetCurrentUserOptions{})
			} else {
				_, err = c.CreateIncidentWithContext(context.Background(), "probe@example.com",
					&pagerduty.CreateIncidentOptions{Title: "probe", Service: &pagerduty.APIReference{ID: "S", Type: "service_reference"}})
			}
			srv.Close()
			t.Logf("PROBE pagerduty %s status=%d requests=%d err=%v", call, status, n.Load(), err != nil)
		}
	}
}
