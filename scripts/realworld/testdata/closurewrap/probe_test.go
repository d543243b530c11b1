package desk_test

// A probe of the real-world sweep (scripts/realworld/wrapper.sh): a fake
// help desk that answers 503 once, before acting, to the first request
// matching a method and a path prefix, and counts the tickets created.
// Each case runs one call on a fresh server and prints a PROBE line: the
// error, the tickets created, and the requests per method and path. It
// asserts nothing: the sweep compares the lines before and after -fix.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"example.com/desk"
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
	s.requests[r.Method+" "+path]++
	if !s.fired && r.Method == s.method && strings.HasPrefix(path, s.prefix) {
		s.fired = true
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	switch {
	case r.Method == "GET" && path == "/quota":
		fmt.Fprint(w, `{}`)
	case r.Method == "POST" && path == "/tickets":
		var body map[string]string
		json.NewDecoder(r.Body).Decode(&body)
		s.created++
		ref := strconv.Itoa(1000 + s.created)
		if body["subject"] == "bad" {
			ref = "T-" + ref // a reference the client cannot parse
		}
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"id": s.created, "ref": ref})
	case r.Method == "PATCH" && strings.HasPrefix(path, "/tickets/"):
		fmt.Fprint(w, `{}`)
	default:
		w.WriteHeader(http.StatusNotFound)
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
		call                 func(d *desk.Desk) error
	}{
		{"Submit quota-503", "GET", "/quota", func(d *desk.Desk) error { _, err := d.Submit(ctx, "s"); return err }},
		{"Submit create-503", "POST", "/tickets", func(d *desk.Desk) error { _, err := d.Submit(ctx, "s"); return err }},
		{"SubmitAssign assign-503", "PATCH", "/tickets/1", func(d *desk.Desk) error { _, err := d.SubmitAssign(ctx, "s", "ann"); return err }},
		{"SubmitAssign create-503", "POST", "/tickets", func(d *desk.Desk) error { _, err := d.SubmitAssign(ctx, "s", "ann"); return err }},
		{"Receipt create-503", "POST", "/tickets", func(d *desk.Desk) error { _, err := d.Receipt(ctx, "s"); return err }},
		{"Receipt bad-ref", "", "", func(d *desk.Desk) error { _, err := d.Receipt(ctx, "bad"); return err }},
	}
	for _, c := range cases {
		s := &server{method: c.method, prefix: c.prefix, requests: map[string]int{}}
		srv := httptest.NewServer(s)
		err := c.call(desk.New(srv.URL, srv.Client()))
		srv.Close()
		msg := "nil"
		if err != nil {
			msg = err.Error()
		}
		fmt.Printf("PROBE %s: err %s; created %d; requests %s\n", c.name, msg, s.created, s.counts())
	}
}
