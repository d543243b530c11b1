//go:build !race

package intelligence_test

// distinctMessages is the size of TestMillionDistinctMessages (see
// race_test.go for the race detector's smaller size).
const distinctMessages = 1_000_000

// raceEnabled reports a -race build (see race_test.go).
const raceEnabled = false
