package auth0_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one management API call makes for each response status, before
// and after resilience-lint -fix (status -1: a refused connection).
// go-auth0 sends through rehttp's retrying transport (by default 2 retries
// on 429 and on transport errors); the 429s carry an X-RateLimit-Reset of
// now, so its waits are short. "429x2" answers 429 twice, then 200. It
// prints the requests sent, the users created and the import jobs posted,
// and asserts nothing: the sweep compares the PROBE lines of the two runs.

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/auth0/go-auth0"
	"github.com/auth0/go-auth0/management"
)

type counting struct {
	refuse bool
	n      *atomic.Int64
}

func (c counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	if c.refuse {
		if req.Body != nil {
			_, _ = io.Copy(io.Discard, req.Body)
			req.Body.Close()
		}
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return http.DefaultTransport.RoundTrip(req)
}

func TestRLProbeRequestsPerStatus(t *testing.T) {
	for _, scenario := range []string{"200", "400", "404", "429", "500", "503", "-1", "429x2"} {
		for _, call := range []string{"User.Read", "User.Create", "Anomaly.CheckIP", "Job.ImportUsers", "User.Link"} {
			var n, seen, created, imports atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				k := seen.Add(1)
				status := 200
				switch scenario {
				case "429x2":
					if k <= 2 {
						status = 429
					}
				case "200", "-1":
				default:
					status, _ = strconv.Atoi(scenario)
				}
				if status == 429 {
					w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Unix(), 10))
				}
				w.Header().Set("Content-Type", "application/json")
				if status != 200 {
					w.WriteHeader(status)
					_, _ = w.Write([]byte(`{"statusCode":` + strconv.Itoa(status) + `,"error":"probe","message":"probe"}`))
					return
				}
				switch {
				case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/users"):
					created.Add(1)
					_, _ = w.Write([]byte(`{"user_id":"u1"}`))
				case strings.HasSuffix(r.URL.Path, "/users-imports"):
					imports.Add(1)
					_, _ = w.Write([]byte(`{"id":"job1"}`))
				case strings.HasSuffix(r.URL.Path, "/identities"):
					_, _ = w.Write([]byte(`[{"user_id":"u2"}]`))
				default:
					_, _ = w.Write([]byte(`{"user_id":"u1"}`))
				}
			}))
			m, err := management.New(srv.URL, management.WithInsecure(),
				management.WithClient(&http.Client{Transport: counting{refuse: scenario == "-1", n: &n}}))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			switch call {
			case "User.Read":
				_, err = m.User.Read(ctx, "u1")
			case "User.Create":
				err = m.User.Create(ctx, &management.User{Connection: auth0.String("db"), Email: auth0.String("p@example.com")})
			case "Anomaly.CheckIP":
				_, err = m.Anomaly.CheckIP(ctx, "192.0.2.1")
			case "Job.ImportUsers":
				err = m.Job.ImportUsers(ctx, &management.Job{ConnectionID: auth0.String("con"), Users: []map[string]interface{}{{"email": "p@example.com"}}})
			case "User.Link":
				_, err = m.User.Link(ctx, "u1", &management.UserIdentityLink{Provider: auth0.String("auth0"), UserID: auth0.String("u2")})
			}
			srv.Close()
			t.Logf("PROBE auth0 %s scenario=%s requests=%d created=%d imports=%d err=%v",
				call, scenario, n.Load(), created.Load(), imports.Load(), err != nil)
		}
	}
}
