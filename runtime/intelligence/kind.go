package intelligence

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrorKind is what an error says about its cause, read from its chain
// and its message when its pattern is created. Recommendations give
// advice that fits the kind.
type ErrorKind string

// Error kinds. A pattern whose error fits none has an empty kind.
const (
	// KindRateLimited: the dependency throttles the caller (HTTP 429, a
	// RetryAfter() hint, "rate limit", "too many requests", "throttled").
	KindRateLimited ErrorKind = "rate_limited"
	// KindPermission: the caller is not allowed (fs.ErrPermission, EACCES,
	// EPERM, HTTP 401/403, "permission denied", "forbidden").
	KindPermission ErrorKind = "permission"
	// KindNotFound: what was asked for does not exist (fs.ErrNotExist,
	// HTTP 404/410, "not found").
	KindNotFound ErrorKind = "not_found"
	// KindValidation: the input is rejected (HTTP 400/422, JSON syntax
	// and type errors, strconv errors, "invalid", "validation").
	KindValidation ErrorKind = "validation"
	// KindConnRefused: nothing listens at the address (ECONNREFUSED,
	// "connection refused").
	KindConnRefused ErrorKind = "connection_refused"
	// KindConnReset: the peer dropped the connection (ECONNRESET, EPIPE,
	// "connection reset", "broken pipe").
	KindConnReset ErrorKind = "connection_reset"
	// KindDNS: a host name did not resolve (*net.DNSError, "no such
	// host").
	KindDNS ErrorKind = "dns"
	// KindTimeout: a deadline or timeout expired.
	KindTimeout ErrorKind = "timeout"
)

// transient reports whether errors of the kind usually pass by
// themselves, so that retrying (with backoff) is right and marking them
// permanent is wrong.
func (k ErrorKind) transient() bool {
	switch k {
	case KindRateLimited, KindConnRefused, KindConnReset, KindDNS, KindTimeout:
		return true
	}
	return false
}

// statusCoder is the method HTTP client errors commonly expose.
type statusCoder interface{ StatusCode() int }

// messageRules map message phrases to kinds, checked in order on the
// lower-cased message when the error chain said nothing.
var messageRules = []struct {
	kind    ErrorKind
	phrases []string
}{
	{KindRateLimited, []string{"too many requests", "rate limit", "ratelimit", "rate-limit", "throttl", "quota exceeded", "slow down"}},
	{KindDNS, []string{"no such host", "server misbehaving", "name resolution", "name or service not known", "nxdomain"}},
	{KindConnRefused, []string{"connection refused"}},
	{KindConnReset, []string{"connection reset", "broken pipe", "connection aborted"}},
	{KindPermission, []string{"permission denied", "forbidden", "unauthorized", "unauthorised", "access denied", "not authorized", "insufficient privileges"}},
	{KindNotFound, []string{"not found", "no such file", "does not exist", "no rows in result set"}},
	{KindValidation, []string{"invalid", "validation", "malformed", "must be", "required field", "unprocessable", "bad request", "cannot unmarshal", "syntax error"}},
	{KindTimeout, []string{"timeout", "timed out", "deadline exceeded"}},
}

// reStatus finds an HTTP status code the kinds care about in a message
// ("status 429", "HTTP 403", "404 Not Found").
var reStatus = regexp.MustCompile(`\b(400|401|403|404|410|422|429)\b`)

