package docs_test

// A probe of the real-world sweep: counts what one call of the wrapper
// (library.go, metrics.go) sends per failure, and what it repeated, before
// and after resilience-lint -fix. It asserts nothing: the sweep compares
// the PROBE lines of the two runs.
//
// Drive (an httptest server; google.golang.org/api's generated REST
// client sends each request once): "ok"; "400", "403" (a rate limit,
// reason userRateLimitExceeded, which Drive's guide says to retry),
// "403daily" (reason dailyLimitExceeded, not to retry),
// "404", "429", "500", "503" (every request); "503once" (the first
// request fails, the others succeed); "applied503" (the first request is
// applied, then answered 503); "page2" (the listing's second page fails
// with 500), "page2once" (the second page fails once); "second503once"
// (the call's second request fails with 503 once); "cutonce" (the first
// media download's body is cut after 5 of its 11 bytes); "closedonce"
// (the server closes the first request's connection without answering,
// after reading it: nothing applied). files= counts the
// files the server holds after the call, stored= the bytes of the last
// upload (of 11), pages= the list requests, names=/seen=/listed= what the
// caller got.
//
// Monitoring (an in-process gRPC server over bufconn; the gapic client
// retries List and Get on Unavailable through gax, not Create): "ok",
// "unavailable-once", "applied-unavailable" (CreateTimeSeries stores the
// points, then answers Unavailable), "invalid", "page2-unavailable-once".
//
// transient= is runtime/recovery's default classifier on the error the
// call returned (a *googleapi.Error for Drive, gax's *apierror.APIError
// over a gRPC status for Monitoring).

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
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	monitoring "cloud.google.com/go/monitoring/apiv3/v2"
	"cloud.google.com/go/monitoring/apiv3/v2/monitoringpb"
	"example.com/docs"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
	"google.golang.org/api/drive/v3"
	"google.golang.org/api/option"
	metricpb "google.golang.org/genproto/googleapis/api/metric"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/types/known/emptypb"
)

const payload = "hello probe"

type driveServer struct {
	failure string
	mu      sync.Mutex
	n       int // requests
	pages   int // list requests
	page2   int // second-page requests
	files   map[string]string
	deleted map[string]bool
	perms   int
	stored  int
}

