package store_test

// A probe of the real-world sweep: counts the requests one call of the
// hand-written S3 wrapper (store.go) makes for each kind of failure,
// before and after resilience-lint -fix, and what the fake server holds
// afterwards. aws-sdk-go-v2 retries every operation in its middleware
// stack (aws/retry: the standard retryer, 3 attempts on 500, 502, 503,
// 504, throttling error codes such as SlowDown, and transport errors);
// here it retries without waiting (a no-op backoff, no retry token
// bucket). The transfer manager's Uploader sends a small body as one
// PutObject and a large one as a multipart upload (CreateMultipartUpload,
// one UploadPart per PartSize bytes, CompleteMultipartUpload, and
// AbortMultipartUpload when a part fails), each request through the
// client's retry. A retry wrapped around the wrapper's methods would
// multiply those requests; a Put retried after its io.Reader was read
// would upload what is left of it (an empty object, reported as a
// success); a List retried after page 2 failed would fetch page 1 again.
// With RW_NORETRY set the clients are built with aws.NopRetryer (one
// attempt per request), for a configuration that excludes the SDK's
// retry (exclude-retry-funcs). It asserts nothing: the sweep compares the
// PROBE lines of the two runs.
//
// Failures: "ok", "400" (InvalidArgument), "404" (NoSuchKey), "500"
// (InternalError), "503" (ServiceUnavailable), "slowdown" (503 SlowDown,
// S3's throttling code), "429" (no body), "refused" (the HTTP client
// fails as a refused connection, without sending). A failure applies to
// every request, or (failOp) to one operation only, and (times) to its
// first requests only: "500x3" fails the first 3 and then succeeds, so
// that the SDK's 3 attempts fail and a further attempt would succeed,
// "500x1" fails the first only.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"example.com/store"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const bucket = "probe"

// fakeS3 is a path-style S3 server keeping objects and multipart uploads
// in memory, counting the requests per operation, and failing the
// requests a scenario selects.
type fakeS3 struct {
	mu        sync.Mutex
	failure   string // "" or "ok": no failure
	failOp    string // the operation that fails ("part2": UploadPart of part 2; "list2": the second page); "": every one
	times     int    // fail the first times matching requests; 0: all
	matched   int
	ops       map[string]int
	objects   map[string][]byte
	parts     map[string]map[int][]byte // upload id -> part number -> content
	nextID    int
	listPages [][]string
}

func newFake(failure, failOp string, times int) *fakeS3 {
	return &fakeS3{
		failure: failure, failOp: failOp, times: times,
		ops:       map[string]int{},
		objects:   map[string][]byte{"k/present": []byte("stored content")},
		parts:     map[string]map[int][]byte{},
		listPages: [][]string{{"k/1", "k/2"}, {"k/3", "k/4"}, {"k/5", "k/6"}},
	}
}

// op names the S3 operation of r.
func op(r *http.Request) string {
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodPut && q.Has("partNumber"):
		return "part" + q.Get("partNumber")
	case r.Method == http.MethodPut:
		return "put"
	case r.Method == http.MethodPost && q.Has("uploads"):
		return "create"
	case r.Method == http.MethodPost && q.Has("uploadId"):
		return "complete"
	case r.Method == http.MethodDelete && q.Has("uploadId"):
		return "abort"
	case r.Method == http.MethodDelete:
		return "delete"
	case r.Method == http.MethodGet && q.Get("list-type") == "2":
		if t := q.Get("continuation-token"); t != "" {
			return "list" + strings.TrimPrefix(t, "page")
		}
		return "list1"
	case r.Method == http.MethodGet:
		return "get"
	}
	return r.Method
}

