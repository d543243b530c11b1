package tracker_test

// A probe of the real-world sweep (scripts/realworld/wrapper.sh): a fake
// GitHub and help desk that answer 503 once, before acting, to the first
// request matching a method and a path prefix, and count what they
// created. Each case runs one call of the wrapper on a fresh server and
// prints a PROBE line: the error, the issues or tickets created, and the
// requests per method and path. It asserts nothing: the sweep compares
// the lines before and after -fix.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-github/v75/github"

	"example.com/tracker"
)

type server struct {
	mu       sync.Mutex
	method   string // the fault's method and path prefix
	prefix   string
	fired    bool
	created  int
	requests map[string]int
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := r.URL.Path
	key := r.Method + " " + path
	s.requests[key]++
	if !s.fired && r.Method == s.method && strings.HasPrefix(path, s.prefix) {
		s.fired = true
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"message":"unavailable"}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == "POST" && (path == "/repos/o/r/issues" || path == "/tickets"):
		s.created++
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"number": s.created, "id": s.created, "title": "t"})
	case r.Method == "POST" && strings.HasSuffix(path, "/labels"):
		fmt.Fprint(w, `[{"name":"bug"}]`)
	case r.Method == "GET" && strings.HasPrefix(path, "/repos/o/r/issues/"):
		n, _ := strconv.Atoi(strings.TrimPrefix(path, "/repos/o/r/issues/"))
		json.NewEncoder(w).Encode(map[string]any{"number": n, "title": "old"})
	case r.Method == "PATCH" && strings.HasPrefix(path, "/tickets/"):
		fmt.Fprint(w, `{}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"not found"}`)
	}
}

func (s *server) counts() string {
	var keys []string
	for k, n := range s.requests {
		keys = append(keys, fmt.Sprintf("%s x%d", k, n))
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

func TestProbe(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, method, prefix string
		call                 func(srv *httptest.Server) error
	}{
		{"Tracker.CreateAndLabel labels-503", "POST", "/repos/o/r/issues/1/labels", func(srv *httptest.Server) error {
			_, err := tracker.New(gh(srv), "o", "r").CreateAndLabel(ctx, "t", []string{"bug"})
			return err
		}},
		{"Tracker.Create create-503", "POST", "/repos/o/r/issues", func(srv *httptest.Server) error {
			_, err := tracker.New(gh(srv), "o", "r").Create(ctx, "t")
			return err
		}},
		{"Tracker.CopyIssue get-503", "GET", "/repos/o/r/issues/7", func(srv *httptest.Server) error {
			_, err := tracker.New(gh(srv), "o", "r").CopyIssue(ctx, 7)
			return err
		}},
		{"Tracker.CopyIssue create-503", "POST", "/repos/o/r/issues", func(srv *httptest.Server) error {
			_, err := tracker.New(gh(srv), "o", "r").CopyIssue(ctx, 7)
			return err
		}},
		{"Desk.Open assign-503", "PATCH", "/tickets/1", func(srv *httptest.Server) error {
			_, err := tracker.NewDesk(srv.URL, srv.Client()).Open(ctx, "s", "ann")
			return err
		}},
		{"Desk.File create-503", "POST", "/tickets", func(srv *httptest.Server) error {
			_, err := tracker.NewDesk(srv.URL, srv.Client()).File(ctx, "s")
			return err
		}},
	}
	for _, c := range cases {
		s := &server{method: c.method, prefix: c.prefix, requests: map[string]int{}}
		srv := httptest.NewServer(s)
		err := c.call(srv)
		srv.Close()
		msg := "nil"
		if err != nil {
			msg = err.Error()
			if i := strings.Index(msg, ": 503"); i >= 0 {
				msg = "503" // go-github's message names the URL, whose port changes
			}
		}
		fmt.Printf("PROBE %s: err %s; created %d; requests %s\n", c.name, msg, s.created, s.counts())
	}
}

func gh(srv *httptest.Server) *github.Client {
	c := github.NewClient(srv.Client())
	c.BaseURL, _ = url.Parse(srv.URL + "/")
	return c
}
