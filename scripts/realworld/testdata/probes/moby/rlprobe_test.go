package client_test

// A probe of the real-world sweep (scripts/real-world.sh): the requests
// one call of the Docker client makes against a fake daemon, before and
// after resilience-lint -fix. -fix wraps Client.Ping, which every API call
// runs first (getAPIPath -> checkVersion -> Ping, its error dropped) until
// the API version is negotiated; ContainerList is refused. The client
// turns a refused connection and a timeout into an error without its
// cause (connectionFailed), and a status into a containerd errdefs error
// without the status, so only a reset connection ("error during connect:
// ... connection reset") is transient to the runtime. Each line gives the
// pings (HEAD and GET /_ping), the list requests and the error. It
// asserts nothing: the sweep compares the PROBE lines of the two runs.

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/moby/moby/client"
)

// daemon counts requests by kind and fails the first resets pings and
// the first listResets list requests with a reset connection, or answers
// every request with status when it is not 200.
type daemon struct {
	pings, lists           atomic.Int64
	resets, listResets     int64
	status                 int
	pingResetN, listResetN atomic.Int64
	next                   http.RoundTripper
}

func (d *daemon) RoundTrip(req *http.Request) (*http.Response, error) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	if strings.HasSuffix(req.URL.Path, "/_ping") {
		d.pings.Add(1)
		if d.pingResetN.Add(1) <= d.resets {
			return nil, reset
		}
	} else {
		d.lists.Add(1)
		if d.listResetN.Add(1) <= d.listResets {
			return nil, reset
		}
	}
	return d.next.RoundTrip(req)
}

func TestRLProbeDockerPing(t *testing.T) {
	cases := []struct {
		name               string
		resets, listResets int64
		status             int
	}{
		{"ok", 0, 0, 200},
		{"ping-reset-1", 1, 0, 200},
		{"ping-reset-2", 2, 0, 200},
		{"ping-reset-all", 100, 0, 200},
		{"all-reset", 100, 100, 200},
		{"status-500", 0, 0, 500},
		{"status-503", 0, 0, 503},
	}
	for _, call := range []string{"Ping", "ContainerList"} {
		for _, tc := range cases {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Api-Version", "1.47")
				w.Header().Set("Content-Type", "application/json")
				if tc.status != 200 {
					w.WriteHeader(tc.status)
					_, _ = w.Write([]byte(`{"message":"probe"}`))
					return
				}
				if strings.HasSuffix(r.URL.Path, "/_ping") {
					_, _ = w.Write([]byte("OK"))
					return
				}
				_, _ = w.Write([]byte(`[]`))
			}))
			d := &daemon{resets: tc.resets, listResets: tc.listResets, status: tc.status, next: http.DefaultTransport}
			cli, err := client.New(client.WithHost("tcp://"+strings.TrimPrefix(srv.URL, "http://")), client.WithHTTPClient(&http.Client{Transport: d}))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			switch call {
			case "Ping":
				_, err = cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true})
			case "ContainerList":
				_, err = cli.ContainerList(ctx, client.ContainerListOptions{})
			}
			fmt.Printf("PROBE %s %s pings=%d lists=%d err=%v version=%s\n", call, tc.name, d.pings.Load(), d.lists.Load(), err != nil, cli.ClientVersion())
			srv.Close()
		}
	}
}
