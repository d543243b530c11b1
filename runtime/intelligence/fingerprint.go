package intelligence

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Placeholders written by Normalize.
const (
	phString   = "<str>"
	phNumber   = "<num>"
	phHex      = "<hex>"
	phUUID     = "<uuid>"
	phIP       = "<ip>"
	phEmail    = "<email>"
	phURL      = "<url>"
	phHost     = "<host>"
	phPath     = "<path>"
	phDuration = "<duration>"
)

// Normalize returns msg with the parts that vary between occurrences of the
// same error replaced by placeholders, so that they group into one
// pattern: quoted values (<str>), numbers (<num>), hex ids (<hex>), UUIDs
// (<uuid>), IPv4 and IPv6 addresses (<ip>), emails (<email>), URLs (<url>),
// host names (<host>), file paths (<path>) and durations (<duration>).
// Digits inside identifiers become <num> ("job-42" → "job-<num>") and runs
// of white space become one space. Words are kept: they carry the meaning.
//
// It is a single left-to-right scan with no regular expressions; see
// BenchmarkNormalize for its cost.
func Normalize(msg string) string {
	return string(appendNormalized(make([]byte, 0, len(msg)+16), msg))
}

// Fingerprint returns the pattern id of err: a 16-digit hex hash of the
// error's type chain and its normalised message (the first 1024 bytes, the
// default Limits.MaxMessageLen). Pattern ids are stable across processes,
// so one can be passed to Tracker.RecordFix.
func Fingerprint(err error) string {
	var fp fingerprint
	fp.compute(err, DefaultLimits().MaxMessageLen)
	id := fp.id
	fp.release()
	return patternID(id)
}

func patternID(id uint64) string {
	var b [16]byte
	s := strconv.AppendUint(b[:0], id, 16)
	return strings.Repeat("0", 16-len(s)) + string(s)
}

// parsePatternID parses a pattern id as returned by Fingerprint.
func parsePatternID(s string) (uint64, error) {
	if len(s) != 16 {
		return 0, fmt.Errorf("intelligence: pattern id %q: want 16 hex digits", s)
	}
	id, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, fmt.Errorf("intelligence: pattern id %q: want 16 hex digits", s)
	}
	return id, nil
}

// maxChainTypes bounds the type chain of a fingerprint.
const maxChainTypes = 8

// fingerprint is an error's grouping key. msg borrows a pooled buffer until
// release; it is nil when the id came from the tracker's memo, until
// normalize fills it. raw is the message fingerprinted (err.Error(), cut
// at the message limit).
type fingerprint struct {
	id        uint64
	types     [maxChainTypes]string
	ntypes    int
	msg       *[]byte
	raw       string
	truncated bool
}

var msgPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// Generic wrappers add no type information: fmt.Errorf("...: %w") and
// errors.Join results are left out of the type chain.
var (
	wrapErrorType  = reflect.TypeOf(fmt.Errorf("%w", io.EOF))
	wrapErrorsType = reflect.TypeOf(fmt.Errorf("%w %w", io.EOF, io.EOF))
	joinErrorType  = reflect.TypeOf(errors.Join(io.EOF))
)

func skippedType(t reflect.Type) bool {
	return t == wrapErrorType || t == wrapErrorsType || t == joinErrorType
}

func (fp *fingerprint) compute(err error, maxLen int) {
	fp.computeWith(err, maxLen, nil)
}

// computeWith computes err's fingerprint, taking its id from memo when
// memo has seen the same type chain and message (memo may be nil).
func (fp *fingerprint) computeWith(err error, maxLen int, memo *fpMemo) {
	fp.ntypes = 0
	fp.walk(err, 0)
	if fp.ntypes == 0 {
		fp.types[0] = typeName(err)
		fp.ntypes = 1
	}
	full := fullErrorString(err)
	fp.raw = truncate(full, maxLen)
	fp.truncated = len(fp.raw) < len(full)
	if memo == nil {
		fp.normalize()
		return
	}
	set := memo.set(fp.raw)
	if id, ok := set.get(fp, fp.raw); ok {
		fp.id = id
		return
	}
	fp.normalize()
	set.put(fp, fp.raw)
}

