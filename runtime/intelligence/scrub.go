package intelligence

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// Scrubbing, after Sentry's default data scrubbing: whatever a tracker
// keeps or serves (a pattern's sample and normalised message, its
// attributes, the logged error) has credentials, tokens, authorization
// headers, API keys, emails and card-like numbers replaced before it is
// stored. It runs when a pattern is created and when an error is logged,
// never on the path of a known pattern, and it does not change pattern ids:
// Fingerprint hashes the normalised message before scrubbing, so ids stay
// stable across processes and configurations.

// defaultScrubKeys are the names whose values are secrets, matched
// case-insensitively as substrings of attribute keys, map keys and the
// "key=value" / "key: value" pairs of messages.
var defaultScrubKeys = []string{
	"password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key",
	"access_key", "access-key", "accesskey", "authorization", "auth", "cookie",
	"credential", "private_key", "privatekey", "private-key", "session", "signature",
	"x-api-key", "bearer",
}

// Value patterns that are secrets or personal data whatever their key.
var (
	// Authorization schemes followed by their credentials.
	reAuthScheme = regexp.MustCompile(`(?i)\b(bearer|basic|digest)\s+([A-Za-z0-9._~+/=<>\-]{6,})`)
	// Well-known API key and token shapes: Stripe (sk_live_...), GitHub,
	// GitLab, Slack, AWS access key ids, Google API keys, JWTs. The
	// characters of Normalize's placeholders (<num>) are accepted so that
	// normalised messages are caught too.
	reAPIKey = regexp.MustCompile(`\b(?:(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9<>]+|gh[pousr]_[A-Za-z0-9<>]{16,}|github_pat_[A-Za-z0-9_<>]{16,}|glpat-[A-Za-z0-9_<>\-]{16,}|xox[abprs]-[A-Za-z0-9<>\-]{8,}|(?:AKIA|ASIA)[A-Z0-9<>]{12,}|AIza[A-Za-z0-9_<>\-]{20,}|eyJ[A-Za-z0-9_<>\-]+\.[A-Za-z0-9_<>\-]+\.[A-Za-z0-9_<>\-]*)`)
	// Credentials in a URL: scheme://user:password@host.
	reURLUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://)[^/\s:@]+:[^/\s@]+@`)
	reEmail       = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// Card-like numbers: 13 to 19 digits, optionally grouped by spaces or
	// hyphens; only those passing the Luhn check are replaced.
	reCard = regexp.MustCompile(`\b\d(?:[ \-]?\d){12,18}\b`)
)

// scrubber holds the keys and patterns of one tracker.
type scrubber struct {
	keys     []string // lower case
	keyValue *regexp.Regexp
	extra    []*regexp.Regexp
}

func newScrubber(extraKeys []string, extra []*regexp.Regexp) *scrubber {
	keys := slices.Clone(defaultScrubKeys)
	for _, k := range extraKeys {
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = regexp.QuoteMeta(k)
	}
	// key (with any prefix or suffix of word characters), an optional
	// closing quote, '=' or ':', then the value: an authorization scheme
	// and its credentials, a quoted string, or a run up to a separator.
	kv := regexp.MustCompile(`(?i)([A-Za-z0-9_.\-]*(?:` + strings.Join(quoted, "|") + `)[A-Za-z0-9_.\-]*["']?\s*[:=]\s*)` +
		`((?:bearer|basic|digest|token)\s+[^\s,;&"']+|"[^"]*"|'[^']*'|[^\s,;&"'\])}]+)`)
	return &scrubber{keys: keys, keyValue: kv, extra: extra}
}

