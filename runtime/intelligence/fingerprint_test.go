package intelligence_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/resilience-lint/resilience-lint/internal/cpubench"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// normalizeCases are Normalize's expected outputs, one per kind of
// variable part (TestNormalize); TestNormalizeMatchesReference runs them
// through the reference implementation too.
var normalizeCases = []struct {
	in, want string
}{
	{"user 12345 not found", "user <num> not found"},
	{"retry -3 of 1,024 at 99.5% load", "retry <num> of <num> at <num> load"},
	{"value 3.5e-3 too small", "value <num> too small"},
	{"request 550e8400-e29b-41d4-a716-446655440000 failed", "request <uuid> failed"},
	{"object 0xdeadBEEF freed twice", "object <hex> freed twice"},
	{"commit 9f86d081884c7d65 missing", "commit <hex> missing"},
	{"dial tcp 10.0.0.12:5432: connect: connection refused", "dial tcp <ip>: connect: connection refused"},
	{"no route to 192.168.1.0/24", "no route to <ip>"},
	{"dial tcp [2001:db8::1]:443: timeout", "dial tcp [<ip>]:<num>: timeout"},
	{"listen fe80::1%eth0 failed", "listen <ip> failed"},
	{"mail to alice.smith+tag@example.co.uk bounced", "mail to <email> bounced"},
	{`Get "https://api.example.com/v1/users?id=7": EOF`, "Get <str>: EOF"},
	{"GET https://api.example.com/v1/users?id=7&x=y, status 503", "GET <url>, status <num>"},
	{"postgres://user@db:5432/app unreachable", "<url> unreachable"},
	{"lookup db-3.prod.internal: no such host", "lookup <host>: no such host"},
	{"connect localhost:8080 refused", "connect <host> refused"},
	{"open /var/data/2024/report.csv: permission denied", "open <path>: permission denied"},
	{"read ./testdata/in.json failed", "read <path> failed"},
	{`open C:\Users\bob\file.txt denied`, "open <path> denied"},
	{"load data/input.csv failed", "load <path> failed"},
	{"timed out after 1.5s", "timed out after <duration>"},
	{"took 2h45m0.5s, limit 300ms", "took <duration>, limit <duration>"},
	{"waited 150µs", "waited <duration>"},
	{`key "alpha" missing`, "key <str> missing"},
	{"key 'beta' missing", "key <str> missing"},
	{"field `gamma` unknown", "field <str> unknown"},
	{`escaped "a \"quoted\" value" here`, "escaped <str> here"},
	{"can't parse the file's header", "can't parse the file's header"},
	{"job-4213 failed on worker_7", "job-<num> failed on worker_<num>"},
	{"req-8f3a2b9c rejected", "req-<hex> rejected"},
	{"user_id=42 order=A17", "user_id=<num> order=A<num>"},
	{"  many\t spaces\n\nhere  ", "many spaces here"},
	{"cafe added to decade", "cafe added to decade"},
	{"object deadbeefcafe missing", "object <hex> missing"},
	{"blob sha256:abcdefabcdefabcd gone", "blob sha<num>:<hex> gone"},
	{"trace DEADBEEF lost", "trace <hex> lost"},
	{"effaced Deadbeef", "effaced Deadbeef"},
	{"application/json or read/write", "application/json or read/write"},
	{"index out of range [5] with length 3", "index out of range [<num>] with length <num>"},
	{"unterminated \"quote here", "unterminated \"quote here"},
	{"", ""},
}

