package blobstore

// The probe of the azblobwrap sweep (run.sh): a fake Blob service that
// counts the requests of each kind and answers the first n of one kind
// with a status, before and after resilience-lint -fix. azcore's retry
// policy (MaxRetries 3 here, delays of a millisecond) retries 408, 429,
// 500, 502, 503 and 504 itself: a wrapper's retry around it multiplies
// its requests. It asserts nothing: run.sh compares the PROBE lines.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
)

// fakeBlob is an in-memory Blob service with one container, "c".
type fakeBlob struct {
	mu       sync.Mutex
	requests map[string]int
	blobs    map[string][]byte
	blocks   map[string][]byte
	failKind string
	failN    int
	status   int
	failed   int
}

func kind(r *http.Request) string {
	q := r.URL.Query()
	switch {
	case q.Get("comp") == "list":
		if q.Get("marker") != "" {
			return "list2"
		}
		return "list1"
	case q.Get("comp") == "block":
		return "block"
	case q.Get("comp") == "blocklist":
		return "commit"
	case r.Method == http.MethodPut:
		return "put"
	case r.Method == http.MethodGet:
		return "get"
	case r.Method == http.MethodDelete:
		return "delete"
	}
	return "other"
}

func (f *fakeBlob) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := kind(r)
	f.requests[k]++
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("x-ms-version", "2025-11-05")
	w.Header().Set("x-ms-request-id", "probe")
	if k == f.failKind && f.failed < f.failN {
		f.failed++
		w.Header().Set("x-ms-error-code", "ServerBusy")
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(f.status)
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>probe</Message></Error>`))
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/c/")
	switch k {
	case "list1", "list2":
		names := []string{"a", "b", "c"}
		next := "<NextMarker>m2</NextMarker>"
		if k == "list2" {
			names = []string{"d", "e", "f"}
			next = "<NextMarker/>"
		}
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://x/" ContainerName="c"><Blobs>`)
		for _, n := range names {
			fmt.Fprintf(&b, `<Blob><Name>%s</Name><Properties><Content-Length>1</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>`, n)
		}
		b.WriteString(`</Blobs>` + next + `</EnumerationResults>`)
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write([]byte(b.String()))
	case "block":
		f.blocks[r.URL.Query().Get("blockid")] = body
		w.WriteHeader(http.StatusCreated)
	case "commit":
		var all []byte
		ids := make([]string, 0, len(f.blocks))
		for id := range f.blocks {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			all = append(all, f.blocks[id]...)
		}
		f.blobs[name] = all
		w.Header().Set("ETag", `"0x1"`)
		w.WriteHeader(http.StatusCreated)
	case "put":
		f.blobs[name] = body
		w.Header().Set("ETag", `"0x1"`)
		w.WriteHeader(http.StatusCreated)
	case "get":
		b, ok := f.blobs[name]
		if !ok {
			w.Header().Set("x-ms-error-code", "BlobNotFound")
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(b)))
		w.Header().Set("ETag", `"0x1"`)
		w.Header().Set("x-ms-blob-type", "BlockBlob")
		_, _ = w.Write(b)
	case "delete":
		delete(f.blobs, name)
		w.WriteHeader(http.StatusAccepted)
	default:
		w.WriteHeader(http.StatusBadRequest)
	}
}

// nonSeekable hides bytes.Reader's Seek: a stream the caller opened.
type nonSeekable struct{ r io.Reader }

func (n nonSeekable) Read(p []byte) (int, error) { return n.r.Read(p) }

func TestProbe(t *testing.T) {
	cases := []struct {
		call, kind string
		n, status  int
	}{
		{"List", "", 0, 0},
		{"List", "list2", 1, 503},
		{"List", "list2", 100, 503},
		{"List", "list1", 100, 500},
		{"List", "list1", 100, 404},
		{"Delete", "delete", 100, 503},
		{"Get", "get", 100, 503},
		{"Get", "get", 100, 404},
		{"PutBytes", "put", 100, 503},
		{"PutOnce", "put", 100, 503},
		{"Put", "put", 100, 503},
		{"Put", "put", 1, 503},
	}
	for _, tc := range cases {
		f := &fakeBlob{requests: map[string]int{}, blobs: map[string][]byte{"x": []byte("hello")}, blocks: map[string][]byte{}, failKind: tc.kind, failN: tc.n, status: tc.status}
		srv := httptest.NewServer(f)
		cli, err := azblob.NewClientWithNoCredential(srv.URL+"/", &azblob.ClientOptions{ClientOptions: azcore.ClientOptions{
			Retry:     policy.RetryOptions{MaxRetries: 3, RetryDelay: time.Millisecond, MaxRetryDelay: time.Millisecond},
			Transport: srv.Client(),
		}})
		if err != nil {
			t.Fatal(err)
		}
		s := &Store{Client: cli, Container: "c"}
		ctx := context.Background()
		var res string
		payload := bytes.Repeat([]byte("y"), 1000)
		switch tc.call {
		case "List":
			var names []string
			names, err = s.List(ctx, "")
			res = strings.Join(names, ",")
		case "Delete":
			err = s.Delete(ctx, "x")
		case "Get":
			var b []byte
			b, err = s.Get(ctx, "x")
			res = string(b)
		case "PutBytes":
			err = s.PutBytes(ctx, "p", payload)
		case "PutOnce":
			err = s.PutOnce(ctx, "p", payload)
		case "Put":
			err = s.Put(ctx, "p", nonSeekable{bytes.NewReader(payload)})
		}
		f.mu.Lock()
		var reqs []string
		for _, k := range []string{"list1", "list2", "get", "put", "block", "commit", "delete"} {
			if f.requests[k] > 0 {
				reqs = append(reqs, fmt.Sprintf("%s=%d", k, f.requests[k]))
			}
		}
		status := "nil"
		if err != nil {
			status = "error"
			var re *azcore.ResponseError
			if ok := asResponseError(err, &re); ok {
				status = fmt.Sprint(re.StatusCode)
			}
		}
		fmt.Printf("PROBE %s %s x%d %d: requests %s; result %q; blob p %d bytes; err %s\n",
			tc.call, tc.kind, tc.n, tc.status, strings.Join(reqs, " "), res, len(f.blobs["p"]), status)
		f.mu.Unlock()
		srv.Close()
	}
}
