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

// redactAttrs returns a bounded, redacted copy of attrs: at most MaxAttrs
// attributes (the number dropped is added as "attrs_dropped"), secrets
// replaced by Redacted, strings truncated to MaxAttrValueLen, large
// collections summarised, and groups handled recursively; then the
// configured redactor runs.
func (t *Tracker) redactAttrs(attrs []slog.Attr) []slog.Attr {
	if len(attrs) == 0 {
		return nil
	}
	n := min(len(attrs), t.cfg.limits.MaxAttrs)
	out := make([]slog.Attr, 0, n+1)
	for _, a := range attrs[:n] {
		if a = t.redactAttr(nil, a, 0); a.Key != "" || a.Value.Kind() == slog.KindGroup {
			out = append(out, a)
		}
	}
	if dropped := len(attrs) - n; dropped > 0 {
		t.attrsDropped.Add(uint64(dropped))
		out = append(out, slog.Int("attrs_dropped", dropped))
	}
	return out
}

func (t *Tracker) redactAttr(groups []string, a slog.Attr, depth int) slog.Attr {
	maxLen := t.cfg.limits.MaxAttrValueLen
	a.Key = truncate(a.Key, maxNameLen)
	v := a.Value.Resolve()
	switch {
	case t.cfg.scrub.secretKey(a.Key):
		v = slog.StringValue(Redacted)
	case v.Kind() == slog.KindString:
		v = slog.StringValue(truncateNote(t.cfg.scrub.text(v.String()), maxLen))
	case v.Kind() == slog.KindGroup:
		g := v.Group()
		if depth >= 3 {
			v = slog.StringValue(fmt.Sprintf("group of %d attributes", len(g)))
			break
		}
		n := min(len(g), t.cfg.limits.MaxAttrs)
		sub := make([]slog.Attr, 0, n)
		for _, ga := range g[:n] {
			sub = append(sub, t.redactAttr(append(groups, a.Key), ga, depth+1))
		}
		if len(g) > n {
			t.attrsDropped.Add(uint64(len(g) - n))
		}
		v = slog.GroupValue(sub...)
	case v.Kind() == slog.KindAny:
		v = slog.StringValue(t.cfg.scrub.value(v.Any(), maxLen))
	}
	a.Value = v
	if t.cfg.redactor != nil {
		a = t.cfg.redactor(groups, a)
	}
	return a
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