// normalize fills msg with the normalised message and computes the id
// from it and the type chain, unless msg is filled already.
func (fp *fingerprint) normalize() {
	if fp.msg != nil {
		return
	}
	fp.msg = msgPool.Get().(*[]byte)
	if need := 2*len(fp.raw) + 16; cap(*fp.msg) < need {
		// Grown once, up front: most messages normalise to less than
		// twice their length, so a pooled buffer is seldom grown again.
		*fp.msg = make([]byte, 0, need)
	}
	*fp.msg = appendNormalized((*fp.msg)[:0], fp.raw)

	// FNV-1a, stable across processes (unlike maphash).
	h := uint64(14695981039346656037)
	for _, ty := range fp.types[:fp.ntypes] {
		for i := 0; i < len(ty); i++ {
			h ^= uint64(ty[i])
			h *= 1099511628211
		}
		h ^= 0xff
		h *= 1099511628211
	}
	for _, c := range *fp.msg {
		h ^= uint64(c)
		h *= 1099511628211
	}
	fp.id = h
}

func (fp *fingerprint) release() {
	if fp.msg != nil && cap(*fp.msg) <= 4096 {
		msgPool.Put(fp.msg)
	}
	fp.msg = nil
	fp.raw = ""
}

// walk records the types of err's Unwrap tree, depth first.
func (fp *fingerprint) walk(err error, depth int) {
	if err == nil || depth > 16 || fp.ntypes == maxChainTypes {
		return
	}
	if !skippedType(reflect.TypeOf(err)) {
		fp.types[fp.ntypes] = typeName(err)
		fp.ntypes++
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		fp.walk(u.Unwrap(), depth+1)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			fp.walk(e, depth+1)
		}
	}
}

func typeName(err error) string {
	if err == nil {
		return "<nil>"
	}
	return reflect.TypeOf(err).String()
}

// fullErrorString is err.Error(), or "<nil>".
func fullErrorString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// errorString is err.Error() truncated to maxLen bytes at a rune boundary.
func errorString(err error, maxLen int) string {
	return truncate(fullErrorString(err), maxLen)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Byte classes, looked up in one table so that the scanner does one load
// per byte and per question.
const (
	cSpace    = 1 << iota // white space
	cSep                  // ends a token and is copied as it is
	cDelim                // splits a token into segments
	cDigit                // 0-9
	cHex                  // 0-9 a-f A-F
	cLetter               // a-z A-Z
	cTrail                // trailing punctuation cut off a token
	cTrailURL             // trailing punctuation cut off a URL
)

var class = func() (t [256]uint8) {
	set := func(chars string, c uint8) {
		for i := 0; i < len(chars); i++ {
			t[chars[i]] |= c
		}
	}
	set(" \t\n\r\v\f", cSpace)
	set(",;()[]{}<>|=\"`", cSep)
	set("-_.:/@#+~'\\", cDelim)
	set("0123456789", cDigit|cHex)
	set("abcdefABCDEF", cHex)
	set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", cLetter)
	set(".,:;!?'", cTrail)
	set(".,:;!?)]}>'\"", cTrailURL)
	return t
}()

func isDigit(c byte) bool  { return class[c]&cDigit != 0 }
func isLetter(c byte) bool { return class[c]&cLetter != 0 }
func isHex(c byte) bool    { return class[c]&cHex != 0 }
func isAlnum(c byte) bool  { return class[c]&(cDigit|cLetter) != 0 }

// Token features, one bit per kind of byte, OR-ed over a token: every
// recogniser below needs some byte kind (a URL "://", an IP a digit or a
// colon, an email '@', a path a slash, a host a dot or a colon), so a
// token without it skips the recogniser. Most tokens of an error message
// are plain words, which skip them all. The mask only ever rules a
// recogniser out when it would have returned false: the output is what
// trying every recogniser in turn gives.
const (
	fDigit     = 1 << iota // 0-9
	fHexLetter             // a-f A-F
	fLetter                // g-z G-Z
	fHigh                  // a byte of a multi-byte UTF-8 sequence
	fColon                 // :
	fDot                   // .
	fSlash                 // / or \
	fAt                    // @
	fOther                 // anything else
)

var feature = func() (t [256]uint16) {
	for c := range t {
		switch {
		case c >= '0' && c <= '9':
			t[c] = fDigit
		case c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
			t[c] = fHexLetter
		case c >= 'g' && c <= 'z' || c >= 'G' && c <= 'Z':
			t[c] = fLetter
		case c >= 0x80:
			t[c] = fHigh
		case c == ':':
			t[c] = fColon
		case c == '.':
			t[c] = fDot
		case c == '/' || c == '\\':
			t[c] = fSlash
		case c == '@':
			t[c] = fAt
		default:
			t[c] = fOther
		}
	}
	return t
}()

// schemeByte marks the bytes of a URL scheme after its first letter.
var schemeByte = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
	}
	return t
}()

