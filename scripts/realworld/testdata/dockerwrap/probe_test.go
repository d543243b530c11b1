package engine

// The probe of the dockerwrap sweep (run.sh): a fake Docker daemon that
// counts the requests of each kind, the containers it created and the
// bytes of build context it received, and a transport that fails chosen
// requests with a reset connection, either before they reach the daemon
// ("reset") or after the daemon acted on them ("sent-reset"). The Docker
// client does not retry; its error for a reset wraps the cause, so the
// runtime takes it for transient (a refused connection, a timeout and a
// status lose their cause and are not). It asserts nothing: run.sh
// compares the PROBE lines before and after -fix.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/moby/moby/client"
)

// fakeDaemon is an in-memory Docker daemon.
type fakeDaemon struct {
	mu        sync.Mutex
	requests  map[string]int // by kind
	created   []string       // container IDs, in order
	names     map[string]bool
	buildRecv []int // bytes of context per build request
}

// kind names a request of the Engine API.
func kind(r *http.Request) string {
	p := r.URL.Path
	switch {
	case strings.HasSuffix(p, "/_ping"):
		return "ping"
	case strings.HasSuffix(p, "/containers/json"):
		return "list"
	case strings.HasSuffix(p, "/containers/create"):
		return "create"
	case strings.HasSuffix(p, "/start"):
		return "start"
	case strings.HasSuffix(p, "/build"):
		return "build"
	case strings.HasSuffix(p, "/images/create"):
		return "pull"
	case r.Method == http.MethodDelete:
		return "remove"
	}
	return "other"
}

func (d *fakeDaemon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := kind(r)
	d.requests[k]++
	w.Header().Set("Api-Version", "1.47")
	w.Header().Set("Content-Type", "application/json")
	switch k {
	case "ping":
		_, _ = w.Write([]byte("OK"))
	case "list":
		var b strings.Builder
		b.WriteString("[")
		for i, id := range d.created {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"Id":%q}`, id)
		}
		b.WriteString("]")
		_, _ = w.Write([]byte(b.String()))
	case "create":
		name := r.URL.Query().Get("name")
		if name != "" && d.names[name] {
			w.WriteHeader(http.StatusConflict)
			_, _ = fmt.Fprintf(w, `{"message":"Conflict. The container name \"/%s\" is already in use"}`, name)
			return
		}
		if name != "" {
			d.names[name] = true
		}
		id := fmt.Sprintf("c%d", len(d.created)+1)
		d.created = append(d.created, id)
		w.WriteHeader(http.StatusCreated)
		_, _ = fmt.Fprintf(w, `{"Id":%q,"Warnings":[]}`, id)
	case "start", "remove":
		w.WriteHeader(http.StatusNoContent)
	case "build":
		n, _ := io.Copy(io.Discard, r.Body)
		d.buildRecv = append(d.buildRecv, int(n))
		_, _ = w.Write([]byte(`{"stream":"Successfully built"}` + "\n"))
	case "pull":
		_, _ = w.Write([]byte(`{"status":"Pulling from library/alpine"}` + "\n" + `{"status":"Status: Downloaded newer image"}` + "\n"))
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"no such route"}`))
	}
}

// failing fails the first n requests of kind k: before sending them
// (reset), or after the daemon answered (sent-reset).
type failing struct {
	k    string
	mode string
	n    int
	seen int
	next http.RoundTripper
}

func (f *failing) RoundTrip(req *http.Request) (*http.Response, error) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	if kind(req) != f.k || f.seen >= f.n {
		return f.next.RoundTrip(req)
	}
	f.seen++
	if f.mode == "reset" {
		if req.Body != nil {
			_, _ = io.Copy(io.Discard, req.Body) // the upload went out
			_ = req.Body.Close()
		}
		return nil, reset
	}
	resp, err := f.next.RoundTrip(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	return nil, reset
}

// nonSeekable hides bytes.Reader's Seek: a build context streamed from
// a tar writer or a file the caller opened.
type nonSeekable struct{ r io.Reader }

func (n nonSeekable) Read(p []byte) (int, error) { return n.r.Read(p) }

func TestProbe(t *testing.T) {
	tarCtx := bytes.Repeat([]byte("x"), 10240)
	cases := []struct {
		call, k, mode string
		n             int
	}{
		{"Containers", "", "", 0},
		{"Containers", "list", "reset", 1},
		{"Containers", "list", "reset", 9},
		{"Run", "", "", 0},
		{"Run", "create", "reset", 1},
		{"Run", "create", "sent-reset", 1},
		{"Run", "start", "reset", 1},
		{"Run", "start", "sent-reset", 1},
		{"RunNamed", "create", "sent-reset", 1},
		{"RunNamed", "start", "reset", 1},
		{"Remove", "remove", "reset", 1},
		{"Build", "build", "reset", 1},
		{"BuildBytes", "build", "reset", 1},
		{"Pull", "pull", "reset", 1},
		{"Pull", "pull", "reset", 9},
	}
	for _, tc := range cases {
		d := &fakeDaemon{requests: map[string]int{}, names: map[string]bool{}}
		srv := httptest.NewServer(d)
		tr := &failing{k: tc.k, mode: tc.mode, n: tc.n, next: http.DefaultTransport}
		cli, err := client.New(client.WithHost("tcp://"+strings.TrimPrefix(srv.URL, "http://")), client.WithHTTPClient(&http.Client{Transport: tr}))
		if err != nil {
			t.Fatal(err)
		}
		e := &Engine{Client: cli}
		ctx := context.Background()
		var res string
		switch tc.call {
		case "Containers":
			var ids []string
			ids, err = e.Containers(ctx)
			res = strings.Join(ids, ",")
		case "Run":
			res, err = e.Run(ctx, "alpine", "")
		case "RunNamed":
			res, err = e.Run(ctx, "alpine", "web")
		case "Remove":
			err = e.Remove(ctx, "c1")
		case "Build":
			_, err = e.Build(ctx, nonSeekable{bytes.NewReader(tarCtx)}, "app:1")
		case "BuildBytes":
			_, err = e.BuildBytes(ctx, tarCtx, "app:1")
		case "Pull":
			err = e.Pull(ctx, "alpine:3")
		}
		d.mu.Lock()
		var reqs []string
		for _, k := range []string{"ping", "list", "create", "start", "remove", "build", "pull"} {
			if d.requests[k] > 0 {
				reqs = append(reqs, fmt.Sprintf("%s=%d", k, d.requests[k]))
			}
		}
		msg := "nil"
		if err != nil {
			msg = err.Error()
			if i := strings.Index(msg, ":"); i > 0 {
				msg = msg[:i]
			}
		}
		fmt.Printf("PROBE %s %s %s x%d: failed %d; daemon %s; containers %d; build bytes %v; result %q; err %s\n",
			tc.call, tc.k, tc.mode, tc.n, tr.seen, strings.Join(reqs, " "), len(d.created), d.buildRecv, res, msg)
		d.mu.Unlock()
		srv.Close()
	}
}
