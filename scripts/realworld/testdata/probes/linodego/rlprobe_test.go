package linodego_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one API call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection). linodego sends
// through resty, whose retry (with SetRetries: 429, 503, 408, "Linode
// busy" 400s; here 2 retries without waiting) a wrapper would multiply.
// WaitForDatabaseStatus polls through a handler taken out of a package
// map of function literals that call GetMySQLDatabase: it nests that
// retry too. It asserts nothing: the sweep compares the PROBE lines of
// the two runs.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/linode/linodego"
)

// counting counts the requests; with fail -1 it fails each as a refused
// connection instead of sending it.
type counting struct {
	fail int
	n    *atomic.Int64
}

func (c counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	if c.fail == -1 {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return http.DefaultTransport.RoundTrip(req)
}

func TestRLProbeRequestsPerStatus(t *testing.T) {
	for _, code := range []int{200, 400, 404, 429, 500, 503, -1} {
		for _, call := range []string{"GetMySQLDatabase", "WaitForDatabaseStatus", "CreateDomain"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if code != 200 {
					w.WriteHeader(code)
					_, _ = w.Write([]byte(`{"errors":[{"reason":"probe"}]}`))
					return
				}
				switch call {
				case "CreateDomain":
					_, _ = w.Write([]byte(`{"id":1,"domain":"example.com"}`))
				default:
					_, _ = w.Write([]byte(`{"id":1,"status":"active"}`))
				}
			}))
			c := linodego.NewClient(&http.Client{Transport: counting{fail: min(code, 0), n: &n}})
			c.SetBaseURL(srv.URL)
			c.SetRetryWaitTime(time.Millisecond)
			c.SetRetryMaxWaitTime(time.Millisecond)
			c.SetRetryCount(2)
			c.SetPollDelay(time.Millisecond)
			c.UseCache(false)
			ctx := context.Background()
			var err error
			switch call {
			case "GetMySQLDatabase":
				_, err = c.GetMySQLDatabase(ctx, 1)
			case "WaitForDatabaseStatus":
				err = c.WaitForDatabaseStatus(ctx, 1, linodego.DatabaseEngineTypeMySQL, linodego.DatabaseStatusActive, 2)
			case "CreateDomain":
				_, err = c.CreateDomain(ctx, linodego.DomainCreateOptions{Domain: "example.com"})
			}
			srv.Close()
			t.Logf("PROBE %s status=%d requests=%d err=%v", call, code, n.Load(), err != nil)
		}
	}
}
