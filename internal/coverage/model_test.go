package coverage

import (
	"bytes"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

// agent builds an agent with methods given as name=status pairs.
func agent(pkg, name string, methods ...retrycoverage.Method) retrycoverage.Agent {
	return retrycoverage.Agent{Pkg: pkg, Name: name, Methods: methods}
}

func method(name string, s retrycoverage.Status, reason string) retrycoverage.Method {
	return retrycoverage.Method{Name: name, Status: s, Reason: reason}
}

func worker(pkg, name string, s intelcoverage.Status, reason string) intelcoverage.Worker {
	return intelcoverage.Worker{Pkg: pkg, Name: name, Method: "Execute", Agent: lastPathElem(pkg), Status: s, Reason: reason}
}

func lastPathElem(p string) string { return filepath.Base(p) }

func retryResults(agents ...retrycoverage.Agent) []*retrycoverage.Result {
	return []*retrycoverage.Result{{Agents: agents}}
}

func intelResults(workers ...intelcoverage.Worker) []*intelcoverage.Result {
	return []*intelcoverage.Result{{Workers: workers}}
}

func pct(f float64) *float64 { return &f }

func TestBuildTotals(t *testing.T) {
	const p = "example.com/app/agents/loader"
	tests := []struct {
		name     string
		retry    []*retrycoverage.Result
		intel    []*intelcoverage.Result
		want     Totals
		score    *float64
		statuses map[string]AgentStatus
	}{
		{
			name: "empty",
		},
		{
			name:  "nil results are skipped",
			retry: []*retrycoverage.Result{nil},
			intel: []*intelcoverage.Result{nil},
		},
		{
			name: "all covered",
			retry: retryResults(
				agent(p, "Loader", method("Load", retrycoverage.Routed, ""), method("Save", retrycoverage.Routed, "")),
			),
			intel: intelResults(worker(p, "CSVWorker", intelcoverage.Tracked, "")),
			want: Totals{
				Retry: Ratio{1, 1}, Methods: Ratio{2, 2}, Intel: Ratio{1, 1}, InScopeMethods: 2,
			},
			score:    pct(100),
			statuses: map[string]AgentStatus{"Loader": AgentCovered},
		},
		{
			name: "partly covered",
			retry: retryResults(
				agent(p, "Loader", method("Load", retrycoverage.Routed, ""), method("Save", retrycoverage.Unrouted, "no retry")),
				agent(p, "Saver", method("Put", retrycoverage.Unrouted, "no retry")),
				agent(p, "Reader", method("Get", retrycoverage.Routed, "")),
			),
			intel: intelResults(
				worker(p, "AWorker", intelcoverage.Tracked, ""),
				worker(p, "BWorker", intelcoverage.Untracked, "error path at line 9 not tracked"),
				worker(p, "CWorker", intelcoverage.Untracked, "success path not tracked"),
				worker(p, "DWorker", intelcoverage.Tracked, ""),
			),
			// methods 2/4 = 50, intel 2/4 = 50
			want: Totals{
				Retry: Ratio{1, 3}, Methods: Ratio{2, 4}, Intel: Ratio{2, 4}, InScopeMethods: 4,
			},
			score: pct(50),
			statuses: map[string]AgentStatus{
				"Loader": AgentPartial, "Saver": AgentUncovered, "Reader": AgentCovered,
			},
		},
		{
			name: "exemptions leave the denominators",
			retry: retryResults(
				agent(p, "Loader", method("Load", retrycoverage.Routed, ""), method("Stream", retrycoverage.Exempt, "consumes a reader")),
				agent(p, "Closer", method("Close", retrycoverage.Exempt, "not idempotent")),
				agent(p, "Empty"),
				agent(p, "Half", method("A", retrycoverage.Exempt, "x"), method("B", retrycoverage.Unrouted, "y")),
			),
			intel: intelResults(
				worker(p, "AWorker", intelcoverage.Exempt, "fire and forget"),
				worker(p, "BWorker", intelcoverage.Tracked, ""),
				worker(p, "CWorker", intelcoverage.Untracked, "z"),
			),
			// methods: Load routed, B missing -> 1/2; agents counted: Loader, Half -> 1/2
			// intel: 1/2; score (50+50)/2
			want: Totals{
				Retry: Ratio{1, 2}, Methods: Ratio{1, 2}, Intel: Ratio{1, 2},
				InScopeMethods: 5, ExemptMethods: 3, ExemptWorkers: 1,
			},
			score: pct(50),
			statuses: map[string]AgentStatus{
				"Loader": AgentCovered, "Closer": AgentExempt, "Empty": AgentEmpty, "Half": AgentUncovered,
			},
		},
		{
			name:  "only workers: the score is the intel coverage",
			intel: intelResults(worker(p, "AWorker", intelcoverage.Tracked, ""), worker(p, "BWorker", intelcoverage.Tracked, ""), worker(p, "CWorker", intelcoverage.Untracked, "z")),
			want:  Totals{Intel: Ratio{2, 3}},
			score: pct(200.0 / 3),
		},
		{
			name:  "only agents: the score is the methods coverage",
			retry: retryResults(agent(p, "A", method("X", retrycoverage.Unrouted, "")), agent(p, "B", method("Y", retrycoverage.Routed, ""), method("Z", retrycoverage.Routed, ""), method("W", retrycoverage.Routed, ""))),
			want:  Totals{Retry: Ratio{1, 2}, Methods: Ratio{3, 4}, InScopeMethods: 4},
			score: pct(75),
		},
		{
			name: "a package analyzed twice counts once",
			retry: []*retrycoverage.Result{
				{Agents: []retrycoverage.Agent{agent(p, "A", method("X", retrycoverage.Unrouted, ""))}},
				{Agents: []retrycoverage.Agent{agent(p, "A", method("X", retrycoverage.Unrouted, ""), method("Y", retrycoverage.Routed, ""))}},
			},
			intel: []*intelcoverage.Result{
				{Workers: []intelcoverage.Worker{worker(p, "AWorker", intelcoverage.Tracked, "")}},
				{Workers: []intelcoverage.Worker{worker(p, "AWorker", intelcoverage.Tracked, "")}},
			},
			want:     Totals{Retry: Ratio{0, 1}, Methods: Ratio{1, 2}, Intel: Ratio{1, 1}, InScopeMethods: 2},
			score:    pct(75),
			statuses: map[string]AgentStatus{"A": AgentPartial},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Build(tt.retry, tt.intel, Options{})
			if r.SchemaVersion != SchemaVersion {
				t.Errorf("SchemaVersion = %d", r.SchemaVersion)
			}
			if r.Totals != tt.want {
				t.Errorf("Totals = %+v, want %+v", r.Totals, tt.want)
			}
			switch {
			case tt.score == nil && r.Score.Value != nil:
				t.Errorf("score = %v, want undefined", *r.Score.Value)
			case tt.score != nil && r.Score.Value == nil:
				t.Errorf("score undefined, want %v", *tt.score)
			case tt.score != nil && *r.Score.Value != *tt.score:
				t.Errorf("score = %v, want %v", *r.Score.Value, *tt.score)
			}
			if r.Score.Formula != Formula || len(r.Score.Inputs) != 2 {
				t.Errorf("score formula/inputs = %q %+v", r.Score.Formula, r.Score.Inputs)
			}
			for _, a := range r.Agents {
				if want, ok := tt.statuses[a.Name]; ok && a.Status != want {
					t.Errorf("agent %s status = %s, want %s", a.Name, a.Status, want)
				}
				if a.Routed+a.Exempt+a.Missing != a.InScope || a.InScope != len(a.Methods) {
					t.Errorf("agent %s counts inconsistent: %+v", a.Name, a)
				}
			}
		})
	}
}

