// Package strategy is a minimal stand-in for
// github.com/Rican7/retry/strategy v0.3.1, with its real signatures.
package strategy

type Strategy func(attempt uint) bool

func Limit(attemptLimit uint) Strategy {
	return func(attempt uint) bool { return attempt < attemptLimit }
}
