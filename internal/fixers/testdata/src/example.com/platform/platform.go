// Package platform holds the retry policy the agents share.
package platform

import "github.com/resilience-lint/resilience-lint/runtime/recovery"

// DefaultPolicy is the policy -fix writes (config: policy).
var DefaultPolicy = recovery.Default()

// Region is used by the agents for something else.
const Region = "eu"
