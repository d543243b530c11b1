package blob_test

// A probe of the real-world sweep: counts the requests one call of the
// wrapper (store.go) makes for each kind of failure, before and after
// resilience-lint -fix. cloud.google.com/go/storage retries an
// idempotent operation itself (its run loop: 408, 429, 5xx, refused and
// reset connections; here 3 attempts without waiting) and sends a
// non-idempotent one (an upload or a delete without preconditions) once.
// A retry wrapped around a Store method would multiply the SDK's
// requests, re-list the pages already read, or upload again from a
// reader the first attempt consumed. It asserts nothing: the sweep
// compares the PROBE lines of the two runs.
//
// Failures: "ok" (200), "400", "404", "429", "500", "503", "refused" (the
// HTTP client fails as a refused connection, without sending), "503once"
// (the call's first request fails with 503, the others succeed: stored=
// says how many bytes the last upload carried, of 11), "page2" (the
// listing's second page fails with 500, its first succeeds), "page2refused"
// (the same with a refused connection).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"example.com/blob"
	gax "github.com/googleapis/gax-go/v2"
	"google.golang.org/api/option"
)

const payload = "hello probe"

// counting counts the requests of one call; it fails those refuse
// selects as a refused connection instead of sending them.
type counting struct {
	refuse func(*http.Request) bool
	n      *atomic.Int64
}

func (c counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	if c.refuse(req) {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return http.DefaultTransport.RoundTrip(req)
}

// server answers the JSON and XML APIs for bucket "bkt" as far as the
// wrapper needs them, failing as failure says.
type server struct {
	failure string
	mu      sync.Mutex
	n       int    // requests seen
	stored  []byte // the media of the last upload
	uploads int
}

func objectJSON(name string, size int) map[string]any {
	return map[string]any{"kind": "storage#object", "bucket": "bkt", "name": name, "size": strconv.Itoa(size), "generation": "1", "metageneration": "1"}
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.n++
	first := s.n == 1
	s.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	fail := func(code int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = fmt.Fprintf(w, `{"error":{"code":%d,"message":"probe","errors":[{"reason":"probe","message":"probe"}]}}`, code)
	}
	switch s.failure {
	case "400", "404", "429", "500", "503":
		code, _ := strconv.Atoi(s.failure)
		fail(code)
		return
	case "503once":
		if first {
			fail(503)
			return
		}
	case "page2":
		if r.URL.Query().Get("pageToken") != "" {
			fail(500)
			return
		}
	}
	reply := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/upload/"):
		s.mu.Lock()
		s.uploads++
		s.stored = media(r.Header.Get("Content-Type"), body)
		n := len(s.stored)
		s.mu.Unlock()
		reply(objectJSON(r.URL.Query().Get("name"), n))
	case strings.Contains(p, "/rewriteTo/"):
		reply(map[string]any{"kind": "storage#rewriteResponse", "done": true, "totalBytesRewritten": "11", "objectSize": "11", "resource": objectJSON("dst", len(payload))})
	case strings.HasSuffix(p, "/b/bkt/o"):
		page := map[string]any{"kind": "storage#objects", "items": []any{objectJSON("a", 1)}}
		if r.URL.Query().Get("pageToken") == "" {
			page["nextPageToken"] = "p2"
		} else {
			page["items"] = []any{objectJSON("b", 1)}
		}
		reply(page)
	case strings.Contains(p, "/b/bkt/o/"):
		switch r.Method {
		case http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		case http.MethodGet:
			if r.URL.Query().Get("alt") == "media" {
				w.Header().Set("X-Goog-Generation", "1")
				_, _ = io.WriteString(w, payload)
				return
			}
			reply(objectJSON("x", len(payload)))
		default:
			reply(objectJSON("x", len(payload)))
		}
	case strings.HasPrefix(p, "/bkt/"): // an XML API read
		w.Header().Set("X-Goog-Generation", "1")
		w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
		_, _ = io.WriteString(w, payload)
	default:
		fail(418)
	}
}