// appendNormalized appends the normalised form of msg to dst. It reads
// each byte of msg a bounded number of times: once to find the token it
// belongs to, once for the token's features, and again only inside the
// recognisers the features allow.
func appendNormalized(dst []byte, msg string) []byte {
	start := len(dst)
	space := false
	for i := 0; i < len(msg); {
		c := msg[i]
		cl := class[c]
		if cl&cSpace != 0 {
			space = true
			i++
			continue
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		if c == '"' || c == '`' || c == '\'' {
			if j := closingQuote(msg, i); j > 0 {
				dst = append(dst, phString...)
				i = j + 1
				continue
			}
			dst = append(dst, c)
			i++
			continue
		}
		if cl&cSep != 0 {
			dst = append(dst, c)
			i++
			continue
		}
		// A URL is a scheme (a letter, then letters, digits, '+', '-' or
		// '.') and "://"; it runs to the next white space, '=' and
		// brackets included.
		if cl&cLetter != 0 {
			p := i + 1
			for p < len(msg) && schemeByte[msg[p]] {
				p++
			}
			if p+2 < len(msg) && msg[p] == ':' && msg[p+1] == '/' && msg[p+2] == '/' {
				end := p + 3
				for end < len(msg) && class[msg[end]]&cSpace == 0 {
					end++
				}
				_, trail := trimTrailing(msg[i:end], cTrailURL)
				dst = append(dst, phURL...)
				dst = append(dst, trail...)
				i = end
				continue
			}
		}
		j, m := i+1, feature[c]
		for ; j < len(msg); j++ {
			b := msg[j]
			if class[b]&(cSpace|cSep) != 0 && (b != ',' || !isDigitGroup(msg, j)) {
				break
			}
			m |= feature[b]
		}
		core, trail := trimTrailing(msg[i:j], cTrail)
		if trail != "" {
			m = features(core) // without the punctuation cut off
		}
		dst = appendToken(dst, core, m)
		dst = append(dst, trail...)
		i = j
	}
	return dst
}

// isDigitGroup reports a thousands separator at msg[i]: a comma between a
// digit and exactly three digits ("1,024").
func isDigitGroup(msg string, i int) bool {
	return msg[i] == ',' && i > 0 && isDigit(msg[i-1]) && i+4 <= len(msg) &&
		allDigits(msg[i+1:i+4]) && (i+4 == len(msg) || !isDigit(msg[i+4]))
}

// closingQuote returns the index of the quote closing the one at msg[i],
// or -1. Double quotes honour backslash escapes (as %q writes them); a
// single quote only closes when no letter or digit follows, so that
// apostrophes inside words are not taken for quotes.
func closingQuote(msg string, i int) int {
	q := msg[i]
	for j := i + 1; j < len(msg); j++ {
		switch c := msg[j]; {
		case c == '\\' && q == '"':
			j++
		case c == q:
			if q == '\'' && j+1 < len(msg) && isAlnum(msg[j+1]) {
				continue
			}
			return j
		}
	}
	return -1
}

// trimTrailing splits the trailing bytes of class cut off s.
func trimTrailing(s string, cut uint8) (core, trail string) {
	n := len(s)
	for n > 0 && class[s[n-1]]&cut != 0 {
		n--
	}
	return s[:n], s[n:]
}

// features returns the feature bits of the bytes of t.
func features(t string) uint16 {
	var m uint16
	for i := 0; i < len(t); i++ {
		m |= feature[t[i]]
	}
	return m
}

// appendToken appends the placeholder for token t, or t with the digits in
// it replaced; m is features(t). The recognisers are tried in a fixed
// order, the first that matches wins; the token's features skip those
// that cannot match.
func appendToken(dst []byte, t string, m uint16) []byte {
	if t == "" {
		return dst
	}
	if m&^(fHexLetter|fLetter|fHigh) == 0 {
		// A word: only a hex id ("deadbeef") is replaced.
		if m == fHexLetter && isHexID(t) {
			return append(dst, phHex...)
		}
		return append(dst, t...)
	}
	switch {
	case len(t) == 36 && isUUID(t):
		return append(dst, phUUID...)
	case m&fDigit != 0 && isIPv4(t) || m&fColon != 0 && isIPv6(t):
		return append(dst, phIP...)
	case m&fAt != 0 && isEmail(t):
		return append(dst, phEmail...)
	case m&fSlash != 0 && isPath(t):
		return append(dst, phPath...)
	case m&fDigit != 0 && isDuration(t):
		return append(dst, phDuration...)
	case m&fDigit != 0 && isNumber(t):
		return append(dst, phNumber...)
	case m&^(fDigit|fHexLetter|fLetter) == 0 && isHexID(t):
		return append(dst, phHex...)
	case m&(fDot|fColon) != 0 && isHost(t):
		return append(dst, phHost...)
	}
	return appendSegments(dst, t)
}

// appendSegments handles a token that is none of the recognised kinds: it
// is split at punctuation, and each segment that is a number or a hex id
// is replaced; digit runs inside words become <num>.
func appendSegments(dst []byte, t string) []byte {
	for i := 0; i < len(t); {
		if class[t[i]]&cDelim != 0 {
			dst = append(dst, t[i])
			i++
			continue
		}
		j := i
		for j < len(t) && class[t[j]]&cDelim == 0 {
			j++
		}
		seg := t[i:j]
		switch {
		case allDigits(seg):
			dst = append(dst, phNumber...)
		case isHexID(seg):
			dst = append(dst, phHex...)
		default:
			for k := 0; k < len(seg); {
				if isDigit(seg[k]) {
					for k < len(seg) && isDigit(seg[k]) {
						k++
					}
					dst = append(dst, phNumber...)
					continue
				}
				dst = append(dst, seg[k])
				k++
			}
		}
		i = j
	}
	return dst
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isUUID matches 8-4-4-4-12 hex digits.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return false
			}
		} else if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// isIPv4 matches a dotted quad with an optional /prefix or :port.
