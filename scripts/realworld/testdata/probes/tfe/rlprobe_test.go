package tfe_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one go-tfe call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection). go-tfe sends
// through go-retryablehttp (RetryMax 30): 429 is always retried, 5xx and
// transport errors only with RetryServerErrors. "429x2" answers 429 twice,
// then 200; "500x1+rse" answers 500 once, then 200, on a client with
// RetryServerErrors(true). An upload reads its io.Reader once: the bytes
// read are printed too. It asserts nothing: the sweep compares the PROBE
// lines of the two runs.

import (
	"context"
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

// countingRT counts the requests other than the client's ping; with refuse
// set it fails each as a refused connection instead of sending it.
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

// onceReader is a reader that is not an io.Seeker, counting what it gives.
type onceReader struct {
	r    io.Reader
	read *atomic.Int64
}

func (o onceReader) Read(p []byte) (int, error) {
	n, err := o.r.Read(p)
	o.read.Add(int64(n))
	return n, err
}

// resetReader gives half of its data, then fails once as a reset
// connection, then gives the rest: a stream whose source hiccuped. A reader
// is read once; what a second read gets is what is left.
type resetReader struct {
	data  []byte
	off   int
	reset bool
	read  *atomic.Int64
}

func (r *resetReader) Read(p []byte) (int, error) {
	if r.off == len(r.data)/2 && !r.reset {
		r.reset = true
		return 0, os.NewSyscallError("read", syscall.ECONNRESET)
	}
	if r.off >= len(r.data) {
		return 0, io.EOF
	}
	end := len(r.data)
	if r.off < len(r.data)/2 {
		end = len(r.data) / 2
	}
	n := copy(p, r.data[r.off:end])
	r.off += n
	r.read.Add(int64(n))
	return n, nil
}

// TestRLProbeNewRequestStream builds a PUT from a stream with
// Client.NewRequest, whose go-retryablehttp request reads the stream whole,
// and sends it with ClientRequest.Do: the stream fails once, half way.
func TestRLProbeNewRequestStream(t *testing.T) {
	var n, got atomic.Int64
	var refuse atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/ping") {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		b, _ := io.ReadAll(r.Body)
		got.Add(int64(len(b)))
		w.WriteHeader(200)
	}))
	defer srv.Close()
	client, err := tfe.NewClient(&tfe.Config{
		Address:    srv.URL,
		Token:      "probe",
		HTTPClient: &http.Client{Transport: countingRT{refuse: &refuse, n: &n}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var read atomic.Int64
	body := &resetReader{data: []byte(strings.Repeat("x", 4096)), read: &read}
	req, err := client.NewRequest("PUT", "upload/probe", body)
	if err == nil {
		err = req.Do(context.Background(), nil)
	}
	t.Logf("PROBE tfe Client.NewRequest(PUT, stream)+Do requests=%d read=%d server-got=%d err=%v", n.Load(), read.Load(), got.Load(), err != nil)
}

const workspace = `{"data":{"id":"ws-1","type":"workspaces","attributes":{"name":"probe"}}}`

func TestRLProbeRequestsPerStatus(t *testing.T) {
	for _, scenario := range []string{"200", "400", "404", "500", "503", "-1", "429x2", "500x1+rse"} {
		for _, call := range []string{"Workspaces.Read", "Workspaces.Create", "Variables.List", "ConfigurationVersions.UploadTarGzip"} {
			var n, seen, read atomic.Int64
			var refuse atomic.Bool
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/ping") {
					w.Header().Set("TFP-API-Version", "2.6")
					w.WriteHeader(http.StatusNoContent)
					return
				}
				_, _ = io.Copy(io.Discard, r.Body)
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
				case "-1":
				default:
					status = map[string]int{"200": 200, "400": 400, "404": 404, "500": 500, "503": 503}[scenario]
				}
				w.Header().Set("Content-Type", "application/vnd.api+json")
				w.WriteHeader(status)
				switch {
				case status != 200:
					_, _ = w.Write([]byte(`{"errors":[{"status":"probe","title":"probe"}]}`))
				case strings.Contains(r.URL.Path, "/vars"):
					_, _ = w.Write([]byte(`{"data":[{"id":"var-1","type":"vars","attributes":{"key":"k","value":"v"}}],"meta":{"pagination":{"current-page":1,"total-pages":1}}}`))
				case strings.Contains(r.URL.Path, "/upload"):
				default:
					_, _ = w.Write([]byte(workspace))
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
			ctx := context.Background()
			switch call {
			case "Workspaces.Read":
				_, err = client.Workspaces.Read(ctx, "org", "probe")
			case "Workspaces.Create":
				_, err = client.Workspaces.Create(ctx, "org", tfe.WorkspaceCreateOptions{Name: tfe.String("probe")})
			case "Variables.List":
				_, err = client.Variables.List(ctx, "ws-1", nil)
			case "ConfigurationVersions.UploadTarGzip":
				err = client.ConfigurationVersions.UploadTarGzip(ctx, srv.URL+"/upload",
					onceReader{r: strings.NewReader(strings.Repeat("x", 4096)), read: &read})
			}
			srv.Close()
			t.Logf("PROBE tfe %s scenario=%s requests=%d read=%d err=%v", call, scenario, n.Load(), read.Load(), err != nil)
		}
	}
}
