package jira_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one API call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection). go-jira retries
// nothing itself; its status errors are fmt strings (CheckResponse), and
// a transport error comes back as the *url.Error of http.Client.Do
// (CreateWithContext) or wrapped by pkg/errors (GetWithContext, through
// NewJiraError). The calls: a read (Issue.GetWithContext) and a write
// (Issue.CreateWithContext, a POST). It asserts nothing: the sweep
// compares the PROBE lines of the two runs.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"syscall"
	"testing"

	jira "github.com/andygrunwald/go-jira"
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
		for _, call := range []string{"Get", "Create"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				if status == 200 {
					_, _ = w.Write([]byte(`{"id":"1","key":"P-1"}`))
					return
				}
				_, _ = w.Write([]byte(`{"errorMessages":["probe"],"errors":{}}`))
			}))
			c, err := jira.NewClient(&http.Client{Transport: counting{refuse: status < 0, n: &n}}, srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			if call == "Get" {
				_, _, err = c.Issue.GetWithContext(context.Background(), "P-1", nil)
			} else {
				_, _, err = c.Issue.CreateWithContext(context.Background(), &jira.Issue{Fields: &jira.IssueFields{Summary: "probe"}})
			}
			srv.Close()
			t.Logf("PROBE jira %s status=%d requests=%d err=%v", call, status, n.Load(), err != nil)
		}
	}
}
