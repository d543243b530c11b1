package intelligence_test

// This file keeps the implementation of Normalize as it was before the
// single-pass rewrite (commit 5d64120), renamed with a ref prefix, as the
// oracle the new one is compared against (normalize_oracle_test.go): the
// rewrite must change the speed of Normalize, never its output, because a
// pattern id is a hash of it and ids are saved (Save, RecordFix).

import "strings"

// Placeholders written by Normalize.
const (
	refPhString   = "<str>"
	refPhNumber   = "<num>"
	refPhHex      = "<hex>"
	refPhUUID     = "<uuid>"
	refPhIP       = "<ip>"
	refPhEmail    = "<email>"
	refPhURL      = "<url>"
	refPhHost     = "<host>"
	refPhPath     = "<path>"
	refPhDuration = "<duration>"
)

func refNormalize(msg string) string {
	return string(refAppendNormalized(make([]byte, 0, len(msg)+16), msg))
}

// Byte classes, looked up in one table so that the scanner does one load
// per byte and per question.
const (
	refCSpace    = 1 << iota // white space
	refCSep                  // ends a token and is copied as it is
	refCDelim                // splits a token into segments
	refCDigit                // 0-9
	refCHex                  // 0-9 a-f A-F
	refCLetter               // a-z A-Z
	refCTrail                // trailing punctuation cut off a token
	refCTrailURL             // trailing punctuation cut off a URL
)

var refClass = func() (t [256]uint8) {
	set := func(chars string, c uint8) {
		for i := 0; i < len(chars); i++ {
			t[chars[i]] |= c
		}
	}
	set(" \t\n\r\v\f", refCSpace)
	set(",;()[]{}<>|=\"`", refCSep)
	set("-_.:/@#+~'\\", refCDelim)
	set("0123456789", refCDigit|refCHex)
	set("abcdefABCDEF", refCHex)
	set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", refCLetter)
	set(".,:;!?'", refCTrail)
	set(".,:;!?)]}>'\"", refCTrailURL)
	return t
}()

func refIsSpace(c byte) bool  { return refClass[c]&refCSpace != 0 }
func refIsSep(c byte) bool    { return refClass[c]&refCSep != 0 }
func refIsDigit(c byte) bool  { return refClass[c]&refCDigit != 0 }
func refIsLetter(c byte) bool { return refClass[c]&refCLetter != 0 }
func refIsHex(c byte) bool    { return refClass[c]&refCHex != 0 }
func refIsAlnum(c byte) bool  { return refClass[c]&(refCDigit|refCLetter) != 0 }