func (s *driveServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	body, _ := io.ReadAll(r.Body)
	fail := func(code int, reason string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = fmt.Fprintf(w, `{"error":{"code":%d,"message":"probe","errors":[{"reason":%q,"message":"probe"}]}}`, code, reason)
	}
	list := r.Method == http.MethodGet && (strings.HasSuffix(r.URL.Path, "/files") || strings.HasSuffix(r.URL.Path, "/changes"))
	second := r.URL.Query().Get("pageToken") == "p2"
	if list {
		s.pages++
		if second {
			s.page2++
		}
	}
	switch s.failure {
	case "400", "404", "429", "500", "503":
		code, _ := strconv.Atoi(s.failure)
		fail(code, "probe")
		return
	case "403":
		fail(403, "userRateLimitExceeded")
		return
	case "403daily":
		fail(403, "dailyLimitExceeded")
		return
	case "503once":
		if s.n == 1 {
			fail(503, "backendError")
			return
		}
	case "closedonce":
		if s.n == 1 {
			panic(http.ErrAbortHandler)
		}
	case "page2":
		if list && second {
			fail(500, "backendError")
			return
		}
	case "page2once":
		if list && second && s.page2 == 1 {
			fail(500, "backendError")
			return
		}
	case "second503once":
		if s.n == 2 {
			fail(503, "backendError")
			return
		}
	}
	reply := func(v any) {
		if s.failure == "applied503" && s.n == 1 {
			fail(503, "backendError")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	p := r.URL.Path
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/files"):
		meta, media := parts(r.Header.Get("Content-Type"), body)
		var f drive.File
		_ = json.Unmarshal(meta, &f)
		id := fmt.Sprint("f", len(s.files)+1)
		s.files[id] = f.Name
		if strings.HasPrefix(p, "/upload/") {
			s.stored = len(media)
		}
		reply(map[string]any{"id": id, "name": f.Name})
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/permissions"):
		s.perms++
		reply(map[string]any{"id": fmt.Sprint("perm", s.perms)})
	case list && strings.HasSuffix(p, "/changes"):
		page := map[string]any{"changes": []any{map[string]any{"fileId": "a"}}, "nextPageToken": "p2"}
		if second {
			page = map[string]any{"changes": []any{map[string]any{"fileId": "b"}}, "newStartPageToken": "p3"}
		}
		reply(page)
	case list:
		page := map[string]any{"files": []any{map[string]any{"id": "a", "name": "a"}}, "nextPageToken": "p2"}
		if second {
			page = map[string]any{"files": []any{map[string]any{"id": "b", "name": "b"}}}
		}
		reply(page)
	case r.Method == http.MethodGet && (r.URL.Query().Get("alt") == "media" || strings.HasSuffix(p, "/export")):
		if s.failure == "applied503" && s.n == 1 {
			fail(503, "backendError")
			return
		}
		if s.failure == "cutonce" && s.n == 1 {
			w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
			_, _ = io.WriteString(w, payload[:5])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		_, _ = io.WriteString(w, payload)
	case r.Method == http.MethodGet, r.Method == http.MethodPatch:
		reply(map[string]any{"id": "x", "name": "x"})
	case r.Method == http.MethodDelete:
		id := p[strings.LastIndex(p, "/")+1:]
		if s.deleted[id] {
			fail(404, "notFound")
			return
		}
		s.deleted[id] = true
		if s.failure == "applied503" && s.n == 1 {
			fail(503, "backendError")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		fail(418, "probe")
	}
}

// parts returns the metadata and the media of a multipart/related upload
// (or the body and nothing of another request).
func parts(contentType string, body []byte) (meta, media []byte) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return body, nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if err != nil {
			return meta, media
		}
		b, _ := io.ReadAll(part)
		if i == 0 {
			meta = b
		} else {
			media = b
		}
	}
}

func TestRLProbeDrive(t *testing.T) {
	calls := []string{"Upload", "Mkdir", "Get", "Download", "Export", "Rename", "Trash", "Share", "Names", "Each", "Count", "IDs", "Changes.Sync"}
	for _, failure := range []string{"ok", "400", "403", "403daily", "404", "429", "500", "503", "503once", "applied503", "page2", "page2once", "second503once", "cutonce", "closedonce"} {
		for _, call := range calls {
			listing := call == "Names" || call == "Each" || call == "Count" || call == "IDs" || call == "Changes.Sync"
			if strings.HasPrefix(failure, "page2") && !listing || failure == "second503once" && call != "Share" ||
				failure == "cutonce" && call != "Download" && call != "Export" {
				continue
			}
			srv := &driveServer{failure: failure, files: map[string]string{}, deleted: map[string]bool{}}
			ts := httptest.NewServer(srv)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			svc, err := drive.NewService(ctx, option.WithEndpoint(ts.URL+"/drive/v3/"), option.WithoutAuthentication(), option.WithHTTPClient(ts.Client()))
			if err != nil {
				t.Fatal(err)
			}
			l := &docs.Library{Svc: svc}
			var detail string
			switch call {
			case "Upload":
				_, err = l.Upload(ctx, "doc", strings.NewReader(payload))
			case "Mkdir":
				_, err = l.Mkdir(ctx, "dir")
			case "Get":
				_, err = l.Get(ctx, "x")
			case "Download":
				var b []byte
				b, err = l.Download(ctx, "x")
				detail = fmt.Sprintf(" read=%d", len(b))
			case "Export":
				var b []byte
				b, err = l.Export(ctx, "x")
				detail = fmt.Sprintf(" read=%d", len(b))
			case "Share":
				var link string
				link, err = l.Share(ctx, "x", "a@example.com")
				_ = link
			case "IDs":
				var ids []string
				ids, err = l.IDs(ctx)
				detail = fmt.Sprintf(" ids=%d", len(ids))
			case "Changes.Sync":
				c := &docs.Changes{Svc: svc, Token: "p1"}
				err = c.Sync(ctx)
				detail = fmt.Sprintf(" applied=%d token=%q", c.Applied, c.Token)
			case "Rename":
				err = l.Rename(ctx, "x", "y")
			case "Trash":
				err = l.Trash(ctx, "x")
			case "Names":
				var names []string
				names, err = l.Names(ctx, "")
				detail = fmt.Sprintf(" names=%d", len(names))
			case "Each":
				seen := 0
				err = l.Each(ctx, "", func(string) error { seen++; return nil })
				detail = fmt.Sprintf(" seen=%d", seen)
			case "Count":
				err = l.Count(ctx, "")
				detail = fmt.Sprintf(" listed=%d", l.Listed)
			}
			cancel()
			ts.Close()
			srv.mu.Lock()
			if call == "Upload" || call == "Mkdir" {
				detail = fmt.Sprintf(" files=%d stored=%d", len(srv.files), srv.stored)
			}
			if listing {
				detail += fmt.Sprintf(" pages=%d", srv.pages)
			}
			if call == "Share" {
				detail = fmt.Sprintf(" permissions=%d", srv.perms)
			}
			n := srv.n
			srv.mu.Unlock()
			if !strings.Contains(call, ".") {
				call = "Library." + call
			}
			t.Logf("PROBE googleapiwrap %s failure=%s requests=%d err=%v transient=%v%s", call, failure, n, err != nil, recovery.IsTransient(err), detail)
		}
	}
}

type monitoringServer struct {
	monitoringpb.UnimplementedMetricServiceServer
	failure string
	mu      sync.Mutex
	calls   map[string]int
	points  int
}

func (s *monitoringServer) count(m string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[m]++
	return s.calls[m]
}

func (s *monitoringServer) fail(n int) error {
	switch {
	case s.failure == "unavailable-once" && n == 1:
		return status.Error(codes.Unavailable, "probe")
	case s.failure == "invalid":
		return status.Error(codes.InvalidArgument, "probe")
	}
	return nil
}

func (s *monitoringServer) ListMetricDescriptors(_ context.Context, req *monitoringpb.ListMetricDescriptorsRequest) (*monitoringpb.ListMetricDescriptorsResponse, error) {
	n := s.count("List")
	if err := s.fail(n); err != nil {
		return nil, err
	}
	if req.GetPageToken() == "" {
		return &monitoringpb.ListMetricDescriptorsResponse{MetricDescriptors: []*metricpb.MetricDescriptor{{Type: "a"}}, NextPageToken: "p2"}, nil
	}
	if s.failure == "page2-unavailable-once" && s.count("page2") == 1 {
		return nil, status.Error(codes.Unavailable, "probe")
	}
	return &monitoringpb.ListMetricDescriptorsResponse{MetricDescriptors: []*metricpb.MetricDescriptor{{Type: "b"}}}, nil
}

func (s *monitoringServer) GetMetricDescriptor(_ context.Context, _ *monitoringpb.GetMetricDescriptorRequest) (*metricpb.MetricDescriptor, error) {
	if err := s.fail(s.count("Get")); err != nil {
		return nil, err
	}
	return &metricpb.MetricDescriptor{Type: "a"}, nil
}

func (s *monitoringServer) CreateTimeSeries(_ context.Context, req *monitoringpb.CreateTimeSeriesRequest) (*emptypb.Empty, error) {
	n := s.count("Create")
	if err := s.fail(n); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.points += len(req.GetTimeSeries())
	s.mu.Unlock()
	if s.failure == "applied-unavailable" && n == 1 {
		return nil, status.Error(codes.Unavailable, "probe")
	}
	return &emptypb.Empty{}, nil
}

func TestRLProbeMonitoring(t *testing.T) {
	for _, failure := range []string{"ok", "unavailable-once", "applied-unavailable", "invalid", "page2-unavailable-once"} {
		for _, call := range []string{"Descriptors", "Descriptor", "Write"} {
			if failure == "page2-unavailable-once" && call != "Descriptors" || failure == "applied-unavailable" && call != "Write" {
				continue
			}
			srv := &monitoringServer{failure: failure, calls: map[string]int{}}
			lis := bufconn.Listen(1 << 20)
			gs := grpc.NewServer()
			monitoringpb.RegisterMetricServiceServer(gs, srv)
			go func() { _ = gs.Serve(lis) }()
			cc, err := grpc.NewClient("passthrough:///bufnet", grpc.WithTransportCredentials(insecure.NewCredentials()),
				grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			client, err := monitoring.NewMetricClient(ctx, option.WithGRPCConn(cc))
			if err != nil {
				t.Fatal(err)
			}
			m := &docs.Metrics{Client: client, Project: "p"}
			var detail string
			switch call {
			case "Descriptors":
				var types []string
				types, err = m.Descriptors(ctx)
				detail = fmt.Sprintf(" types=%d", len(types))
			case "Descriptor":
				_, err = m.Descriptor(ctx, "a")
			case "Write":
				err = m.Write(ctx, []*monitoringpb.TimeSeries{{Metric: &metricpb.Metric{Type: "a"}}})
			}
			cancel()
			_ = client.Close()
			gs.Stop()
			srv.mu.Lock()
			method := map[string]string{"Descriptors": "List", "Descriptor": "Get", "Write": "Create"}[call]
			n := srv.calls[method]
			if call == "Write" {
				detail = fmt.Sprintf(" points=%d", srv.points)
			}
			srv.mu.Unlock()
			t.Logf("PROBE googleapiwrap Metrics.%s failure=%s calls=%d code=%s transient=%v%s", call, failure, n, status.Code(err), recovery.IsTransient(err), detail)
		}
	}
}
