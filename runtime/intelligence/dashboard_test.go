package intelligence_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// node is a parsed XHTML element.
type node struct {
	name  string
	attrs map[string]string
	kids  []*node
	text  strings.Builder // text directly inside, and of descendants
}

// parseXHTML parses the page with encoding/xml in strict mode: the page
// must be well-formed.
func parseXHTML(t *testing.T, r io.Reader) *node {
	t.Helper()
	dec := xml.NewDecoder(r)
	dec.Strict = true
	root := &node{name: "#document"}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the dashboard is not well-formed XHTML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{name: tk.Name.Local, attrs: map[string]string{}}
			for _, a := range tk.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			for _, n := range stack {
				n.text.Write(tk)
			}
		}
	}
	return root
}

func (n *node) walk(f func(*node)) {
	f(n)
	for _, k := range n.kids {
		k.walk(f)
	}
}

func (n *node) byID(id string) *node {
	var found *node
	n.walk(func(m *node) {
		if m.attrs["id"] == id && found == nil {
			found = m
		}
	})
	return found
}

// rows returns the cell texts of the rows of tbody id, keyed by the row's
// data attribute key.
func (n *node) rows(t *testing.T, id, key string) map[string][]string {
	t.Helper()
	body := n.byID(id)
	if body == nil {
		t.Fatalf("no element with id %q", id)
	}
	out := map[string][]string{}
	for _, tr := range body.kids {
		var cells []string
		for _, td := range tr.kids {
			cells = append(cells, strings.TrimSpace(td.text.String()))
		}
		out[tr.attrs[key]] = cells
	}
	return out
}

// dashboardTracker builds a tracker with something in every section.
func dashboardTracker() (*intelligence.Tracker, func() time.Time) {
	tr, clk := newTracker(intelligence.WithObjective(intelligence.Objective{Agent: opA.Agent, Target: 0.99}))
	other := intelligence.Op{Agent: "loader", Worker: "CSVWorker", Operation: "Load"}
	errA := &schemaError{"column age: want int"}
	for range 30 {
		traffic(tr, clk, errA, 6*time.Minute, 5, 5)
		tr.TrackSuccess(other, 40*time.Millisecond)
	}
	_ = tr.RecordFix(intelligence.Fingerprint(errA), "cast the column")
	tr.TrackError(other, errors.New(`<script>alert("x")</script> password=hunter2`), time.Second)
	return tr, clk.Now
}