func TestNormalize(t *testing.T) {
	for _, tt := range normalizeCases {
		if got := intelligence.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestNormalizeGroups checks that messages differing only in their variable
// parts normalise to one string, per kind of variable part.
func TestNormalizeGroups(t *testing.T) {
	groups := map[string][]string{
		"ids":       {"order 1 failed", "order 982734 failed"},
		"uuids":     {"session 550e8400-e29b-41d4-a716-446655440000 expired", "session 6ba7b810-9dad-11d1-80b4-00c04fd430c8 expired"},
		"hex":       {"blob sha256:9f86d081884c gone", "blob sha256:2c26b46b68ff gone", "blob sha256:deadbeefcafe gone"},
		"ips":       {"dial 10.1.2.3:80 refused", "dial 172.16.0.1:6379 refused"},
		"emails":    {"no inbox for bob@example.com", "no inbox for eve.x@mail.example.org"},
		"urls":      {"fetch http://a.example.com/x?id=1 failed", "fetch https://b.example.net/y/z failed"},
		"paths":     {"open /tmp/a.txt: no such file", "open /home/u/data/b.csv: no such file"},
		"durations": {"deadline 5s exceeded", "deadline 1m30s exceeded"},
		"quoted":    {`column "age" missing`, `column "first_name" missing`},
	}
	for name, msgs := range groups {
		want := intelligence.Normalize(msgs[0])
		for _, m := range msgs[1:] {
			if got := intelligence.Normalize(m); got != want {
				t.Errorf("%s: Normalize(%q) = %q, want %q (as for %q)", name, m, got, want, msgs[0])
			}
		}
	}
}

type notFoundError struct{ id int }

func (e *notFoundError) Error() string { return fmt.Sprintf("record %d not found", e.id) }

type conflictError struct{ id int }

func (e *conflictError) Error() string { return fmt.Sprintf("record %d not found", e.id) }

func TestFingerprint(t *testing.T) {
	same := []struct {
		name string
		a, b error
	}{
		{"ids", &notFoundError{1}, &notFoundError{77}},
		{"wrapped ids", fmt.Errorf("load: %w", &notFoundError{1}), fmt.Errorf("load: %w", &notFoundError{2})},
		{"paths", &fs.PathError{Op: "open", Path: "/a/b.txt", Err: fs.ErrNotExist}, &fs.PathError{Op: "open", Path: "/c/d/e.csv", Err: fs.ErrNotExist}},
		{"net", &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 80}, Err: errors.New("refused")},
			&net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(10, 9, 8, 7), Port: 8080}, Err: errors.New("refused")}},
	}
	for _, tt := range same {
		if fa, fb := intelligence.Fingerprint(tt.a), intelligence.Fingerprint(tt.b); fa != fb {
			t.Errorf("%s: %q and %q fingerprint %s and %s, want one pattern", tt.name, tt.a, tt.b, fa, fb)
		}
	}
	different := []struct {
		name string
		a, b error
	}{
		{"same message, different types", &notFoundError{1}, &conflictError{1}},
		{"same text, typed vs plain", &notFoundError{1}, errors.New("record 1 not found")},
		{"different wrapped cause", fmt.Errorf("load: %w", fs.ErrNotExist), fmt.Errorf("load: %w", context.DeadlineExceeded)},
		{"different words", errors.New("disk full"), errors.New("disk gone")},
		{"different file op", &fs.PathError{Op: "open", Path: "/a", Err: fs.ErrNotExist}, &fs.PathError{Op: "stat", Path: "/a", Err: fs.ErrNotExist}},
	}
	for _, tt := range different {
		if fa, fb := intelligence.Fingerprint(tt.a), intelligence.Fingerprint(tt.b); fa == fb {
			t.Errorf("%s: %q and %q share fingerprint %s, want two patterns", tt.name, tt.a, tt.b, fa)
		}
	}
	if id := intelligence.Fingerprint(nil); len(id) != 16 {
		t.Errorf("Fingerprint(nil) = %q, want a 16-digit id", id)
	}
}

func TestPatternTypeChain(t *testing.T) {
	tr := intelligence.MustNew()
	op := intelligence.Op{Agent: "a", Worker: "w", Operation: "Run"}
	_, err := os.Open("/definitely/not/here.txt")
	tr.TrackError(op, fmt.Errorf("loading: %w", err), 0)
	ps := tr.Patterns()
	if len(ps) != 1 {
		t.Fatalf("got %d patterns, want 1", len(ps))
	}
	got := strings.Join(ps[0].Types, ",")
	if got != "*fs.PathError,syscall.Errno" {
		t.Errorf("type chain = %s, want *fs.PathError,syscall.Errno (fmt wrapper left out)", got)
	}
	if want := "loading: open <path>: no such file or directory"; ps[0].Message != want {
		t.Errorf("message = %q, want %q", ps[0].Message, want)
	}
	if ps[0].ID != intelligence.Fingerprint(fmt.Errorf("loading: %w", err)) {
		t.Errorf("pattern id %s differs from Fingerprint", ps[0].ID)
	}
}

func BenchmarkNormalize(b *testing.B) {
	msgs := []string{
		"dial tcp 10.0.0.12:5432: connect: connection refused",
		`Get "https://api.example.com/v1/users?id=7": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
		"open /var/data/2024/report.csv: permission denied",
		"job-4213 for user 550e8400-e29b-41d4-a716-446655440000 timed out after 1.5s",
	}
	var n int
	for _, m := range msgs {
		n += len(m)
	}
	b.SetBytes(int64(n / len(msgs)))
	b.ReportAllocs()
	i := 0
	cpubench.Loop(b, func() {
		intelligence.Normalize(msgs[i%len(msgs)])
		i++
	})
}

func BenchmarkFingerprint(b *testing.B) {
	err := fmt.Errorf("load batch 42: %w", &fs.PathError{Op: "open", Path: "/var/data/2024/report.csv", Err: fs.ErrPermission})
	b.ReportAllocs()
	cpubench.Loop(b, func() { intelligence.Fingerprint(err) })
}

// FuzzNormalize checks that Normalize never panics, keeps valid UTF-8
// valid, grows a message at most fivefold ("1" becomes "<num>") and is
// deterministic. It is not idempotent, and need not be: a placeholder put
// inside a word ("AA0" -> "AA<num>") splits the word when scanned again.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"dial tcp 10.0.0.12:5432: connect: connection refused",
		`Get "https://x.example.com/?a=1": EOF`, "open C:\\a\\b.txt", "'unterminated", "1,024,1", "µs 5µs",
		"fe80::1%eth0 [::1]:80", "a@b.c x@y.example.com", "0x 0xZZ 1e 1e5 -.5", "日本語 123",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := intelligence.Normalize(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Errorf("Normalize(%q) = %q: invalid UTF-8", s, out)
		}
		if len(out) > 5*len(s) {
			t.Errorf("Normalize(%q) = %q: grew more than fivefold", s, out)
		}
		if again := intelligence.Normalize(s); again != out {
			t.Errorf("Normalize(%q) is not deterministic: %q then %q", s, out, again)
		}
	})
}