// classify returns err's kind and the evidence that chose it.
func classify(err error) (ErrorKind, string) {
	if err == nil {
		return "", ""
	}
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) && ra.RetryAfter() > 0 {
		return KindRateLimited, fmt.Sprintf("%T has RetryAfter() = %s", ra, ra.RetryAfter())
	}
	var sc statusCoder
	if errors.As(err, &sc) {
		if k := statusKind(sc.StatusCode()); k != "" {
			return k, fmt.Sprintf("%T has StatusCode() = %d", sc, sc.StatusCode())
		}
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return KindDNS, fmt.Sprintf("*net.DNSError (not found: %v, temporary: %v)", dns.IsNotFound, dns.IsTemporary)
	}
	for _, c := range []struct {
		target error
		kind   ErrorKind
		name   string
	}{
		{syscall.ECONNREFUSED, KindConnRefused, "syscall.ECONNREFUSED"},
		{syscall.ECONNRESET, KindConnReset, "syscall.ECONNRESET"},
		{syscall.EPIPE, KindConnReset, "syscall.EPIPE"},
		{fs.ErrPermission, KindPermission, "fs.ErrPermission"},
		{fs.ErrNotExist, KindNotFound, "fs.ErrNotExist"},
		{context.DeadlineExceeded, KindTimeout, "context.DeadlineExceeded"},
	} {
		if errors.Is(err, c.target) {
			return c.kind, "errors.Is(err, " + c.name + ")"
		}
	}
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		num    *strconv.NumError
	)
	switch {
	case errors.As(err, &syntax):
		return KindValidation, "*json.SyntaxError in the chain"
	case errors.As(err, &typ):
		return KindValidation, "*json.UnmarshalTypeError in the chain"
	case errors.As(err, &num):
		return KindValidation, "*strconv.NumError in the chain"
	}
	var to interface{ Timeout() bool }
	if errors.As(err, &to) && to.Timeout() {
		return KindTimeout, fmt.Sprintf("%T has Timeout() = true", to)
	}
	msg := strings.ToLower(truncate(fullErrorString(err), 1024))
	if m := reStatus.FindString(msg); m != "" {
		code, _ := strconv.Atoi(m)
		return statusKind(code), fmt.Sprintf("message mentions status %d", code)
	}
	for _, r := range messageRules {
		for _, p := range r.phrases {
			if strings.Contains(msg, p) {
				return r.kind, fmt.Sprintf("message contains %q", p)
			}
		}
	}
	return "", ""
}

func statusKind(code int) ErrorKind {
	switch code {
	case 429:
		return KindRateLimited
	case 401, 403:
		return KindPermission
	case 404, 410:
		return KindNotFound
	case 400, 422:
		return KindValidation
	}
	return ""
}

// kindAdvice is the recommendation given for a pattern of each kind.
var kindAdvice = map[ErrorKind]struct {
	rule     string
	severity Severity
	base     float64
	summary  string
	action   string
}{
	KindRateLimited: {"rate-limited", SeverityWarning, 58,
		"the dependency is rate-limiting calls",
		"back off rather than fail fast: honour Retry-After (recovery.Do waits for a RetryAfter() hint on the error, so return one from the client), lower the request rate or concurrency, and share a recovery.Budget so retries cannot multiply the load; do not mark these errors permanent"},
	KindPermission: {"permission-errors", SeverityWarning, 56,
		"calls are refused for lack of permission",
		"check the credentials and grants of the caller (an expired token, a missing role, a rotated key); retrying cannot help: mark these errors with recovery.Permanent"},
	KindNotFound: {"not-found-errors", SeverityInfo, 42,
		"calls ask for something that does not exist",
		"check the ids or paths the caller builds (a race with deletion, a deploy order, a stale cache); treat not-found as a result where it is expected, and do not retry it"},
	KindValidation: {"validation-errors", SeverityWarning, 48,
		"the input is rejected as invalid",
		"validate the input before the call and fix its producer; the same input cannot succeed on a retry: mark these errors with recovery.Permanent"},
	KindConnRefused: {"connection-refused", SeverityWarning, 54,
		"nothing accepts connections at the dependency's address",
		"check that the dependency is running and that the configured host and port are right; retry with backoff only to ride out its restarts"},
	KindConnReset: {"connection-reset", SeverityInfo, 40,
		"the peer drops connections",
		"look at the peer's load, idle timeouts and the client's connection pool (reusing connections the server closed); these are transient: retry them with backoff"},
	KindDNS: {"dns-errors", SeverityWarning, 52,
		"a host name does not resolve",
		"check the configured host name and the resolver; a name that does not exist will not appear by retrying, a resolver failure may pass: retry those with backoff"},
}

// messageSimilarity is the Jaccard similarity of two normalised messages'
// words, placeholders left out: it keeps a fix for "pq: sidecar pool
// exhausted" from being offered for "cache get: connection reset".
func messageSimilarity(a, b string) float64 {
	wa, wb := words(a), words(b)
	if len(wa) == 0 && len(wb) == 0 {
		return 1
	}
	inter := 0
	for w := range wa {
		if wb[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(wa)+len(wb)-inter)
}

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '<' && r != '>' && r != '_'
	}) {
		if strings.HasPrefix(w, "<") || w == "REDACTED" {
			continue
		}
		m[strings.ToLower(w)] = true
	}
	return m
}
