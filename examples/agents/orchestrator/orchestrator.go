// Package orchestrator is the example's Orchestrator agent: it runs the
// pipeline load → explore → detect anomalies → aggregate → predict →
// report over the other agents.
//
// Its methods are not routed through runtime/recovery yet. Once they are,
// the agents it calls retry inside its attempt; runtime/recovery does not
// let such nested retries multiply unless a policy opts in.
package orchestrator

import (
	"context"
	"errors"
	"fmt"

	"github.com/resilience-lint/resilience-lint/examples/agents/aggregator"
	"github.com/resilience-lint/resilience-lint/examples/agents/detector"
	"github.com/resilience-lint/resilience-lint/examples/agents/explorer"
	"github.com/resilience-lint/resilience-lint/examples/agents/loader"
	"github.com/resilience-lint/resilience-lint/examples/agents/predictor"
	"github.com/resilience-lint/resilience-lint/examples/agents/reporter"
	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// ErrPlan is returned for a plan that groups or trends without a Value column.
var ErrPlan = errors.New("orchestrator: plan needs a Value column to group or trend")

// Orchestrator runs the analysis pipeline. Create it with New.
type Orchestrator struct {
	loader     *loader.DataLoader
	explorer   *explorer.Explorer
	detector   *detector.AnomalyDetector
	aggregator *aggregator.Aggregator
	predictor  *predictor.Predictor
	reporter   *reporter.Reporter
}

// New returns an Orchestrator whose agents retry with p (nil:
// recovery.Default()) and report to tr (nil: intelligence.Default()).
func New(p *recovery.Policy, tr *intelligence.Tracker) *Orchestrator {
	return &Orchestrator{
		loader:     loader.New(p),
		explorer:   explorer.New(p),
		detector:   detector.New(),
		aggregator: aggregator.New(p, tr),
		predictor:  predictor.New(tr),
		reporter:   &reporter.Reporter{},
	}
}

// Run loads src and analyses it according to plan.
func (o *Orchestrator) Run(ctx context.Context, src dataset.Source, plan dataset.Plan) (*dataset.Report, error) {
	if err := checkPlan(plan); err != nil {
		return nil, err
	}
	t, err := o.loader.Load(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("orchestrator: load: %w", err)
	}
	return o.Analyze(ctx, t, plan)
}

// Analyze runs every stage after loading over t: the summary of each
// numeric column, the anomalies in them, the groups and the trend the plan
// asks for.
func (o *Orchestrator) Analyze(ctx context.Context, t *dataset.Table, plan dataset.Plan) (*dataset.Report, error) {
	if err := checkPlan(plan); err != nil {
		return nil, err
	}
	rep := &dataset.Report{Title: plan.Title, Source: t.Name, Rows: t.Len(), Columns: t.Columns}
	if rep.Title == "" {
		rep.Title = t.Name
	}
	var err error
	if rep.Summaries, err = o.explorer.Describe(ctx, t); err != nil {
		return nil, fmt.Errorf("orchestrator: explore: %w", err)
	}
	if rep.Anomalies, err = o.detector.Detect(ctx, t); err != nil {
		return nil, fmt.Errorf("orchestrator: detect: %w", err)
	}
	if plan.GroupBy != "" {
		if rep.Groups, err = o.aggregator.GroupBy(ctx, t, plan.GroupBy, plan.Value); err != nil {
			return nil, fmt.Errorf("orchestrator: aggregate: %w", err)
		}
	}
	if plan.Horizon > 0 {
		if rep.Trend, err = o.predictor.Trend(ctx, t, plan.Value); err != nil {
			return nil, fmt.Errorf("orchestrator: predict: %w", err)
		}
		if rep.Forecast, err = o.predictor.Forecast(ctx, rep.Trend, plan.Horizon); err != nil {
			return nil, fmt.Errorf("orchestrator: forecast: %w", err)
		}
	}
	return rep, nil
}

// Markdown runs the pipeline over src and renders the report as Markdown.
func (o *Orchestrator) Markdown(ctx context.Context, src dataset.Source, plan dataset.Plan) (string, error) {
	rep, err := o.Run(ctx, src, plan)
	if err != nil {
		return "", err
	}
	return o.reporter.Markdown(ctx, rep)
}

func checkPlan(plan dataset.Plan) error {
	if (plan.GroupBy != "" || plan.Horizon > 0) && plan.Value == "" {
		return ErrPlan
	}
	return nil
}
