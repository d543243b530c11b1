package slack_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one PostMessage makes for each kind of answer, before and after
// resilience-lint -fix. Posting a message is not idempotent: an answer that
// refuses the request must be tried once. It asserts nothing: the sweep
// compares the PROBE lines of the two runs.

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/slack-go/slack"
)

func TestRLProbePostMessage(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
	}{
		{"ok", 200, `{"ok":true,"channel":"C1","ts":"1.2"}`},
		{"channel_not_found", 200, `{"ok":false,"error":"channel_not_found"}`},
		{"http_400", 400, `{"ok":false,"error":"invalid_arguments"}`},
		{"rate_limited", 429, `{"ok":false,"error":"ratelimited"}`},
		{"http_503", 503, `oops`},
	}
	for _, tc := range cases {
		var n atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			if tc.status == 429 {
				w.Header().Set("Retry-After", "0")
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		api := slack.New("xoxb-probe", slack.OptionAPIURL(srv.URL+"/"))
		_, _, err := api.PostMessage("C1", slack.MsgOptionText("hi", false))
		srv.Close()
		t.Logf("PROBE slack PostMessage %s requests=%d err=%v", tc.name, n.Load(), err != nil)
	}
}
