package withtests

import "os"

// Get is declared in a test file: skipped unless include-tests.
func (Agent) Get() error { return os.Remove("x") }
