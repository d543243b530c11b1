package deploy

// The probe of the tfewrap wrapper (run.sh): each Deployer call against an
// httptest server that answers one scenario for every request but the
// client's ping: a status, a refused connection (-1), "429x2" (429 twice,
// then the normal answer), "500x1+rse" (500 once, on a client with
// RetryServerErrors). It prints the requests the call made, what the
// server was given (runs created, upload bytes) and the bytes read from
// the caller's stream. It asserts nothing: run.sh compares the PROBE lines
// before and after -fix.

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	tfe "github.com/hashicorp/go-tfe"
)

type countingRT struct {
	refuse *atomic.Bool
	n      *atomic.Int64
}

func (c countingRT) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/ping") {
		return http.DefaultTransport.RoundTrip(req)
	}
	c.n.Add(1)
	if c.refuse.Load() {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return http.DefaultTransport.RoundTrip(req)
}

// countReader is a caller's stream (not an io.Seeker), counting what it
// gives.
type countReader struct {
	r    io.Reader
	read *atomic.Int64
}

func (c countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read.Add(int64(n))
	return n, err
}

func TestProbe(t *testing.T) {
	for _, scenario := range []string{"200", "404", "500", "503", "-1", "429x2", "500x1+rse"} {
		for _, call := range []string{"Workspace", "EnsureWorkspace", "Vars", "Upload", "UploadBytes", "Queue", "Put"} {
			var n, seen, read, runs, uploaded atomic.Int64
			var refuse atomic.Bool
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/ping") {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				body, _ := io.ReadAll(r.Body)
				k := seen.Add(1)
				status := 200
				switch scenario {
				case "429x2":
					if k <= 2 {
						w.Header().Set("X-RateLimit-Reset", "0.01")
						status = 429
					}
				case "500x1+rse":
					if k <= 1 {
						status = 500
					}
				case "200", "-1":
				default:
					fmt.Sscan(scenario, &status)
				}
				w.Header().Set("Content-Type", "application/vnd.api+json")
				if status != 200 {
					w.WriteHeader(status)
					_, _ = w.Write([]byte(`{"errors":[{"status":"probe","title":"probe"}]}`))
					return
				}
				p := r.URL.Path
				switch {
				case strings.HasSuffix(p, "/vars"):
					next := 2
					if r.URL.Query().Get("page[number]") == "2" {
						next = 0
					}
					fmt.Fprintf(w, `{"data":[{"id":"var-%d","type":"vars","attributes":{"key":"k"}}],"meta":{"pagination":{"current-page":1,"next-page":%d,"total-pages":2}}}`, k, next)
				case strings.HasSuffix(p, "/configuration-versions"):
					fmt.Fprintf(w, `{"data":{"id":"cv-1","type":"configuration-versions","attributes":{"upload-url":%q}}}`, srv.URL+"/upload")
				case p == "/upload" || strings.HasSuffix(p, "/raw"):
					uploaded.Add(int64(len(body)))
				case strings.HasSuffix(p, "/runs"):
					runs.Add(1)
					_, _ = w.Write([]byte(`{"data":{"id":"run-1","type":"runs","attributes":{}}}`))
				default:
					_, _ = w.Write([]byte(`{"data":{"id":"ws-1","type":"workspaces","attributes":{"name":"probe"}}}`))
				}
			}))
			client, err := tfe.NewClient(&tfe.Config{
				Address:    srv.URL,
				Token:      "probe",
				HTTPClient: &http.Client{Transport: countingRT{refuse: &refuse, n: &n}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if scenario == "500x1+rse" {
				client.RetryServerErrors(true)
			}
			refuse.Store(scenario == "-1")
			d := New(client, "org")
			ctx := context.Background()
			stream := func() io.Reader {
				return countReader{r: strings.NewReader(strings.Repeat("x", 4096)), read: &read}
			}
			switch call {
			case "Workspace":
				_, err = d.Workspace(ctx, "probe")
			case "EnsureWorkspace":
				_, err = d.EnsureWorkspace(ctx, "probe")
			case "Vars":
				var vars []*tfe.Variable
				vars, err = d.Vars(ctx, "ws-1")
				defer func(call, scenario string) { t.Logf("PROBE tfewrap %s scenario=%s vars=%d", call, scenario, len(vars)) }(call, scenario)
			case "Upload":
				_, err = d.Upload(ctx, "ws-1", stream())
			case "UploadBytes":
				_, err = d.UploadBytes(ctx, "ws-1", []byte(strings.Repeat("x", 4096)))
			case "Queue":
				_, err = d.Queue(ctx, "ws-1", "cv-1")
			case "Put":
				err = d.Put(ctx, "raw", stream())
			}
			srv.Close()
			t.Logf("PROBE tfewrap %s scenario=%s requests=%d read=%d uploaded=%d runs=%d err=%v",
				call, scenario, n.Load(), read.Load(), uploaded.Load(), runs.Load(), err != nil)
		}
	}
}