func TestBuildOrderAndPaths(t *testing.T) {
	dir := filepath.FromSlash("/src/app")
	pos := func(file string, line int) token.Position {
		return token.Position{Filename: filepath.Join(dir, filepath.FromSlash(file)), Line: line}
	}
	retry := []*retrycoverage.Result{
		{Agents: []retrycoverage.Agent{{Pkg: "b/agents/z", Name: "Z", Methods: []retrycoverage.Method{
			{Name: "Second", Pos: pos("agents/z/z.go", 20)},
			{Name: "First", Pos: pos("agents/z/z.go", 10)},
		}}}},
		{Agents: []retrycoverage.Agent{{Pkg: "a/agents/y", Name: "Y", Pos: token.Position{Filename: "/elsewhere/y.go", Line: 3}}}},
	}
	r := Build(retry, nil, Options{Dir: dir})
	if got := []string{r.Agents[0].Name, r.Agents[1].Name}; got[0] != "Y" || got[1] != "Z" {
		t.Fatalf("agents order = %v, want [Y Z]", got)
	}
	z := r.Agents[1]
	if z.Methods[0].Name != "First" || z.Methods[0].File != "agents/z/z.go" || z.Methods[0].Line != 10 {
		t.Errorf("first method = %+v, want First at agents/z/z.go:10", z.Methods[0])
	}
	if y := r.Agents[0]; y.File != "/elsewhere/y.go" {
		t.Errorf("file outside Dir = %q, want it absolute", y.File)
	}
}