// refAppendNormalized appends the normalised form of msg to dst.
func refAppendNormalized(dst []byte, msg string) []byte {
	start := len(dst)
	space := false
	for i := 0; i < len(msg); {
		c := msg[i]
		if refIsSpace(c) {
			space = true
			i++
			continue
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		if c == '"' || c == '`' || c == '\'' {
			if j := refClosingQuote(msg, i); j > 0 {
				dst = append(dst, refPhString...)
				i = j + 1
				continue
			}
			dst = append(dst, c)
			i++
			continue
		}
		if refIsSep(c) {
			dst = append(dst, c)
			i++
			continue
		}
		// A URL runs to the next white space, '=' and brackets included.
		end := i
		for end < len(msg) && !refIsSpace(msg[end]) {
			end++
		}
		if k := strings.Index(msg[i:end], "://"); k > 0 && refIsScheme(msg[i:i+k]) {
			_, trail := refTrimTrailing(msg[i:end], refCTrailURL)
			dst = append(dst, refPhURL...)
			dst = append(dst, trail...)
			i = end
			continue
		}
		j := i
		for j < len(msg) && (!refIsSpace(msg[j]) && !refIsSep(msg[j]) || refIsDigitGroup(msg, j)) {
			j++
		}
		core, trail := refTrimTrailing(msg[i:j], refCTrail)
		dst = refAppendToken(dst, core)
		dst = append(dst, trail...)
		i = j
	}
	return dst
}

// refIsDigitGroup reports a thousands separator at msg[i]: a comma between a
// digit and exactly three digits ("1,024").
func refIsDigitGroup(msg string, i int) bool {
	return msg[i] == ',' && i > 0 && refIsDigit(msg[i-1]) && i+4 <= len(msg) &&
		refAllDigits(msg[i+1:i+4]) && (i+4 == len(msg) || !refIsDigit(msg[i+4]))
}

// refClosingQuote returns the index of the quote closing the one at msg[i],
// or -1. Double quotes honour backslash escapes (as %q writes them); a
// single quote only closes when no letter or digit follows, so that
// apostrophes inside words are not taken for quotes.
func refClosingQuote(msg string, i int) int {
	q := msg[i]
	for j := i + 1; j < len(msg); j++ {
		switch c := msg[j]; {
		case c == '\\' && q == '"':
			j++
		case c == q:
			if q == '\'' && j+1 < len(msg) && refIsAlnum(msg[j+1]) {
				continue
			}
			return j
		}
	}
	return -1
}

func refIsScheme(s string) bool {
	if s == "" || !refIsLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !refIsAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// refTrimTrailing splits the trailing bytes of refClass cut off s.
func refTrimTrailing(s string, cut uint8) (core, trail string) {
	n := len(s)
	for n > 0 && refClass[s[n-1]]&cut != 0 {
		n--
	}
	return s[:n], s[n:]
}

// refAppendToken appends the placeholder for token t, or t with the digits in
// it replaced.
func refAppendToken(dst []byte, t string) []byte {
	switch {
	case t == "":
		return dst
	case refIsUUID(t):
		return append(dst, refPhUUID...)
	case refIsIPv4(t) || refIsIPv6(t):
		return append(dst, refPhIP...)
	case refIsEmail(t):
		return append(dst, refPhEmail...)
	case refIsPath(t):
		return append(dst, refPhPath...)
	case refIsDuration(t):
		return append(dst, refPhDuration...)
	case refIsNumber(t):
		return append(dst, refPhNumber...)
	case refIsHexID(t):
		return append(dst, refPhHex...)
	case refIsHost(t):
		return append(dst, refPhHost...)
	}
	return refAppendSegments(dst, t)
}

// refAppendSegments handles a token that is none of the recognised kinds: it
// is split at punctuation, and each segment that is a number or a hex id
// is replaced; digit runs inside words become <num>.
func refAppendSegments(dst []byte, t string) []byte {
	for i := 0; i < len(t); {
		if refClass[t[i]]&refCDelim != 0 {
			dst = append(dst, t[i])
			i++
			continue
		}
		j := i
		for j < len(t) && refClass[t[j]]&refCDelim == 0 {
			j++
		}
		seg := t[i:j]
		switch {
		case refAllDigits(seg):
			dst = append(dst, refPhNumber...)
		case refIsHexID(seg):
			dst = append(dst, refPhHex...)
		default:
			for k := 0; k < len(seg); {
				if refIsDigit(seg[k]) {
					for k < len(seg) && refIsDigit(seg[k]) {
						k++
					}
					dst = append(dst, refPhNumber...)
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

func refAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !refIsDigit(s[i]) {
			return false
		}
	}
	return true
}

// refIsUUID matches 8-4-4-4-12 hex digits.
func refIsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return false
			}
		} else if !refIsHex(s[i]) {
			return false
		}
	}
	return true
}

// refIsIPv4 matches a dotted quad with an optional /prefix or :port.
func refIsIPv4(s string) bool {
	groups := 0
	i := 0
	for groups < 4 {
		j := i
		for j < len(s) && j-i < 3 && refIsDigit(s[j]) {
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
	return (s[i] == ':' || s[i] == '/') && refAllDigits(s[i+1:])
}

// refIsIPv6 matches hex groups separated by colons, compressed ("::") or of
// eight groups, with an optional IPv4 tail or %zone.
func refIsIPv6(s string) bool {
	if z := strings.IndexByte(s, '%'); z > 0 {
		s = s[:z]
	}
	colons := strings.Count(s, ":")
	if colons < 2 || colons > 7 || (colons < 7 && !strings.Contains(s, "::")) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !refIsHex(c) && c != ':' && c != '.' {
			return false
		}
	}
	return true
}

func refIsEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') {
		return false
	}
	for i := 0; i < at; i++ {
		if c := s[i]; !refIsAlnum(c) && strings.IndexByte("._%+-", c) < 0 {
			return false
		}
	}
	return refIsDomain(s[at+1:], 1)
}

