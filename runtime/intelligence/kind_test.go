package intelligence_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// httpError is an HTTP client error carrying a status code and, for 429
// and 503, the server's Retry-After.
type httpError struct {
	code  int
	after time.Duration
}

func (e *httpError) Error() string             { return "GET /v1/quotes: status " + strconv.Itoa(e.code) }
func (e *httpError) StatusCode() int           { return e.code }
func (e *httpError) RetryAfter() time.Duration { return e.after }

func TestErrorKinds(t *testing.T) {
	_, numErr := strconv.Atoi("x")
	syntaxErr := json.Unmarshal([]byte("{"), new(any))
	tests := []struct {
		err  error
		want intelligence.ErrorKind
		why  string // substring of the evidence
	}{
		{&httpError{code: 429, after: 30 * time.Second}, intelligence.KindRateLimited, "RetryAfter() = 30s"},
		{&httpError{code: 429}, intelligence.KindRateLimited, "StatusCode() = 429"},
		{errors.New("quota: Too Many Requests"), intelligence.KindRateLimited, "too many requests"},
		{&httpError{code: 403}, intelligence.KindPermission, "StatusCode() = 403"},
		{&fs.PathError{Op: "open", Path: "/etc/shadow", Err: syscall.EACCES}, intelligence.KindPermission, "fs.ErrPermission"},
		{fmt.Errorf("load: %w", os.ErrNotExist), intelligence.KindNotFound, "fs.ErrNotExist"},
		{&httpError{code: 404}, intelligence.KindNotFound, "404"},
		{&httpError{code: 422}, intelligence.KindValidation, "422"},
		{numErr, intelligence.KindValidation, "strconv.NumError"},
		{syntaxErr, intelligence.KindValidation, "json"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}, intelligence.KindConnRefused, "ECONNREFUSED"},
		{errors.New("read tcp 10.0.0.1:5432: connection reset by peer"), intelligence.KindConnReset, "connection reset"},
		{&net.DNSError{Err: "no such host", Name: "db.internal", IsNotFound: true}, intelligence.KindDNS, "net.DNSError"},
		{fmt.Errorf("query: %w", context.DeadlineExceeded), intelligence.KindTimeout, "DeadlineExceeded"},
		{errors.New("something odd happened"), "", ""},
	}
	for _, tt := range tests {
		tr, _ := newTracker()
		tr.TrackError(opA, tt.err, 0)
		p := tr.Patterns()[0]
		if p.Kind != tt.want || !strings.Contains(p.KindEvidence, tt.why) {
			t.Errorf("%v: kind %q (%s), want %q with evidence containing %q", tt.err, p.Kind, p.KindEvidence, tt.want, tt.why)
		}
	}
}

// ruleFor returns the first recommendation of rule, or nil.
func ruleFor(recs []intelligence.Recommendation, rule string) *intelligence.Recommendation {
	i := slices.IndexFunc(recs, func(r intelligence.Recommendation) bool { return r.Rule == rule })
	if i < 0 {
		return nil
	}
	return &recs[i]
}

// TestRateLimitedIsNotPermanent: calls exhausted on 429s with Retry-After
// get backoff advice, not "mark them with recovery.Permanent".
func TestRateLimitedIsNotPermanent(t *testing.T) {
	tr, clk := newTracker()
	policy := recovery.MustNewPolicy(recovery.WithMaxAttempts(3), recovery.WithClock(clk),
		recovery.WithObserver(intelligence.RetryObserver(tr, opA)))
	for range 10 {
		_ = recovery.Do(context.Background(), policy, failing(9, &httpError{code: 429, after: time.Second}))
	}
	recs := tr.Recommendations()
	if r := ruleFor(recs, "retry-permanent"); r != nil {
		t.Errorf("rate-limited calls told to be permanent: %+v", r)
	}
	r := ruleFor(recs, "rate-limited")
	if r == nil {
		t.Fatalf("no rate-limited recommendation in %+v", recs)
	}
	if !strings.Contains(r.Action, "Retry-After") || strings.Contains(r.Action, "mark them") ||
		r.Evidence["kind"] != "rate_limited" || !strings.Contains(fmt.Sprint(r.Evidence["kind_evidence"]), "RetryAfter") {
		t.Errorf("rate-limited recommendation = %+v", r)
	}
	// A plain error that a retry-everything policy exhausts its attempts on
	// still gets the permanent advice.
	tr2, clk2 := newTracker()
	policy2 := recovery.MustNewPolicy(recovery.WithMaxAttempts(3), recovery.WithClock(clk2),
		recovery.WithClassifier(recovery.RetryAll),
		recovery.WithObserver(intelligence.RetryObserver(tr2, opA)))
	for range 10 {
		_ = recovery.Do(context.Background(), policy2, failing(9, errors.New("report layout unsupported")))
	}
	if ruleFor(tr2.Recommendations(), "retry-permanent") == nil {
		t.Error("no retry-permanent recommendation for an error of no known kind")
	}
}

