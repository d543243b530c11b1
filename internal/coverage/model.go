package coverage

import (
	"cmp"
	"encoding/json"
	"go/token"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

// SchemaVersion is the version of the JSON report schema (see the package
// documentation) and of the baseline file format.
const SchemaVersion = 1

// Formula is the health score formula, as printed by every rendering.
const Formula = "score = mean of the defined values among (methods, intel)"

// AgentStatus summarises an agent's methods.
type AgentStatus string

// Agent statuses.
const (
	AgentCovered   AgentStatus = "covered"   // every non-exempt in-scope method is routed
	AgentPartial   AgentStatus = "partial"   // some, not all, are routed
	AgentUncovered AgentStatus = "uncovered" // none is routed
	AgentExempt    AgentStatus = "exempt"    // every in-scope method is exempt
	AgentEmpty     AgentStatus = "empty"     // no in-scope method
)

// MethodStatus is the status of one agent method or worker run method.
type MethodStatus string

// Method and worker statuses.
const (
	Routed  MethodStatus = "routed"  // agent method routed through runtime/recovery
	Tracked MethodStatus = "tracked" // worker run method tracked by runtime/intelligence
	Exempt  MethodStatus = "exempt"  // exempt by a directive with a reason
	Missing MethodStatus = "missing" // reported by the analyzer
)

// Report is the coverage of a set of packages.
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	Agents        []Agent   `json:"agents"`
	Workers       []Worker  `json:"workers"`
	Totals        Totals    `json:"totals"`
	Score         Score     `json:"score"`
	Baseline      *Progress `json:"baseline,omitempty"`
	// Errors are the problems that kept packages out of the report (set by
	// the caller: load, type or analysis errors). A report with errors is
	// incomplete and says so in every rendering.
	Errors []string `json:"errors,omitempty"`
}

// Agent is one agent type and the verdicts on its in-scope methods.
type Agent struct {
	Package string      `json:"package"`
	Name    string      `json:"name"`
	File    string      `json:"file,omitempty"`
	Line    int         `json:"line,omitempty"`
	Status  AgentStatus `json:"status"`
	InScope int         `json:"in_scope"`
	Routed  int         `json:"routed"`
	Exempt  int         `json:"exempt"`
	Missing int         `json:"missing"`
	Methods []Method    `json:"methods"`
}

// Method is the verdict on one in-scope agent method.
type Method struct {
	Name   string       `json:"name"`
	Status MethodStatus `json:"status"`
	// Reason is the exemption reason (Exempt), what is missing on which
	// path (Missing), or a note on a routed method (such as "does no work
	// that can fail").
	Reason string `json:"reason,omitempty"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
}

// Worker is the verdict on one worker's run method.
type Worker struct {
	Package string       `json:"package"`
	Name    string       `json:"name"`
	Method  string       `json:"method"`
	Agent   string       `json:"agent,omitempty"`
	Status  MethodStatus `json:"status"`
	// Reason is the exemption reason (Exempt) or which path is not
	// tracked (Missing); empty when Tracked.
	Reason string `json:"reason,omitempty"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
}

// Totals are the coverage metrics; see the package documentation.
type Totals struct {
	// Retry is agents fully covered / agents with a non-exempt in-scope method.
	Retry Ratio `json:"retry"`
	// Methods is routed methods / non-exempt in-scope methods.
	Methods Ratio `json:"methods"`
	// Intel is tracked workers / non-exempt workers.
	Intel Ratio `json:"intel"`

	InScopeMethods int `json:"in_scope_methods"` // including exempt ones
	ExemptMethods  int `json:"exempt_methods"`
	ExemptWorkers  int `json:"exempt_workers"`
}

// Ratio is a coverage fraction. Its percentage is undefined when Total is 0.
type Ratio struct {
	Covered int
	Total   int
}

// Percent returns 100*Covered/Total and whether it is defined (Total > 0).
func (r Ratio) Percent() (float64, bool) {
	if r.Total == 0 {
		return 0, false
	}
	return float64(100*r.Covered) / float64(r.Total), true
}

