package orchestrator_test

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/resilience-lint/resilience-lint/examples/agents/orchestrator"
	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// The whole pipeline over the example's sales data: summary, anomalies
// (the planted spike and drop), revenue by region and a revenue forecast.
func ExampleOrchestrator_Markdown() {
	o := orchestrator.New(nil, intelligence.MustNew())
	src := dataset.File(filepath.Join("..", "testdata", "sales.csv"))
	out, err := o.Markdown(context.Background(), src, dataset.Plan{
		Title:   "Daily sales",
		GroupBy: "region",
		Value:   "revenue",
		Horizon: 3,
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Print(out)
	// Output:
	// # Daily sales
	//
	// Source `sales.csv`: 180 rows, columns date, region, units, revenue.
	//
	// ## Summary
	//
	// | column | count | mean | std | min | median | max |
	// | --- | --- | --- | --- | --- | --- | --- |
	// | units | 180 | 135.09 | 50.87 | 3 | 127.5 | 610 |
	// | revenue | 180 | 1460.69 | 485.44 | 37.5 | 1387.25 | 5795 |
	//
	// ## Groups
	//
	// | group | count | sum | mean |
	// | --- | --- | --- | --- |
	// | north | 60 | 97603 | 1626.72 |
	// | south | 60 | 74921 | 1248.68 |
	// | west | 60 | 90400 | 1506.67 |
	//
	// ## Anomalies
	//
	// - row 39, units = 3 (score -0.55)
	// - row 112, units = 610 (score 7.47)
	// - row 39, revenue = 37.5 (score -0.63)
	// - row 112, revenue = 5795 (score 6.01)
	//
	// ## Trend
	//
	// +5.83 per row (R² 0.39) over 180 rows; forecast: 1988.53, 1994.36, 2000.2.
}
