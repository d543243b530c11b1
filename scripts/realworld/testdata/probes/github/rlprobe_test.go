package rlprobe_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one client call makes for each response status, before and after
// resilience-lint -fix. A client error (4xx but 408/425/429) must be tried
// once; transient statuses may be retried. It asserts nothing: the sweep
// compares the PROBE lines of the two runs. It lives in the module's root
// directory, a package of its own.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/google/go-github/v75/github"
)

func TestRLProbeRequestsPerStatus(t *testing.T) {
	calls := map[string]func(*github.Client) error{
		// Repositories.GetBranch goes through its own round trip (it
		// follows redirects by hand); Repositories.Get through Client.Do.
		"GetBranch": func(c *github.Client) error {
			_, _, err := c.Repositories.GetBranch(context.Background(), "o", "r", "b", 0)
			return err
		},
		"Get": func(c *github.Client) error {
			_, _, err := c.Repositories.Get(context.Background(), "o", "r")
			return err
		},
	}
	for _, name := range []string{"GetBranch", "Get"} {
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
					_, _ = w.Write([]byte(`{"name":"b"}`))
					return
				}
				_, _ = w.Write([]byte(`{"message":"probe"}`))
			}))
			c := github.NewClient(nil)
			c.BaseURL, _ = url.Parse(srv.URL + "/")
			err := calls[name](c)
			srv.Close()
			t.Logf("PROBE github %s status=%d requests=%d err=%v", name, status, n.Load(), err != nil)
		}
	}
}
