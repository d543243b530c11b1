package intelligence

import (
	"fmt"
	"log/slog"
	"math"
	"strconv"
)

// Redacted replaces the value of an attribute whose key names a secret.
const Redacted = "[REDACTED]"

// maxCollection is the length above which a slice, array or map attribute
// is summarised ("[]float64 len=100000") rather than kept.
const maxCollection = 16

// attrBudget bounds one record's attributes as a whole, whatever the
// nesting of groups: leaves and bytes (keys and rendered values) left.
type attrBudget struct {
	leaves, bytes int
	dropped       int
}

// take charges one leaf of n bytes, or reports that it does not fit.
func (b *attrBudget) take(n int) bool {
	if b.leaves <= 0 || n > b.bytes {
		b.dropped++
		return false
	}
	b.leaves--
	b.bytes -= n
	return true
}

// redactAttrs returns a bounded, redacted copy of attrs: at most MaxAttrs
// attributes per level, at most MaxAttrLeaves leaves and MaxAttrBytes
// bytes of keys and values in all (the number dropped, at every depth, is
// added as "attrs_dropped"), secrets replaced by Redacted, strings
// scrubbed and truncated to MaxAttrValueLen, large collections summarised,
// and groups handled recursively; then the configured redactor runs.
func (t *Tracker) redactAttrs(attrs []slog.Attr) []slog.Attr {
	if len(attrs) == 0 {
		return nil
	}
	n := min(len(attrs), t.cfg.limits.MaxAttrs)
	out := make([]slog.Attr, 0, n+1)
	b := &attrBudget{leaves: t.cfg.limits.MaxAttrLeaves, bytes: t.cfg.limits.MaxAttrBytes}
	b.dropped = len(attrs) - n
	for _, a := range attrs[:n] {
		if a, ok := t.redactAttr(nil, a, 0, b); ok && (a.Key != "" || a.Value.Kind() == slog.KindGroup) {
			out = append(out, a)
		}
	}
	if b.dropped > 0 {
		t.attrsDropped.Add(uint64(b.dropped))
		out = append(out, slog.Int("attrs_dropped", b.dropped))
	}
	return out
}

// redactAttr returns a redacted and bounded a, or false when the record's
// budget has no room for it.
func (t *Tracker) redactAttr(groups []string, a slog.Attr, depth int, b *attrBudget) (slog.Attr, bool) {
	maxLen := t.cfg.limits.MaxAttrValueLen
	a.Key = truncate(a.Key, maxNameLen)
	v := a.Value.Resolve()
	switch {
	case t.cfg.scrub.secretKey(a.Key):
		v = slog.StringValue(Redacted)
	case v.Kind() == slog.KindString:
		v = slog.StringValue(t.scrubValue(v.String(), maxLen))
	case v.Kind() == slog.KindGroup:
		g := v.Group()
		if depth >= 3 {
			v = slog.StringValue(fmt.Sprintf("group of %d attributes", len(g)))
			break
		}
		if b.bytes < len(a.Key) || b.leaves <= 0 {
			b.dropped++
			return a, false
		}
		b.bytes -= len(a.Key)
		n := min(len(g), t.cfg.limits.MaxAttrs)
		sub := make([]slog.Attr, 0, n)
		for _, ga := range g[:n] {
			if ga, ok := t.redactAttr(append(groups, a.Key), ga, depth+1, b); ok {
				sub = append(sub, ga)
			}
		}
		b.dropped += len(g) - n
		a.Value = slog.GroupValue(sub...)
		if t.cfg.redactor != nil {
			a = t.cfg.redactor(groups, a)
		}
		return a, true
	case v.Kind() == slog.KindAny:
		v = slog.StringValue(t.cfg.scrub.value(v.Any(), maxLen))
	}
	a.Value = v
	if t.cfg.redactor != nil {
		a = t.cfg.redactor(groups, a)
	}
	return a, b.take(len(a.Key) + leafSize(a.Value))
}

// leafSize is the number of bytes a leaf value counts for: its text for
// strings, 8 for the other kinds (a redactor may return a group: it counts
// its rendered size).
func leafSize(v slog.Value) int {
	switch v.Kind() {
	case slog.KindString:
		return len(v.String())
	case slog.KindGroup, slog.KindAny:
		return len(v.String())
	}
	return 8
}

// scrubValue scrubs a string attribute value and truncates it to maxLen
// bytes, noting the original length. Only a prefix a little longer than
// what is kept is scrubbed, so that a long value costs no more than a
// short one, and a secret straddling the cut is still recognised.
func (t *Tracker) scrubValue(s string, maxLen int) string {
	if len(s) <= maxLen {
		return t.cfg.scrub.text(s)
	}
	out := truncate(t.cfg.scrub.text(truncate(s, maxLen+128)), maxLen)
	return out + "…(+" + strconv.Itoa(len(s)-len(out)) + " bytes)"
}

// truncateNote truncates s to n bytes, noting how much was cut.
func truncateNote(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return truncate(s, n) + "…(+" + strconv.Itoa(len(s)-n) + " bytes)"
}

// attrsToMap converts attributes to a JSON-friendly map.
func attrsToMap(attrs []slog.Attr) map[string]any {
	if len(attrs) == 0 {
		return nil
	}
	m := make(map[string]any, len(attrs))
	for _, a := range attrs {
		v := a.Value.Resolve()
		switch v.Kind() {
		case slog.KindGroup:
			m[a.Key] = attrsToMap(v.Group())
		case slog.KindDuration:
			m[a.Key] = v.Duration().String()
		case slog.KindAny:
			m[a.Key] = fmt.Sprint(v.Any())
		case slog.KindFloat64:
			if f := v.Float64(); math.IsNaN(f) || math.IsInf(f, 0) {
				m[a.Key] = strconv.FormatFloat(f, 'g', -1, 64) // JSON has no NaN or Inf
			} else {
				m[a.Key] = f
			}
		default:
			m[a.Key] = v.Any()
		}
	}
	return m
}