func isIPv4(s string) bool {
	groups := 0
	i := 0
	for groups < 4 {
		j := i
		for j < len(s) && j-i < 3 && isDigit(s[j]) {
			j++
		}
		if j == i {
			return false
		}
		groups++
		i = j
		if groups < 4 {
			if i >= len(s) || s[i] != '.' {
				return false
			}
			i++
		}
	}
	if i == len(s) {
		return true
	}
	return (s[i] == ':' || s[i] == '/') && allDigits(s[i+1:])
}

// isIPv6 matches hex groups separated by colons, compressed ("::") or of
// eight groups, with an optional IPv4 tail or %zone.
func isIPv6(s string) bool {
	if z := strings.IndexByte(s, '%'); z > 0 {
		s = s[:z]
	}
	colons := strings.Count(s, ":")
	if colons < 2 || colons > 7 || (colons < 7 && !strings.Contains(s, "::")) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isHex(c) && c != ':' && c != '.' {
			return false
		}
	}
	return true
}

func isEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') {
		return false
	}
	for i := 0; i < at; i++ {
		if c := s[i]; !isAlnum(c) && strings.IndexByte("._%+-", c) < 0 {
			return false
		}
	}
	return isDomain(s[at+1:], 1)
}

// isDomain matches dot-separated labels of letters, digits and hyphens,
// with at least minDots dots and an alphabetic last label.
func isDomain(s string, minDots int) bool {
	if s == "" || strings.Count(s, ".") < minDots {
		return false
	}
	last := s[strings.LastIndexByte(s, '.')+1:]
	if len(last) < 2 {
		return false
	}
	for i := 0; i < len(last); i++ {
		if !isLetter(last[i]) {
			return false
		}
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isAlnum(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

// isHost matches a host name with at least two dots ("db.prod.internal"),
// or any host name or "localhost" with a :port.
func isHost(s string) bool {
	if i := strings.LastIndexByte(s, ':'); i > 0 && allDigits(s[i+1:]) {
		h := s[:i]
		return h == "localhost" || isDomain(h, 1)
	}
	return isDomain(s, 2)
}

// isPath matches absolute, home-relative and dot-relative paths, Windows
// paths, and relative paths whose segments include a dotted name
// ("data/input.csv", "github.com/org/repo").
func isPath(s string) bool {
	if len(s) < 2 {
		return false
	}
	switch {
	case s[0] == '/' || s[0] == '~' && s[1] == '/' || s[0] == '\\' && s[1] == '\\':
		return true
	case strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../"):
		return true
	case len(s) >= 3 && isLetter(s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/'):
		return true
	}
	if !strings.ContainsAny(s, "/\\") {
		return false
	}
	for seg := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == '/' || r == '\\' }) {
		if d := strings.IndexByte(seg, '.'); d > 0 && d < len(seg)-1 {
			return true
		}
	}
	return false
}

// isDuration matches Go duration strings: one or more number+unit pairs
// with units ns, us, µs, ms, s, m, h ("1.5s", "2h45m0.5s").
func isDuration(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	pairs := 0
	for s != "" {
		i := 0
		for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
			i++
		}
		if i == 0 || !isDigit(s[0]) {
			return false
		}
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "ns"), strings.HasPrefix(s, "us"), strings.HasPrefix(s, "ms"):
			s = s[2:]
		case strings.HasPrefix(s, "µs"), strings.HasPrefix(s, "μs"):
			s = s[len("µs"):]
		case strings.HasPrefix(s, "h"), strings.HasPrefix(s, "m"), strings.HasPrefix(s, "s"):
			s = s[1:]
		default:
			return false
		}
		pairs++
	}
	return pairs > 0
}

