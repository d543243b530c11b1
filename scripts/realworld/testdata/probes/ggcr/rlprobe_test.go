// Package rlprobe is a probe of the real-world sweep (scripts/real-world.sh)
// at the module's root, which has no package of its own: it counts the
// requests one registry call makes for each response status, before and
// after resilience-lint -fix (status -1: a refused connection). The retries
// of go-containerregistry live in another package than the calls: every
// client of pkg/v1/remote sends through transport.NewRetry's RoundTripper
// (pkg/v1/remote/transport, built from internal/retry), which retries 408,
// 429, 5xx and temporary errors (3 attempts, here without delay). A retry
// wrapped around those calls would multiply the requests. The counts
// include the registry ping (GET /v2/) each client makes first. It asserts
// nothing: the sweep compares the PROBE lines of the two runs.
package rlprobe

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
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
	fast := remote.Backoff{Duration: time.Millisecond, Factor: 1, Steps: 3}
	for _, status := range []int{200, 400, 404, 429, 500, 503, -1} {
		for _, call := range []string{"Delete", "Head", "Get", "Image.RawConfigFile"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/v2/" {
					w.WriteHeader(http.StatusOK)
					return
				}
				if status == 200 && strings.Contains(r.URL.Path, "/manifests/") {
					w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
					w.WriteHeader(http.StatusOK)
					if r.Method == http.MethodGet {
						_, _ = w.Write([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",` +
							`"config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,` +
							`"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[]}`))
					}
					return
				}
				// The error codes a registry sends with each status: the
				// client's transport.Error is Temporary() for UNKNOWN,
				// TOOMANYREQUESTS and UNAVAILABLE, not for these 4xx codes.
				code := map[int]string{400: "MANIFEST_INVALID", 404: "MANIFEST_UNKNOWN", 429: "TOOMANYREQUESTS", 503: "UNAVAILABLE"}[status]
				if code == "" {
					code = "UNKNOWN"
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(`{"errors":[{"code":"` + code + `","message":"probe"}]}`))
			}))
			ref, err := name.ParseReference(strings.TrimPrefix(srv.URL, "http://")+"/probe/img:latest", name.Insecure)
			if err != nil {
				t.Fatal(err)
			}
			opts := []remote.Option{
				remote.WithTransport(counting{refuse: status < 0, n: &n}),
				remote.WithRetryBackoff(fast),
				remote.WithContext(context.Background()),
			}
			switch call {
			case "Delete":
				err = remote.Delete(ref, opts...)
			case "Head":
				_, err = remote.Head(ref, opts...)
			case "Get":
				_, err = remote.Get(ref, opts...)
			case "Image.RawConfigFile":
				img, ierr := remote.Image(ref, opts...)
				if err = ierr; err == nil {
					_, err = img.RawConfigFile()
				}
			}
			srv.Close()
			t.Logf("PROBE ggcr %s status=%d requests=%d err=%v", call, status, n.Load(), err != nil)
		}
	}
}