// media returns the second part of a multipart/related upload, or the
// whole body of another.
func media(contentType string, body []byte) []byte {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return body
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var last []byte
	for {
		part, err := mr.NextPart()
		if err != nil {
			return last
		}
		last, _ = io.ReadAll(part)
	}
}

// threeUploadAttempts returns the retry predicate of one client: the
// SDK's own (storage.ShouldRetry), which run's loop bounds by
// WithMaxAttempts; an upload's retries (google.golang.org/api's media
// upload, called with no RetryContext, in a goroutine of the Writer's
// own) honour only a deadline (ChunkRetryDeadline, 32 s), so there the
// predicate stops after the third attempt of each Writer (counted per
// goroutine: each Writer uploads from a new one).
func threeUploadAttempts() func(error, *storage.RetryContext) bool {
	var mu sync.Mutex
	attempts := map[string]int{}
	return func(err error, rc *storage.RetryContext) bool {
		if rc != nil {
			return storage.ShouldRetry(err)
		}
		buf := make([]byte, 64)
		buf = buf[:runtime.Stack(buf, false)]
		id, _, _ := strings.Cut(string(buf), " [")
		mu.Lock()
		defer mu.Unlock()
		attempts[id]++
		return attempts[id] < 3 && storage.ShouldRetry(err)
	}
}

func TestRLProbeRequestsPerFailure(t *testing.T) {
	calls := []string{"Store.Put", "Store.Create", "Store.Get", "Store.Size", "Store.Delete", "Store.List", "Store.Label", "Store.Copy"}
	for _, failure := range []string{"ok", "400", "404", "429", "500", "503", "refused", "503once", "page2", "page2refused"} {
		for _, call := range calls {
			if strings.HasPrefix(failure, "page2") && call != "Store.List" {
				continue
			}
			var n atomic.Int64
			srv := &server{failure: failure}
			ts := httptest.NewServer(srv)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			client, err := storage.NewClient(ctx,
				option.WithEndpoint(ts.URL+"/storage/v1/"),
				option.WithoutAuthentication(),
				option.WithHTTPClient(&http.Client{Transport: counting{refuse: func(r *http.Request) bool {
					return failure == "refused" || failure == "page2refused" && r.URL.Query().Get("pageToken") != ""
				}, n: &n}}))
			if err != nil {
				t.Fatal(err)
			}
			client.SetRetry(storage.WithMaxAttempts(3), storage.WithBackoff(gax.Backoff{Initial: time.Microsecond, Max: time.Microsecond}),
				storage.WithErrorFuncWithContext(threeUploadAttempts()))
			s := &blob.Store{Client: client, Bucket: "bkt"}
			var detail string
			switch call {
			case "Store.Put":
				err = s.Put(ctx, "obj", strings.NewReader(payload))
			case "Store.Create":
				err = s.Create(ctx, "obj", strings.NewReader(payload))
			case "Store.Get":
				var b []byte
				b, err = s.Get(ctx, "obj")
				detail = fmt.Sprintf(" read=%d", len(b))
			case "Store.Size":
				_, err = s.Size(ctx, "obj")
			case "Store.Delete":
				err = s.Delete(ctx, "obj")
			case "Store.List":
				var names []string
				names, err = s.List(ctx, "")
				detail = fmt.Sprintf(" names=%d", len(names))
			case "Store.Label":
				err = s.Label(ctx, "obj", "k", "v")
			case "Store.Copy":
				err = s.Copy(ctx, "obj", "dst")
			}
			if call == "Store.Put" || call == "Store.Create" {
				srv.mu.Lock()
				detail = fmt.Sprintf(" uploads=%d stored=%d", srv.uploads, len(srv.stored))
				srv.mu.Unlock()
			}
			cancel()
			_ = client.Close()
			ts.Close()
			if failure == "ok" && err != nil {
				t.Logf("probe call %s failed on success: %v", call, err)
			}
			t.Logf("PROBE gcswrap %s failure=%s requests=%d err=%v%s", call, failure, n.Load(), err != nil, detail)
		}
	}
}
