package testsincluded

import "os"

// Get is declared in a test file: reported with include-tests.
func (Agent) Get() error { return os.Remove("x") } // want Get:"unrouted" `Agent.Get returns an error but is not routed`
