package gitlab_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one API call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection). The retries of
// gitlab's client-go live in a dependency: Client.Do sends through a
// go-retryablehttp client (here 2 retries, waiting 1-2 ms), whose
// CheckRetry (Client.retryHTTPCheck) retries 429 and 5xx. The calls: a
// REST call (Branches.GetBranch, through the generic do and Client.Do) and
// a GraphQL one (TerraformStates.List, through the GraphQLInterface field
// of the client, which *GraphQL implements with Client.Do). The counts
// include the rate-limit probe the client may send first. It asserts
// nothing: the sweep compares the PROBE lines of the two runs.

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gitlab "gitlab.com/gitlab-org/api/client-go"
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
	for _, status := range []int{200, 400, 404, 429, 500, 503, -1} {
		for _, call := range []string{"Branches.GetBranch", "TerraformStates.List"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				if status == 200 {
					if r.URL.Path == "/api/graphql" {
						_, _ = w.Write([]byte(`{"data":{"project":{"terraformStates":{"nodes":[]}}}}`))
						return
					}
					_, _ = w.Write([]byte(`{"name":"main"}`))
					return
				}
				_, _ = w.Write([]byte(`{"message":"probe"}`))
			}))
			client, err := gitlab.NewClient("probe",
				gitlab.WithBaseURL(srv.URL),
				gitlab.WithHTTPClient(&http.Client{Transport: counting{refuse: status < 0, n: &n}}),
				gitlab.WithCustomRetryMax(2),
				gitlab.WithCustomRetryWaitMinMax(time.Millisecond, 2*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			switch call {
			case "Branches.GetBranch":
				_, _, err = client.Branches.GetBranch("g/p", "main")
			case "TerraformStates.List":
				_, _, err = client.TerraformStates.List("g/p")
			}
			srv.Close()
			t.Logf("PROBE gitlab %s status=%d requests=%d err=%v", call, status, n.Load(), err != nil)
		}
	}
}