// isNumber matches integers and decimals with optional sign, digit
// grouping, exponent and percent sign ("-42", "1,024", "3.5e-3", "99.9%").
func isNumber(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	s = strings.TrimSuffix(s, "%")
	if s == "" || !isDigit(s[0]) && (s[0] != '.' || len(s) < 2 || !isDigit(s[1])) {
		return false
	}
	i := 0
	for i < len(s) && (isDigit(s[i]) || s[i] == '.' || s[i] == ',' || s[i] == '_') {
		i++
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if i == len(s) {
			return false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	return i == len(s)
}

// isHexID matches 0x-prefixed hex, hex words of at least four digits that
// mix digits and letters ("9f86d081", "a1b2"), and words of at least
// eight hex letters only, all lower case or all upper case ("deadbeef",
// "CAFEBABEFACE"): one in 2^32 random 32-bit ids is such a word, and
// English words of eight or more letters a-f are rare ("effaced" has
// seven), so shorter ones ("added", "cafe", "decade") stay words.
func isHexID(s string) bool {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		for i := 2; i < len(s); i++ {
			if !isHex(s[i]) {
				return false
			}
		}
		return true
	}
	if len(s) < 4 {
		return false
	}
	digit, lower, upper := false, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			digit = true
		case c >= 'a' && c <= 'f':
			lower = true
		case c >= 'A' && c <= 'F':
			upper = true
		default:
			return false
		}
	}
	if digit {
		return lower || upper
	}
	return len(s) >= 8 && lower != upper
}