func TestFmtPercent(t *testing.T) {
	tests := []struct {
		p    float64
		ok   bool
		want string
	}{
		{0, false, "n/a"},
		{100, true, "100.0%"},
		{99.96, true, "99.9%"},
		{200.0 / 3, true, "66.6%"},
		{57.99999999999, true, "58.0%"},
		{0, true, "0.0%"},
	}
	for _, tt := range tests {
		if got := fmtPercent(tt.p, tt.ok); got != tt.want {
			t.Errorf("fmtPercent(%v, %v) = %q, want %q", tt.p, tt.ok, got, tt.want)
		}
	}
}

func TestRatioPercentExact(t *testing.T) {
	// Gates compare against these values: n/d must be exact where it can be.
	for _, r := range []Ratio{{9, 10}, {1, 3}, {7, 8}, {90, 100}} {
		p, ok := r.Percent()
		if !ok || p*float64(r.Total) < float64(100*r.Covered)-1e-9 || p*float64(r.Total) > float64(100*r.Covered)+1e-9 {
			t.Errorf("%v.Percent() = %v, %v", r, p, ok)
		}
	}
	if p, _ := (Ratio{9, 10}).Percent(); p < 90 {
		t.Errorf("9/10 = %v, below 90", p)
	}
}

func TestBuildReasons(t *testing.T) {
	r := Build(
		retryResults(agent(loaderPkg, "A",
			method("NoDetail", retrycoverage.Unrouted, ""),
			method("Trivial", retrycoverage.Routed, "does no work that can fail"),
		)),
		intelResults(worker(loaderPkg, "BWorker", intelcoverage.Untracked, "  ")),
		Options{},
	)
	want := map[string]string{
		"NoDetail": "no recovery entry point is called",
		"Trivial":  "does no work that can fail",
	}
	for _, m := range r.Agents[0].Methods {
		if m.Reason != want[m.Name] {
			t.Errorf("%s reason = %q, want %q", m.Name, m.Reason, want[m.Name])
		}
	}
	if got := r.Workers[0].Reason; got != "no success or error record is made" {
		t.Errorf("worker reason = %q", got)
	}
	var buf bytes.Buffer
	if err := r.WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "- [x] `A.Trivial` routed: does no work that can fail") {
		t.Errorf("markdown hides the note on a routed method:\n%s", buf.String())
	}
}