// String formats r as "3/4 (75.0%)" or "0/0 (n/a)".
func (r Ratio) String() string {
	return fmtCount(r) + " (" + fmtPercent(r.Percent()) + ")"
}

type ratioJSON struct {
	Covered int      `json:"covered"`
	Total   int      `json:"total"`
	Percent *float64 `json:"percent"`
}

// MarshalJSON encodes r as {"covered", "total", "percent"}, percent null
// when undefined.
func (r Ratio) MarshalJSON() ([]byte, error) {
	j := ratioJSON{Covered: r.Covered, Total: r.Total}
	if p, ok := r.Percent(); ok {
		j.Percent = &p
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what MarshalJSON encodes (percent is recomputed).
func (r *Ratio) UnmarshalJSON(b []byte) error {
	var j ratioJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	r.Covered, r.Total = j.Covered, j.Total
	return nil
}

// Score is the health score and the inputs it was computed from.
type Score struct {
	// Value is the score in percent; nil when no input is defined.
	Value   *float64     `json:"value"`
	Formula string       `json:"formula"`
	Inputs  []ScoreInput `json:"inputs"`
}

// ScoreInput is one metric the score averages; Percent is nil when the
// metric is undefined (and then left out of the mean).
type ScoreInput struct {
	Metric  string   `json:"metric"`
	Percent *float64 `json:"percent"`
}

// Options configures Build.
type Options struct {
	// Dir, if set, is the directory file names are made relative to (the
	// working directory of the CLI). Files outside it stay absolute.
	Dir string
}

// Build computes the report of the analyzers' results. nil results (a
// package the analyzers did not run on) are skipped; an agent, method or
// worker present in several results (a package analyzed with and without
// its tests) is counted once. The report's order is deterministic: by
// package, then type, then position.
func Build(retry []*retrycoverage.Result, intel []*intelcoverage.Result, opts Options) *Report {
	r := &Report{SchemaVersion: SchemaVersion, Agents: []Agent{}, Workers: []Worker{}}

	agentIdx := map[[2]string]int{}
	seenMethod := map[[3]string]bool{}
	for _, res := range retry {
		if res == nil {
			continue
		}
		for _, a := range res.Agents {
			key := [2]string{a.Pkg, a.Name}
			i, ok := agentIdx[key]
			if !ok {
				i = len(r.Agents)
				agentIdx[key] = i
				file, line := opts.position(a.Pos)
				r.Agents = append(r.Agents, Agent{Package: a.Pkg, Name: a.Name, File: file, Line: line, Methods: []Method{}})
			}
			for _, m := range a.Methods {
				mkey := [3]string{a.Pkg, a.Name, m.Name}
				if seenMethod[mkey] {
					continue
				}
				seenMethod[mkey] = true
				file, line := opts.position(m.Pos)
				st := methodStatus(m.Status)
				r.Agents[i].Methods = append(r.Agents[i].Methods, Method{
					Name: m.Name, Status: st, Reason: reasonOr(st, m.Reason, "no recovery entry point is called"), File: file, Line: line,
				})
			}
		}
	}

	seenWorker := map[[3]string]bool{}
	for _, res := range intel {
		if res == nil {
			continue
		}
		for _, w := range res.Workers {
			key := [3]string{w.Pkg, w.Name, w.Method}
			if seenWorker[key] {
				continue
			}
			seenWorker[key] = true
			file, line := opts.position(w.Pos)
			st := workerStatus(w.Status)
			r.Workers = append(r.Workers, Worker{
				Package: w.Pkg, Name: w.Name, Method: w.Method, Agent: w.Agent,
				Status: st, Reason: reasonOr(st, w.Reason, "no success or error record is made"), File: file, Line: line,
			})
		}
	}

	slices.SortStableFunc(r.Agents, func(a, b Agent) int {
		return cmp.Or(cmp.Compare(a.Package, b.Package), cmp.Compare(a.Name, b.Name))
	})
	for i := range r.Agents {
		a := &r.Agents[i]
		slices.SortStableFunc(a.Methods, func(x, y Method) int {
			return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line), cmp.Compare(x.Name, y.Name))
		})
		a.summarise()
	}
	slices.SortStableFunc(r.Workers, func(a, b Worker) int {
		return cmp.Or(cmp.Compare(a.Package, b.Package), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Method, b.Method))
	})

	r.computeTotals()
	return r
}

