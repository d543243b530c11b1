package withtests

import "os"

// Get is declared in a test file: skipped unless include-tests.
func (Agent) Get() error { return os.Remove("x") }

// Marked is an agent declared in a test file: skipped unless include-tests.
//
//resilience:agent
type Marked struct{}

func (Marked) Put() error { return os.Remove("x") }