// TestKindAdvice: each kind gets its own rule and advice, with the
// evidence that chose the kind.
func TestKindAdvice(t *testing.T) {
	tests := []struct {
		err    error
		rule   string
		action string
	}{
		{&httpError{code: 403}, "permission-errors", "credentials"},
		{&httpError{code: 404}, "not-found-errors", "ids or paths"},
		{&httpError{code: 400}, "validation-errors", "validate the input"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, "connection-refused", "host and port"},
		{&net.DNSError{Err: "no such host", Name: "db.internal", IsNotFound: true}, "dns-errors", "host name"},
	}
	for _, tt := range tests {
		tr, _ := newTracker()
		for range 6 {
			tr.TrackError(opA, tt.err, 0)
		}
		r := ruleFor(tr.Recommendations(), tt.rule)
		if r == nil || !strings.Contains(r.Action, tt.action) || r.Evidence["kind_evidence"] == "" || r.Pattern != intelligence.Fingerprint(tt.err) {
			t.Errorf("%v: recommendation %+v, want rule %s with %q", tt.err, r, tt.rule, tt.action)
		}
	}
}

// TestKnownFixNeedsSimilarMessages: a fix for a database sidecar's
// connection resets is not offered for a cache's, though both errors have
// the same type chain.
func TestKnownFixNeedsSimilarMessages(t *testing.T) {
	tr, clk := newTracker()
	db := intelligence.Op{Agent: "orders", Worker: "DB", Operation: "Query"}
	cache := intelligence.Op{Agent: "orders", Worker: "Cache", Operation: "Get"}
	dbErr := fmt.Errorf("pq: sidecar pool exhausted: %w", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET})
	for range 20 {
		tr.TrackError(db, dbErr, 0)
		for range 9 {
			tr.TrackSuccess(db, 0)
		}
		clk.Advance(3 * time.Minute)
	}
	if err := tr.RecordFix(intelligence.Fingerprint(dbErr), "raise the sidecar's pool size"); err != nil {
		t.Fatal(err)
	}
	for range 60 {
		for range 10 {
			tr.TrackSuccess(db, 0)
		}
		clk.Advance(3 * time.Minute)
	}
	cacheErr := fmt.Errorf("cache get session: %w", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET})
	tr.TrackError(cache, cacheErr, 0)
	similar := fmt.Errorf("pq: sidecar pool exhausted after 3 waits: %w", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET})
	tr.TrackError(cache, similar, 0)

	if f := tr.Fixes(); len(f) != 1 || f[0].Verdict != intelligence.FixEffective {
		t.Fatalf("fixes = %+v, want one effective", f)
	}
	var known []string
	for _, r := range tr.Recommendations() {
		if r.Rule == "known-fix" {
			known = append(known, r.Pattern)
			if r.Evidence["similarity"] == nil {
				t.Errorf("known-fix without its similarity: %+v", r)
			}
		}
	}
	if !slices.Equal(known, []string{intelligence.Fingerprint(similar)}) {
		t.Errorf("known-fix for %v, want only the similar pattern %s (cache pattern %s)", known, intelligence.Fingerprint(similar), intelligence.Fingerprint(cacheErr))
	}
}