// summarise sets the agent's counts and status from its methods.
func (a *Agent) summarise() {
	a.InScope, a.Routed, a.Exempt, a.Missing = len(a.Methods), 0, 0, 0
	for _, m := range a.Methods {
		switch m.Status {
		case Routed:
			a.Routed++
		case Exempt:
			a.Exempt++
		default:
			a.Missing++
		}
	}
	switch {
	case a.InScope == 0:
		a.Status = AgentEmpty
	case a.Exempt == a.InScope:
		a.Status = AgentExempt
	case a.Missing == 0:
		a.Status = AgentCovered
	case a.Routed == 0:
		a.Status = AgentUncovered
	default:
		a.Status = AgentPartial
	}
}

func (r *Report) computeTotals() {
	var t Totals
	for _, a := range r.Agents {
		t.InScopeMethods += a.InScope
		t.ExemptMethods += a.Exempt
		t.Methods.Covered += a.Routed
		t.Methods.Total += a.Routed + a.Missing
		if a.Routed+a.Missing > 0 {
			t.Retry.Total++
			if a.Missing == 0 {
				t.Retry.Covered++
			}
		}
	}
	for _, w := range r.Workers {
		switch w.Status {
		case Exempt:
			t.ExemptWorkers++
		case Tracked:
			t.Intel.Covered++
			t.Intel.Total++
		default:
			t.Intel.Total++
		}
	}
	r.Totals = t

	r.Score = Score{Formula: Formula, Inputs: []ScoreInput{}}
	var sum float64
	var n int
	for _, in := range []struct {
		name string
		r    Ratio
	}{{"methods", t.Methods}, {"intel", t.Intel}} {
		si := ScoreInput{Metric: in.name}
		if p, ok := in.r.Percent(); ok {
			si.Percent = &p
			sum += p
			n++
		}
		r.Score.Inputs = append(r.Score.Inputs, si)
	}
	if n > 0 {
		v := sum / float64(n)
		r.Score.Value = &v
	}
}

// reasonOr returns reason, or def for a missing method the analyzer gave
// no details for (it says so in its diagnostic's message).
func reasonOr(s MethodStatus, reason, def string) string {
	if s == Missing && strings.TrimSpace(reason) == "" {
		return def
	}
	return reason
}

func methodStatus(s retrycoverage.Status) MethodStatus {
	switch s {
	case retrycoverage.Routed:
		return Routed
	case retrycoverage.Exempt:
		return Exempt
	default:
		return Missing
	}
}

func workerStatus(s intelcoverage.Status) MethodStatus {
	switch s {
	case intelcoverage.Tracked:
		return Tracked
	case intelcoverage.Exempt:
		return Exempt
	default:
		return Missing
	}
}

// position returns the file name (relative to o.Dir when under it) and line.
func (o Options) position(p token.Position) (string, int) {
	file := p.Filename
	if file != "" && o.Dir != "" && filepath.IsAbs(file) {
		if rel, err := filepath.Rel(o.Dir, file); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			file = rel
		}
	}
	return filepath.ToSlash(file), p.Line
}

// fmtCount formats r as "covered/total".
func fmtCount(r Ratio) string {
	return strconv.Itoa(r.Covered) + "/" + strconv.Itoa(r.Total)
}

// fmtPercent formats a percentage with one decimal, truncated rather than
// rounded so that 99.96% never shows as 100.0%; "n/a" when undefined.
func fmtPercent(p float64, ok bool) string {
	if !ok {
		return "n/a"
	}
	t := math.Floor(p*10+1e-9) / 10
	return strconv.FormatFloat(t, 'f', 1, 64) + "%"
}
