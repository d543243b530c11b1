// cloudflare-go's go.mod says go 1.19, but the sweep raises the go
// directive to the runtime's: keep the ServeMux patterns of go 1.21 for
// the whole test binary, or its tests registering paths with spaces
// ("/pages/projects/Test Pages Project") panic and stop the package.
//go:debug httpmuxgo121=1

package cloudflare_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one API call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection). cloudflare-go
// retries 429, 5xx and transport errors itself (RetryPolicy, here 2 retries
// without delay); a wrapper around that would multiply the requests. It
// asserts nothing: the sweep compares the PROBE lines of the two runs.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"syscall"
	"testing"

	cloudflare "github.com/cloudflare/cloudflare-go"
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
	for _, status := range []int{200, 400, 401, 404, 429, 500, 503, -1} {
		for _, call := range []string{"UserDetails", "CreateDNSRecord"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				if status == 200 {
					_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":{"id":"1"}}`))
					return
				}
				_, _ = w.Write([]byte(`{"success":false,"errors":[{"code":1000,"message":"probe"}],"messages":[],"result":null}`))
			}))
			api, err := cloudflare.NewWithAPIToken("probe",
				cloudflare.BaseURL(srv.URL),
				cloudflare.HTTPClient(&http.Client{Transport: counting{refuse: status < 0, n: &n}}),
				cloudflare.UsingRetryPolicy(2, 0, 0))
			if err != nil {
				t.Fatal(err)
			}
			if call == "UserDetails" {
				_, err = api.UserDetails(context.Background())
			} else {
				_, err = api.CreateDNSRecord(context.Background(), cloudflare.ZoneIdentifier("z"),
					cloudflare.CreateDNSRecordParams{Type: "A", Name: "probe", Content: "192.0.2.1"})
			}
			srv.Close()
			t.Logf("PROBE cloudflare %s status=%d requests=%d err=%v", call, status, n.Load(), err != nil)
		}
	}
}