// secretKey reports whether an attribute or map key names a secret.
func (sc *scrubber) secretKey(k string) bool {
	k = strings.ToLower(k)
	for _, s := range sc.keys {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// text returns s with secrets and personal data replaced.
func (sc *scrubber) text(s string) string {
	if s == "" {
		return s
	}
	// Each expression runs only when a cheap scan finds what it needs, so
	// that scrubbing an ordinary message costs a few byte scans: a flood
	// of distinct errors must not become a flood of regular expressions.
	lower := strings.ToLower(s)
	if strings.Contains(s, "://") && strings.Contains(s, "@") {
		s = reURLUserinfo.ReplaceAllString(s, "${1}"+Redacted+"@")
	}
	if strings.ContainsAny(s, "=:") && sc.mentionsKey(lower) {
		s = sc.keyValues(s)
	}
	if strings.Contains(lower, "bearer") || strings.Contains(lower, "basic") || strings.Contains(lower, "digest") {
		s = reAuthScheme.ReplaceAllStringFunc(s, func(m string) string {
			sub := reAuthScheme.FindStringSubmatch(m)
			if !strings.EqualFold(sub[1], "bearer") && !credentialLike(sub[2]) {
				return m // "basic authentication required"
			}
			return sub[1] + " " + Redacted
		})
	}
	if containsAny(s, apiKeyMarkers) {
		s = reAPIKey.ReplaceAllString(s, Redacted)
	}
	if strings.Contains(s, "@") {
		s = reEmail.ReplaceAllString(s, phEmail)
	}
	if countDigits(s) >= 13 {
		s = reCard.ReplaceAllStringFunc(s, func(m string) string {
			if luhn(m) {
				return Redacted
			}
			return m
		})
	}
	for _, re := range sc.extra {
		s = re.ReplaceAllString(s, Redacted)
	}
	return s
}

// apiKeyMarkers are substrings every reAPIKey match contains.
var apiKeyMarkers = []string{"_live_", "_test_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xox", "AKIA", "ASIA", "AIza", "eyJ"}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// mentionsKey reports whether lower, a lower-cased text, contains a
// secret key.
func (sc *scrubber) mentionsKey(lower string) bool {
	return containsAny(lower, sc.keys)
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// weakKeys are secret keys that also begin ordinary messages ("token:
// expired", "session: closed"): after a colon their value is replaced
// only when it looks like a secret (see secretLike). After '=' every
// secret key's value is replaced.
var weakKeys = []string{"token", "auth", "session", "signature", "bearer", "cookie"}

// keyValues replaces the values of "key=value" and "key: value" pairs
// whose key names a secret.
func (sc *scrubber) keyValues(s string) string {
	idx := sc.keyValue.FindAllStringSubmatchIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		key, val := s[m[2]:m[3]], s[m[4]:m[5]]
		if strings.HasPrefix(s[m[4]:], Redacted) || !strings.Contains(key, "=") && sc.weakKey(key) && !secretLike(val) {
			continue // already scrubbed (a restored pattern), or a word
		}
		b.WriteString(s[last:m[4]])
		b.WriteString(Redacted)
		last = m[5]
	}
	b.WriteString(s[last:])
	return b.String()
}

// weakKey reports whether every secret key the key part matches is weak.
func (sc *scrubber) weakKey(key string) bool {
	k := strings.ToLower(key)
	for _, s := range sc.keys {
		if strings.Contains(k, s) && !slices.Contains(weakKeys, s) {
			return false
		}
	}
	return true
}

// secretLike reports whether a value after "key:" looks like a credential
// rather than a word: quoted, an authorization scheme with credentials, or
// a token of at least 8 characters with a digit or a placeholder in it, or
// of 20 or more.
func secretLike(v string) bool {
	if v == "" {
		return false
	}
	if v[0] == '"' || v[0] == '\'' || reAuthScheme.MatchString(v) {
		return true
	}
	return len(v) >= 20 || len(v) >= 8 && strings.ContainsAny(v, "0123456789<")
}

// credentialLike reports whether a word after an authorization scheme is
// a credential rather than an English word: it has a digit, a symbol of
// base64 or of a JWT, mixed case, or 20 characters or more.
func credentialLike(w string) bool {
	if len(w) >= 20 || strings.ContainsAny(w, "0123456789=._~+/<-") {
		return true
	}
	return strings.ToLower(w) != w && strings.ToUpper(w) != w && strings.ToUpper(w[:1])+strings.ToLower(w[1:]) != w
}

// luhn reports whether the digits of s pass the Luhn checksum, as card
// numbers do.
func luhn(s string) bool {
	sum, n := 0, 0
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		d := int(c - '0')
		if n%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		n++
	}
	return n >= 13 && sum%10 == 0
}

// value renders an arbitrary attribute value, scrubbed: maps (an
// http.Header, a map[string]any) have the values of secret keys replaced
// at every depth, collections longer than maxCollection are summarised by
// type and length, structs by type, and every string that results is
// scrubbed as text.
func (sc *scrubber) value(x any, maxLen int) string {
	if x == nil {
		return "<nil>"
	}
	switch v := x.(type) {
	case error:
		return truncateNote(sc.text(v.Error()), maxLen)
	case fmt.Stringer:
		return truncateNote(sc.text(v.String()), maxLen)
	}
	rv := reflect.ValueOf(x)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Chan:
		if rv.Len() > maxCollection {
			return fmt.Sprintf("%T len=%d", x, rv.Len())
		}
	case reflect.Struct:
		return fmt.Sprintf("%T", x)
	}
	var b strings.Builder
	sc.render(&b, rv, 0, maxLen)
	return truncateNote(sc.text(b.String()), maxLen)
}

// render writes rv into b, depth first, stopping once b holds maxLen bytes.
func (sc *scrubber) render(b *strings.Builder, rv reflect.Value, depth, maxLen int) {
	if b.Len() > maxLen {
		return
	}
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			b.WriteString("<nil>")
			return
		}
		rv = rv.Elem()
	}
	if rv.CanInterface() && depth > 0 {
		switch v := rv.Interface().(type) {
		case error:
			b.WriteString(v.Error())
			return
		case fmt.Stringer:
			b.WriteString(v.String())
			return
		}
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Chan:
		if rv.Len() > maxCollection || depth >= 4 {
			fmt.Fprintf(b, "%s len=%d", rv.Type(), rv.Len())
			return
		}
	}
	switch rv.Kind() {
	case reflect.Map:
		keys := rv.MapKeys()
		slices.SortFunc(keys, func(a, c reflect.Value) int {
			return strings.Compare(fmt.Sprint(a), fmt.Sprint(c))
		})
		b.WriteString("map[")
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(' ')
			}
			ks := fmt.Sprint(k)
			b.WriteString(ks)
			b.WriteByte(':')
			if sc.secretKey(ks) {
				b.WriteString(Redacted)
				continue
			}
			sc.render(b, rv.MapIndex(k), depth+1, maxLen)
		}
		b.WriteByte(']')
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
			fmt.Fprintf(b, "%s len=%d", rv.Type(), rv.Len())
			return
		}
		b.WriteByte('[')
		for i := range rv.Len() {
			if i > 0 {
				b.WriteByte(' ')
			}
			sc.render(b, rv.Index(i), depth+1, maxLen)
		}
		b.WriteByte(']')
	case reflect.Struct:
		// A struct may hold any amount of data, secrets included: name
		// its type only.
		b.WriteString(rv.Type().String())
	case reflect.Chan, reflect.Func, reflect.UnsafePointer:
		b.WriteString(rv.Type().String())
	case reflect.Invalid:
		b.WriteString("<nil>")
	default:
		fmt.Fprint(b, rv)
	}
}
