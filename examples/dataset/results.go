package dataset

// Summary is the descriptive statistics of one numeric column.
type Summary struct {
	Column string
	Count  int
	Mean   float64
	Std    float64 // sample standard deviation
	Min    float64
	Q1     float64
	Median float64
	Q3     float64
	Max    float64
}

// Anomaly is one cell flagged as an outlier.
type Anomaly struct {
	Row    int // 0-based row index in the table
	Column string
	Value  float64
	// Score is the z-score (z-score method) or the distance beyond the
	// nearest IQR fence in IQRs (IQR method).
	Score float64
}

// Group is the statistics of one value column over the rows that share a key.
type Group struct {
	Key   string
	Count int
	Sum   float64
	Mean  float64
	Min   float64
	Max   float64
}

// Trend is a least-squares line y = Intercept + Slope*x.
type Trend struct {
	Slope     float64
	Intercept float64
	R2        float64 // coefficient of determination
	N         int     // number of points fitted
}

// At returns the trend's value at x.
func (t Trend) At(x float64) float64 { return t.Intercept + t.Slope*x }

// AggregateSpec says what Aggregator.AggregateAll computes.
type AggregateSpec struct {
	GroupBy string // key column
	Value   string // numeric column
	Window  int    // rolling window size, in rows
}

// Aggregation is the result of Aggregator.AggregateAll.
type Aggregation struct {
	Source  string
	Rows    int
	Groups  []Group
	Rolling []float64 // rolling mean of Value; len = Rows-Window+1
}

// Report is everything the pipeline found, ready to render.
type Report struct {
	Title     string
	Source    string
	Rows      int
	Columns   []string
	Summaries []Summary
	Anomalies []Anomaly
	Groups    []Group
	Trend     Trend
	Forecast  []float64 // next values of the trend column
}

// Plan says what the Orchestrator's pipeline computes beyond the summary
// and the anomalies, which it always computes.
type Plan struct {
	Title   string // report title; default: the table's name
	GroupBy string // key column for group statistics ("": none)
	Value   string // numeric column grouped and trended
	Horizon int    // forecast steps of Value's trend (0: no trend)
}