func (f *fakeS3) fails(o string) string {
	if f.failure == "" || f.failure == "ok" {
		return ""
	}
	if f.failOp != "" && f.failOp != o {
		return ""
	}
	f.matched++
	if f.times > 0 && f.matched > f.times {
		return ""
	}
	return f.failure
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	o := op(r)
	f.ops[strings.TrimRight(o, "0123456789")]++
	apiErr := func(status int, code string) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>probe</Message><RequestId>r1</RequestId></Error>`, code)
	}
	switch f.fails(o) {
	case "400":
		apiErr(400, "InvalidArgument")
		return
	case "404":
		apiErr(404, "NoSuchKey")
		return
	case "500":
		apiErr(500, "InternalError")
		return
	case "503":
		apiErr(503, "ServiceUnavailable")
		return
	case "slowdown":
		apiErr(503, "SlowDown")
		return
	case "429":
		w.WriteHeader(429)
		return
	}
	key := strings.TrimPrefix(r.URL.Path, "/"+bucket+"/")
	q := r.URL.Query()
	xml := func(s string) {
		w.Header().Set("Content-Type", "application/xml")
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+s)
	}
	switch {
	case o == "put":
		f.objects[key] = body
		w.Header().Set("ETag", `"e"`)
	case strings.HasPrefix(o, "part"):
		n, _ := strconv.Atoi(q.Get("partNumber"))
		if f.parts[q.Get("uploadId")] == nil {
			apiErr(404, "NoSuchUpload")
			return
		}
		f.parts[q.Get("uploadId")][n] = body
		w.Header().Set("ETag", fmt.Sprintf(`"p%d"`, n))
	case o == "create":
		f.nextID++
		id := fmt.Sprintf("u%d", f.nextID)
		f.parts[id] = map[int][]byte{}
		xml(`<InitiateMultipartUploadResult><Bucket>` + bucket + `</Bucket><Key>` + key + `</Key><UploadId>` + id + `</UploadId></InitiateMultipartUploadResult>`)
	case o == "complete":
		parts := f.parts[q.Get("uploadId")]
		var nums []int
		for n := range parts {
			nums = append(nums, n)
		}
		sort.Ints(nums)
		var obj []byte
		for _, n := range nums {
			obj = append(obj, parts[n]...)
		}
		f.objects[key] = obj
		delete(f.parts, q.Get("uploadId"))
		xml(`<CompleteMultipartUploadResult><Location>http://` + r.Host + `/` + bucket + `/` + key + `</Location><Bucket>` + bucket + `</Bucket><Key>` + key + `</Key><ETag>"m"</ETag></CompleteMultipartUploadResult>`)
	case o == "abort":
		delete(f.parts, q.Get("uploadId"))
		w.WriteHeader(204)
	case o == "delete":
		delete(f.objects, key)
		w.WriteHeader(204)
	case strings.HasPrefix(o, "list"):
		page, _ := strconv.Atoi(strings.TrimPrefix(o, "list"))
		keys := f.listPages[page-1]
		var b strings.Builder
		fmt.Fprintf(&b, `<ListBucketResult><Name>%s</Name><Prefix>k/</Prefix><KeyCount>%d</KeyCount><MaxKeys>2</MaxKeys>`, bucket, len(keys))
		if page < len(f.listPages) {
			fmt.Fprintf(&b, `<IsTruncated>true</IsTruncated><NextContinuationToken>page%d</NextContinuationToken>`, page+1)
		} else {
			b.WriteString(`<IsTruncated>false</IsTruncated>`)
		}
		for _, k := range keys {
			fmt.Fprintf(&b, `<Contents><Key>%s</Key><Size>1</Size></Contents>`, k)
		}
		b.WriteString(`</ListBucketResult>`)
		xml(b.String())
	case o == "get":
		obj, ok := f.objects[key]
		if !ok {
			apiErr(404, "NoSuchKey")
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(obj)))
		_, _ = w.Write(obj)
	}
}

// summary spells the requests per operation ("create:1 part:4 abort:1"),
// the object key's size on the server ("none" when absent) and the
// multipart uploads left open.
func (f *fakeS3) summary(key string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var names []string
	for o := range f.ops {
		names = append(names, o)
	}
	slices.Sort(names)
	var ops []string
	for _, o := range names {
		ops = append(ops, fmt.Sprintf("%s:%d", o, f.ops[o]))
	}
	if len(ops) == 0 {
		ops = []string{"none"}
	}
	obj := "none"
	if b, ok := f.objects[key]; ok {
		obj = strconv.Itoa(len(b))
	}
	return fmt.Sprintf("ops=%s object=%s open=%d", strings.Join(ops, ","), obj, len(f.parts))
}

// counting counts the requests; with refuse set it fails each as a
// refused connection instead of sending it.
type counting struct {
	refuse bool
	mu     *sync.Mutex
	n      *int
}

