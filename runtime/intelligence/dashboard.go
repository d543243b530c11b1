package intelligence

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The dashboard is one self-contained HTML page (no external scripts,
// styles, fonts or images: it works offline and under a strict
// Content-Security-Policy). The server renders it from a Snapshot, so it
// reads without JavaScript; an inline script then refreshes it every
// dashboardRefresh from the same handler's JSON (?format=json). It is
// well-formed XHTML served as text/html, so tests parse it with
// encoding/xml.

// dashboardRefresh is how often the page reloads the JSON.
const dashboardRefresh = 15 * time.Second

// maxDashboardPatterns bounds the patterns listed on the page.
const maxDashboardPatterns = 20

// wantsHTML decides the representation Handler serves: ?format=html or
// ?format=json when given, else HTML when the request accepts text/html
// (a browser), JSON otherwise (curl, fetch, monitoring).
func wantsHTML(r *http.Request) bool {
	switch r.URL.Query().Get("format") {
	case "html":
		return true
	case "json":
		return false
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		fields := strings.Split(part, ";")
		mt := strings.ToLower(strings.TrimSpace(fields[0]))
		if mt != "text/html" && mt != "application/xhtml+xml" {
			continue
		}
		for _, p := range fields[1:] {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.TrimSpace(k) == "q" {
				if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && q == 0 {
					return false // "text/html;q=0": explicitly not wanted
				}
			}
		}
		return true
	}
	return false
}

// dashboardCSP allows only the page's own inline style and script (by
// hash) and fetches to its own origin.
var dashboardCSP = func() string {
	sum := sha256.Sum256([]byte(dashboardScript))
	return "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" +
		base64.StdEncoding.EncodeToString(sum[:]) + "'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

// serveDashboard writes the page for snap.
func serveDashboard(w http.ResponseWriter, r *http.Request, snap Snapshot) {
	var body bytes.Buffer
	if err := dashboardTemplate.Execute(&body, dashboardData(snap)); err != nil {
		http.Error(w, "intelligence: rendering dashboard: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", dashboardCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Vary", "Accept")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body.Bytes())
}

// dashboard is what the template renders.
type dashboard struct {
	Snapshot
	TopPatterns []Pattern
	MorePattern int
	RefreshMS   int64
	Script      template.JS
}

func dashboardData(s Snapshot) dashboard {
	d := dashboard{Snapshot: s, RefreshMS: dashboardRefresh.Milliseconds(), Script: template.JS(dashboardScript)}
	d.TopPatterns = s.Patterns[:min(len(s.Patterns), maxDashboardPatterns)]
	d.MorePattern = len(s.Patterns) - len(d.TopPatterns)
	return d
}

var dashboardFuncs = template.FuncMap{
	"pct": func(f float64) string {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", 100*f)
	},
	"num": func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"ratio": func(f float64) string {
		return fmt.Sprintf("%.4f", f)
	},
	"dur": func(d time.Duration) string {
		switch {
		case d == 0:
			return "–"
		case d < time.Millisecond:
			return d.Round(time.Microsecond).String()
		case d < time.Second:
			return d.Round(100 * time.Microsecond).String()
		}
		return d.Round(10 * time.Millisecond).String()
	},
	"when": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") },
	"evidence": func(m map[string]any) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			v := m[k]
			if f, ok := v.(float64); ok {
				v = math.Round(f*10000) / 10000
			}
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
		return strings.Join(parts, "; ")
	},
	"joinTypes": func(s []string) string { return strings.Join(s, " > ") },
}

// dashboardScript refreshes the page from the JSON. It builds every
// element with textContent, never innerHTML, so no message can inject
// markup. It must stay free of '<' and '&' (the page is parsed as XML by
// its test), and it is allowed by its hash in the Content-Security-Policy.
// The 20 is maxDashboardPatterns.
const dashboardScript = `(function () {
  "use strict";
  var refresh = +document.body.getAttribute("data-refresh-ms") || 15000;
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function row(cells, attrs) {
    var tr = document.createElement("tr");
    cells.forEach(function (c) { tr.appendChild(c.nodeType ? c : el("td", c)); });
    if (attrs) Object.keys(attrs).forEach(function (k) { tr.setAttribute(k, attrs[k]); });
    return tr;
  }
  function pct(f) { return (100 * f).toFixed(1) + "%"; }
  function dur(ns) {
    if (!ns) return "–";
    var ms = ns / 1e6;
    if (ms >= 3600000) return (ms / 3600000).toFixed(1) + "h";
    if (ms >= 60000) return (ms / 60000).toFixed(1) + "m";
    if (ms >= 1000) return (ms / 1000).toFixed(2) + "s";
    return ms.toFixed(ms >= 1 ? 1 : 3) + "ms";
  }
  function status(s) { return el("td", s, "status status-" + s); }
  function evidence(m) {
    return Object.keys(m || {}).sort().map(function (k) {
      var v = m[k];
      if (typeof v === "number") v = Math.round(v * 10000) / 10000;
      return k + "=" + v;
    }).join("; ");
  }
  function fill(id, rows) {
    var body = document.getElementById(id);
    if (!body) return;
    while (body.firstChild) body.removeChild(body.firstChild);
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function health(h, withWorker) {
    var cells = [h.agent];
    if (withWorker) cells.push(h.worker);
    cells.push(status(h.status), h.reason, String(h.runs), pct(h.success_rate),
      h.window ? pct(h.window_success_rate) + " / " + h.window : "–",
      dur(h.latency.p50_ns), dur(h.latency.p99_ns), String(h.consecutive_failures));
    if (withWorker) cells.push(h.retries.calls + " / " + h.retries.recovered + " / " + h.retries.exhausted);
    return row(cells, withWorker ? {"data-agent": h.agent, "data-worker": h.worker} : {"data-agent": h.agent});
  }
  function render(s) {
    document.getElementById("generated").textContent = s.generated_at;
    fill("agents", s.agents.map(function (h) { return health(h, false); }));
    fill("workers", s.workers.map(function (h) { return health(h, true); }));
    fill("budgets", s.budgets.map(function (b) {
      var burns = b.burn_rates.map(function (r) { return r.window + " " + r.rate.toFixed(2); }).join(", ");
      var alerts = b.alerts.map(function (a) {
        var st = a.firing ? "FIRING" : (a.too_few_events ? "too few events" : "ok");
        return a.severity + " " + a.long + "/" + a.short + " \u003e " + a.threshold + ": " + st;
      }).join("; ");
      var firing = b.alerts.some(function (a) { return a.firing; });
      return row([b.agent, b.worker || "(all)", pct(b.target), pct(b.remaining), burns,
        el("td", alerts, firing ? "alert firing" : "alert")], {"data-agent": b.agent});
    }));
    var top = s.patterns.slice(0, 20);
    fill("patterns", top.map(function (p) {
      var t = p.trend;
      return row([p.id, p.message, p.kind || "", String(p.count), String(p.retried),
        el("td", t.direction, "trend trend-" + t.direction),
        t.last_1h + " / " + t.last_6h + " / " + t.last_24h,
        p.workers.map(function (w) { return w.worker + " (" + w.count + ")"; }).join(", ")], {"data-pattern": p.id});
    }));
    fill("recommendations", s.recommendations.map(function (r) {
      return row([el("td", r.severity, "severity severity-" + r.severity), r.rule,
        [r.agent, r.worker].filter(Boolean).join("/"), r.summary, r.action, evidence(r.evidence)], {"data-rule": r.rule});
    }));
    fill("fixes", s.fixes.map(function (f) {
      return row([String(f.rank), f.description, f.message, el("td", f.verdict, "verdict verdict-" + f.verdict),
        f.reason, f.before_error_ratio.toFixed(4) + " → " + f.after_error_ratio.toFixed(4)], {"data-pattern": f.pattern});
    }));
    document.getElementById("state").textContent = "live";
  }
  function load() {
    var url = new URL(window.location.href);
    url.searchParams.set("format", "json");
    fetch(url.toString(), {headers: {"Accept": "application/json"}, cache: "no-store"})
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(render)
      .catch(function (e) { document.getElementById("state").textContent = "refresh failed: " + e.message; });
  }
  setInterval(load, refresh);
})();
`

var dashboardTemplate = template.Must(template.New("dashboard").Funcs(dashboardFuncs).Parse(`<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>resilience intelligence</title>
<style>
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #1d2125; background: #fafbfc; }
h1 { font-size: 1.4em; margin: 0 0 .2em; } h2 { font-size: 1.1em; margin: 1.6em 0 .4em; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #dde1e5; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #5b6570; }
.status, .verdict, .severity, .trend { font-weight: 600; }
.status-healthy, .verdict-effective { color: #17803d; }
.status-degraded, .severity-warning, .trend-rising, .verdict-pending, .verdict-insufficient_data { color: #a15c00; }
.status-failing, .severity-critical, .verdict-regressed, .verdict-ineffective, .alert.firing { color: #b3261e; }
.status-unknown, .severity-info, .trend-quiet { color: #5b6570; }
.empty { color: #5b6570; font-style: italic; }
code { font-size: .95em; }
</style>
</head>
<body data-refresh-ms="{{.RefreshMS}}">
<h1>resilience intelligence</h1>
<p class="meta">snapshot <span id="generated">{{when .GeneratedAt}}</span> · schema {{.SchemaVersion}} · <span id="state">static</span> · refreshed every {{.RefreshMS}} ms from <code>?format=json</code> · overflow: ops {{.Overflow.Ops}}, patterns {{.Overflow.Patterns}}, attrs dropped {{.Overflow.AttrsDropped}}</p>

<h2>Agents</h2>
<table>
<thead><tr><th>agent</th><th>status</th><th>reason</th><th>runs</th><th>success</th><th>window</th><th>p50</th><th>p99</th><th>streak</th></tr></thead>
<tbody id="agents">{{range .Agents}}
<tr data-agent="{{.Agent}}"><td>{{.Agent}}</td><td class="status status-{{.Status}}">{{.Status}}</td><td>{{.Reason}}</td><td class="num">{{.Runs}}</td><td class="num">{{pct .SuccessRate}}</td><td>{{if .Window}}{{pct .WindowSuccessRate}} / {{.Window}}{{else}}–{{end}}</td><td class="num">{{dur .Latency.P50}}</td><td class="num">{{dur .Latency.P99}}</td><td class="num">{{.ConsecutiveFailures}}</td></tr>{{else}}
<tr><td class="empty" colspan="9">no runs tracked yet</td></tr>{{end}}
</tbody>
</table>

<h2>Workers</h2>
<table>
<thead><tr><th>agent</th><th>worker</th><th>status</th><th>reason</th><th>runs</th><th>success</th><th>window</th><th>p50</th><th>p99</th><th>streak</th><th>retried calls / recovered / exhausted</th></tr></thead>
<tbody id="workers">{{range .Workers}}
<tr data-agent="{{.Agent}}" data-worker="{{.Worker}}"><td>{{.Agent}}</td><td>{{.Worker}}</td><td class="status status-{{.Status}}">{{.Status}}</td><td>{{.Reason}}</td><td class="num">{{.Runs}}</td><td class="num">{{pct .SuccessRate}}</td><td>{{if .Window}}{{pct .WindowSuccessRate}} / {{.Window}}{{else}}–{{end}}</td><td class="num">{{dur .Latency.P50}}</td><td class="num">{{dur .Latency.P99}}</td><td class="num">{{.ConsecutiveFailures}}</td><td>{{.Retries.Calls}} / {{.Retries.Recovered}} / {{.Retries.Exhausted}}</td></tr>{{else}}
<tr><td class="empty" colspan="11">no runs tracked yet</td></tr>{{end}}
</tbody>
</table>

<h2>Error budgets</h2>
<table>
<thead><tr><th>agent</th><th>worker</th><th>target</th><th>remaining (72h)</th><th>burn rates</th><th>alerts</th></tr></thead>
<tbody id="budgets">{{range .Budgets}}
<tr data-agent="{{.Agent}}"><td>{{.Agent}}</td><td>{{if .Worker}}{{.Worker}}{{else}}(all){{end}}</td><td class="num">{{pct .Target}}</td><td class="num">{{pct .Remaining}}</td><td>{{range $i, $r := .BurnRates}}{{if $i}}, {{end}}{{$r.Window}} {{num $r.Rate}}{{end}}</td><td class="alert{{if .Breached}} firing{{end}}">{{range $i, $a := .Alerts}}{{if $i}}; {{end}}{{$a.Severity}} {{$a.Long}}/{{$a.Short}} &gt; {{$a.Threshold}}: {{if $a.Firing}}FIRING{{else if $a.TooFewEvents}}too few events{{else}}ok{{end}}{{end}}</td></tr>{{else}}
<tr><td class="empty" colspan="6">no objectives (intelligence.WithObjective)</td></tr>{{end}}
</tbody>
</table>

<h2>Top error patterns</h2>
<table>
<thead><tr><th>id</th><th>message</th><th>kind</th><th>failed runs</th><th>retried</th><th>trend</th><th>1h / 6h / 24h</th><th>workers</th></tr></thead>
<tbody id="patterns">{{range .TopPatterns}}
<tr data-pattern="{{.ID}}"><td><code>{{.ID}}</code></td><td>{{.Message}}</td><td>{{.Kind}}</td><td class="num">{{.Count}}</td><td class="num">{{.Retried}}</td><td class="trend trend-{{.Trend.Direction}}">{{.Trend.Direction}}</td><td>{{.Trend.Last1h}} / {{.Trend.Last6h}} / {{.Trend.Last24h}}</td><td>{{range $i, $w := .Workers}}{{if $i}}, {{end}}{{$w.Worker}} ({{$w.Count}}){{end}}</td></tr>{{else}}
<tr><td class="empty" colspan="8">no errors</td></tr>{{end}}
</tbody>
</table>{{if .MorePattern}}
<p class="meta">{{.MorePattern}} more patterns in the JSON.</p>{{end}}

<h2>Recommendations</h2>
<table>
<thead><tr><th>severity</th><th>rule</th><th>where</th><th>summary</th><th>action</th><th>evidence</th></tr></thead>
<tbody id="recommendations">{{range .Recommendations}}
<tr data-rule="{{.Rule}}"><td class="severity severity-{{.Severity}}">{{.Severity}}</td><td>{{.Rule}}</td><td>{{.Agent}}{{if and .Agent .Worker}}/{{end}}{{.Worker}}</td><td>{{.Summary}}</td><td>{{.Action}}</td><td>{{evidence .Evidence}}</td></tr>{{else}}
<tr><td class="empty" colspan="6">nothing to recommend</td></tr>{{end}}
</tbody>
</table>

<h2>Fixes</h2>
<table>
<thead><tr><th>rank</th><th>fix</th><th>pattern</th><th>verdict</th><th>reason</th><th>error ratio before → after</th></tr></thead>
<tbody id="fixes">{{range .Fixes}}
<tr data-pattern="{{.Pattern}}"><td class="num">{{.Rank}}</td><td>{{.Description}}</td><td>{{.Message}}</td><td class="verdict verdict-{{.Verdict}}">{{.Verdict}}</td><td>{{.Reason}}</td><td>{{ratio .BeforeErrorRatio}} → {{ratio .AfterErrorRatio}}</td></tr>{{else}}
<tr><td class="empty" colspan="6">no fixes recorded (Tracker.RecordFix)</td></tr>{{end}}
</tbody>
</table>
<script>{{.Script}}</script>
</body>
</html>
`))