func TestDashboard(t *testing.T) {
	tr, _ := dashboardTracker()
	srv := httptest.NewServer(tr.Handler())
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL+"/debug/intelligence", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8") // a browser
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	page := parseXHTML(t, resp.Body)
	snap := tr.Snapshot()

	// Self-contained: one inline script, allowed by its hash, and no
	// reference to anything outside the page.
	var scripts []*node
	page.walk(func(n *node) {
		if n.name == "script" {
			scripts = append(scripts, n)
		}
		for _, a := range []string{"src", "href", "srcset", "action"} {
			if v, ok := n.attrs[a]; ok {
				t.Errorf("<%s %s=%q>: the page must load nothing", n.name, a, v)
			}
		}
		if n.name == "link" || n.name == "iframe" || n.name == "img" {
			t.Errorf("<%s> in a self-contained page", n.name)
		}
		if n.name == "style" || n.name == "script" {
			if s := n.text.String(); strings.Contains(s, "@import") || strings.Contains(s, "url(") || strings.Contains(s, "//cdn") {
				t.Errorf("<%s> loads something: %s", n.name, s)
			}
		}
	})
	if len(scripts) != 1 {
		t.Fatalf("%d script elements, want the one inline script (a message must not inject one)", len(scripts))
	}
	sum := sha256.Sum256([]byte(scripts[0].text.String()))
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") ||
		!strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("CSP %q does not allow exactly the inline script", csp)
	}
	if !strings.Contains(scripts[0].text.String(), `"format", "json"`) {
		t.Error("the script does not refresh from the JSON")
	}

	// Every section shows the snapshot.
	agents := page.rows(t, "agents", "data-agent")
	for _, h := range snap.Agents {
		got := agents[h.Agent]
		if len(got) != 9 || got[1] != string(h.Status) || got[2] != h.Reason || got[3] != fmt.Sprint(h.Runs) {
			t.Errorf("agent row %q = %q, want status %s, reason %q, runs %d", h.Agent, got, h.Status, h.Reason, h.Runs)
		}
	}
	workers := page.rows(t, "workers", "data-worker")
	if len(workers) != len(snap.Workers) {
		t.Errorf("%d worker rows, want %d", len(workers), len(snap.Workers))
	}
	for _, h := range snap.Workers {
		got := workers[h.Worker]
		if len(got) != 11 || got[0] != h.Agent || got[2] != string(h.Status) || got[3] != h.Reason || got[9] != fmt.Sprint(h.ConsecutiveFailures) {
			t.Errorf("worker row %q = %q, want %s %q", h.Worker, got, h.Status, h.Reason)
		}
	}
	budgets := page.rows(t, "budgets", "data-agent")
	b := snap.Budgets[0]
	if got := budgets[b.Agent]; len(got) != 6 || !strings.Contains(got[4], "1h ") || !strings.Contains(got[5], "page 6h/30m > 6: FIRING") {
		t.Errorf("budget row = %q, want burn rates and the firing page alert (budget %+v)", got, b)
	}
	patterns := page.rows(t, "patterns", "data-pattern")
	if len(patterns) != len(snap.Patterns) {
		t.Errorf("%d pattern rows, want %d", len(patterns), len(snap.Patterns))
	}
	for _, p := range snap.Patterns {
		got := patterns[p.ID]
		if len(got) != 8 || got[1] != p.Message || got[3] != fmt.Sprint(p.Count) || got[5] != p.Trend.Direction {
			t.Errorf("pattern row %s = %q, want message %q, count %d, trend %s", p.ID, got, p.Message, p.Count, p.Trend.Direction)
		}
		if strings.Contains(strings.Join(got, " "), "hunter2") {
			t.Errorf("the dashboard shows a secret: %q", got)
		}
	}
	recs := page.rows(t, "recommendations", "data-rule")
	if len(snap.Recommendations) == 0 {
		t.Fatal("the test tracker has no recommendations")
	}
	for _, r := range snap.Recommendations {
		got := recs[r.Rule]
		if len(got) != 6 || got[0] != string(r.Severity) || got[3] != r.Summary || got[4] != r.Action || !strings.Contains(got[5], "=") {
			t.Errorf("recommendation row %s = %q, want %q / %q with evidence", r.Rule, got, r.Summary, r.Action)
		}
	}
	fixes := page.rows(t, "fixes", "data-pattern")
	f := snap.Fixes[0]
	if got := fixes[f.Pattern]; len(got) != 6 || got[1] != f.Description || got[3] != string(f.Verdict) || got[4] != f.Reason {
		t.Errorf("fix row = %q, want %s %q", got, f.Verdict, f.Reason)
	}
}

// TestHandlerNegotiation: browsers get the page, everything else JSON.
func TestHandlerNegotiation(t *testing.T) {
	tr, _ := dashboardTracker()
	tests := []struct {
		target, accept string
		html           bool
	}{
		{"/", "", false},
		{"/", "*/*", false},
		{"/", "application/json", false},
		{"/", "text/html", true},
		{"/", "text/html;q=0, application/json", false},
		{"/?format=html", "", true},
		{"/?format=json", "text/html", false},
		{"/?pretty", "application/json", false},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", tt.target, nil)
		if tt.accept != "" {
			req.Header.Set("Accept", tt.accept)
		}
		rec := httptest.NewRecorder()
		tr.Handler().ServeHTTP(rec, req)
		ct := rec.Header().Get("Content-Type")
		if got := strings.HasPrefix(ct, "text/html"); got != tt.html || rec.Code != 200 {
			t.Errorf("GET %s Accept %q: %d %s, want html=%v", tt.target, tt.accept, rec.Code, ct, tt.html)
		}
		if !tt.html {
			var s intelligence.Snapshot
			if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil || s.SchemaVersion != intelligence.SchemaVersion {
				t.Errorf("GET %s: not the JSON snapshot: %v", tt.target, err)
			}
		}
	}
	// An empty tracker renders a valid page too.
	rec := httptest.NewRecorder()
	intelligence.MustNew().Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/?format=html", nil))
	page := parseXHTML(t, rec.Body)
	if rows := page.rows(t, "workers", "data-worker"); len(rows) != 1 || !strings.Contains(rows[""][0], "no runs") {
		t.Errorf("empty dashboard workers = %q", rows)
	}
}
