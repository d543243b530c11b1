package intelligence

import (
	"cmp"
	"slices"
	"time"
)

// OpCounters are the cumulative counters of one operation since the
// tracker started: the raw counts behind Health, for exporters that turn
// them into another monitoring system's metrics (exporters/prometheus in
// this repository). Counts only grow, so they map onto counters.
type OpCounters struct {
	Op     Op
	Runs   uint64
	Errors uint64
	// Latency counts runs by duration: Latency[i] runs took at most
	// LatencyBounds()[i] and more than the bound before it; the last
	// bucket also holds every longer run (see LatencyBounds).
	Latency []uint64
	Retries RetryStats
}

// LatencyBounds returns the upper bounds of the tracker's latency
// histogram buckets, ascending: log-linear, four per power of two, from
// about 1µs to MaxLatency. The last bucket is open-ended: it holds the
// runs of MaxLatency or longer (Latency.AboveRange in Health).
func LatencyBounds() []time.Duration {
	b := make([]time.Duration, histBuckets)
	for i := range b {
		b[i] = histUpper(i)
	}
	return b
}

// Counters returns the counters of every operation, the overflow
// operation included once it has records, sorted by agent, worker and
// operation. Each operation's counters are read atomically one by one,
// not as a whole: a run recorded meanwhile may show in Runs and not yet
// in Errors, never the other way round.
func (t *Tracker) Counters() []OpCounters {
	t = t.resolve()
	var out []OpCounters
	t.forEachSeries(func(s *series) {
		c := OpCounters{Op: s.op, Latency: make([]uint64, histBuckets)}
		errs := s.errors.Load() // before the runs: see series.failure
		var hist [histBuckets]uint64
		c.Runs = s.addLatency(&hist)
		copy(c.Latency, hist[:])
		c.Errors = min(errs, c.Runs)
		c.Retries.add(&s.retry)
		out = append(out, c)
	})
	slices.SortFunc(out, func(a, b OpCounters) int {
		return cmp.Or(cmp.Compare(a.Op.Agent, b.Op.Agent), cmp.Compare(a.Op.Worker, b.Op.Worker),
			cmp.Compare(a.Op.Operation, b.Op.Operation))
	})
	return out
}
