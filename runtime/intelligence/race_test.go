//go:build race

package intelligence_test

// The race detector slows TrackError about tenfold; 200,000 distinct
// messages (still 200 times the pattern limit and 40 times the operation
// limit) keep `go test -race` quick while exercising the same overflow
// paths. Without -race the test feeds 1,000,000 (norace_test.go).
const distinctMessages = 200_000