func (c counting) Do(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	*c.n++
	c.mu.Unlock()
	if c.refuse {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return http.DefaultClient.Do(req)
}

// stream is the caller's io.Reader, not an io.Seeker (a request body, a
// pipe); read counts the bytes taken from it.
type stream struct {
	r    io.Reader
	read int
}

func (s *stream) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.read += n
	return n, err
}

func TestRLProbeRequestsPerFailure(t *testing.T) {
	small := []byte("hello probe")
	large := bytes.Repeat([]byte("0123456789abcdef"), 12<<20/16) // 12 MiB: 3 parts of 5 MiB
	type scenario struct {
		call, failure, failOp string
		times                 int
	}
	var scenarios []scenario
	for _, failure := range []string{"ok", "400", "404", "500", "503", "slowdown", "429", "refused"} {
		for _, call := range []string{"Store.Put", "Store.PutBytes", "Store.Get", "Store.Delete", "Store.List"} {
			scenarios = append(scenarios, scenario{call: call, failure: failure})
		}
	}
	for _, call := range []string{"Store.Put/large", "Store.PutBytes/large"} {
		for _, failure := range []string{"ok", "400", "500"} {
			scenarios = append(scenarios, scenario{call: call, failure: failure, failOp: "part2"})
		}
		scenarios = append(scenarios, scenario{call: call, failure: "500", failOp: "part2", times: 1})
		scenarios = append(scenarios, scenario{call: call, failure: "500", failOp: "part2", times: 3})
	}
	for _, call := range []string{"Store.Put", "Store.PutBytes", "Store.Get", "Store.List"} {
		failOp := ""
		if call == "Store.List" {
			failOp = "list2"
		}
		scenarios = append(scenarios, scenario{call: call, failure: "500", failOp: failOp, times: 1})
		scenarios = append(scenarios, scenario{call: call, failure: "500", failOp: failOp, times: 3})
		scenarios = append(scenarios, scenario{call: call, failure: "slowdown", failOp: failOp, times: 3})
	}
	for _, sc := range scenarios {
		fake := newFake(sc.failure, sc.failOp, sc.times)
		srv := httptest.NewServer(fake)
		var mu sync.Mutex
		var n int
		var retryer func() aws.Retryer = func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
				o.RateLimiter = ratelimit.None
			})
		}
		if os.Getenv("RW_NORETRY") != "" {
			retryer = func() aws.Retryer { return aws.NopRetryer{} }
		}
		client := s3.New(s3.Options{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(srv.URL),
			UsePathStyle: true,
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET", Source: "probe"}, nil
			}),
			HTTPClient: counting{refuse: sc.failure == "refused", mu: &mu, n: &n},
			Retryer:    retryer(),
		})
		st := &store.Store{
			Client: client,
			Uploader: manager.NewUploader(client, func(u *manager.Uploader) {
				u.PartSize = manager.MinUploadPartSize
				u.Concurrency = 1
			}),
			Bucket: bucket,
		}
		ctx := context.Background()
		var err error
		var detail string
		key := "k/new"
		switch sc.call {
		case "Store.Put", "Store.Put/large":
			data := small
			if sc.call == "Store.Put/large" {
				data = large
			}
			s := &stream{r: bytes.NewReader(data)}
			err = st.Put(ctx, key, s)
			detail = fmt.Sprintf(" read=%d", s.read)
		case "Store.PutBytes", "Store.PutBytes/large":
			data := small
			if sc.call == "Store.PutBytes/large" {
				data = large
			}
			err = st.PutBytes(ctx, key, data)
		case "Store.Get":
			key = "k/present"
			var b []byte
			b, err = st.Get(ctx, key)
			detail = fmt.Sprintf(" got=%d", len(b))
		case "Store.Delete":
			key = "k/present"
			err = st.Delete(ctx, key)
		case "Store.List":
			var keys []string
			keys, err = st.List(ctx, "k/")
			detail = fmt.Sprintf(" keys=%d", len(keys))
		}
		srv.Close()
		if sc.failure == "ok" && err != nil {
			t.Logf("probe call failed on success: %v", err)
		}
		failure := sc.failure
		if sc.failOp != "" {
			failure += "@" + sc.failOp
		}
		if sc.times > 0 {
			failure += "x" + strconv.Itoa(sc.times)
		}
		t.Logf("PROBE s3wrap %s failure=%s requests=%d err=%v%s %s", sc.call, failure, n, err != nil, detail, fake.summary(key))
	}
}
