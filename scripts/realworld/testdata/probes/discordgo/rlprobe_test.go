package discordgo_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one Session call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection). discordgo retries a 502 itself (up to MaxRestRetries
// more times) and a 429 after sleeping its retry_after; a wrapper around
// that would multiply the requests. It asserts nothing: the sweep compares
// the PROBE lines of the two runs.

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// redirect sends every request to the probe's server; with refuse set it
// counts the request and fails it as a refused connection instead.
type redirect struct {
	to     *url.URL
	refuse bool
	n      *atomic.Int64
}

func (r redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.refuse {
		r.n.Add(1)
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	req.URL.Scheme, req.URL.Host = r.to.Scheme, r.to.Host
	return http.DefaultTransport.RoundTrip(req)
}

func TestRLProbeRequestsPerStatus(t *testing.T) {
	for _, status := range []int{200, 400, 401, 404, 429, 500, 502, 503, -1} {
		for _, call := range []string{"User", "ChannelMessageSend"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				switch status {
				case 200:
					_, _ = w.Write([]byte(`{"id":"1"}`))
				case 429:
					_, _ = w.Write([]byte(`{"message":"probe","retry_after":0}`))
				default:
					_, _ = w.Write([]byte(`{"message":"probe","code":0}`))
				}
			}))
			to, _ := url.Parse(srv.URL)
			s, _ := discordgo.New("Bot probe")
			s.Client = &http.Client{Transport: redirect{to: to, refuse: status < 0, n: &n}}
			// A 429 that always comes back would be retried for ever.
			s.ShouldRetryOnRateLimit = false
			var err error
			if call == "User" {
				_, err = s.User("@me")
			} else {
				_, err = s.ChannelMessageSend("1", "probe")
			}
			srv.Close()
			t.Logf("PROBE discordgo %s status=%d requests=%d err=%v", call, status, n.Load(), err != nil)
		}
	}
}
