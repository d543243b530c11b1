package intelligence_test

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// TestScrubMessages checks that sample and normalised messages keep no
// secret or personal datum, by default and with WithoutSampleMessages.
func TestScrubMessages(t *testing.T) {
	tests := []struct {
		msg    string
		secret []string // must not appear in the sample nor the message
		keep   string   // must appear in the sample
	}{
		{"login failed: password=hunter2 user=bob", []string{"hunter2"}, "user=bob"},
		{`config: {"password":"s3cret!","port":5432}`, []string{"s3cret"}, "port"},
		{"charge: stripe key sk_live_abcdefghijklmnopqrstuvwx rejected", []string{"abcdefghijklmnop"}, "rejected"},
		{"charge: stripe key sk_live_4eC39HqLyjWDarjtT1zdp7dc rejected", []string{"HqLyjWDarjtT", "4eC39"}, "rejected"},
		{"GET /v1/orders: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc denied", []string{"eyJhbGciOiJIUzI1NiJ9", "eyJzdWIi"}, "denied"},
		{"request with header Authorization: Basic dXNlcjpwYXNzd29yZA== failed", []string{"dXNlcjpwYXNzd29yZA"}, "failed"},
		{"upstream: bearer abcdefghijklmnop expired", []string{"abcdefghijklmnop"}, "expired"},
		{"fetch https://admin:topsecret@db.example.com/x: refused", []string{"topsecret", "admin:"}, "refused"},
		{"GET https://api.example.com/v1?api_key=AbCdEf123456&page=2: 401", []string{"AbCdEf123456"}, "page=2"},
		{"no account for alice.smith@example.com", []string{"alice.smith"}, "no account for"},
		{"card 4111 1111 1111 1111 declined", []string{"4111 1111"}, "declined"},
		{"card 4111-1111-1111-1111 declined", []string{"4111-1111"}, "declined"},
		{"github: token ghp_abcdefghijklmnopqrstuvwxyzABCD revoked", []string{"ghp_abcdef"}, "revoked"},
		{"aws: key AKIAIOSFODNN7EXAMPLE invalid", []string{"AKIAIOSFODNN7EXAMPLE"}, "invalid"},
		{"set-cookie: session_id=7d2f9a0c41e8 rejected", []string{"7d2f9a0c41e8"}, "rejected"},
		{"token: e0d4f7a2c91b8e3f refused", []string{"e0d4f7a2c91b8e3f"}, "refused"},
	}
	for _, noSamples := range []bool{false, true} {
		for _, tt := range tests {
			var opts []intelligence.Option
			if noSamples {
				opts = append(opts, intelligence.WithoutSampleMessages())
			}
			tr, _ := newTracker(opts...)
			tr.TrackError(opA, errors.New(tt.msg), 0)
			p := tr.Patterns()[0]
			for _, s := range tt.secret {
				if strings.Contains(p.Sample, s) || strings.Contains(p.Message, s) {
					t.Errorf("noSamples=%v %q: sample %q / message %q keep %q", noSamples, tt.msg, p.Sample, p.Message, s)
				}
			}
			if !noSamples && !strings.Contains(p.Sample, tt.keep) {
				t.Errorf("%q: sample %q lost %q", tt.msg, p.Sample, tt.keep)
			}
		}
	}
}

// TestScrubKeepsOrdinaryMessages checks that scrubbing leaves words,
// numbers that fail the Luhn check and Go's "pkg: message" prefixes alone.
func TestScrubKeepsOrdinaryMessages(t *testing.T) {
	for _, msg := range []string{
		"session: context deadline exceeded",
		"auth: connection refused",
		"token expired",
		"order 1234567890123 not found",
		"read tcp 10.0.0.1:5432: connection reset by peer",
	} {
		tr, _ := newTracker()
		tr.TrackError(opA, errors.New(msg), 0)
		if p := tr.Patterns()[0]; p.Sample != msg {
			t.Errorf("sample %q, want %q unchanged", p.Sample, msg)
		}
	}
}

// TestScrubAttributes checks that secrets are found at every depth of
// groups and inside map values such as an http.Header, which used to be
// printed through fmt.Sprint.
func TestScrubAttributes(t *testing.T) {
	tr, _ := newTracker()
	h := http.Header{}
	h.Set("Authorization", "Bearer abc.def.ghi")
	h.Set("Cookie", "sid=123456")
	h.Set("Accept", "application/json")
	deep := slog.Group("l1", slog.Group("l2", slog.Group("l3", slog.String("client_secret", "deep-secret-1"))))
	tr.TrackError(opA, errors.New("call failed"), 0,
		slog.Any("headers", h),
		slog.Any("meta", map[string]any{"user": "bob", "nested": map[string]string{"api_key": "nested-secret-2"}}),
		slog.String("url", "https://u:pw-secret-3@host.example.com/path?token=tok-secret-4"),
		slog.Any("err", errors.New("password=secret-5")),
		deep,
	)
	p := tr.Patterns()[0]
	got := anyString(p.Attrs)
	for _, s := range []string{"abc.def.ghi", "123456", "deep-secret-1", "nested-secret-2", "pw-secret-3", "tok-secret-4", "secret-5"} {
		if strings.Contains(got, s) {
			t.Errorf("attrs keep %q: %s", s, got)
		}
	}
	for _, s := range []string{"application/json", "user:bob", intelligence.Redacted} {
		if !strings.Contains(got, s) {
			t.Errorf("attrs lost %q: %s", s, got)
		}
	}
	// What Handler serves keeps none of them either.
	rec := httptest.NewRecorder()
	tr.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	body, _ := io.ReadAll(rec.Body)
	if strings.Contains(string(body), "secret-") || strings.Contains(string(body), "abc.def.ghi") {
		t.Errorf("handler serves a secret: %s", body)
	}
}

func TestScrubOptions(t *testing.T) {
	tr, _ := newTracker(
		intelligence.WithScrubKeys("ssn"),
		intelligence.WithScrubPatterns(regexp.MustCompile(`\bcust-[a-z]+\b`)),
	)
	tr.TrackError(opA, errors.New("lookup ssn=123-45-6789 for cust-zelda failed"), 0,
		slog.String("customer_ssn", "123-45-6789"), slog.String("name", "cust-zelda"))
	p := tr.Patterns()[0]
	all := p.Sample + p.Message + anyString(p.Attrs)
	if strings.Contains(all, "6789") || strings.Contains(all, "zelda") {
		t.Errorf("custom keys and patterns not scrubbed: sample %q message %q attrs %v", p.Sample, p.Message, p.Attrs)
	}
	if _, err := intelligence.New(intelligence.WithScrubPatterns(regexp.MustCompile(`x*`))); err == nil {
		t.Error("a pattern matching the empty string was accepted")
	}
	if _, err := intelligence.New(intelligence.WithScrubKeys(" ")); err == nil {
		t.Error("an empty key was accepted")
	}
}

// anyString flattens an attribute map for substring checks.
func anyString(m map[string]any) string {
	var b strings.Builder
	var walk func(m map[string]any)
	walk = func(m map[string]any) {
		for k, v := range m {
			b.WriteString(k + ":")
			if sub, ok := v.(map[string]any); ok {
				walk(sub)
				continue
			}
			b.WriteString(strings.TrimSpace(strings.ReplaceAll(fmtAny(v), "\n", " ")) + " ")
		}
	}
	walk(m)
	return b.String()
}

func fmtAny(v any) string { return fmt.Sprint(v) }
