//go:build race

package intelligence_test

// The race detector slows TrackError about tenfold; 200,000 distinct
// messages (still 200 times the pattern limit and 40 times the operation
// limit) keep `go test -race` quick while exercising the same overflow
// paths. Without -race the test feeds 1,000,000 (norace_test.go).
const distinctMessages = 200_000

// raceEnabled reports a -race build, whose sync.Pool drops a quarter of
// the values put back: allocation counts of code using a pool (fmt's
// printers among them) then vary by one from run to run.
const raceEnabled = true
