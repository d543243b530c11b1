package assistant

// The probe of the streamwrap sweep (run.sh): a fake chat server and a
// fake Gemini API streaming three chunks as server-sent events, which
// fails chosen requests: with a reset connection before the server
// ("reset"), with 503 ("503"), or by cutting the connection after two
// chunks ("cut": the stream ends in io.ErrUnexpectedEOF after the caller
// got two chunks). It prints the requests, what the caller's writer or
// the transcript received, and the error, before and after -fix; it
// asserts nothing.

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"google.golang.org/genai"
)

type server struct {
	mu       sync.Mutex
	mode     string
	n, seen  int
	requests int
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/ping") {
		return // 200, not counted
	}
	s.mu.Lock()
	s.requests++
	fail := s.mode != "" && s.mode != "reset" && s.seen < s.n
	if fail {
		s.seen++
	}
	s.mu.Unlock()
	if fail && s.mode == "503" {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	gemini := strings.Contains(r.URL.Path, "streamGenerateContent")
	w.Header().Set("Content-Type", "text/event-stream")
	for i, text := range []string{"Hel", "lo, ", "world"} {
		if fail && i == 2 {
			// Cut the connection mid-stream.
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		if gemini {
			fmt.Fprintf(w, "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":%q}]}}]}\n\n", text)
		} else {
			fmt.Fprintf(w, "data: {\"text\":%q}\n\n", text)
		}
		_ = http.NewResponseController(w).Flush()
	}
	if !gemini {
		fmt.Fprint(w, "data: [DONE]\n\n")
	}
}

// resetting fails the first n requests with a reset connection before
// they reach the server.
type resetting struct {
	n, seen int
	next    http.RoundTripper
}

func (t *resetting) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.seen < t.n {
		t.seen++
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	}
	return t.next.RoundTrip(req)
}

func TestProbe(t *testing.T) {
	cases := []struct {
		call, mode string
		n          int
	}{
		{"WriteTo", "", 0},
		{"WriteTo", "reset", 1},
		{"WriteTo", "503", 1},
		{"WriteTo", "cut", 1},
		{"WriteTo", "cut", 9},
		{"Record", "reset", 1},
		{"Record", "cut", 1},
		{"Converse", "cut", 1},
		{"Answer", "reset", 1},
		{"Answer", "503", 1},
		{"Answer", "cut", 1},
		{"GeminiAnswer", "", 0},
		{"GeminiAnswer", "reset", 1},
		{"GeminiAnswer", "503", 1},
		{"GeminiAnswer", "cut", 1},
		{"GeminiWriteTo", "reset", 1},
		{"GeminiWriteTo", "cut", 1},
	}
	for _, tc := range cases {
		s := &server{mode: tc.mode, n: tc.n}
		srv := httptest.NewServer(s)
		tr := &resetting{next: http.DefaultTransport}
		if tc.mode == "reset" {
			tr.n = tc.n
		}
		hc := &http.Client{Transport: tr}
		ctx := context.Background()
		a := &Assistant{Chat: &ChatClient{BaseURL: srv.URL, HTTP: hc}}
		gc, err := genai.NewClient(ctx, &genai.ClientConfig{APIKey: "key", Backend: genai.BackendGeminiAPI, HTTPClient: hc, HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL + "/"}})
		if err != nil {
			t.Fatal(err)
		}
		g := &Gemini{Client: gc, Model: "gemini-test"}
		var out bytes.Buffer
		var res string
		switch tc.call {
		case "WriteTo":
			err = a.WriteTo(ctx, "hi", &out)
			res = out.String()
		case "Record":
			err = a.Record(ctx, "hi")
			res = a.Transcript()
		case "Converse":
			err = a.Converse(ctx, "hi")
			res = a.Transcript()
		case "Answer":
			res, err = a.Answer(ctx, "hi")
		case "GeminiAnswer":
			res, err = g.Answer(ctx, "hi")
		case "GeminiWriteTo":
			err = g.WriteTo(ctx, "hi", &out)
			res = out.String()
		}
		msg := "nil"
		if err != nil {
			msg = err.Error()
			if i := strings.LastIndex(msg, ": "); i > 0 {
				msg = msg[i+2:]
			}
			if len(msg) > 40 {
				msg = msg[:40]
			}
		}
		s.mu.Lock()
		fmt.Printf("PROBE %s %s x%d: requests %d (reset %d); received %q; err %s\n", tc.call, tc.mode, tc.n, s.requests, tr.seen, res, msg)
		s.mu.Unlock()
		srv.Close()
	}
}
