// Package bench compares the cost of runtime/recovery with peer Go retry
// libraries (failsafe-go, cenkalti/backoff/v5, avast/retry-go v4 and v5,
// sethvargo/go-retry). It is a separate module so that the main module
// does not depend on them; it holds only tests and benchmarks. See
// docs/bench/recovery.md for the command and the recorded results.
package bench
