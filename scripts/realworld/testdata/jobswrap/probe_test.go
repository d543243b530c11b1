package jobs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// server answers each request with the next scripted status (200 when the
// script is done) and counts the requests.
type server struct {
	mu     sync.Mutex
	script []int
	n      int
}

func (s *server) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	code := http.StatusOK
	if len(s.script) > 0 {
		code, s.script = s.script[0], s.script[1:]
	}
	w.WriteHeader(code)
}

func repeat(code, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = code
	}
	return s
}

// perform runs h the way asynq's processor does (processor.go's perform
// in v0.26.0): a panic becomes an error "panic [file:line]: value", the
// file and line of the frame that panicked (the parent frame when that is
// in a path containing "runtime/").
func perform(ctx context.Context, h asynq.Handler, t *asynq.Task) (err error) {
	defer func() {
		if x := recover(); x != nil {
			_, file, line, ok := runtime.Caller(1)
			if ok && strings.Contains(file, "runtime/") {
				_, file, line, ok = runtime.Caller(2)
			}
			if ok {
				err = fmt.Errorf("panic [%s:%d]: %v", filepath.Base(file), line, x)
			} else {
				err = fmt.Errorf("panic: %v", x)
			}
		}
	}()
	return h.ProcessTask(ctx, t)
}

// panicSite returns, for asynq's error of a panic ("panic [file:line]:
// value"), the statement at that line of this package's file, as
// " statement=..." (the line number moves when -fix adds lines above it;
// the statement shows whether the place is still the handler's own), or ""
// for other errors.
func panicSite(msg string) string {
	var file string
	var line int
	rest, ok := strings.CutPrefix(msg, "panic [")
	if !ok {
		return ""
	}
	loc, _, _ := strings.Cut(rest, "]")
	colon := strings.LastIndexByte(loc, ':')
	if colon < 0 {
		return ""
	}
	file = loc[:colon]
	if _, err := fmt.Sscan(loc[colon+1:], &line); err != nil {
		return ""
	}
	src, err := os.ReadFile(file)
	lines := strings.Split(string(src), "\n")
	if err != nil || line < 1 || line > len(lines) {
		return fmt.Sprintf(" statement=(not in this package: %s)", loc)
	}
	return fmt.Sprintf(" statement=%q", strings.TrimSpace(lines[line-1]))
}

func TestProbeAsynq(t *testing.T) {
	cases := []struct {
		name    string
		payload string
		script  []int
	}{
		{"ok", `{"to":"a@example.com","body":"hi"}`, nil},
		{"503x1", `{"to":"a@example.com","body":"hi"}`, repeat(503, 1)},
		{"503x9", `{"to":"a@example.com","body":"hi"}`, repeat(503, 9)},
		{"429x9-skipretry", `{"to":"a@example.com","body":"hi"}`, repeat(429, 9)},
		{"410-revoke", `{"to":"a@example.com","body":"hi"}`, []int{410}},
		{"badjson-skipretry", `{"to":`, nil},
		{"panic", `{"body":"hi"}`, nil},
	}
	for _, c := range cases {
		s := &server{script: c.script}
		ts := httptest.NewServer(s)
		h := &EmailHandler{Mailer: &Mailer{Client: ts.Client(), URL: ts.URL}}
		start := time.Now()
		err := perform(context.Background(), h, asynq.NewTask("email:send", []byte(c.payload)))
		d := time.Since(start)
		ts.Close()
		msg := "<nil>"
		if err != nil {
			msg = err.Error()
		}
		t.Logf("PROBE asynq %s: requests=%d skipretry=%v revoke=%v slow=%v err=%q%s", c.name, s.n,
			errors.Is(err, asynq.SkipRetry), errors.Is(err, asynq.RevokeTask), d > 50*time.Millisecond, msg, panicSite(msg))
	}
}

func TestProbeRiver(t *testing.T) {
	cases := []struct {
		name    string
		attempt int
		script  []int
	}{
		{"ok", 1, nil},
		{"503x1", 1, repeat(503, 1)},
		{"503x9", 1, repeat(503, 9)},
		{"503x9-attempt5-cancel", 5, repeat(503, 9)},
		{"429x9-snooze", 1, repeat(429, 9)},
		{"410-cancel", 1, []int{410}},
	}
	for _, c := range cases {
		s := &server{script: c.script}
		ts := httptest.NewServer(s)
		w := &SendWorker{Mailer: &Mailer{Client: ts.Client(), URL: ts.URL}}
		job := &river.Job[SendArgs]{JobRow: &rivertype.JobRow{Attempt: c.attempt, Kind: "send"}, Args: SendArgs{To: "a@example.com", Body: "hi"}}
		start := time.Now()
		err := w.Work(context.Background(), job)
		d := time.Since(start)
		ts.Close()
		var cancel *river.JobCancelError
		var snooze *river.JobSnoozeError
		msg := "<nil>"
		if err != nil {
			msg = err.Error()
		}
		t.Logf("PROBE river %s: requests=%d cancel=%v snooze=%v slow=%v err=%q", c.name, s.n,
			errors.As(err, &cancel), errors.As(err, &snooze), d > 50*time.Millisecond, msg)
	}
}
