package intelligence

import (
	"errors"
	"fmt"
	"time"
)

// Validate reports whether o can be used with WithObjective.
func (o Objective) Validate() error {
	switch {
	case o.Agent == "":
		return errors.New("intelligence: objective without an agent")
	case !(o.Target > 0 && o.Target < 1):
		return fmt.Errorf("intelligence: objective target %v for %s: want a ratio in (0, 1), such as 0.99", o.Target, o.name())
	case o.MinEvents < 0:
		return fmt.Errorf("intelligence: objective min events %d for %s: want >= 0", o.MinEvents, o.name())
	}
	return nil
}

func (o Objective) name() string {
	if o.Worker == "" {
		return o.Agent
	}
	return o.Agent + "/" + o.Worker
}

// Budget is the state of one Objective's error budget over the last 72h
// (the longest window kept).
type Budget struct {
	Agent  string  `json:"agent"`
	Worker string  `json:"worker,omitempty"`
	Target float64 `json:"target"`
	// Runs and Errors are counted over the last 72h.
	Runs   uint64 `json:"runs"`
	Errors uint64 `json:"errors"`
	// Remaining is the fraction of the 72h error budget left:
	// 1 - (Errors/Runs)/(1-Target). It is negative once the budget is
	// overspent, and 1 without runs.
	Remaining float64 `json:"remaining"`
	// BurnRates are the error ratio of each window divided by 1-Target: a
	// burn rate of 1 spends the budget exactly over the period.
	BurnRates []BurnRate `json:"burn_rates"`
	// Alerts evaluates the multi-window burn-rate alerts of the SRE
	// workbook: 1h and 5m over 14.4 (page), 6h and 30m over 6 (page), 72h
	// and 6h over 1 (ticket).
	Alerts []BurnAlert `json:"alerts"`
	// Breached is true when any alert fires.
	Breached bool `json:"breached"`
}

// BurnRate is the burn rate over one window.
type BurnRate struct {
	Window string  `json:"window"`
	Runs   uint64  `json:"runs"`
	Errors uint64  `json:"errors"`
	Rate   float64 `json:"rate"`
}

// BurnAlert is one multi-window burn-rate alert: it fires when both the
// long and the short window burn faster than Threshold and the long window
// has at least Objective.MinEvents runs.
type BurnAlert struct {
	Severity  string  `json:"severity"` // "page" or "ticket"
	Long      string  `json:"long"`
	Short     string  `json:"short"`
	Threshold float64 `json:"threshold"`
	LongRate  float64 `json:"long_rate"`
	ShortRate float64 `json:"short_rate"`
	Firing    bool    `json:"firing"`
	// TooFewEvents is true when the long window had fewer than MinEvents
	// runs, so the alert was not evaluated.
	TooFewEvents bool `json:"too_few_events,omitempty"`
}

type alertRule struct {
	severity    string
	long, short window
	threshold   float64
}

var alertRules = []alertRule{
	{"page", window{"1h", time.Hour}, window{"5m", 5 * time.Minute}, 14.4},
	{"page", window{"6h", 6 * time.Hour}, window{"30m", 30 * time.Minute}, 6},
	{"ticket", window{"72h", 72 * time.Hour}, window{"6h", 6 * time.Hour}, 1},
}

var burnWindows = []window{
	{"5m", 5 * time.Minute}, {"30m", 30 * time.Minute}, {"1h", time.Hour},
	{"6h", 6 * time.Hour}, {"72h", 72 * time.Hour},
}

// Budgets returns the state of every objective, in the order given.
func (t *Tracker) Budgets() []Budget {
	t = t.resolve()
	return t.budgets(t.now())
}

func (t *Tracker) budgets(now int64) []Budget {
	out := make([]Budget, 0, len(t.cfg.objectives))
	for _, o := range t.cfg.objectives {
		a := &aggregate{}
		t.forEachSeries(func(s *series) {
			if s.op.Agent == o.Agent && (o.Worker == "" || s.op.Worker == o.Worker) {
				a.series = append(a.series, s)
			}
		})
		out = append(out, evaluateBudget(o, a, now))
	}
	return out
}

func evaluateBudget(o Objective, a *aggregate, now int64) Budget {
	allowed := 1 - o.Target
	b := Budget{Agent: o.Agent, Worker: o.Worker, Target: o.Target, Remaining: 1}
	rates := map[string]BurnRate{}
	for _, w := range burnWindows {
		runs, errs := a.windowCounts(now, w.d)
		r := BurnRate{Window: w.name, Runs: runs, Errors: errs}
		if runs > 0 {
			r.Rate = float64(errs) / float64(runs) / allowed
		}
		rates[w.name] = r
		b.BurnRates = append(b.BurnRates, r)
	}
	long := rates["72h"]
	b.Runs, b.Errors = long.Runs, long.Errors
	if long.Runs > 0 {
		b.Remaining = 1 - long.Rate
	}
	for _, rule := range alertRules {
		l, s := rates[rule.long.name], rates[rule.short.name]
		al := BurnAlert{
			Severity: rule.severity, Long: rule.long.name, Short: rule.short.name,
			Threshold: rule.threshold, LongRate: l.Rate, ShortRate: s.Rate,
		}
		if l.Runs < uint64(o.MinEvents) {
			al.TooFewEvents = true
		} else {
			al.Firing = l.Rate > rule.threshold && s.Rate > rule.threshold
		}
		b.Breached = b.Breached || al.Firing
		b.Alerts = append(b.Alerts, al)
	}
	return b
}
