package rlprobe_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one API call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection, -2: a timeout). hcloud-go's
// client retries itself (its handler chain's retryHandler: here 2 retries
// without waiting, on the error codes conflict, rate_limit_exceeded,
// timeout and bad_gateway, on 502 and 504 without an error body, and on
// network timeouts); a wrapper around a call would multiply the requests.
// The metadata client does not retry. It asserts nothing: the sweep
// compares the PROBE lines of the two runs.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"
	"github.com/hetznercloud/hcloud-go/v2/hcloud/metadata"
)

// counting counts the requests; with fail -1 it fails each as a refused
// connection instead of sending it, with -2 as a timeout (which hcloud
// retries).
type counting struct {
	fail int
	n    *atomic.Int64
}

func (c counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	switch c.fail {
	case -1:
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	case -2:
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	}
	return http.DefaultTransport.RoundTrip(req)
}

func TestRLProbeRequestsPerStatus(t *testing.T) {
	// A status with an error body of the code named after it
	// ("409conflict"), or without one ("502", "503").
	for _, status := range []string{"200", "400invalid_input", "404not_found", "409conflict", "429rate_limit_exceeded", "500", "502", "503unavailable", "-1", "-2"} {
		for _, call := range []string{"Server.GetByID", "Server.GetByName", "SSHKey.Create", "metadata.Hostname"} {
			var n atomic.Int64
			digits := strings.TrimRight(status, "abcdefghijklmnopqrstuvwxyz_")
			code, _ := strconv.Atoi(digits)
			errCode := strings.TrimPrefix(status, digits)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				switch {
				case code == 200 && call == "SSHKey.Create":
					w.WriteHeader(http.StatusCreated)
					_, _ = w.Write([]byte(`{"ssh_key":{"id":1,"name":"k"}}`))
				case code == 200 && call == "Server.GetByName":
					_, _ = w.Write([]byte(`{"servers":[{"id":1,"name":"s"}],"meta":{"pagination":{"page":1,"per_page":25,"total_entries":1}}}`))
				case code == 200 && call == "metadata.Hostname":
					_, _ = w.Write([]byte(`probe-host`))
				case code == 200:
					_, _ = w.Write([]byte(`{"server":{"id":1,"name":"s"}}`))
				case errCode != "":
					w.WriteHeader(code)
					_, _ = w.Write([]byte(`{"error":{"code":"` + errCode + `","message":"probe"}}`))
				default:
					w.WriteHeader(code)
				}
			}))
			hc := &http.Client{Transport: counting{fail: min(code, 0), n: &n}}
			var err error
			switch call {
			case "metadata.Hostname":
				_, err = metadata.NewClient(metadata.WithEndpoint(srv.URL), metadata.WithHTTPClient(hc)).HostnameWithContext(context.Background())
			default:
				c := hcloud.NewClient(hcloud.WithToken("probe"), hcloud.WithEndpoint(srv.URL), hcloud.WithHTTPClient(hc),
					hcloud.WithRetryOpts(hcloud.RetryOpts{BackoffFunc: hcloud.ConstantBackoff(0), MaxRetries: 2}))
				switch call {
				case "Server.GetByID":
					_, _, err = c.Server.GetByID(context.Background(), 1)
				case "Server.GetByName":
					_, _, err = c.Server.GetByName(context.Background(), "s")
				case "SSHKey.Create":
					_, _, err = c.SSHKey.Create(context.Background(), hcloud.SSHKeyCreateOpts{Name: "k", PublicKey: "ssh-ed25519 AAAA"})
				}
			}
			srv.Close()
			t.Logf("PROBE hcloud %s status=%s requests=%d err=%v", call, status, n.Load(), err != nil)
		}
	}
}
