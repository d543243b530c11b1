package feed

// The probe of the wswrap sweep (run.sh): a websocket server (coder's
// Accept for both clients) that counts the connections and the messages
// it received, answers each message "ack <msg>" (in JSON for JSON), and in mode "cut"
// closes the connection abruptly after the first message (the
// subscription); the dial goes through a transport that resets the first
// n upgrade requests ("reset"). It prints what each call did, before and
// after -fix; it asserts nothing.

import (
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
	"time"

	"github.com/coder/websocket"
	gorilla "github.com/gorilla/websocket"
)

type server struct {
	mu    sync.Mutex
	mode  string
	conns int
	recv  []string
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
	for {
		_, b, err := c.Read(r.Context())
		if err != nil {
			return
		}
		s.mu.Lock()
		s.recv = append(s.recv, string(b))
		cut := s.mode == "cut"
		s.mu.Unlock()
		if cut {
			return // CloseNow: the client's next read or write fails
		}
		ack := "ack " + string(b)
		if strings.HasPrefix(ack, "ack {") { // gorilla's JSON messages get a JSON answer
			ack = fmt.Sprintf(`{"text":%q}`, "ack "+strings.TrimSpace(string(b)))
		}
		if err := c.Write(r.Context(), websocket.MessageText, []byte(ack)); err != nil {
			return
		}
	}
}

// resetting fails the first n requests with a reset connection.
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
	cases := []struct{ client, call, mode string }{
		{"Feed", "Connect", ""},
		{"Feed", "Connect", "reset"},
		{"Feed", "Send", ""},
		{"Feed", "Send", "cut"},
		{"Feed", "Receive", "cut"},
		{"Feed", "Request", ""},
		{"Feed", "Request", "cut"},
		{"Chat", "Connect", ""},
		{"Chat", "Connect", "reset"},
		{"Chat", "Send", "cut"},
		{"Chat", "Receive", "cut"},
		{"Chat", "Request", ""},
		{"Chat", "Request", "cut"},
	}
	for _, tc := range cases {
		s := &server{mode: tc.mode}
		srv := httptest.NewServer(s)
		url := "ws" + strings.TrimPrefix(srv.URL, "http")
		tr := &resetting{next: http.DefaultTransport}
		if tc.mode == "reset" {
			tr.n = 1
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var err error
		var res string
		switch tc.client {
		case "Feed":
			f := &Feed{URL: url, HTTP: &http.Client{Transport: tr}}
			err = f.Connect(ctx, "prices")
			if err == nil && tc.call != "Connect" {
				if tc.mode == "cut" {
					time.Sleep(50 * time.Millisecond) // let the server cut
				} else if tc.call != "Request" {
					_, _ = f.Receive(ctx) // the subscription's ack
				}
				if tc.call == "Request" && tc.mode != "cut" {
					_, _ = f.Receive(ctx)
				}
				switch tc.call {
				case "Send":
					err = f.Send(ctx, "buy 1")
				case "Receive":
					res, err = f.Receive(ctx)
				case "Request":
					res, err = f.Request(ctx, "quote")
				}
			}
			if f.conn != nil {
				_ = f.conn.CloseNow()
			}
		case "Chat":
			d := &gorilla.Dialer{NetDialContext: (&net.Dialer{}).DialContext}
			if tc.mode == "reset" {
				// gorilla dials itself: fail the first dial with a reset.
				n := 0
				d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
					if n == 0 {
						n++
						tr.seen++
						return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNRESET)}
					}
					return (&net.Dialer{}).DialContext(ctx, network, addr)
				}
			}
			c := &Chat{URL: url, Dialer: d}
			err = c.Connect(ctx, "lobby")
			if err == nil && tc.call != "Connect" {
				if tc.mode == "cut" {
					time.Sleep(50 * time.Millisecond)
				} else {
					_, _, _ = c.conn.ReadMessage() // the join's ack
				}
				var m Message
				switch tc.call {
				case "Send":
					err = c.Send(ctx, "lobby", "hi")
					if err == nil {
						err = c.Send(ctx, "lobby", "hi again")
					}
				case "Receive":
					m, err = c.Receive(ctx)
				case "Request":
					m, err = c.Request(ctx, "lobby", "who")
				}
				res = m.Text
			}
			if c.conn != nil {
				_ = c.conn.Close()
			}
		}
		cancel()
		time.Sleep(20 * time.Millisecond)
		msg := "nil"
		if err != nil {
			msg = err.Error()
			if i := strings.LastIndex(msg, ": "); i > 0 {
				msg = msg[i+2:]
			}
		}
		s.mu.Lock()
		fmt.Printf("PROBE %s.%s %s: dial resets %d; connections %d; server received %q; result %q; err %s\n",
			tc.client, tc.call, tc.mode, tr.seen, s.conns, s.recv, res, msg)
		s.mu.Unlock()
		srv.Close()
	}
}