// refIsDomain matches dot-separated labels of letters, digits and hyphens,
// with at least minDots dots and an alphabetic last label.
func refIsDomain(s string, minDots int) bool {
	if s == "" || strings.Count(s, ".") < minDots {
		return false
	}
	last := s[strings.LastIndexByte(s, '.')+1:]
	if len(last) < 2 {
		return false
	}
	for i := 0; i < len(last); i++ {
		if !refIsLetter(last[i]) {
			return false
		}
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !refIsAlnum(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

// refIsHost matches a host name with at least two dots ("db.prod.internal"),
// or any host name or "localhost" with a :port.
func refIsHost(s string) bool {
	if i := strings.LastIndexByte(s, ':'); i > 0 && refAllDigits(s[i+1:]) {
		h := s[:i]
		return h == "localhost" || refIsDomain(h, 1)
	}
	return refIsDomain(s, 2)
}

// refIsPath matches absolute, home-relative and dot-relative paths, Windows
// paths, and relative paths whose segments include a dotted name
// ("data/input.csv", "github.com/org/repo").
func refIsPath(s string) bool {
	if len(s) < 2 {
		return false
	}
	switch {
	case s[0] == '/' || s[0] == '~' && s[1] == '/' || s[0] == '\\' && s[1] == '\\':
		return true
	case strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../"):
		return true
	case len(s) >= 3 && refIsLetter(s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/'):
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

// refIsDuration matches Go duration strings: one or more number+unit pairs
// with units ns, us, µs, ms, s, m, h ("1.5s", "2h45m0.5s").
func refIsDuration(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	pairs := 0
	for s != "" {
		i := 0
		for i < len(s) && (refIsDigit(s[i]) || s[i] == '.') {
			i++
		}
		if i == 0 || !refIsDigit(s[0]) {
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

// refIsNumber matches integers and decimals with optional sign, digit
// grouping, exponent and percent sign ("-42", "1,024", "3.5e-3", "99.9%").
func refIsNumber(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	s = strings.TrimSuffix(s, "%")
	if s == "" || !refIsDigit(s[0]) && (s[0] != '.' || len(s) < 2 || !refIsDigit(s[1])) {
		return false
	}
	i := 0
	for i < len(s) && (refIsDigit(s[i]) || s[i] == '.' || s[i] == ',' || s[i] == '_') {
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
		for i < len(s) && refIsDigit(s[i]) {
			i++
		}
	}
	return i == len(s)
}

// refIsHexID matches 0x-prefixed hex, hex words of at least four digits that
// mix digits and letters ("9f86d081", "a1b2"), and words of at least
// eight hex letters only, all lower case or all upper case ("deadbeef",
// "CAFEBABEFACE"): one in 2^32 random 32-bit ids is such a word, and
// English words of eight or more letters a-f are rare ("effaced" has
// seven), so shorter ones ("added", "cafe", "decade") stay words.
func refIsHexID(s string) bool {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		for i := 2; i < len(s); i++ {
			if !refIsHex(s[i]) {
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
		case refIsDigit(c):
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
