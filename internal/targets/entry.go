package targets

import (
	"go/types"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// IsRetryEntry reports whether fn is a recovery entry point (recovery.Do,
// DoValue, DoValue2, and their fallback forms DoFallback, DoValueFallback,
// DoValue2Fallback), a known retry library's (config.DefaultRetryFuncs,
// less exclude-retry-funcs) or a configured extra one (retry-funcs).
// Methods of generic types and interfaces (failsafe-go's Executor[R])
// match through their origin.
func (c *Classifier) IsRetryEntry(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	return IsRecoveryEntry(fn) || c.retryFuncs[QualifiedName(fn.Origin())]
}

// IsRetryLibrary reports whether pkg is a known retry library's package
// (one with an entry of config.DefaultRetryFuncs that exclude-retry-funcs
// leaves in effect, such as go-retryablehttp or failsafehttp): a client
// or transport built from it may retry on its own at run time. Packages
// of configured retry-funcs are not libraries: they are a code base's own.
func (c *Classifier) IsRetryLibrary(pkg *types.Package) bool {
	return pkg != nil && c.retryLibs[pkg.Path()]
}

// TrackKind says what a tracking call records.
type TrackKind int

// Tracking kinds. The zero value is "not a tracking call".
const (
	TrackNone    TrackKind = iota
	TrackSuccess           // records a success (Tracker.TrackSuccess)
	TrackError             // records an error (Tracker.TrackError)
	TrackOutcome           // records a success or an error, according to the outcome
	TrackWrap              // runs a function and tracks its result (intelligence.Track)
)

// String returns the kind as written in track-funcs ("none" for TrackNone).
func (k TrackKind) String() string {
	switch k {
	case TrackSuccess:
		return "success"
	case TrackError:
		return "error"
	case TrackOutcome:
		return "outcome"
	case TrackWrap:
		return "wrap"
	}
	return "none"
}

func parseTrackKind(s string) TrackKind {
	switch s {
	case "success":
		return TrackSuccess
	case "error":
		return TrackError
	case "wrap":
		return TrackWrap
	}
	return TrackOutcome
}

// TrackKindOf says what calling fn records: the Tracker methods, the Track
// wrappers and configured track-funcs. Helpers known through an analysis
// Fact are the analyzer's business, not the classifier's.
func (c *Classifier) TrackKindOf(fn *types.Func) TrackKind {
	if fn == nil || fn.Pkg() == nil {
		return TrackNone
	}
	fn = fn.Origin()
	switch {
	case typepred.IsFunctionNamed(fn, IntelligencePath, "Track", "TrackErr", "Track2"):
		return TrackWrap
	case typepred.IsMethodNamed(fn, IntelligencePath, "Tracker", "TrackSuccess"):
		return TrackSuccess
	case typepred.IsMethodNamed(fn, IntelligencePath, "Tracker", "TrackError"):
		return TrackError
	}
	return c.trackFuncs[QualifiedName(fn)]
}

// IsTrackerConstructor reports whether fn builds a new intelligence.Tracker
// (intelligence.New).
func IsTrackerConstructor(fn *types.Func) bool {
	return typepred.IsFunctionNamed(fn, IntelligencePath, "New")
}

// IsTrackerType reports whether t is intelligence.Tracker or a pointer to it.
func IsTrackerType(t types.Type) bool {
	return typepred.IsNamedOrPointer(t, IntelligencePath, "Tracker")
}

// IsErrorConstructor reports whether fn only builds an error value from
// its arguments (errors.New, fmt.Errorf, errors.Join): a call to it is not
// work that can fail.
func IsErrorConstructor(fn *types.Func) bool {
	return typepred.IsFunctionNamed(fn, "errors", "New", "Join") || typepred.IsFunctionNamed(fn, "fmt", "Errorf")
}
